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
bad "a feature not yet built is refused" $'[limits]\nmemory = "1G"' "*limits.memory: not supported yet*"
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
