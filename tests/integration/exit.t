#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Exit statuses: the command's own, 128+N for signal N, 125/126/127 for the sandbox's failures.
. "$(dirname "$0")/lib.sh"

status() { "$@" >/dev/null 2>&1; echo $?; }

check "exit 0 passes through" 0 "$(status sb -- true)"
check "exit 3 passes through" 3 "$(status sb -- sh -c 'exit 3')"
check "exit 255 passes through" 255 "$(status sb -- sh -c 'exit 255')"
check "death by SIGKILL is 137" 137 "$(status sb -- sh -c 'kill -KILL $$')"
check "death by SIGTERM is 143" 143 "$(status sb -- sh -c 'kill -TERM $$')"
check "death by SIGSEGV is 139" 139 "$(status sb -- sh -c 'kill -SEGV $$')"
check "command not found is 127" 127 "$(status sb -- no-such-command-here)"
check "absolute path not found is 127" 127 "$(status sb -- /no/such/file)"
echo data >"$T/noexec"
chmod 644 "$T/noexec"
check "not executable is 126" 126 "$(status sb --ro-bind "$T/noexec:/noexec" -- /noexec)"
check "a directory is 126" 126 "$(status sb -- /usr)"
check_match "not found says so on one line" "sandbox: exec: 'no-such-command-here': No such file or directory" \
	"$(sb -- no-such-command-here 2>&1)"
check "an unknown option is 125" 125 "$(status sb --no-such-option -- true)"
check_match "an unknown option is named, with a hint" "sandbox: unknown option '--ro-bnd', did you mean '--ro-bind'?" \
	"$(sb --ro-bnd /x -- true 2>&1)"
check "a missing bind source is 125" 125 "$(status sb --ro-bind /no/such/dir -- true)"
check "a missing --ro-bind-try source is skipped" 0 "$(status sb --ro-bind-try /no/such/dir -- true)"
check "a missing --chdir is 125" 125 "$(status sb --chdir /no/such/dir -- true)"
check "a missing value is 125" 125 "$(status sb --bind)"
check "no command is 125" 125 "$(status sb)"
check "an unknown profile is 125" 125 "$(status sb --profile no-such-profile -- true)"
check "a closed --keep-fd is 125" 125 "$(status sb --keep-fd 42 -- true)"
check "--help exits 0" 0 "$(status sb --help)"
check_match "--help lists the options" "*--ro-bind SRC*" "$(sb --help)"
check_match "--version" "sandbox [0-9]*.[0-9]*" "$(sb --version)"
# Closed standard descriptors are not reused for the sandbox's own sockets.
check "with stdin closed the command reads nothing" "0 0" "$(sb -- sh -c 'wc -c; echo $?' <&- 2>/dev/null | tr '\n' ' ' | sed 's/ $//')"
check "with stdout closed, stderr still works" "err" "$(sb -- sh -c 'echo err >&2' 2>&1 >&-)"
# Arguments after the command are the command's, never options.
check "arguments after -- are not options" 127 "$(status sb -- --bind /x)"
check "arguments after the command are not options" "--bind /x" "$(sb echo --bind /x)"
check_match "a program named like an option is reported" "*'--bind'*" "$(sb -- --bind 2>&1)"
# Nothing is left behind by a failed start.
tag="sleep 10$$"
sb --chdir /no/such/dir -- $tag >/dev/null 2>&1 &
sb --ro-bind /no/such -- $tag >/dev/null 2>&1 &
wait
check "a failed setup leaves no process" "" "$(pgrep -a -u "$TEST_UID" -f "$tag")"
finish
