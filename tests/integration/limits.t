#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Resource limits where no delegated cgroup v2 subtree can be had (this host's hybrid cgroups,
# or a test user whose cgroup is root's): the warning, on_unavailable = "fail", the rlimit
# fallback, --stats. Enforcement itself is proven in a VM (tests/vm).
. "$(dirname "$0")/lib.sh"


out=$(sb --memory 64M --pids 10 --cpu 0.5 -- sh -c 'ulimit -v' 2>&1)
rc=$?
check "limits that cannot be enforced do not stop the command" 0 "$rc"
case "$out" in
*"limits.memory = 64M is only approximated"*)
	check_match "memory falls back to an address-space limit, and says so" \
		"*enforced instead as an address-space limit*" "$out"
	check "RLIMIT_AS is in effect inside" "65536" "$(echo "$out" | grep -v '^sandbox:')"
	check_match "each limit not enforced is named, with the reason" \
		"*limits.pids = 10 is not enforced: *limits.cpu = 0.5 is not enforced: *" "$(echo $out)"
	;;
*)
	# This machine delegated a cgroup to the test user: the VM suite's case.
	skip "memory falls back to an address-space limit" "a delegated cgroup enforces the limits here"
	skip "RLIMIT_AS is in effect inside" "a delegated cgroup enforces the limits here"
	skip "each limit not enforced is named" "a delegated cgroup enforces the limits here"
	;;
esac
check "without limits there is no warning and no rlimit" "unlimited" "$(sb -- sh -c 'ulimit -v' 2>&1)"
check "--quiet silences the warning" "" "$(sb -q --pids 10 -- true 2>&1)"

profile fail '[limits]' 'pids = 10' 'on_unavailable = "fail"'
out=$(sb --profile "$T/fail.toml" -- true 2>&1)
rc=$?
if [[ "$out" == *"cannot be enforced here"* ]]; then
	check "with on_unavailable = \"fail\" it refuses to start" 125 "$rc"
	check_match "naming the file, line and key" "sandbox: $T/fail.toml:4:8: limits.pids = 10 cannot be enforced here, and limits.on_unavailable is \"fail\": *" "$out"
else
	skip "with on_unavailable = \"fail\" it refuses to start" "a delegated cgroup enforces the limits here"
	skip "naming the file, line and key" "a delegated cgroup enforces the limits here"
fi
check "and leaves nothing behind" "" "$(ls /tmp | grep '^sandbox-overlay' ; pgrep -u "$TEST_UID" -f 'probe spin')"

out=$(sb --stats -- sh -c 'x=0; while [ $x -lt 20000 ]; do x=$((x+1)); done' 2>&1)
check_match "--stats prints cpu time and memory at exit" "*sandbox: stats: cpu * s, *" "$out"

# Bad values are refused before anything starts.
check_match "a bad --memory is refused" "*--memory: expected a positive size such as \"512M\" or \"4G\", found '64Q'*" \
	"$(sb --memory 64Q -- true 2>&1)"
check_match "a tiny --memory is refused" "*--memory: a memory limit below 1 MiB cannot run anything*" \
	"$(sb --memory 1000 -- true 2>&1)"
check_match "--pids 0 is refused" "*--pids: expected a number of processes from 1 to 4194304, found '0'*" \
	"$(sb --pids 0 -- true 2>&1)"
check_match "--cpu 0 is refused" "*--cpu: expected a number of cores from 0.01 to 4096, found '0'*" \
	"$(sb --cpu 0 -- true 2>&1)"
profile high '[limits]' 'memory = "1G"' 'memory_high = "2G"'
check_match "memory_high above memory is refused with its place" \
	"*high.toml:5:15: limits.memory_high: above limits.memory, so it would never apply*" \
	"$(sb --profile "$T/high.toml" -- true 2>&1)"
finish
