#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Signals reach the command; the sandbox dies with its launcher and with its command.
. "$(dirname "$0")/lib.sh"

# wait_for FILE PATTERN: up to 5 s for PATTERN to appear in FILE.
wait_for() {
	local i
	for i in $(seq 50); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# gone PATTERN: up to 5 s for no process of the test user to match PATTERN.
gone() {
	local i
	for i in $(seq 50); do
		pgrep -u "$TEST_UID" -f "$1" >/dev/null || return 0
		sleep 0.1
	done
	return 1
}

for sig in TERM INT HUP QUIT USR1 USR2 WINCH; do
	out="$T/sig-$sig"
	sb_bg --ro-bind "$PR:/probe" -- /probe wait-signal >"$out" 2>&1
	pid=$!
	cleanup_pids="$pid"
	if wait_for "$out" ready; then
		kill -s "$sig" "$pid"
		wait "$pid"
		rc=$?
		check "SIG$sig sent to the launcher reaches the command" "got $sig" "$(tail -n1 "$out")"
		check "and the exit status is the command's" 0 "$rc"
	else
		not_ok "SIG$sig: the probe did not start" "$(cat "$out")"
		kill -KILL "$pid" 2>/dev/null
	fi
done

# A shell trap, as a user would write it.
out="$T/trap"
sb_bg -- sh -c 'trap "echo trapped; exit 7" TERM; echo ready; while :; do sleep 0.05; done' >"$out" 2>&1
pid=$!
cleanup_pids="$pid"
wait_for "$out" ready
kill -TERM "$pid"
wait "$pid"
rc=$?
check "a trap inside sees SIGTERM" "trapped" "$(tail -n1 "$out")"
check "and its exit status comes back" 7 "$rc"

# SIGKILL of the launcher takes everything inside with it.
tag="sleep 31$$"
sb_bg -- sh -c "$tag & $tag & echo ready; wait" >"$T/kill" 2>&1
pid=$!
cleanup_pids="$pid"
if wait_for "$T/kill" ready && pgrep -u "$TEST_UID" -f "^$tag" >/dev/null; then
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null
	if gone "^$tag"; then ok "no process survives a SIGKILL of the launcher"
	else not_ok "no process survives a SIGKILL of the launcher" "$(pgrep -a -u "$TEST_UID" -f "^$tag")"; fi
else
	not_ok "the processes to kill started" "$(cat "$T/kill")"
fi

# When the command exits, what it left running is killed.
tag="sleep 32$$"
sb -- sh -c "$tag >/dev/null 2>&1 & echo started" >/dev/null 2>&1
if gone "^$tag"; then ok "processes left by the command die with it"
else not_ok "processes left by the command die with it" "$(pgrep -a -u "$TEST_UID" -f "^$tag")"; fi

# Zombies are reaped by pid 1: an orphan that exits does not linger.
check "orphans are reaped" "0" \
	"$(sb -- sh -c '(sleep 0.1 &) ; sleep 0.5; ps -e -o stat= 2>/dev/null | grep -c Z || true')"
finish
