#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Escape attempts: from inside sandboxes of the shipped "strict" and "default" profiles, as an
# unprivileged user, each known way out must fail. Beside each, the same probe run outside
# the sandbox, as the same user, must succeed ("reference"), so that the refusal inside is
# the sandbox's doing and the probe is not simply broken. Where the kernel here forbids the
# probe to every user (a sysctl, a missing ABI), the reference is a skip that says why, and
# the inside result must still be the sandbox's own refusal: the filter's errno, confirmed by
# its audit mode (--seccomp-log) where the kernel would have answered the same, or the
# namespace's barrier (ESRCH, ENOENT).
. "$(dirname "$0")/../integration/lib.sh"

PROFILES=(strict default)

# oneline: standard input as one line, " | " between the lines.
oneline() {
	local s
	s=$(cat)
	printf '%s' "${s//$'\n'/ | }"
}
# run_in PROFILE ARGS...: a sandbox of PROFILE with the probe at /probe, standard input not a
# terminal; stdout and stderr as one line.
run_in() {
	local p=$1
	shift
	sb --profile "$p" --ro-bind "$PR:/probe" "$@" </dev/null 2>&1 | oneline
}
# outside CMD...: as the test user, outside any sandbox; one line.
outside() { as_user "$@" </dev/null 2>&1 | oneline; }
# refusal PROFILE CALL ARGS...: what the filter's audit mode says it did to CALL in the same run.
refusal() {
	local p=$1 c=$2
	shift 2
	sb --profile "$p" --seccomp-log --ro-bind "$PR:/probe" "$@" </dev/null 2>&1 >/dev/null |
		grep -o "): $c refused with [A-Z]*" | head -n1 | sed 's/^): //'
}

# reference NAME EXPECTED ACTUAL [WHY]: the probe outside. WHY, given only when the kernel here
# refuses the probe to every user, turns a mismatch into a skip.
reference() {
	local name="outside, as $TEST_USER (reference): $1"
	if [ "$2" = "$3" ]; then
		ok "$name"
	elif [ -n "${4:-}" ]; then
		skip "$name" "$4; outside it gives: $3"
	else
		not_ok "$name" "expected: $2" "actual:   $3"
	fi
}
# filtered NAME EXPECTED CALL ERRNO ARGS...: under each profile the probe (ARGS... after /probe)
# prints EXPECTED, and the audit mode shows the filter refusing CALL with ERRNO.
filtered() {
	local name=$1 expected=$2 call=$3 errno=$4 p
	shift 4
	for p in "${PROFILES[@]}"; do
		check "$p: $name: $errno from the filter" "$expected / $call refused with $errno" \
			"$(run_in "$p" -- /probe "$@") / $(refusal "$p" "$call" -- /probe "$@")"
	done
}
# barrier NAME EXPECTED ARGS...: under each profile the probe prints EXPECTED.
barrier() {
	local name=$1 expected=$2 p
	shift 2
	for p in "${PROFILES[@]}"; do
		check "$p: $name" "$expected" "$(run_in "$p" -- /probe "$@")"
	done
}
sysctl_value() { cat "/proc/sys/$1" 2>/dev/null || echo absent; }

# Host state this test adds to the test user's real home, /tmp and /dev/shm: removed at exit.
made_files=() made_dirs=()
escape_cleanup() {
	local d
	rm -f "${made_files[@]}"
	for d in "${made_dirs[@]}"; do rmdir "$d" 2>/dev/null; done
	cleanup
}
trap escape_cleanup EXIT
stop_bg() { # PID...: ends processes this test started, and reaps them quietly.
	kill -KILL "$@" 2>/dev/null
	wait "$@" 2>/dev/null
}
cp "$SRCDIR/tests/helpers/ptyrun.py" "$T/ptyrun.py"
chmod a+r "$T/ptyrun.py"
ptyrun() { as_user python3 "$T/ptyrun.py" "$@"; }
have_python=yes
command -v python3 >/dev/null || have_python=""

# --- 1. Typing into the caller's terminal: TIOCSTI, TIOCLINUX, with the high bits set too,
# through the command and through --enter.
if [ -z "$have_python" ]; then
	skip "terminal injection" "python3 is not installed (needed for a pseudo-terminal)"
else
	why=""
	[ "$(sysctl_value dev/tty/legacy_tiocsti)" = 0 ] && why="dev.tty.legacy_tiocsti=0: the kernel refuses TIOCSTI to every user"
	for probe in tiocsti tiocsti-high; do
		reference "$probe on a terminal" "ioctl: ok" "$(ptyrun run "$PR" "$probe" | tr -d '\r' | grep -o 'ioctl: .*')" "$why"
	done
	reference "tioclinux on a terminal" "ioctl: ok" "$(ptyrun run "$PR" tioclinux | tr -d '\r' | grep -o 'ioctl: .*')" \
		"TIOCLINUX acts only on a Linux virtual console, and the test's terminal is a pseudo-terminal"
	for p in "${PROFILES[@]}"; do
		for probe in tiocsti tiocsti-high tioclinux; do
			check "$p: $probe on the caller's terminal: EPERM from the filter" "ioctl: EPERM" \
				"$(ptyrun run "$SB" --profile "$p" --ro-bind "$PR:/probe" -- /probe "$probe" | tr -d '\r' | grep -o 'ioctl: .*')"
		done
	done
	# sandbox --enter NAME joins a running sandbox: the joined command gets the same filter.
	run="$T/run"
	mkdir -p "$run"
	chown "$TEST_UID:$TEST_GID" "$run"
	chmod 700 "$run"
	for p in "${PROFILES[@]}"; do
		name="escape-$p-$$"
		EXTRA_ENV="XDG_RUNTIME_DIR=$run" sb_bg --profile "$p" --name "$name" --ro-bind "$PR:/probe" -- sleep 30 \
			</dev/null >/dev/null 2>&1
		launcher=$!
		cleanup_pids="${cleanup_pids:-} $launcher"
		for _ in $(seq 100); do
			EXTRA_ENV="XDG_RUNTIME_DIR=$run" sb --list 2>/dev/null | grep -q "^$name " && break
			sleep 0.05
		done
		for probe in tiocsti tiocsti-high tioclinux; do
			check "$p: $probe through sandbox --enter: EPERM from the filter" "ioctl: EPERM" \
				"$(EXTRA_ENV="XDG_RUNTIME_DIR=$run" ptyrun run "$SB" --enter "$name" -- /probe "$probe" | tr -d '\r' | grep -o 'ioctl: .*')"
		done
		stop_bg "$launcher"
	done
fi

# --- 2. Processes of the same user outside: a host sleep, by its host pid. Invisible in the
# sandbox's pid namespace (ESRCH, ENOENT); ptrace is refused before the kernel looks.
user_prefix
(cd "$T" && exec "${P[@]}" sleep 120) &
host=$!
cleanup_pids="${cleanup_pids:-} $host"
for _ in $(seq 50); do [ "$(cat "/proc/$host/comm" 2>/dev/null)" = sleep ] && break; sleep 0.05; done
reference "ptrace(PTRACE_ATTACH) to a host process of the user" "attach: ok" "$(outside "$PR" attach "$host")"
reference "kill(host pid, 0)" "kill: ok" "$(outside "$PR" kill "$host")"
reference "pidfd_open(host pid)" "pidfd_open: ok" "$(outside "$PR" pidfd "$host")"
for f in environ mem; do
	reference "open /proc/PID/$f of the host process" "open: ok" "$(outside "$PR" open "/proc/$host/$f")"
done
reference "open /proc/PID/root of the host process" "open: ok" "$(outside "$PR" open "/proc/$host/root" dir)"
filtered "ptrace(PTRACE_ATTACH) to the host process" "attach: EPERM" ptrace EPERM attach "$host"
barrier "kill(host pid, 0): no such process in the pid namespace" "kill: ESRCH" kill "$host"
barrier "pidfd_open(host pid): no such process" "pidfd_open: ESRCH" pidfd "$host"
for f in environ mem; do
	barrier "open /proc/HOSTPID/$f: not there" "open: ENOENT" open "/proc/$host/$f"
done
barrier "open /proc/HOSTPID/root: not there" "open: ENOENT" open "/proc/$host/root" dir
# A second wall: with the filter's ptrace rule lifted, the pid namespace still has no such process.
printf 'schema = 1\ninclude = ["default"]\n[security]\nallow = ["ptrace"]\n' >"$T/ptrace.toml"
chmod a+r "$T/ptrace.toml"
check "default with ptrace allowed: PTRACE_ATTACH to the host pid still fails, ESRCH" "attach: ESRCH" \
	"$(run_in "$T/ptrace.toml" -- /probe attach "$host")"
# The sandbox's own pid 1 is not dumpable: nothing inside reaches it. It runs under a filter of
# its own (read, wait4, kill, exit) with no_new_privs, whatever the profile's filter is.
printf 'schema = 1\ninclude = ["default"]\n[security]\nseccomp = "none"\n' >"$T/nofilter.toml"
chmod a+r "$T/nofilter.toml"
if [ -n "${SANDBOX_SANITIZED:-}" ]; then
	why="a sanitizer build (scripts/sanitize) leaves pid 1 unfiltered: the runtime's interceptors need more"
	for p in "${PROFILES[@]}"; do
		skip "$p: the sandbox's init runs under a filter of its own, with no_new_privs" "$why"
	done
	skip "with the profile's filter off, the command has none and init still has its own" "$why"
else
	for p in "${PROFILES[@]}"; do
		check "$p: the sandbox's init runs under a filter of its own, with no_new_privs" \
			"NoNewPrivs:1 Seccomp:2" \
			"$(sb --profile "$p" -- grep -E '^(NoNewPrivs|Seccomp):' /proc/1/status </dev/null 2>&1 | tr -d '\t' | tr '\n' ' ' | sed 's/ $//')"
	done
	check "with the profile's filter off, the command has none and init still has its own" \
		"Seccomp:0 Seccomp:2" \
		"$(sb --profile "$T/nofilter.toml" -- sh -c 'grep ^Seccomp: /proc/self/status; grep ^Seccomp: /proc/1/status' </dev/null 2>&1 | tr -d '\t' | tr '\n' ' ' | sed 's/ $//')"
fi
for f in environ mem; do
	barrier "open /proc/1/$f of the sandbox's init: EACCES (not dumpable)" "open: EACCES" open "/proc/1/$f"
done
barrier "open /proc/1/root of the sandbox's init: EACCES" "open: EACCES" open /proc/1/root dir
check "the host process lived through it all" "alive" "$(kill -0 "$host" 2>/dev/null && echo alive)"
stop_bg "$host"

# --- 3. The real home, host /tmp and /dev/shm: secrets unreadable, nothing written through.
ensure_dir() { # DIR MODE: made as the test user if missing, removed at exit if made here
	[ -d "$1" ] && return
	as_user mkdir -m "$2" "$1" && made_dirs=("$1" "${made_dirs[@]}")
}
ensure_dir "$TEST_HOME/.ssh" 700
ensure_dir "$TEST_HOME/Documents" 755
secrets=("$TEST_HOME/.ssh/id_escape_test_$$" "$TEST_HOME/Documents/escape-test-secret-$$")
hostfiles=("/tmp/escape-test-$$" "/dev/shm/escape-test-$$")
made_files+=("${secrets[@]}" "${hostfiles[@]}" "$TEST_HOME/escape-test-written-$$" \
	/tmp/escape-test-new-$$ /dev/shm/escape-test-new-$$ /tmp/escape-test-ref-$$)
for f in "${secrets[@]}"; do as_user sh -c "umask 077; echo secret-$$ >'$f'"; done
for f in "${hostfiles[@]}"; do as_user sh -c "echo host-$$ >'$f'"; done
for f in "${secrets[@]}"; do
	reference "read ${f#"$TEST_HOME"/}" "secret-$$" "$(outside cat "$f")"
	for p in "${PROFILES[@]}"; do
		check "$p: ~/${f#"$TEST_HOME"/} of the real home is not there" "open: ENOENT" "$(run_in "$p" -- /probe open "$f")"
	done
done
reference "write the real home" "write: ok" "$(outside "$PR" write "$TEST_HOME/escape-test-written-$$")"
rm -f "$TEST_HOME/escape-test-written-$$"
reference "write host /tmp" "write: ok" "$(outside "$PR" write "/tmp/escape-test-ref-$$")"
for p in "${PROFILES[@]}"; do
	check "$p: the home inside is empty, not the real one" "" "$(run_in "$p" -- ls -A "$TEST_HOME")"
	run_in "$p" -- /probe write "$TEST_HOME/escape-test-written-$$" >/dev/null
	check "$p: a file written in the home inside does not reach the real home" "absent" \
		"$(test -e "$TEST_HOME/escape-test-written-$$" && echo present || echo absent)"
	for f in "${hostfiles[@]}"; do
		d=$(dirname "$f")
		check "$p: a file the user made in host $d is not there" "open: ENOENT" "$(run_in "$p" -- /probe open "$f")"
		run_in "$p" -- sh -c "echo changed >'$f'; echo new >'$d/escape-test-new-$$'" >/dev/null
		check "$p: writing it inside leaves the host's unchanged, and a new file stays inside" "host-$$ absent" \
			"$(cat "$f") $(test -e "$d/escape-test-new-$$" && echo present || echo absent)"
	done
done

# --- 4. Host services on loopback and in the abstract unix namespace (network "none").
if [ -z "$have_python" ]; then
	skip "host sockets" "python3 is not installed"
else
	abstract="sandbox-escape-test-$$"
	user_prefix
	(cd "$T" && exec "${P[@]}" python3 -c "
import os, select, socket, sys
a = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
a.bind('\0' + sys.argv[1]); a.listen(8)
t = socket.socket(); t.bind(('127.0.0.1', 0)); t.listen(8)
open(sys.argv[2] + '.tmp', 'w').write(str(t.getsockname()[1]))
os.rename(sys.argv[2] + '.tmp', sys.argv[2])
while True:
    for s in select.select([a, t], [], [])[0]:
        c, _ = s.accept(); c.sendall(b'hello\n'); c.close()
" "$abstract" "$T/port") >/dev/null 2>&1 &
	srv=$!
	cleanup_pids="${cleanup_pids:-} $srv"
	for _ in $(seq 100); do [ -s "$T/port" ] && break; sleep 0.05; done
	port=$(cat "$T/port" 2>/dev/null)
	tcp_probe='(exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && echo open || echo refused'
	abstract_probe="import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
try:
    s.connect('\0' + sys.argv[1]); print('open')
except OSError:
    print('refused')"
	reference "connect to a host loopback TCP listener" "open" "$(outside bash -c "$tcp_probe" x "$port")"
	reference "connect to a host abstract unix socket" "open" "$(outside python3 -c "$abstract_probe" "$abstract")"
	for p in "${PROFILES[@]}"; do
		check "$p: the host loopback TCP listener is unreachable" "refused" "$(run_in "$p" -- bash -c "$tcp_probe" x "$port")"
		check "$p: the host abstract unix socket is unreachable" "refused" \
			"$(run_in "$p" -- python3 -c "$abstract_probe" "$abstract")"
	done
	stop_bg "$srv"
fi

# --- 5. Privileged kernel interfaces. Mounting, chroot and host names need privilege in a user
# namespace: their references run in one of the user's own (unshare -Ur), where they work.
mkdir -p "$T/mnt" "$T/mnt2" "$T/jail"
echo marker >"$T/marker"
chown "$TEST_UID:$TEST_GID" "$T/mnt" "$T/mnt2" "$T/jail"
reference "unshare -U" "unshared" "$(outside sh -c 'unshare -U true && echo unshared')"
reference "clone(CLONE_NEWUSER)" "clone: ok" "$(outside "$PR" sys clone 0x10000000)"
reference "clone3(CLONE_NEWUSER)" "clone3: ok" "$(outside "$PR" clone3 0x10000000)"
reference "clone3(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET)" "clone3: ok" \
	"$(outside "$PR" clone3 0x70020000)"
reference "mount a tmpfs (in unshare -Urm)" "mount: ok" "$(outside unshare -Urm "$PR" mount-tmpfs "$T/mnt")"
reference "fsopen, fsconfig, fsmount, move_mount (in unshare -Urm)" \
	"fsopen: ok | fsconfig: ok | fsmount: ok | move_mount: ok" "$(outside unshare -Urm "$PR" fsmount "$T/mnt")"
reference "open_tree(OPEN_TREE_CLONE) of / (in unshare -Urm)" "open_tree: ok" "$(outside unshare -Urm "$PR" open-tree /)"
reference "move_mount of a mount (in unshare -Urm)" "mount: ok | move_mount: ok" \
	"$(outside unshare -Urm sh -c "'$PR' mount-tmpfs '$T/mnt' && '$PR' move-mount '$T/mnt' '$T/mnt2'")"
reference "chroot, then out through .. (in unshare -Ur)" "chroot: ok | chroot ..: ok | escaped: ok" \
	"$(outside unshare -Ur "$PR" chroot-escape "$T/jail" "$T/marker")"
for p in "${PROFILES[@]}"; do
	out=$(run_in "$p" -- sh -c 'cat /proc/sys/user/max_user_namespaces; unshare -U true && echo unshared')
	check_match "$p: unshare -U fails, and max_user_namespaces is 0" "0 | *unshare failed: Operation not permitted" "$out"
done
filtered "unshare(CLONE_NEWUSER)" "unshare: EPERM" unshare EPERM sys unshare 0x10000000
filtered "clone(CLONE_NEWUSER)" "clone: EPERM" clone EPERM sys clone 0x10000000
filtered "clone3(CLONE_NEWUSER)" "clone3: ENOSYS" clone3 ENOSYS clone3 0x10000000
filtered "clone3(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET)" "clone3: ENOSYS" clone3 ENOSYS clone3 0x70020000
filtered "mount a tmpfs" "mount: EPERM" mount EPERM mount-tmpfs /tmp
filtered "the new mount API: fsopen" "fsopen: ENOSYS" fsopen ENOSYS fsmount /tmp
filtered "open_tree(OPEN_TREE_CLONE) of /" "open_tree: ENOSYS" open_tree ENOSYS open-tree /
filtered "move_mount of /tmp" "move_mount: ENOSYS" move_mount ENOSYS move-mount /tmp "$TEST_HOME"
filtered "chroot, to climb out through .." "chroot: EPERM" chroot EPERM chroot-escape /tmp /probe

reference "keyctl: the user keyring" "keyctl: ok" "$(outside "$PR" keyctl)"
filtered "keyctl: the user keyring" "keyctl: EPERM" keyctl EPERM keyctl
why=""
[ "$(sysctl_value kernel/unprivileged_bpf_disabled)" != 0 ] &&
	why="kernel.unprivileged_bpf_disabled=$(sysctl_value kernel/unprivileged_bpf_disabled): no unprivileged bpf here"
reference "bpf(BPF_MAP_CREATE)" "bpf: ok" "$(outside "$PR" bpf)" "$why"
filtered "bpf(BPF_MAP_CREATE)" "bpf: EPERM" bpf EPERM bpf
why=""
paranoid=$(sysctl_value kernel/perf_event_paranoid)
[ "$paranoid" = absent ] && why="the kernel has no perf events"
[ "$paranoid" != absent ] && [ "$paranoid" -gt 2 ] && why="kernel.perf_event_paranoid=$paranoid: perf events are root's only"
reference "perf_event_open (own task clock, user space only)" "perf_event_open: ok" "$(outside "$PR" perf)" "$why"
filtered "perf_event_open" "perf_event_open: EPERM" perf_event_open EPERM perf
out=$(outside "$PR" userfaultfd)
why=""
[ "$out" = "userfaultfd: ENOSYS" ] && why="the kernel has no userfaultfd"
[ "$out" = "userfaultfd: EINVAL" ] && why="the kernel has no UFFD_USER_MODE_ONLY (Linux 5.11), and vm.unprivileged_userfaultfd=$(sysctl_value vm/unprivileged_userfaultfd)"
reference "userfaultfd(UFFD_USER_MODE_ONLY)" "userfaultfd: ok" "$out" "$why"
filtered "userfaultfd" "userfaultfd: EPERM" userfaultfd EPERM userfaultfd
why=""
[ "$(sysctl_value kernel/io_uring_disabled)" != 0 ] && [ "$(sysctl_value kernel/io_uring_disabled)" != absent ] &&
	why="kernel.io_uring_disabled=$(sysctl_value kernel/io_uring_disabled)"
reference "io_uring_setup" "io_uring_setup: ok" "$(outside "$PR" io_uring)" "$why"
filtered "io_uring_setup" "io_uring_setup: ENOSYS" io_uring_setup ENOSYS io_uring

# Other ABIs: the filter names x86-64 numbers, so a call through another ABI kills (159 =
# 128 + SIGSYS) before the kernel looks at it.
out=$(outside "$PR" int80 getpid)
why=""
[ "$out" != "int80 getpid: ok" ] && why="the kernel runs no 32-bit syscalls (IA32 emulation off)"
reference "getpid through int 0x80 (i386)" "int80 getpid: ok" "$out" "$why"
out=$(outside "$PR" x32 getpid)
why=""
[ "$out" = "x32 getpid: ENOSYS" ] && why="the kernel has no x32 ABI (CONFIG_X86_X32_ABI, or x32 off at boot)"
reference "getpid through the x32 bit" "x32 getpid: ok" "$out" "$why"
for p in "${PROFILES[@]}"; do
	for abi in int80 x32; do
		out=$(sb --profile "$p" --ro-bind "$PR:/probe" -- /probe "$abi" getpid </dev/null 2>/dev/null)
		check "$p: getpid through $abi kills with SIGSYS: status 159, nothing printed" "159 " "$? $out"
	done
done

# --- 6. A descriptor of a host directory that the caller leaves open is closed inside.
ref=$(as_user sh -c "exec 5<'$TEST_HOME'; '$PR' fds; '$PR' open /proc/self/fd/5 dir" </dev/null 2>&1)
reference "fd 5 on the real home is open, and leads there" "5 | open: ok" "$(grep -xE '5|open: .*' <<<"$ref" | oneline)"
for p in "${PROFILES[@]}"; do
	out=$(as_user sh -c "exec 5<'$TEST_HOME'; '$SB' --profile $p --ro-bind '$PR:/probe' -- sh -c '/probe fds; /probe open /proc/self/fd/5 dir'" </dev/null 2>&1)
	check "$p: only 0, 1 and 2 are open inside; /proc/self/fd/5 is not there" "0 | 1 | 2 | open: ENOENT" "$(oneline <<<"$out")"
done

# --- 7. The launcher's binary. Copies owned by the test user, as a build tree of the user's
# would be: writable outside. pid 1 inside is a fork of the launcher: /proc/1/exe would lead to
# that binary, but pid 1 is not dumpable (EACCES); the command's own /proc/self/exe is busy
# (ETXTBSY) or read-only (EROFS, EACCES).
mkdir "$T/own"
cp "$SB" "$PR" "$T/own/"
chown -R "$TEST_UID:$TEST_GID" "$T/own"
reference "the user's own launcher binary is writable" "open: ok" "$(outside "$T/own/probe" open "$T/own/sandbox" w)"
# own PROFILE ARGS...: the user's own copy of the launcher, with its copy of the probe at /probe.
own() {
	local p=$1
	shift
	as_user "$T/own/sandbox" --profile "$p" --ro-bind "$T/own/probe:/probe" "$@" </dev/null 2>&1 | oneline
}
for p in "${PROFILES[@]}"; do
	out=$(own "$p" -- /probe open /proc/self/exe w)
	case "$out" in
	"open: ETXTBSY" | "open: EROFS" | "open: EACCES") ok "$p: open(/proc/self/exe, O_WRONLY) fails: ${out#open: }" ;;
	*) not_ok "$p: open(/proc/self/exe, O_WRONLY) fails" "expected: open: ETXTBSY, EROFS or EACCES" "actual:   $out" ;;
	esac
	check "$p: /proc/1/exe (the launcher's binary) cannot be opened: write, read, O_PATH" \
		"open: EACCES | open: EACCES | open: EACCES" \
		"$(own "$p" -- sh -c '/probe open /proc/1/exe w; /probe open /proc/1/exe r; /probe open /proc/1/exe path')"
	check "$p: nor read as a link" "unreadable" "$(own "$p" -- sh -c 'readlink /proc/1/exe || echo unreadable')"
	check "$p: the launcher's host path is not there" "absent | absent" \
		"$(own "$p" -- sh -c "for f in '$T/own/sandbox' '$SANDBOX'; do test -e \"\$f\" && echo present || echo absent; done")"
done

# --- 8. A setuid-root program gains nothing: no_new_privs, nosuid mounts and an owner that is
# not mapped each keep exec from changing the effective uid. The robust witness is a copy of
# the probe made setuid root here (it prints its real, effective and saved uids), which does
# run as root outside; the system's own setuid programs (passwd, su) show the bit inside too.
if [ "$(id -u)" = 0 ]; then
	cp "$PR" "$T/suid-probe"
	chown 0:0 "$T/suid-probe"
	chmod 4755 "$T/suid-probe"
	reference "a setuid-root program runs with euid 0" "ruid=$TEST_UID euid=0 suid=0" "$(outside "$T/suid-probe" creds)" \
		"$nnp_around"
	for p in "${PROFILES[@]}"; do
		check "$p: a setuid-root program keeps the user's ids" "-rwsr-xr-x | ruid=$TEST_UID euid=$TEST_UID suid=$TEST_UID" \
			"$(run_in "$p" --ro-bind "$T/suid-probe:/suid-probe" -- sh -c 'stat -c %A /suid-probe; /suid-probe creds')"
	done
else
	skip "a setuid-root program runs with euid 0 outside (reference)" "making a setuid-root file needs root"
	skip "a setuid-root program keeps the user's ids inside" "making a setuid-root file needs root"
fi
suid=$(for f in /usr/bin/passwd /usr/bin/su /usr/bin/mount; do [ -u "$f" ] && echo "$f" && break; done)
for p in "${PROFILES[@]}"; do
	if [ -n "$suid" ]; then
		check "$p: $suid keeps its setuid bit, under no_new_privs on a nosuid /usr" "s | NoNewPrivs:	1 | nosuid" \
			"$(run_in "$p" -- sh -c "stat -c %A '$suid' | cut -c4; grep NoNewPrivs /proc/self/status; awk '\$5 == \"/usr\" { print \$6 }' /proc/self/mountinfo | tr , '\n' | grep -x nosuid")"
	fi
done

# --- 9. /dev holds only the minimal nodes, devpts is private, and there is no /sys.
reference "the host's /dev holds more than the sandbox's 13 entries" "yes" \
	"$([ "$(ls -A /dev | wc -l)" -gt 13 ] && echo yes || echo "no: $(ls -A /dev | oneline)")"
reference "the host has /sys" "present" "$(outside sh -c 'test -d /sys/kernel && echo present')"
for p in "${PROFILES[@]}"; do
	check "$p: /dev holds only the minimal nodes" \
		"fd full null ptmx pts random shm stderr stdin stdout tty urandom zero" "$(run_in "$p" -- ls -A /dev | tr '|' ' ' | tr -s ' ')"
	check "$p: /dev/pts is the sandbox's own: no host terminals" "ptmx" "$(run_in "$p" -- ls -A /dev/pts)"
	check "$p: no /sys" "absent" "$(run_in "$p" -- sh -c 'test -e /sys && echo present || echo absent')"
done

# --- 10. Host name and clock. sethostname works in a uts namespace of one's own with its
# capabilities (the reference); the sandbox has that namespace, but no capabilities, and the
# filter refuses. settimeofday(NULL, NULL) only checks the privilege, changes nothing.
reference "sethostname (in unshare -Uru)" "sethostname: ok" "$(outside unshare -Uru "$PR" sethostname escape-test)"
filtered "sethostname" "sethostname: EPERM" sethostname EPERM sethostname escape-test
reference "settimeofday(NULL, NULL)" "settimeofday: ok" "$(outside "$PR" settimeofday)" \
	"CAP_SYS_TIME of the initial user namespace is root's alone"
filtered "settimeofday(NULL, NULL)" "settimeofday: EPERM" settimeofday EPERM settimeofday

# --- 11. Capabilities and securebits.
reference "the test user's bounding set is not empty, no no_new_privs, no securebits" \
	"bounding set not empty | NoNewPrivs:	0 | securebits: 0" \
	"$(outside sh -c "grep -q '^CapBnd:	0*$' /proc/self/status || echo bounding set not empty; grep NoNewPrivs /proc/self/status; '$PR' securebits | head -n1")" \
	"$nnp_around"
for p in "${PROFILES[@]}"; do
	check "$p: inheritable, permitted, effective, bounding and ambient sets empty; no_new_privs" \
		"CapInh:0000000000000000 CapPrm:0000000000000000 CapEff:0000000000000000 CapBnd:0000000000000000 CapAmb:0000000000000000 NoNewPrivs:1" \
		"$(run_in "$p" -- grep -E '^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs):' /proc/self/status | tr -d '\t' | sed 's/ | / /g')"
	# NOROOT, NO_SETUID_FIXUP, NO_CAP_AMBIENT_RAISE, each with its lock, and KEEP_CAPS locked off.
	check "$p: securebits locked (0xef) and cannot be cleared" "securebits: 0xef | clear securebits: EPERM" \
		"$(run_in "$p" -- /probe securebits)"
done

finish
