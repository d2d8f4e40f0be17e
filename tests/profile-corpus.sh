#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The profile corpus, as TAP: every tests/profiles/bad/*.toml must fail --check-profile with
# exactly the error on its first line; every tests/profiles/good/*.toml and every shipped
# profile must check, explain and explain as JSON; hostile files too big to commit are
# generated here.
#
#   profile-corpus.sh SANDBOX SRCDIR
#
# A bad file starts with "# expect: MESSAGE", MESSAGE being the line sandbox prints after
# "sandbox: ", with FILE for the file's path and INCDIR for the directory that holds
# tests/profiles/bad/include (named profiles for the include cases, found through
# $XDG_CONFIG_HOME). A second line "# todo: WHY" marks a known bug: the case is reported
# as TODO, and once fixed it shows up as an unexpected pass, so that the line is removed.
set -u

sandbox=$1
src=$2
# Both are used after the cd below.
[[ $sandbox == /* ]] || sandbox=$PWD/$sandbox
[[ $src == /* ]] || src=$PWD/$src
bad_dir=$src/tests/profiles/bad
good_dir=$src/tests/profiles/good

tmp=$(mktemp -d "${TMPDIR:-/tmp}/profile-corpus.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
# Bad files see the include companions; good and shipped ones see the shipped profiles
# only, copied, so that an installed sandbox's profiles cannot shadow the source tree's.
mkdir -p "$tmp/bad-config/sandbox" "$tmp/good-config/sandbox/profiles" "$tmp/gen" "$tmp/cwd"
cp -R "$bad_dir/include" "$tmp/bad-config/sandbox/profiles"
cp "$src"/profiles/*.toml "$tmp/good-config/sandbox/profiles/"
incdir=$tmp/bad-config/sandbox/profiles
# ${PWD} in a profile is where sandbox starts: an ordinary directory, never '/'.
cd "$tmp/cwd" || exit 1

n=0
failed=0
# report PASSED NAME TODO DIAGNOSTICS: one TAP line, with the diagnostics as comments.
report() {
	local passed=$1 name=$2 todo=$3 diag=$4
	n=$((n + 1))
	if [ "$passed" = 1 ]; then
		echo "ok $n - $name${todo:+ # TODO $todo}"
		return
	fi
	echo "not ok $n - $name${todo:+ # TODO $todo}"
	[ -n "$todo" ] || failed=$((failed + 1))
	printf '%s\n' "${diag%$'\n'}" | sed 's/^/#   /'
}

# Runs sandbox with a time limit: a hostile profile must give an error, not a hang.
# Sets rc, out and err (stderr with the paths written as FILE and INCDIR).
run() {
	local file=$1 config=$2 limit=$3
	shift 3
	XDG_CONFIG_HOME=$config timeout -k 5 "$limit" "$sandbox" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(head -c 2000 "$tmp/out")
	# Only the start: bash's ${var//...} is slow on the 1 MB line of a 1 MB variable name.
	err=$(
		head -c 65536 "$tmp/err"
		echo .
	)
	err=${err%.}
	err=${err//"$incdir"/INCDIR}
	[ -z "$file" ] || err=${err//"$file"/FILE}
}

describe_rc() {
	case $rc in
	124 | 137) echo "timed out" ;;
	13[0-9] | 1[4-9][0-9]) echo "killed by signal $((rc - 128))" ;;
	*) echo "exit $rc" ;;
	esac
}

# A bad file: exit 125, nothing on stdout, exactly one line on stderr.
check_bad() {
	local name=$1 file=$2 want=$3 todo=$4 limit=${5:-10}
	run "$file" "$tmp/bad-config" "$limit" --check-profile "$file"
	local expected="sandbox: $want"$'\n' passed=0
	[ "$rc" != 125 ] || [ -n "$out" ] || [ "$err" != "$expected" ] || passed=1
	report "$passed" "$name" "$todo" "expected: exit 125, ${expected}got:      $(describe_rc), ${err:0:2000}${out:+stdout:   $out}"
}

# A hostile file whose exact message is not the point: any one-line error, in time.
check_refused() {
	local name=$1 file=$2 todo=$3 limit=$4
	run "$file" "$tmp/bad-config" "$limit" --check-profile "$file"
	local passed=0
	[ "$rc" != 125 ] || [ -n "$out" ] || [[ $err != "sandbox: FILE"* ]] || [ "${err%$'\n'}" != "${err%%$'\n'*}" ] || passed=1
	report "$passed" "$name" "$todo" "expected: exit 125 and one line 'sandbox: FILE...' within ${limit}s
got: $(describe_rc), ${err:0:300}"
}

# A good profile (a file or a shipped name): it checks, explains and explains as JSON.
check_good() {
	local name=$1 spec=$2 todo=${3:-} limit=${4:-10}
	run "" "$tmp/good-config" "$limit" --check-profile "$spec"
	report $((rc == 0)) "$name: --check-profile" "$todo" "$(describe_rc): ${err:0:2000}"
	run "" "$tmp/good-config" "$limit" --explain --profile "$spec"
	report $((rc == 0)) "$name: --explain" "$todo" "$(describe_rc): ${err:0:2000}"
	run "" "$tmp/good-config" "$limit" --explain --json --profile "$spec"
	if [ "$rc" != 0 ]; then
		report 0 "$name: --explain --json" "$todo" "$(describe_rc): ${err:0:2000}"
	elif command -v python3 >/dev/null && ! python3 -m json.tool <"$tmp/out" >/dev/null 2>"$tmp/json-err"; then
		report 0 "$name: --explain --json" "$todo" "invalid JSON: $(cat "$tmp/json-err")"
	else
		report 1 "$name: --explain --json" "$todo" ""
	fi
}

bad_files=("$bad_dir"/*.toml)
good_files=("$good_dir"/*.toml)
shipped=("$src"/profiles/*.toml)

for f in "${bad_files[@]}"; do
	name=${f##*/}
	{
		IFS= read -r first
		IFS= read -r second
	} <"$f"
	first=${first#$'\xef\xbb\xbf'} # 082-byte-order-mark starts with one
	if [[ $first != "# expect: "* ]]; then
		report 0 "$name" "" "the first line must be '# expect: MESSAGE'"
		continue
	fi
	todo=
	[[ $second != "# todo: "* ]] || todo=${second#"# todo: "}
	check_bad "$name" "$f" "${first#"# expect: "}" "$todo"
done

for f in "${good_files[@]}"; do
	check_good "good/${f##*/}" "$f"
done
for f in "${shipped[@]}"; do
	name=${f##*/}
	check_good "shipped ${name%.toml}" "${name%.toml}"
done

# Hostile files too big to commit, written by python3 to $tmp/gen.
gen() { # NAME PYTHON-EXPRESSION-FOR-THE-BYTES
	f=$tmp/gen/$1.toml
	python3 -c "import sys; sys.stdout.buffer.write($2)" >"$f"
}
# A valid profile of exactly N bytes: "schema = 1", then comment lines.
sized='b"schema = 1\n#" + b"x" * (N - 13) + b"\n"'
if command -v python3 >/dev/null; then
	gen too-large "${sized//N/1048577}"
	check_bad "a file over 1 MiB" "$f" "'FILE' is larger than 1 MiB; that is not a profile" ""
	gen one-mib "${sized//N/1048576}"
	check_good "a valid file of exactly 1 MiB" "$f" "" 20

	# toml++ recurses once per dotted part after parsing: unchecked, these overflow the stack.
	gen deep-dotted-header 'b"[" + b"a." * 300000 + b"a]\n"'
	check_refused "a table header of 300000 dotted parts (600 KB)" "$f" "" 10
	gen deep-dotted-key 'b"a." * 300000 + b"a = 1\n"'
	check_refused "a key of 300000 dotted parts (600 KB)" "$f" "" 10

	# At most 1024 mounts a file; before that limit these took minutes (quadratic checks).
	gen many-same-binds 'b"[filesystem]\nread_only = [" + b",".join([b"\"/usr\""] * 140000) + b"]\n"'
	check_bad "140000 identical read_only entries (980 KB)" "$f" "FILE: more than 1024 mounts in one profile" "" 5
	gen many-tmpfs 'b"[filesystem]\ntmpfs = [" + b",".join(b"\"/%x\"" % i for i in range(100000)) + b"]\n"'
	check_bad "100000 distinct tmpfs entries (830 KB)" "$f" "FILE: more than 1024 mounts in one profile" "" 5

	# shellcheck disable=SC2016 # ${...} is profile text, not shell
	gen long-variable 'b"[environment]\nset = { A = \"${" + b"A" * 1000000 + b"}\" }\n"'
	check_refused "an unknown variable with a 1 MB name" "$f" "" 20
fi

echo "1..$n"
[ "$failed" = 0 ]
