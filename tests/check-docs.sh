#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# TAP: the man pages and shell completions name every option of `sandbox --help`, every
# profile key of src/profile.cc and every syscall group of src/syscall_rules.cc, and name none
# that does not exist; the default syscall policy's errno lists are documented; every shipped
# profile is installed and described.
#
# usage: check-docs.sh SANDBOX_BINARY SOURCE_ROOT

set -u
export LC_ALL=C

if [[ $# -ne 2 ]]; then
        echo "usage: $0 SANDBOX_BINARY SOURCE_ROOT" >&2
        exit 2
fi
sandbox=$1
root=$2
man1=$root/man/sandbox.1.scd
man5=$root/man/sandbox-profile.5.scd
bash_comp=$root/completions/bash/sandbox
zsh_comp=$root/completions/zsh/_sandbox
fish_comp=$root/completions/fish/sandbox.fish
profile_cc=$root/src/profile.cc
rules_cc=$root/src/syscall_rules.cc

# Results are collected first so that the plan line can come first.
results=()
failures=0
# check DESCRIPTION OK [DIAGNOSTIC...]
check() {
        local desc=$1 ok=$2
        shift 2
        local line
        if [[ $ok == 0 ]]; then
                line="ok $((${#results[@]} + 1)) - $desc"
        else
                line="not ok $((${#results[@]} + 1)) - $desc"
                failures=$((failures + 1))
                for d in "$@"; do
                        line+=$'\n'"# $d"
                done
        fi
        results+=("$line")
}
finish() {
        echo "1..${#results[@]}"
        printf '%s\n' "${results[@]}"
        exit $((failures > 0))
}

for f in "$man1" "$man5" "$bash_comp" "$zsh_comp" "$fish_comp" "$profile_cc" "$rules_cc"; do
        [[ -r $f ]]
        check "$f is readable" $?
done

# --- The options, from --help: "  -v, --verbose   help" or "      --ro-bind SRC[:DST]  help".
# The help text starts in a fixed column, after as little as one space; a usage too long for
# it stands alone and the help follows on the next line, indented to that column.
help=$("$sandbox" --help 2>&1)
rc=$?
mapfile -t help_lines <<<"$help"
column=0
for line in "${help_lines[@]}"; do
        if [[ $line =~ ^(\ +-[^\ ].*[^\ ]\ {2,})[^\ ] ]]; then
                column=${#BASH_REMATCH[1]}
                break
        fi
done
longs=() shorts=() usages=()
re_usage='^ +(-([A-Za-z0-9]), +)?--([a-z0-9][a-z0-9-]*)( ([^ ]+))?$'
for i in "${!help_lines[@]}"; do
        line=${help_lines[i]}
        [[ $line =~ ^\ +- ]] || continue
        next=${help_lines[i + 1]:-}
        if ((column > 0)) && ! [[ ${next:0:column} =~ ^\ +$ && ${next:column:1} != " " ]]; then
                line=${line:0:column}
        fi
        line=${line%"${line##*[! ]}"}
        [[ $line =~ $re_usage ]] || continue
        short=${BASH_REMATCH[2]}
        long=${BASH_REMATCH[3]}
        arg=${BASH_REMATCH[5]}
        longs+=("$long")
        shorts+=("$short")
        usages+=("${short:+-$short, }--$long${arg:+ $arg}")
done
check "'$sandbox --help' exits 0 and lists options" $((rc != 0 || ${#longs[@]} == 0)) \
        "exit status $rc, ${#longs[@]} options found in:" "${help//$'\n'/$'\n'# }"
if [[ ${#longs[@]} == 0 ]]; then
        finish
fi

is_option() { # is_option --long | -s
        local o i
        for i in "${!longs[@]}"; do
                [[ $1 == "--${longs[i]}" ]] && return 0
                [[ -n ${shorts[i]} && $1 == "-${shorts[i]}" ]] && return 0
        done
        return 1
}

# Prints the lines of section "# NAME" of an scdoc page, up to the next "# " heading.
section() {
        awk -v name="$2" '/^# / { on = ($0 == "# " name); next } on' "$1"
}
# The page without its ``` literal blocks (examples may show other programs' options).
prose() {
        awk '/^[\t ]*```/ { lit = !lit; next } !lit' "$1"
}
# Lines of a shell script without comment lines.
code() {
        grep -v '^[[:space:]]*#' "$1"
}
# has_word FILE WORD: WORD occurs with no letter, digit or '-' on either side.
has_word() {
        local w=${2//./\\.}
        grep -qE -- "(^|[^A-Za-z0-9-])$w([^A-Za-z0-9-]|\$)" "$1"
}

# The OPTIONS section's terms: "*--ro-bind* _SRC_[:_DST_]" read as "--ro-bind SRC[:DST]".
man_terms=()
while IFS= read -r line; do
        line=${line//\*/}
        man_terms+=("${line//_/}")
done < <(section "$man1" OPTIONS | grep '^\*-')
options_text=$(printf '%s\n' "${man_terms[@]}")

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
code "$bash_comp" >"$tmp/bash"
code "$zsh_comp" >"$tmp/zsh"
code "$fish_comp" >"$tmp/fish"

for i in "${!longs[@]}"; do
        long=--${longs[i]}
        short=${shorts[i]:+-${shorts[i]}}
        name=$long${short:+ ($short)}

        missing=()
        grep -qxF -- "${usages[i]}" <<<"$options_text" || missing+=("no term '${usages[i]}' in the OPTIONS section")
        check "$name is documented in sandbox(1)" ${#missing[@]} "${missing[@]}"

        missing=()
        has_word "$tmp/bash" "$long" || missing+=("$long")
        [[ -z $short ]] || has_word "$tmp/bash" "$short" || missing+=("$short")
        check "$name is completed by bash" ${#missing[@]} "missing: ${missing[*]}"

        missing=()
        has_word "$tmp/zsh" "$long" || missing+=("$long")
        [[ -z $short ]] || has_word "$tmp/zsh" "$short" || missing+=("$short")
        check "$name is completed by zsh" ${#missing[@]} "missing: ${missing[*]}"

        missing=()
        grep -qE -- "^complete .*-l ${longs[i]}( |\$)" "$tmp/fish" || missing+=("-l ${longs[i]}")
        [[ -z $short ]] || grep -qE -- "^complete .*-s ${shorts[i]}( |\$)" "$tmp/fish" ||
                missing+=("-s ${shorts[i]}")
        check "$name is completed by fish" ${#missing[@]} "missing: ${missing[*]}"
done

# Same options, same arguments, same order as the table that --help prints.
diff_out=$(diff <(printf '%s\n' "${usages[@]}") <(printf '%s\n' "${man_terms[@]}"))
check "sandbox(1) OPTIONS lists the options of --help, in order, with their arguments" $? \
        "diff --help sandbox.1.scd:" "${diff_out//$'\n'/$'\n'# }"

# No stale names: every option the docs and completions mention exists.
stale() { # stale DESCRIPTION CANDIDATE...
        local desc=$1 o bad=()
        shift
        for o in "$@"; do
                is_option "$o" || bad+=("$o")
        done
        check "$desc" ${#bad[@]} "not in --help: ${bad[*]}"
}
mapfile -t found < <(printf '%s\n' "${man_terms[@]}" | grep -oE -- '(^|[ ,])--?[A-Za-z0-9][a-z0-9-]*' |
        sed 's/^[ ,]//' | sort -u)
stale "every option in the OPTIONS section of sandbox(1) exists" "${found[@]}"
mapfile -t found < <({ prose "$man1"; prose "$man5"; } | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u)
stale "every --option named in the man pages exists" "${found[@]}"
mapfile -t found < <(grep -oE -- '--[a-z][a-z0-9-]*' "$tmp/bash" | sort -u)
stale "every --option in the bash completion exists" "${found[@]}"
mapfile -t found < <(grep -oE -- '--[a-z][a-z0-9-]*' "$tmp/zsh" | sort -u)
stale "every --option in the zsh completion exists" "${found[@]}"
mapfile -t found < <(grep -oE -- '^complete .* -l [a-z0-9-]+' "$tmp/fish" | sed 's/.* -l /--/' | sort -u)
stale "every -l option in the fish completion exists" "${found[@]}"

# --- The profile keys, from the key table in src/profile.cc (the binary does not print it yet):
#   {{"filesystem.read_only", "array of paths", true, "--ro-bind",
# Each must be a term "*KEY* (TYPE)" in sandbox-profile(5), in the table's order, whose entry
# names the matching option (or says there is none), says that the key is reserved exactly when
# it is not implemented, and, unless it is a table, gives its default and an example.
re_key='^[[:space:]]*\{\{"([^"]+)", "([^"]+)", (true|false), "([^"]*)"'
reserved='Reserved: validated, then refused as not supported yet'
keys=()
while IFS= read -r line; do
        [[ $line =~ $re_key ]] || continue
        key=${BASH_REMATCH[1]} type=${BASH_REMATCH[2]} implemented=${BASH_REMATCH[3]} cli=${BASH_REMATCH[4]}
        keys+=("$key")
        # The entry: its term line and the indented lines below, on one line.
        entry=$(awk -v term="*$key* ($type)" '
                index($0, term) == 1 { on = 1; print; next }
                on && /^[^\t]/ && NF { exit }
                on' "$man5" | tr -s '\t\n' '  ')
        missing=()
        if [[ -z $entry ]]; then
                missing+=("no term '*$key* ($type)' at the start of a line")
        else
                if [[ $implemented == false && $entry != *"$reserved"* ]]; then
                        missing+=("not marked '$reserved'")
                fi
                if [[ $implemented == true && $entry == *"$reserved"* ]]; then
                        missing+=("marked '$reserved', but the key is implemented")
                fi
                if [[ -n $cli && $entry != *"*$cli*"* ]]; then
                        missing+=("does not name its option *$cli*")
                fi
                if [[ -z $cli && $type != table && $entry != *"No command-line option"* ]]; then
                        missing+=("does not say 'No command-line option'")
                fi
                if [[ $type != table && $entry != *"Default: "* ]]; then
                        missing+=("does not give its 'Default: '")
                fi
                if [[ $type != table && $entry != *'```'* ]]; then
                        missing+=("has no example")
                fi
        fi
        check "profile key $key is documented in sandbox-profile(5)" ${#missing[@]} "${missing[@]}"
done <"$profile_cc"
check "src/profile.cc has a key table" $((${#keys[@]} == 0)) "no {{\"key\", \"type\", true|false, \"cli\" lines found"

# No stale keys: every term of the KEYS section is a key of the table; and the same order.
mapfile -t terms < <(section "$man5" KEYS | sed -nE 's/^\*([a-z0-9_.]+)\* \(.*/\1/p')
bad=()
for term in "${terms[@]}"; do
        known=false
        for k in "${keys[@]}"; do
                [[ $term == "$k" ]] && known=true
        done
        $known || bad+=("$term")
done
check "every key in the KEYS section of sandbox-profile(5) exists" ${#bad[@]} "not in src/profile.cc: ${bad[*]}"
diff_out=$(diff <(printf '%s\n' "${keys[@]}") <(printf '%s\n' "${terms[@]}"))
check "sandbox-profile(5) KEYS lists the keys in the order of src/profile.cc" $? \
        "diff src/profile.cc sandbox-profile.5.scd:" "${diff_out//$'\n'/$'\n'# }"

# --- The syscall policy, from src/syscall_rules.cc: each group of syscall_groups() is a term
# "*@NAME*" in sandbox-profile(5) whose entry names every member, and no other group is; each
# syscall of the default EPERM and ENOSYS lists is named in the entry of that errno in
# sandbox(1) SYSCALL FILTER.
# entry FILE TERM: the entry whose term line starts with TERM, on one line, without the
# backslashes that escape '_' and '*' in scdoc.
entry() {
        awk -v term="$2" '
                index($0, term) == 1 { on = 1; print; next }
                on && /^[^\t]/ && NF { exit }
                on' "$1" | tr -s '\t\n' '  ' | sed 's/[\]//g'
}
# The text of one brace-enclosed C++ definition, from START to END, on one line.
definition() { # definition START END
        awk -v start="$1" -v end="$2" 'index($0, start) { on = 1 } on { print } on && index($0, end) { exit }' \
                "$rules_cc" | tr -s ' \t\n' '   '
}
text=$(definition 'syscall_groups() {' 'return groups;')
re_group='\{"([a-z0-9-]+)", "[^"]*", \{([^}]*)\}\}'
groups=()
while [[ $text =~ $re_group ]]; do
        group=${BASH_REMATCH[1]}
        mapfile -t members < <(grep -oE '[a-z0-9_]+' <<<"${BASH_REMATCH[2]}")
        text=${text#*"${BASH_REMATCH[0]}"}
        groups+=("$group")
        e=$(entry "$man5" "*@$group*")
        missing=()
        if [[ -z $e ]]; then
                missing+=("no term '*@$group*' at the start of a line")
        else
                for m in "${members[@]}"; do
                        [[ $e == *"*$m*"* ]] || missing+=("does not name the member *$m*")
                done
        fi
        check "syscall group @$group is documented in sandbox-profile(5)" ${#missing[@]} "${missing[@]}"
done
check "src/syscall_rules.cc has a group table" $((${#groups[@]} == 0)) \
        "no {\"name\", \"doc\", {\"syscall\", ...}} entries found in syscall_groups()"
bad=()
while IFS= read -r term; do
        [[ " ${groups[*]} " == *" $term "* ]] || bad+=("@$term")
done < <(sed -nE 's/^\*@([a-z0-9-]+)\*$/\1/p' "$man5")
check "every syscall group in sandbox-profile(5) exists" ${#bad[@]} "not in src/syscall_rules.cc: ${bad[*]}"

for errno_list in EPERM:default_eperm ENOSYS:default_enosys; do
        errname=${errno_list%%:*}
        mapfile -t names < <(definition "${errno_list#*:} = {" '};' | grep -oE '"[a-z0-9_]+"' | tr -d '"')
        e=$(section "$man1" "SYSCALL FILTER" >"$tmp/filter"; entry "$tmp/filter" "*$errname*")
        missing=()
        ((${#names[@]} > 0)) || missing+=("no list ${errno_list#*:} in src/syscall_rules.cc")
        [[ -n $e ]] || missing+=("no term '*$errname*' in the SYSCALL FILTER section of sandbox(1)")
        for n in "${names[@]}"; do
                [[ $e == *"*$n*"* ]] || missing+=("does not name *$n*")
        done
        check "the default policy's $errname list is documented in sandbox(1)" ${#missing[@]} "${missing[@]}"
done

# --- The shipped profiles: each is installed, has a description and is described in
# sandbox-profile(5) under SHIPPED PROFILES; each profile described there is shipped.
shipped=()
for f in "$root"/profiles/*.toml; do
        name=${f##*/}
        name=${name%.toml}
        shipped+=("$name")
        missing=()
        grep -qE "'$name\.toml'" "$root/profiles/meson.build" || missing+=("not installed by profiles/meson.build")
        grep -qE '^description = "' "$f" || missing+=("no description")
        section "$man5" "SHIPPED PROFILES" | grep -qxF "*$name*" || missing+=("no term '*$name*' in SHIPPED PROFILES")
        check "shipped profile $name is installed and documented" ${#missing[@]} "${missing[@]}"
done
bad=()
while IFS= read -r term; do
        [[ " ${shipped[*]} " == *" $term "* ]] || bad+=("$term")
done < <(section "$man5" "SHIPPED PROFILES" | sed -nE 's/^\*([a-z0-9_.+-]+)\*$/\1/p')
check "every profile in SHIPPED PROFILES of sandbox-profile(5) is in profiles/" ${#bad[@]} "not shipped: ${bad[*]}"

finish
