#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# What a command sees inside: identity, processes, network, filesystem, privileges.
. "$(dirname "$0")/lib.sh"

check "hello" "hello" "$(sb -- sh -c 'echo hello')"
check "uid and gid are the user's" "$TEST_UID $TEST_GID" "$(sb -- sh -c 'echo $(id -u) $(id -g)')"
check "--uid0 maps the user to 0" "0 0" "$(sb --uid0 -- sh -c 'echo $(id -u) $(id -g)')"
check_match "the command runs under init, pid 1" "uid=$TEST_UID gid=$TEST_GID pid=[2-9] ppid=1" \
	"$(sb --ro-bind "$PR:/probe" -- /probe ids)"
check "host pids are invisible: pid 1, the shell and ls" "3" "$(sb -- sh -c 'ls /proc' | grep -cE '^[0-9]+$')"
check "pid 1 holds no capabilities" "0000000000000000" "$(sb -- sh -c 'grep CapEff /proc/1/status' | awk '{print $2}')"
check "pid 1 is the sandbox's init" "sandbox" "$(sb -- cat /proc/1/comm)"

check "--net none: only loopback" "lo" "$(sb --ro-bind "$PR:/probe" -- /probe ifs)"
check "loopback is up" "1" "$(sb -- sh -c 'grep -c "^ *lo:" /proc/net/dev')"
host_ifs=$(ls /sys/class/net | wc -l)
check "--net host: the host's interfaces" "$host_ifs" "$(sb --net host --ro-bind "$PR:/probe" -- /probe ifs | wc -l)"

check "/usr is read-only" "write: EROFS" "$(sb --ro-bind "$PR:/probe" -- /probe write /usr/sandbox-test)"
check "/etc is read-only" "write: EROFS" "$(sb --ro-bind "$PR:/probe" -- /probe write /etc/sandbox-test)"
check "/ is read-only" "write: EROFS" "$(sb --ro-bind "$PR:/probe" -- /probe write /sandbox-test)"
check "/tmp is writable" "write: ok" "$(sb --ro-bind "$PR:/probe" -- /probe write /tmp/x)"
check "the home is writable" "write: ok" "$(sb --ro-bind "$PR:/probe" -- /probe write "$TEST_HOME/x")"
check "/bin/sh works through the usr-merge links" "ok" "$(sb -- /bin/sh -c 'echo ok')"
check "no /sys" "absent" "$(sb -- sh -c 'test -e /sys/kernel && echo present || echo absent')"

marker="sandbox-marker-$$"
as_user touch "$TEST_HOME/$marker"
check "the real home is invisible" "absent" \
	"$(sb -- sh -c "test -e '$TEST_HOME/$marker' && echo present || echo absent")"
check "the home is empty" "" "$(sb -- ls -A "$TEST_HOME")"
rm -f "$TEST_HOME/$marker"
as_user touch "/tmp/$marker"
check "the host's /tmp is invisible" "absent" "$(sb -- sh -c "test -e '/tmp/$marker' && echo present || echo absent")"
rm -f "/tmp/$marker"
check "writes to /tmp vanish" "absent" \
	"$(sb -- touch /tmp/gone; test -e /tmp/gone && echo present || echo absent)"

caps=$(sb -- grep -E '^Cap(Inh|Prm|Eff|Bnd|Amb):' /proc/self/status | awk '{print $2}' | sort -u)
check "all capability sets are empty" "0000000000000000" "$caps"
caps=$(sb --uid0 -- grep -E '^Cap(Inh|Prm|Eff|Bnd|Amb):' /proc/self/status | awk '{print $2}' | sort -u)
check "all capability sets are empty with --uid0" "0000000000000000" "$caps"
check "no_new_privs is set" "NoNewPrivs:	1" "$(sb -- grep NoNewPrivs /proc/self/status)"
check "a seccomp filter is loaded" "Seccomp:	2" "$(sb -- grep '^Seccomp:' /proc/self/status)"

check "an fd opened by the caller is not inside" "0 1 2" \
	"$(as_user sh -c "exec 5</etc/hostname 7>/dev/null; '$SB' --ro-bind '$PR:/probe' -- /probe fds" | sort -n | tr '\n' ' ' | sed 's/ $//')"
check "--keep-fd passes one in" "0 1 2 5" \
	"$(as_user sh -c "exec 5</etc/hostname 7>/dev/null; '$SB' --keep-fd 5 --ro-bind '$PR:/probe' -- /probe fds" | sort -n | tr '\n' ' ' | sed 's/ $//')"
check "--keep-fd content is readable" "$(cat /etc/hostname)" \
	"$(as_user sh -c "exec 5</etc/hostname; '$SB' --keep-fd 5 -- sh -c 'cat <&5'")"

env_inside=$(EXTRA_ENV="SECRET_TOKEN=hunter2 SSH_AUTH_SOCK=/tmp/agent DBUS_SESSION_BUS_ADDRESS=unix:path=/x LD_PRELOAD=/x.so TERM=xterm-test LC_TIME=C" sb -- env)
check_match "secrets and host sockets are not passed" "*" "$env_inside"
for v in SECRET_TOKEN SSH_AUTH_SOCK DBUS_SESSION_BUS_ADDRESS LD_PRELOAD; do
	check "$v is not passed" "" "$(printf '%s\n' "$env_inside" | grep "^$v=")"
done
check "TERM is kept" "TERM=xterm-test" "$(printf '%s\n' "$env_inside" | grep '^TERM=')"
check "LC_* is kept" "LC_TIME=C" "$(printf '%s\n' "$env_inside" | grep '^LC_TIME=')"
check "HOME is the user's" "HOME=$TEST_HOME" "$(printf '%s\n' "$env_inside" | grep '^HOME=')"
check "--setenv" "B" "$(sb --setenv A=B -- sh -c 'echo $A')"
check "--unsetenv" "unset" "$(sb --unsetenv LANG -- sh -c 'echo ${LANG-unset}')"
check "--keep-env" "hunter2" "$(EXTRA_ENV=SECRET_TOKEN=hunter2 sb --keep-env SECRET_TOKEN -- sh -c 'echo $SECRET_TOKEN')"
check "--keep-env with a prefix" "1 2" "$(EXTRA_ENV='MY_A=1 MY_B=2' sb --keep-env 'MY_*' -- sh -c 'echo $MY_A $MY_B')"

mkdir -p "$T/project/sub"
echo content >"$T/project/file"
chown -R "$TEST_UID:$TEST_GID" "$T/project"
check "--ro-bind with --chdir" "content" "$(sb --ro-bind "$T/project" --chdir "$T/project" -- cat file)"
check "--ro-bind is read-only" "write: EROFS" \
	"$(sb --ro-bind "$T/project" --ro-bind "$PR:/probe" -- /probe write "$T/project/new")"
sb --bind "$T/project" -- sh -c "echo written >'$T/project/new'"
check "--bind writes reach the host" "written" "$(cat "$T/project/new" 2>&1)"
check "--ro-bind SRC:DST" "content" "$(sb --ro-bind "$T/project:/data" -- cat /data/file)"
check "relative SRC" "content" "$(cd "$T" && as_user sh -c "cd '$T' && '$SB' --ro-bind project:/data -- cat /data/file")"
check "--tmpfs gives an empty directory" "" "$(sb --ro-bind "$T/project" --tmpfs "$T/project/sub" -- ls -A "$T/project/sub")"
check "the working directory is kept when visible" "$T/project/sub" \
	"$(as_user sh -c "cd '$T/project/sub' && '$SB' --ro-bind '$T/project' -- pwd")"
check "else the command starts at home" "$TEST_HOME" "$(as_user sh -c "cd '$T/project' && '$SB' -- pwd")"
mkdir -p "$T/project/secret/deep"
echo s3cret >"$T/project/secret/key"
echo token >"$T/project/token"
chown -R "$TEST_UID:$TEST_GID" "$T/project"
check "--hide empties a directory" "" "$(sb --ro-bind "$T/project" --hide "$T/project/secret" -- ls -A "$T/project/secret")"
check "--hide makes a file empty" "0" "$(sb --ro-bind "$T/project" --hide "$T/project/token" -- sh -c "wc -c <'$T/project/token'")"
check "a hidden directory is read-only" "write: EROFS" \
	"$(sb --bind "$T/project" --hide "$T/project/secret" --ro-bind "$PR:/probe" -- /probe write "$T/project/secret/new")"
check "a hide beats a bind below it, from any layer" "absent" \
	"$(sb --ro-bind "$T/project" --bind "$T/project/secret/deep" --hide "$T/project/secret" -- sh -c "test -e '$T/project/secret/deep' && echo present || echo absent")"
check "the rest stays visible" "content" "$(sb --ro-bind "$T/project" --hide "$T/project/secret" -- cat "$T/project/file")"
check "hiding what is not there is no error" "ok" "$(sb --hide /no/such/path -- echo ok)"
check "the host copy is untouched" "s3cret" "$(cat "$T/project/secret/key")"
check "--hostname" "box" "$(sb --hostname box -- cat /proc/sys/kernel/hostname)"
# The host files are covered, not created: a read-only /etc takes no new mount point.
if [ -f /etc/hostname ]; then
	check "/etc/hostname agrees with --hostname" "box" "$(sb --hostname box -- cat /etc/hostname)"
else
	skip "/etc/hostname agrees with --hostname" "the host has no /etc/hostname to cover"
fi
if [ -f /etc/hosts ]; then
	check_match "/etc/hosts names it" "*127.0.1.1*box*" "$(sb --hostname box -- cat /etc/hosts)"
else
	skip "/etc/hosts names it" "the host has no /etc/hosts to cover"
fi
check "/etc/passwd lists only root, the user and nobody" "root $TEST_USER nobody" \
	"$(sb -- cut -d: -f1 /etc/passwd | tr '\n' ' ' | sed 's/ $//')"
check "the user's own entry keeps uid, gid and home" "$TEST_USER:x:$TEST_UID:$TEST_GID:$TEST_HOME" \
	"$(sb -- grep "^$TEST_USER:" /etc/passwd | cut -d: -f1-4,6)"
check "/etc/group lists only root, the user's group and nogroup" "3" "$(sb -- grep -c . /etc/group)"
check "the user is found by name" "$TEST_USER" "$(sb -- id -un)"
check "with --uid0 the user is root by name too" "root 0" "$(sb --uid0 -- sh -c 'echo $(id -un) $(id -u)')"
check "generated files are read-only mounts" "ro" "$(sb -- awk '$2 == "/etc/passwd" { split($4, o, ","); print o[1] }' /proc/mounts)"
check "no staging directory is left in /" "" "$(sb -- ls -A / | grep sandbox)"
check "stdin passes through" "5" "$(echo data | sb -- wc -c)"
check "binary data passes through" "$(head -c 100000 /dev/urandom | tee "$T/bin" | md5sum)" \
	"$(sb -- cat <"$T/bin" | md5sum)"
check "stderr passes through" "err" "$(sb -- sh -c 'echo err >&2' 2>&1 >/dev/null)"
check "/dev/null, zero, full, urandom work" "ok" \
	"$(sb -- sh -c 'head -c1 /dev/zero >/dev/null && head -c1 /dev/urandom >/dev/null && echo x >/dev/null && ! echo x 2>/dev/null >/dev/full && echo ok')"
check "/dev/shm is writable" "ok" "$(sb -- sh -c 'echo x >/dev/shm/x && echo ok')"
# The launcher itself: not dumpable while it holds the sandbox's descriptors, so that nothing
# of the user's (the app is the same user) can attach to it or read its memory.
sb_bg -- sleep 30.$$
launcher=$!
cleanup_pids="${cleanup_pids:-} $launcher"
for _ in $(seq 100); do pgrep -P "$launcher" >/dev/null && break; sleep 0.05; done
sleep 0.2
check "the launcher's memory and environment are closed to the user" "denied denied" \
	"$(as_user sh -c "head -c1 /proc/$launcher/environ >/dev/null 2>&1 && echo readable || echo denied; head -c1 /proc/$launcher/mem >/dev/null 2>&1 && echo readable || echo denied" | tr '\n' ' ' | sed 's/ $//')"
check "while a process of the user's own is open to them (reference)" "readable" \
	"$(as_user sh -c 'head -c1 /proc/$$/environ >/dev/null 2>&1 && echo readable || echo denied')"
kill "$launcher" 2>/dev/null
# Installed setuid or with file capabilities, it refuses to run (it needs no privilege).
if [ -n "$nnp_around" ]; then
	skip "a setuid sandbox refuses to run" "$nnp_around"
	skip "one with file capabilities too" "$nnp_around"
elif [ "$(id -u)" = 0 ]; then
	cp "$SB" "$T/sandbox-suid"
	chmod 4755 "$T/sandbox-suid"
	check_match "a setuid sandbox refuses to run: 125" "*refusing to run setuid*|125" \
		"$(as_user "$T/sandbox-suid" -- true 2>&1)|$(as_user "$T/sandbox-suid" -- true 2>/dev/null; echo $?)"
	if command -v setcap >/dev/null; then
		cp "$SB" "$T/sandbox-caps"
		setcap cap_sys_admin+ep "$T/sandbox-caps"
		check_match "one with file capabilities too: 125" "*refusing to run setuid*|125" \
			"$(as_user "$T/sandbox-caps" -- true 2>&1)|$(as_user "$T/sandbox-caps" -- true 2>/dev/null; echo $?)"
	else
		skip "one with file capabilities too" "setcap is not installed (libcap2-bin)"
	fi
else
	skip "a setuid sandbox refuses to run" "needs root to make the setuid copy"
	skip "one with file capabilities too" "needs root to set file capabilities"
fi
finish
