#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Running sandboxes by name: --name, --list (and --json), --enter, --stop; stale entries;
# a forged entry that points at a host process.
. "$(dirname "$0")/lib.sh"

run="$T/run"
mkdir -p "$run"
chown "$TEST_UID:$TEST_GID" "$run"
chmod 700 "$run"
export EXTRA_ENV="XDG_RUNTIME_DIR=$run SHELL=/bin/sh"
reg="$run/sandbox/running"
tag="running-t-$$"

# wait_listed NAME: until --list shows it (its entry is published after the clone).
wait_listed() {
	for _ in $(seq 100); do sb --list | grep -q "^$1 " && return 0; sleep 0.05; done
	return 1
}

sb_bg --name alpha --hostname alpha-host -- sh -c "echo written-by-app >/tmp/app-file; exec sleep 60.$$"
alpha=$!
sb_bg --profile default -- sleep 61.$$
other=$!
cleanup_pids="${cleanup_pids:-} $alpha $other"
wait_listed alpha && wait_listed default

list=$(sb --list)
check_match "--list shows the named sandbox: name, profile, its launcher's pid, the command" \
	"*alpha*default*$alpha*sh -c echo written-by-app*" "$(printf '%s\n' "$list" | grep '^alpha ')"
check_match "and the second, named after its profile" "*default*default*$other*sleep 61.$$*" \
	"$(printf '%s\n' "$list" | grep '^default ')"
check "the table has its header" "NAME PROFILE PID UPTIME MEMORY CPU PIDS COMMAND" \
	"$(printf '%s\n' "$list" | head -1 | tr -s ' ')"
json=$(sb --list --json)
check "--list --json is valid JSON with the fields of both" "alpha default $alpha 2 sh|default default $other 2 sleep|" \
	"$(printf '%s' "$json" | python3 -c '
import json, sys
for e in json.load(sys.stdin):
    assert e["memory_bytes"] > 0 and e["uptime_seconds"] >= 0 and e["cpu_percent"] >= 0, e
    print(e["name"], e["profile"], e["pid"], e["pids"], e["command"][0], end="|")')"

check_match "a name in use is refused, and nothing runs" "*a sandbox named 'alpha' is running already*|125" \
	"$(sb --name alpha -- echo ran 2>&1 | tr '\n' ' ')|$(sb --name alpha -- true 2>/dev/null; echo $?)"
check_match "a bad name is refused" "*--name: expected up to 64 letters*" "$(sb --name 'a/b' -- true 2>&1)"

# --enter: the same namespaces, files and identity, and the app's restrictions.
check "--enter sees the sandbox's host name" "alpha-host" "$(sb --enter alpha -- hostname)"
check "--enter sees the files the app wrote in its private /tmp" "written-by-app" \
	"$(sb --enter alpha -- cat /tmp/app-file)"
check_match "--enter is in the app's pid namespace (sees its sleep, not the host's processes)" "*sleep 60.$$*" \
	"$(sb --enter alpha -- sh -c 'for p in /proc/[0-9]*; do tr "\0" " " <$p/cmdline; echo; done')"
check "and nothing of the host's processes" "" \
	"$(sb --enter alpha -- sh -c 'for p in /proc/[0-9]*; do tr "\0" " " <$p/cmdline; echo; done' | grep "sleep 61.$$")"
check "--enter has no capabilities, no_new_privs and the syscall filter" \
	"CapInh:0000000000000000 CapPrm:0000000000000000 CapEff:0000000000000000 CapBnd:0000000000000000 CapAmb:0000000000000000 NoNewPrivs:1 Seccomp:2" \
	"$(sb --enter alpha -- grep -E '^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs|Seccomp):' /proc/self/status | tr -d '\t' | tr '\n' ' ' | sed 's/ $//')"
check "--enter passes the command's exit status" "7" "$(sb --enter alpha -- sh -c 'exit 7'; echo $?)"
check "a command missing inside is 127" "127" "$(sb --enter alpha -- no-such-command 2>/dev/null; echo $?)"
check "--enter without a command runs the shell" "in-shell" "$(echo 'echo in-shell' | sb --enter alpha)"
check_match "--enter of no such sandbox: 125 and a message" "*no sandbox named 'nosuch' is running*|125" \
	"$(sb --enter nosuch -- true 2>&1)|$(sb --enter nosuch -- true 2>/dev/null; echo $?)"
if command -v python3 >/dev/null; then
	cp "$SRCDIR/tests/helpers/ptyrun.py" "$T/ptyrun.py"
	chmod a+r "$T/ptyrun.py"
	# The probe is copied into the sandbox's /tmp through --enter itself.
	sb --enter alpha -- sh -c 'cat >/tmp/probe && chmod +x /tmp/probe' <"$PR"
	inside=$(as_user python3 "$T/ptyrun.py" run "$SB" --enter alpha -- /tmp/probe tiocsti | tr -d '\r' | grep '^ioctl:')
	check "TIOCSTI through --enter is refused by the filter" "ioctl: EPERM" "$inside"
else
	skip "TIOCSTI through --enter is refused by the filter" "python3 is not installed"
fi

# A forged entry pointing at a host process of the same user (a shell with a child, as a
# sandbox's pid 1 has): refused by --enter and --stop.
user_prefix
(cd "$T" && exec "${P[@]}" sh -c "sleep 62.$$ & wait") >/dev/null 2>&1 &
host=$!
cleanup_pids="$cleanup_pids $host"
sleep 0.2
hostparent=$(ps -o ppid= -p "$host" | tr -d ' ')
start() { awk '{ sub(/.*\) /, ""); print $20 }' "/proc/$1/stat"; }
forged="$reg/forged"
mkdir -p "$forged"
printf '%s\n' name=forged profile=default "launcher=$hostparent" "launcher_start=$(start "$hostparent")" \
	"init=$host" "init_start=$(start "$host")" "userns=$(stat -L -c %i /proc/$host/ns/user)" \
	"pidns=$(stat -L -c %i /proc/$host/ns/pid)" started=0 last_cap=40 cgroup= egress=- >"$forged/info"
printf 'sleep\0' >"$forged/command"
: >"$forged/env"
: >"$forged/cwd"
: >"$forged/filter"
echo "$hostparent $(start "$hostparent")" >"$forged/claim"
chown -R "$TEST_UID:$TEST_GID" "$run/sandbox"
check_match "--enter refuses a forged entry that points at a host process" "*refusing 'forged'*not a sandbox*|125" \
	"$(sb --enter forged -- true 2>&1)|$(sb --enter forged -- true 2>/dev/null; echo $?)"
check "--stop refuses it too, and the host process lives on" "125 alive" \
	"$(sb --stop forged 2>/dev/null; echo $?) $(kill -0 "$host" 2>/dev/null && echo alive || echo dead)"
kill "$host" $(pgrep -P "$host") 2>/dev/null

# --stop: SIGTERM to the app, everything gone, exit 0.
check "--stop ends a sandbox whose app leaves on SIGTERM: exit 0" "0" "$(sb --stop alpha; echo $?)"
gone=no
for _ in $(seq 100); do kill -0 "$alpha" 2>/dev/null || { gone=yes; break; }; sleep 0.05; done
check "its launcher has ended, and its processes" "yes " "$gone $(pgrep -u "$TEST_UID" -f "sleep 60.$$")"
check "and its entry is gone" "absent" "$([ -e "$reg/alpha" ] && echo present || echo absent)"
# An app that ignores SIGTERM is killed after the grace period: exit 1.
sb_bg --name stubborn -- sh -c "trap '' TERM; sleep 63.$$ & wait; wait"
stubborn=$!
cleanup_pids="$cleanup_pids $stubborn"
wait_listed stubborn
t0=$(date +%s.%N)
out=$(sb --stop stubborn --timeout 1 2>&1; echo "rc=$?")
t1=$(date +%s.%N)
check_match "--stop of an app that ignores SIGTERM kills it after --timeout: exit 1" "*did not end within 1s*rc=1" "$out"
check "within about the timeout" "yes" "$(python3 -c "print('yes' if 0.9 <= $t1 - $t0 < 4 else 'no: %.2f s' % ($t1 - $t0))")"
sleep 0.3
check "nothing of it is left" "" "$(pgrep -u "$TEST_UID" -f "sleep 63.$$"; kill -0 "$stubborn" 2>/dev/null && echo launcher)"

# A sandbox killed outright leaves its entry; --list removes it.
sb_bg --name killed -- sleep 64.$$
killed=$!
cleanup_pids="$cleanup_pids $killed"
wait_listed killed
kill -KILL "$killed"
wait "$killed" 2>/dev/null
sleep 0.2
check "a SIGKILLed sandbox's entry stays until someone looks" "present" "$([ -e "$reg/killed" ] && echo present)"
check "--list does not show it, and removes it" "absent" \
	"$(sb --list | grep '^killed '; [ -e "$reg/killed" ] && echo present || echo absent)"
check "its name can be taken again" "again" "$(sb --name killed -- echo again)"
check_match "--stop of a stopped sandbox: 125" "*no sandbox named 'killed' is running*" "$(sb --stop killed 2>&1)"

# A launcher slow to run after the clone (a loaded machine; here strace holds its return from
# clone 0.5 s) meets a pid 1 that is no longer dumpable: the entry still names the sandbox's
# namespaces, as the child reported them, and --list and --enter work.
if command -v strace >/dev/null; then
	user_prefix
	(cd "$T" && exec "${P[@]}" strace -o /dev/null -e trace=clone,clone3 \
		-e inject=clone,clone3:delay_exit=500000 "$SB" --name late -- sleep 65.$$) &
	late=$!
	cleanup_pids="$cleanup_pids $late"
	wait_listed late
	check "a sandbox listed after its pid 1 became not dumpable: --list counts its processes" "2" \
		"$(sb --list --json | python3 -c '
import json, sys
print(*[e["pids"] for e in json.load(sys.stdin) if e["name"] == "late"])')"
	check "and --enter joins it" "sleep 65.$$" \
		"$(sb --enter late -- sh -c 'for p in /proc/[0-9]*; do tr "\0" " " <$p/cmdline; echo; done' | grep -o "^sleep 65.$$")"
	sb --stop late >/dev/null 2>&1
else
	skip "a sandbox listed after its pid 1 became not dumpable: --list counts its processes" "strace is not installed"
	skip "and --enter joins it" "strace is not installed"
fi
kill "$other" 2>/dev/null
finish
