#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Profiles: lookup, the profile named after the command, files, .local overrides, errors.
. "$(dirname "$0")/lib.sh"

P="$T/config/sandbox/profiles"
status() { "$@" >/dev/null 2>&1; echo $?; }

check "--profile minimal runs" "1" "$(sb --profile minimal -- sh -c 'echo 1')"
if command -v python3 >/dev/null; then
	check "--profile minimal runs python3" "1" "$(sb --profile minimal -- python3 -c 'print(1)')"
else
	skip "--profile minimal runs python3" "python3 is not installed"
fi
check "the default profile is used with none named" "tmpfs" \
	"$(sb -- sh -c 'grep " /var/tmp " /proc/mounts | cut -d" " -f3')"
check "minimal has no /var/tmp" "" "$(sb --profile minimal -- sh -c 'grep " /var/tmp " /proc/mounts')"

# A profile named after the command is picked up by itself.
cat >"$P/printenv.toml" <<'TOML'
schema = 1
include = ["minimal"]
[environment]
set = { PICKED = "by-name" }
TOML
check "the profile named after the command is used" "by-name" "$(sb printenv PICKED)"
check "--profile overrides it" "" "$(sb --profile minimal printenv PICKED)"

# NAME.local.toml is layered on top, and the command line on top of that.
cat >"$P/printenv.local.toml" <<'TOML'
[environment]
set = { PICKED = "by-local", LOCAL = "yes" }
TOML
check "NAME.local.toml overrides the profile" "by-local yes" "$(sb printenv PICKED LOCAL | tr '\n' ' ' | sed 's/ $//')"
check "the command line overrides .local" "by-cli" "$(sb --setenv PICKED=by-cli printenv PICKED)"
rm -f "$P/printenv.toml" "$P/printenv.local.toml"

# A profile given as a file, with variables.
cat >"$T/app.toml" <<'TOML'
schema = 1
include = ["minimal"]
hostname = "app-box"
[filesystem]
tmpfs = ["${HOME}/scratch"]
[environment]
set = { WHERE = "${HOME}/scratch", WHO = "${USER}" }
TOML
chmod a+r "$T/app.toml"
check "--profile FILE" "app-box" "$(sb --profile "$T/app.toml" -- cat /proc/sys/kernel/hostname)"
check "variables expand" "$TEST_HOME/scratch $TEST_USER" "$(sb --profile "$T/app.toml" -- sh -c 'echo $WHERE $WHO')"
check "a tmpfs from a profile exists" "ok" "$(sb --profile "$T/app.toml" -- sh -c 'touch ~/scratch/x && echo ok')"

# --explain, --check-profile and --list-profiles run nothing and say where settings came from.
out=$(sb --explain --profile "$T/app.toml" --net host --setenv "ESC=$(printf 'x\033[31my')" -- true)
check "--explain exits 0" 0 $?
check_match "--explain names the profile and its description" "profile 'app'*" "$out"
check_match "--explain gives the origin of a mount" "*tmpfs*'$TEST_HOME/scratch'*$T/app.toml:5:*" "$out"
check_match "--explain gives the origin of an included mount" "*read-only*'/usr'*minimal.toml:*" "$out"
check_match "--explain: a command-line setting" "*mode*host: the host's network*command line*" "$out"
check_match "--explain warns about the host network" "*warning: network: the host's network namespace is shared*" "$out"
check_match "--explain: an environment entry and its origin" "*'WHO=$TEST_USER'*$T/app.toml:7:*" "$out"
check "--explain escapes terminal controls" "" "$(printf '%s' "$out" | tr -d '\n' | grep -c "$(printf '\033')" | grep -v '^0$')"
check "--explain shows the escape as text" 1 "$(printf '%s\n' "$out" | grep -cF "'ESC=x\x1b[31my'")"
if command -v python3 >/dev/null; then
	check "--explain --json is valid JSON" "app" \
		"$(sb --explain --json --profile "$T/app.toml" -- true | python3 -c 'import json,sys; print(json.load(sys.stdin)["profile"])')"
	check "--list-profiles --json is valid JSON" "ok" \
		"$(sb --list-profiles --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print("ok" if any(p["name"]=="minimal" for p in d) else d)')"
else
	skip "--explain --json is valid JSON" "python3 is not installed"
	skip "--list-profiles --json is valid JSON" "python3 is not installed"
fi
check "--json alone is an error" 125 "$(status sb --json -- true)"
check "--check-profile NAME" "minimal: ok" "$(sb --check-profile minimal)"
check "--check-profile FILE" "$T/app.toml: ok" "$(sb --check-profile "$T/app.toml")"
list=$(sb --list-profiles)
for p in minimal default strict gui dev; do
	check_match "--list-profiles shows $p" "*$p *" "$list"
	check "shipped profile $p checks" "$p: ok" "$(sb --check-profile "$p")"
done
cp "$P/minimal.toml" "$T/shadow.toml"
mkdir -p "$T/config2/sandbox/profiles"
printf 'schema = 1\ndescription = "mine"\n' >"$T/config2/sandbox/profiles/minimal.toml"
chmod -R a+rX "$T/config2"
check_match "a user profile hides a shipped one of the same name" "*minimal*mine*" \
	"$(EXTRA_ENV="XDG_CONFIG_HOME=$T/config2" as_user "$SB" --list-profiles)"

# Mistakes are located and fatal; nothing runs.
bad() { # NAME TOML EXPECTED-GLOB
	printf '%s\n' "$2" >"$T/bad.toml"
	chmod a+r "$T/bad.toml"
	local out rc
	out=$(sb --profile "$T/bad.toml" -- sh -c 'echo RAN' 2>&1)
	rc=$?
	check_match "$1" "$3" "$out"
	check "$1: exit 125" 125 "$rc"
}
bad "a TOML syntax error is located" 'schema = ' "sandbox: $T/bad.toml:1:*"
bad "an unknown key gets a hint" $'schema = 1\n[filesytem]' \
	"sandbox: $T/bad.toml:2:2: filesytem: unknown key, did you mean 'filesystem'?"
bad "a wrong type is named" $'[network]\nmode = 1' "sandbox: $T/bad.toml:2:8: network.mode: expected a string, found an integer"
bad "a relative path is refused" $'[filesystem]\nread_only = ["usr"]' "*filesystem.read_only: path 'usr' is not absolute"
bad "'..' is refused" $'[filesystem]\nread_only = ["/usr/../etc"]' "*filesystem.read_only: path '/usr/../etc' has a '..' component"
bad "an unknown variable is refused" $'[filesystem]\nread_only = ["${HOEM}/x"]' "*unknown variable \${HOEM}*"
bad "a feature not yet built is refused" $'[security]\ncapabilities = ["CAP_NET_RAW"]' "*security.capabilities: not supported yet*"
bad "a missing bind source names its origin" $'[filesystem]\nread_only = ["/no/such/path"]' \
	"sandbox: $T/bad.toml:2:14: read-only bind '/no/such/path': No such file or directory"
bad "an unknown include is refused" $'include = ["no-such-profile"]' "*include: no profile named 'no-such-profile'"
cat >"$P/cycle-a.toml" <<'TOML'
include = ["cycle-b"]
TOML
cat >"$P/cycle-b.toml" <<'TOML'
include = ["cycle-a"]
TOML
check_match "an include cycle is named" "sandbox: include cycle: cycle-a -> cycle-b -> cycle-a" \
	"$(sb --profile cycle-a -- true 2>&1)"
rm -f "$P/cycle-a.toml" "$P/cycle-b.toml"
printf 'schema = 1\ndescription = "a\\u001b[31mred"\n' >"$T/bad.toml"
check_match "control characters are refused" "*description: control characters are not allowed" \
	"$(sb --profile "$T/bad.toml" -- true 2>&1)"
finish
