#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The syscall filter: the default policy, other ABIs, profile rules and audit mode.
. "$(dirname "$0")/lib.sh"

# pb ARGS...: the sandbox with the probe at /probe; standard input is not a terminal.
pb() { sb --ro-bind "$PR:/probe" "$@" </dev/null; }

# profile NAME LINE...: $T/NAME.toml, "minimal" with the LINEs in its [security] table.
profile() {
	local f="$T/$1.toml"
	shift
	{ printf 'schema = 1\ninclude = ["minimal"]\n[security]\n'; printf '%s\n' "$@"; } >"$f"
	chmod a+r "$f"
}
profile none 'seccomp = "none"'
profile multiarch 'multiarch = true'

# oneline: standard input as one line, " | " between the lines.
oneline() {
	local s
	s=$(cat)
	printf '%s' "${s//$'\n'/ | }"
}

# A CALL is what `probe sys` takes for one call, "name arg...", optionally followed by
# " # label" to name it in the output. Sets call_words, call_names and call_labels.
split_calls() {
	local c w
	call_words=() call_names=() call_labels=()
	for c in "$@"; do
		read -ra w <<<"${c%% # *}"
		call_words+=("${w[@]}")
		call_names+=("${w[0]}")
		call_labels+=("${c##* # }")
	done
}

# audit_pairs: reads `probe` output mixed with the launcher's audit lines (each is written
# before the call returns, so it comes first) into results[] and logs[], one per call, with
# the pid in the log replaced by N.
audit_pairs() {
	local line log=""
	results=() logs=()
	while IFS= read -r line; do
		if [[ $line == "sandbox: seccomp: "* ]]; then
			log=$(sed -E 's/pid [0-9]+ /pid N /' <<<"$line")
		else
			results+=("$line") logs+=("$log")
			log=""
		fi
	done
}

# refused ERRNO CALL...: each call fails with ERRNO under the default filter, and in audit
# mode the filter is named as the one refusing it. The kernel itself answers EPERM to some of
# these (it checks a capability first), so the errno alone would prove nothing for those;
# each subtest shows the kernel's own answer, from a sandbox without the filter.
refused() {
	local errno=$1 i plain open
	shift
	split_calls "$@"
	mapfile -t plain < <(pb -- /probe sys "${call_words[@]}")
	mapfile -t open < <(pb --profile "$T/none.toml" -- /probe sys "${call_words[@]}")
	audit_pairs < <(pb --seccomp-log -- /probe sys "${call_words[@]}" 2>&1)
	for i in "${!call_names[@]}"; do
		local n=${call_names[i]}
		check "${call_labels[i]}: $errno (without the filter: ${open[i]#*: })" \
			"$n: $errno / $n: $errno / sandbox: seccomp: pid N (probe): $n refused with $errno [built in]" \
			"${plain[i]:-} / ${results[i]:-} / ${logs[i]:-}"
	done
}

# allowed CALL...: each call succeeds under the default filter, and audit mode reports none.
allowed() {
	local i plain
	split_calls "$@"
	mapfile -t plain < <(pb -- /probe sys "${call_words[@]}")
	audit_pairs < <(pb --seccomp-log -- /probe sys "${call_words[@]}" 2>&1)
	for i in "${!call_names[@]}"; do
		local n=${call_names[i]}
		check "${call_labels[i]} is allowed" "$n: ok / $n: ok / " \
			"${plain[i]:-} / ${results[i]:-} / ${logs[i]:-}"
	done
}

# The default policy. Harmless arguments: invalid ones, or ones naming nothing, so that
# without the filter the kernel mostly answers EFAULT, EINVAL, EBADF or ESRCH.
refused EPERM syslog uselib acct quotactl add_key keyctl request_key move_pages mbind get_mempolicy \
	set_mempolicy migrate_pages unshare setns mount umount2 pivot_root chroot bpf perf_event_open \
	ptrace process_vm_readv process_vm_writev userfaultfd kexec_load kexec_file_load init_module \
	finit_module delete_module reboot swapon swapoff iopl ioperm settimeofday clock_settime \
	clock_adjtime adjtimex vhangup sethostname setdomainname lookup_dcookie fanotify_init \
	name_to_handle_at open_by_handle_at modify_ldt nfsservctl \
	"clone 0x20000 # clone(CLONE_NEWNS)" "clone 0x2000000 # clone(CLONE_NEWCGROUP)" \
	"clone 0x4000000 # clone(CLONE_NEWUTS)" "clone 0x8000000 # clone(CLONE_NEWIPC)" \
	"clone 0x10000000 # clone(CLONE_NEWUSER)" "clone 0x20000000 # clone(CLONE_NEWPID)" \
	"clone 0x40000000 # clone(CLONE_NEWNET)" "unshare 0x10000000 # unshare(CLONE_NEWUSER)" \
	"ioctl 0 0x5412 # ioctl(TIOCSTI) on a file" "ioctl 0 0x100005412 # ioctl(TIOCSTI | 1 << 32)" \
	"ioctl 0 0x541c # ioctl(TIOCLINUX) on a file" "ioctl 0 0xffffffff0000541c # ioctl(TIOCLINUX), high bits set" \
	"personality 0x400000 # personality(READ_IMPLIES_EXEC)" \
	"personality 0x40000 # personality(ADDR_NO_RANDOMIZE)" "personality 0x80400000 # personality(0x80400000)"
refused ENOSYS clone3 io_uring_setup io_uring_enter io_uring_register open_tree move_mount fsopen fsconfig \
	fsmount fspick mount_setattr
refused EAFNOSUPPORT "socket 17 2 # socket(AF_PACKET)" "socket 31 5 # socket(AF_BLUETOOTH)" \
	"socket 0 2 # socket(0)" "socket 40 5 # socket(AF_VSOCK)" "socket 38 5 # socket(AF_ALG)" \
	"socket 15 2 # socket(AF_KEY)" "socket 0x100000001 2 # socket(AF_UNIX | 1 << 32)"
allowed "clone # a fork-like clone" "socket 1 2 # socket(AF_UNIX)" "socket 2 2 # socket(AF_INET)" \
	"socket 10 2 # socket(AF_INET6)" "socket 16 3 0 # socket(AF_NETLINK)" \
	"personality 0xffffffff # personality(0xffffffff)" "personality 0 # personality(PER_LINUX)" \
	"personality 8 # personality(PER_LINUX32)" "prctl # prctl(PR_GET_NO_NEW_PRIVS)" \
	"futex # futex(FUTEX_WAKE)" "madvise # madvise(MADV_DONTNEED)" "kcmp # kcmp(self, self)" \
	"dup 0 # dup(0)" "dup 2 # dup(2)" "ioctl 0 0x5421 # ioctl(FIONBIO)" getpid
check "threads, fork and execve work" "threads: ok | fork: ok | exec: ok" \
	"$(pb -- sh -c '/probe threads; /probe fork; sh -c "echo exec: ok"' | oneline)"

# Other ABIs: an x86-64 filter sees their calls under other numbers, so they kill.
if [ "$(as_user "$PR" int80 getpid 2>&1)" != "int80 getpid: ok" ]; then
	for t in "int 0x80 kills" "int 0x80 with multiarch" "multiarch filters int 0x80 alike" "socketcall"; do
		skip "$t" "the kernel runs no 32-bit syscalls (IA32 emulation off)"
	done
else
	out=$(pb -- /probe int80 getpid)
	check "getpid through int 0x80 kills with SIGSYS: status 159, nothing printed" "159 " "$? $(oneline <<<"$out")"
	out=$(pb --profile "$T/multiarch.toml" -- /probe int80 getpid ptrace personality unshare socket)
	check "with multiarch, getpid through int 0x80 returns our pid" "int80 getpid: ok" "$(head -n1 <<<"$out")"
	open=$(as_user "$PR" int80 ptrace personality unshare socket </dev/null | sed 's/^int80 //' | paste -sd, -)
	check "with multiarch, the rules apply to int 0x80 (kernel alone: $open)" \
		"int80 ptrace: EPERM | int80 personality: EPERM | int80 unshare: EPERM | int80 socket: EAFNOSUPPORT" \
		"$(tail -n +2 <<<"$out" | oneline)"
	# Documented: the filter cannot read socketcall's arguments, so every family is refused.
	check "with multiarch, socketcall(SYS_SOCKET) gets EAFNOSUPPORT, AF_UNIX too" \
		"int80 socket: ok | int80 socketcall: EAFNOSUPPORT" \
		"$(pb --profile "$T/multiarch.toml" -- /probe int80 socket 1 1 socketcall 1 1 | oneline)"
fi
# The x32 bit kills whether or not the kernel has x32: the filter looks before the kernel.
out=$(pb -- /probe x32 getpid)
check "getpid through the x32 bit kills with SIGSYS: status 159, nothing printed" "159 " "$? $(oneline <<<"$out")"
check "with multiarch, the rules apply to x32 calls" "x32 unshare: EPERM" \
	"$(pb --profile "$T/multiarch.toml" -- /probe x32 unshare)"
if [ "$(as_user "$PR" x32 getpid 2>&1)" = "x32 getpid: ok" ]; then
	check "with multiarch, getpid through the x32 bit returns our pid" "x32 getpid: ok" \
		"$(pb --profile "$T/multiarch.toml" -- /probe x32 getpid)"
else
	skip "with multiarch, getpid through the x32 bit returns our pid" \
		"the kernel has no x32 ABI (CONFIG_X86_X32_ABI): x32 getpid gives ENOSYS outside"
fi

# Profile rules.
profile cond 'deny = ["dup(arg0 == 0)", "dup(arg0 & 0x2)"]'
check "deny with conditions refuses only the matching calls" "dup: EPERM | dup: ok | dup: EPERM" \
	"$(pb --profile "$T/cond.toml" -- /probe sys dup 0 dup 1 dup 2 | oneline)"
profile enosys 'deny = ["keyctl: errno(ENOSYS)"]'
check ": errno(ENOSYS) changes the errno, and only for that call" "keyctl: ENOSYS | add_key: EPERM" \
	"$(pb --profile "$T/enosys.toml" -- /probe sys keyctl add_key | oneline)"
profile kill 'deny = ["perf_event_open: kill"]'
out=$(pb --profile "$T/kill.toml" -- /probe sys getpid perf_event_open getpid)
check ": kill kills with SIGSYS: status 159, nothing printed after" "159 getpid: ok" "$? $(oneline <<<"$out")"
profile ptkill 'deny = ["ptrace(arg0 == 16): kill"]'
check_match "a deny with conditions under a built-in rule of another action is an error" \
	"*security.deny: 'ptrace(arg0 == 16): kill' could match the same calls as the default policy's own errno rule for ptrace*" \
	"$(sb --check-profile "$T/ptkill.toml" 2>&1)"
profile debug 'deny = ["@debug"]'
check "deny @debug refuses kcmp, which the default allows" "kcmp: EPERM | ptrace: EPERM" \
	"$(pb --profile "$T/debug.toml" -- /probe sys kcmp ptrace | oneline)"

if command -v strace >/dev/null; then
	profile ptrace 'allow = ["ptrace"]'
	out=$(sb -- strace -f -o /dev/null true 2>&1)
	check_match "strace fails by default" "[1-9]* *Operation not permitted*" "$? $(oneline <<<"$out")"
	out=$(sb --profile "$T/ptrace.toml" -- strace -f -o /dev/null true 2>&1)
	check "allow = [\"ptrace\"] lets strace -f work" "0 " "$? $(oneline <<<"$out")"
else
	skip "strace fails by default" "strace is not installed (scripts/deps --test)"
	skip "allow = [\"ptrace\"] lets strace -f work" "strace is not installed (scripts/deps --test)"
fi

profile nested 'nested_userns = true'
out=$(sb -- sh -c 'cat /proc/sys/user/max_user_namespaces; unshare -U true' 2>&1)
check_match "by default max_user_namespaces is 0 and unshare -U fails with EPERM" \
	"0 | *unshare failed: Operation not permitted" "$(oneline <<<"$out")"
check "nested_userns: max_user_namespaces is 256 and unshare -U works" "256 | unshared" \
	"$(sb --profile "$T/nested.toml" -- sh -c 'cat /proc/sys/user/max_user_namespaces; unshare -U true && echo unshared' 2>&1 | oneline)"
check "nested_userns: clone and unshare with CLONE_NEWUSER work" "clone: ok | unshare: ok" \
	"$(pb --profile "$T/nested.toml" -- /probe sys clone 0x10000000 unshare 0x10000000 | oneline)"

check "seccomp = \"none\": no filter, and refused calls go through" \
	"personality: ok | ptrace: ESRCH | Seccomp:$(printf '\t')0" \
	"$(pb --profile "$T/none.toml" -- sh -c '/probe sys personality 0x400000 ptrace; grep "^Seccomp:" /proc/self/status' | oneline)"
check_match "--explain warns about seccomp = \"none\"" "*warning: *seccomp = \"none\"*" \
	"$(sb --explain --profile "$T/none.toml" -- true)"
check "--explain does not warn about the default policy" "" \
	"$(sb --explain -- true | grep '^warning: .*seccomp')"
check "--explain says what pid 1 inside may do, with the profile's filter off too" \
	"init pid 1: no caps, not dumpable, read/wait4/kill/exit only built in" \
	"$(sb --explain --profile "$T/none.toml" -- true | grep '^  init ' | tr -s ' ' | sed 's/^ //')"

# Audit mode.
pb -- /probe sys unshare >/dev/null 2>&1
rc=$?
out=$(pb --seccomp-log -- /probe sys unshare 2>"$T/audit.err")
check "--seccomp-log: the command still gets EPERM, the status is unchanged" "unshare: EPERM $rc" "$out $?"
check_match "--seccomp-log reports the refusal on stderr" \
	"sandbox: seccomp: pid [0-9]* (probe): unshare refused with EPERM \[built in\]" "$(cat "$T/audit.err")"
profile log 'deny = ["dup(arg0 == 0): log"]'
out=$(pb --profile "$T/log.toml" -- /probe sys dup 0 dup 1 unshare 2>&1 | sed -E 's/pid [0-9]+ /pid N /' | oneline)
check "a log rule lets the call through, reports it, and turns on audit mode" \
	"sandbox: seccomp: pid N (probe): dup allowed and logged [$T/log.toml:4:9] | dup: ok | dup: ok | sandbox: seccomp: pid N (probe): unshare refused with EPERM [built in] | unshare: EPERM" \
	"$out"
profile log-all 'deny = ["mbind: log"]'
check_match "a log rule for every call of a refused syscall is an error" \
	"*security.deny: 'mbind: log' would let through the calls the default policy refuses*" \
	"$(sb --check-profile "$T/log-all.toml" 2>&1)"
out=$(pb --profile "$T/kill.toml" --seccomp-log -- /probe sys getpid perf_event_open getpid 2>&1)
check "a kill rule in audit mode kills with SIGKILL: status 137, reported" \
	"137 getpid: ok | sandbox: seccomp: pid N (probe): perf_event_open refused: process killed [$T/kill.toml:4:9]" \
	"$? $(sed -E 's/pid [0-9]+ /pid N /' <<<"$out" | oneline)"

profile same 'deny = ["ioctl(arg1 & 0xffffffff == 0x5412): errno(EACCES)"]'
check "a deny with exactly the conditions of a built-in rule replaces it" "ioctl: EACCES | ioctl: EPERM" \
	"$(pb --profile "$T/same.toml" -- /probe sys ioctl 0 0x5412 ioctl 0 0x541c 2>&1 | oneline)"
profile overlap 'deny = ["socket(arg0 == 40): kill"]'
check_match "a deny that could overlap a built-in rule of another action is an error" \
	"*could match the same calls as the default policy's own errno rule for socket*" \
	"$(sb --check-profile "$T/overlap.toml" 2>&1)"
finish
