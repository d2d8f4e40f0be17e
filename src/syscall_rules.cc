// SPDX-License-Identifier: GPL-2.0-or-later
// The syscall policy as data: the default rules, named groups, profile rules in words (pure).
#include "syscall_rules.h"

#include "text.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <seccomp.h>

namespace sb {

namespace {

// Namespace flags of clone(2); 0x80 (CLONE_NEWTIME) is an exit signal bit there.
constexpr uint64_t clone_ns_flags[] = {0x00020000, 0x02000000, 0x04000000, 0x08000000,
                                       0x10000000, 0x20000000, 0x40000000};
constexpr uint64_t low32 = 0xffffffffULL;

const std::vector<std::string_view> default_eperm = {
    "syslog",
    "uselib",
    "acct",
    "quotactl",
    "add_key",
    "keyctl",
    "request_key",
    "move_pages",
    "mbind",
    "get_mempolicy",
    "set_mempolicy",
    "migrate_pages",
    "unshare",
    "setns",
    "mount",
    "umount2",
    "pivot_root",
    "chroot",
    "bpf",
    "perf_event_open",
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "userfaultfd",
    "kexec_load",
    "kexec_file_load",
    "init_module",
    "finit_module",
    "delete_module",
    "reboot",
    "swapon",
    "swapoff",
    "iopl",
    "ioperm",
    "settimeofday",
    "clock_settime",
    "clock_adjtime",
    "adjtimex",
    "vhangup",
    "sethostname",
    "setdomainname",
    "lookup_dcookie",
    "fanotify_init",
    "name_to_handle_at",
    "open_by_handle_at",
    "modify_ldt",
    "vm86",
    "nfsservctl",
};

// ENOSYS, so that libraries fall back to what the filter can inspect (clone3 -> clone).
const std::vector<std::string_view> default_enosys = {
    "clone3",   "io_uring_setup", "io_uring_enter", "io_uring_register", "open_tree", "move_mount", "fsopen",
    "fsconfig", "fsmount",        "fspick",         "mount_setattr",
};

// The strict base: what ordinary command-line programs use. Everything else fails with
// ENOSYS, numbers libseccomp has no name for included, so that new kernel calls are closed
// until someone decides to open them. The default policy's argument rules still apply.
const std::vector<std::string_view> strict_allow = {
    // files and descriptors
    "read",
    "write",
    "open",
    "openat",
    "openat2",
    "close",
    "close_range",
    "creat",
    "stat",
    "fstat",
    "lstat",
    "newfstatat",
    "statx",
    "statfs",
    "fstatfs",
    "lseek",
    "pread64",
    "pwrite64",
    "readv",
    "writev",
    "preadv",
    "pwritev",
    "preadv2",
    "pwritev2",
    "access",
    "faccessat",
    "faccessat2",
    "dup",
    "dup2",
    "dup3",
    "pipe",
    "pipe2",
    "fcntl",
    "flock",
    "fsync",
    "fdatasync",
    "syncfs",
    "sync",
    "sync_file_range",
    "truncate",
    "ftruncate",
    "fallocate",
    "fadvise64",
    "readahead",
    "getdents",
    "getdents64",
    "getcwd",
    "chdir",
    "fchdir",
    "rename",
    "renameat",
    "renameat2",
    "mkdir",
    "mkdirat",
    "rmdir",
    "link",
    "linkat",
    "unlink",
    "unlinkat",
    "symlink",
    "symlinkat",
    "readlink",
    "readlinkat",
    "chmod",
    "fchmod",
    "fchmodat",
    "chown",
    "fchown",
    "lchown",
    "fchownat",
    "umask",
    "mknod",
    "mknodat",
    "utime",
    "utimes",
    "utimensat",
    "futimesat",
    "sendfile",
    "splice",
    "tee",
    "vmsplice",
    "copy_file_range",
    "setxattr",
    "lsetxattr",
    "fsetxattr",
    "getxattr",
    "lgetxattr",
    "fgetxattr",
    "listxattr",
    "llistxattr",
    "flistxattr",
    "removexattr",
    "lremovexattr",
    "fremovexattr",
    "ioctl",
    "inotify_init",
    "inotify_init1",
    "inotify_add_watch",
    "inotify_rm_watch",
    "memfd_create",
    // polling, events, timers
    "select",
    "pselect6",
    "poll",
    "ppoll",
    "epoll_create",
    "epoll_create1",
    "epoll_ctl",
    "epoll_wait",
    "epoll_pwait",
    "epoll_pwait2",
    "eventfd",
    "eventfd2",
    "signalfd",
    "signalfd4",
    "timerfd_create",
    "timerfd_settime",
    "timerfd_gettime",
    "timer_create",
    "timer_settime",
    "timer_gettime",
    "timer_getoverrun",
    "timer_delete",
    "nanosleep",
    "clock_nanosleep",
    "clock_gettime",
    "clock_getres",
    "gettimeofday",
    "time",
    "getitimer",
    "setitimer",
    "alarm",
    "pause",
    "io_setup",
    "io_destroy",
    "io_getevents",
    "io_submit",
    "io_cancel",
    "io_pgetevents",
    // memory
    "brk",
    "mmap",
    "munmap",
    "mremap",
    "mprotect",
    "msync",
    "mincore",
    "madvise",
    "mlock",
    "mlock2",
    "munlock",
    "mlockall",
    "munlockall",
    "membarrier",
    "pkey_mprotect",
    "pkey_alloc",
    "pkey_free",
    // processes, threads, signals
    "clone",
    "fork",
    "vfork",
    "execve",
    "execveat",
    "exit",
    "exit_group",
    "wait4",
    "waitid",
    "kill",
    "tkill",
    "tgkill",
    "pidfd_open",
    "pidfd_send_signal",
    "rt_sigaction",
    "rt_sigprocmask",
    "rt_sigreturn",
    "rt_sigpending",
    "rt_sigtimedwait",
    "rt_sigqueueinfo",
    "rt_tgsigqueueinfo",
    "rt_sigsuspend",
    "sigaltstack",
    "getpid",
    "getppid",
    "gettid",
    "getpgid",
    "setpgid",
    "getpgrp",
    "getsid",
    "setsid",
    "set_tid_address",
    "set_robust_list",
    "get_robust_list",
    "futex",
    "futex_waitv",
    "rseq",
    "sched_yield",
    "sched_getaffinity",
    "sched_setaffinity",
    "sched_getparam",
    "sched_setparam",
    "sched_getscheduler",
    "sched_setscheduler",
    "sched_get_priority_max",
    "sched_get_priority_min",
    "sched_rr_get_interval",
    "sched_getattr",
    "sched_setattr",
    "getpriority",
    "setpriority",
    "ioprio_get",
    "ioprio_set",
    "prctl",
    "arch_prctl",
    "set_thread_area",
    "get_thread_area",
    "personality",
    "seccomp",
    "landlock_create_ruleset",
    "landlock_add_rule",
    "landlock_restrict_self",
    "restart_syscall",
    "uname",
    "sysinfo",
    "times",
    "getrusage",
    "getrlimit",
    "setrlimit",
    "prlimit64",
    "getcpu",
    "getrandom",
    // identity (without capabilities these only read or drop)
    "getuid",
    "geteuid",
    "getgid",
    "getegid",
    "getresuid",
    "getresgid",
    "getgroups",
    "setuid",
    "setgid",
    "setreuid",
    "setregid",
    "setresuid",
    "setresgid",
    "setgroups",
    "setfsuid",
    "setfsgid",
    "capget",
    "capset",
    // sockets
    "socket",
    "socketpair",
    "connect",
    "accept",
    "accept4",
    "bind",
    "listen",
    "shutdown",
    "getsockname",
    "getpeername",
    "setsockopt",
    "getsockopt",
    "sendto",
    "recvfrom",
    "sendmsg",
    "recvmsg",
    "sendmmsg",
    "recvmmsg",
    // System V and POSIX IPC
    "shmget",
    "shmat",
    "shmdt",
    "shmctl",
    "semget",
    "semop",
    "semtimedop",
    "semctl",
    "msgget",
    "msgsnd",
    "msgrcv",
    "msgctl",
    "mq_open",
    "mq_unlink",
    "mq_timedsend",
    "mq_timedreceive",
    "mq_notify",
    "mq_getsetattr",
};

SyscallRule rule(std::string_view name, int errnum, std::vector<ArgCond> conds = {}) {
        return SyscallRule{std::string(name), std::move(conds), Action::Errno, errnum, "built in"};
}

ArgCond masked(unsigned arg, uint64_t mask, uint64_t value) {
        return ArgCond{arg, ArgCond::MaskedEq, mask, value};
}

// personality(2) takes an unsigned int: allowed are PER_LINUX (0), PER_LINUX32 (8) and the
// query 0xffffffff. libseccomp allows one comparison per argument and rule, so the rest is
// covered by masked comparisons of the low 32 bits: a bit other than bit 3 set while bit 31
// is clear, or bit 31 set while some other bit is clear.
std::vector<SyscallRule> personality_rules() {
        std::vector<SyscallRule> out;
        constexpr uint64_t top = 1ULL << 31;
        for (unsigned b = 0; b < 31; b++) {
                if (b != 3)
                        out.push_back(rule("personality", EPERM, {masked(0, top | (1ULL << b), 1ULL << b)}));
                out.push_back(rule("personality", EPERM, {masked(0, top | (1ULL << b), top)}));
        }
        return out;
}

std::vector<SyscallRule> namespace_flag_rules() {
        std::vector<SyscallRule> out;
        for (uint64_t f : clone_ns_flags)
                out.push_back(rule("clone", EPERM, {masked(0, f, f)}));
        return out;
}

std::vector<SyscallRule> default_rules(unsigned nested_userns) {
        std::vector<SyscallRule> out;
        for (auto n : default_eperm) {
                // Apps that sandbox themselves need their own namespaces and chroot.
                if (nested_userns && (n == "unshare" || n == "chroot"))
                        continue;
                out.push_back(rule(n, EPERM));
        }
        for (auto n : default_enosys)
                out.push_back(rule(n, ENOSYS));
        if (!nested_userns)
                for (auto& r : namespace_flag_rules())
                        out.push_back(r);
        // The kernel takes the request as an unsigned int, so compare the low 32 bits only
        // (CVE-2019-10063: a full 64-bit compare is bypassed by setting high bits).
        out.push_back(rule("ioctl", EPERM, {masked(1, low32, 0x5412)})); // TIOCSTI
        out.push_back(rule("ioctl", EPERM, {masked(1, low32, 0x541c)})); // TIOCLINUX
        // socket(2): only AF_UNIX (1), AF_INET (2), AF_INET6 (10) and AF_NETLINK (16).
        for (uint64_t fam : {0, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15})
                out.push_back(rule("socket", EAFNOSUPPORT, {masked(0, low32, fam)}));
        out.push_back(rule("socket", EAFNOSUPPORT, {ArgCond{0, ArgCond::Ge, 0, 17}}));
        for (auto& r : personality_rules())
                out.push_back(r);
        return out;
}

bool holds(const ArgCond& c, uint64_t a) {
        switch (c.op) {
        case ArgCond::Eq:
                return a == c.value;
        case ArgCond::Ne:
                return a != c.value;
        case ArgCond::Lt:
                return a < c.value;
        case ArgCond::Le:
                return a <= c.value;
        case ArgCond::Gt:
                return a > c.value;
        case ArgCond::Ge:
                return a >= c.value;
        case ArgCond::MaskedEq:
                return (a & c.mask) == c.value;
        }
        return false;
}

// Whether some argument values satisfy both conditions (conservative: ranges always may).
bool may_overlap(const ArgCond& a, const ArgCond& b) {
        auto as_mask = [](const ArgCond& c, uint64_t& mask, uint64_t& value) {
                if (c.op == ArgCond::Eq) {
                        mask = ~0ULL;
                        value = c.value;
                        return true;
                }
                if (c.op == ArgCond::MaskedEq) {
                        mask = c.mask;
                        value = c.value;
                        return true;
                }
                return false;
        };
        uint64_t ma, va, mb, vb;
        bool mask_a = as_mask(a, ma, va), mask_b = as_mask(b, mb, vb);
        if (mask_a && mask_b)
                return ((va ^ vb) & ma & mb) == 0;
        // One exact value against a comparison: does the value pass it?
        if (a.op == ArgCond::Eq && !mask_b)
                return holds(b, a.value);
        if (b.op == ArgCond::Eq && !mask_a)
                return holds(a, b.value);
        return true;
}

// Whether one call could match both rules: every argument both constrain may agree.
bool rules_overlap(const SyscallRule& x, const SyscallRule& y) {
        for (auto& cx : x.conds)
                for (auto& cy : y.conds)
                        if (cx.arg == cy.arg && !may_overlap(cx, cy))
                                return false;
        return true;
}

bool same_conditions(const SyscallRule& x, const SyscallRule& y) {
        if (x.conds.size() != y.conds.size())
                return false;
        for (auto& cx : x.conds) {
                bool found = false;
                for (auto& cy : y.conds)
                        found = found || (cx.arg == cy.arg && cx.op == cy.op && cx.mask == cy.mask &&
                                          cx.value == cy.value);
                if (!found)
                        return false;
        }
        return true;
}

std::string_view action_name(const SyscallRule& r) {
        return r.action == Action::Kill ? "kill" : r.action == Action::Log ? "log" : "errno";
}

bool resolves(std::string_view name) {
        // "#451": the internal name of a syscall libseccomp has no name for (strict only).
        if (name.starts_with("#"))
                return name.size() > 1 && name.find_first_not_of("0123456789", 1) == std::string_view::npos;
        return seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, std::string(name).c_str()) !=
               __NR_SCMP_ERROR;
}

std::string_view trim(std::string_view s) {
        while (!s.empty() && s.front() == ' ')
                s.remove_prefix(1);
        while (!s.empty() && s.back() == ' ')
                s.remove_suffix(1);
        return s;
}

Result<uint64_t> number(std::string_view s) {
        s = trim(s);
        if (s.empty())
                return err("a number is missing");
        int base = 10;
        if (s.starts_with("0x") || s.starts_with("0X")) {
                base = 16;
                s.remove_prefix(2);
        }
        if (s.empty())
                return err("a number is missing");
        uint64_t v = 0;
        for (char ch : s) {
                int d = ch >= '0' && ch <= '9'   ? ch - '0'
                        : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                        : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                                 : 99;
                if (d >= base)
                        return err("%s is not a number", quote(s).c_str());
                uint64_t next = v * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
                if (next / static_cast<uint64_t>(base) != v)
                        return err("%s does not fit in 64 bits", quote(s).c_str());
                v = next;
        }
        return v;
}

// "arg1 == 0x5412", "arg0 & 0x10000000", "arg1 & 0xff == 0x12", "arg2 >= 4".
Result<ArgCond> parse_cond(std::string_view s) {
        s = trim(s);
        if (!s.starts_with("arg") || s.size() < 4 || s[3] < '0' || s[3] > '5')
                return err("a condition starts with arg0 to arg5, found %s", quote(s).c_str());
        ArgCond c;
        c.arg = static_cast<unsigned>(s[3] - '0');
        auto rest = trim(s.substr(4));
        if (rest.starts_with("&")) {
                rest = trim(rest.substr(1));
                auto eq = rest.find("==");
                auto mask = number(eq == std::string_view::npos ? rest : rest.substr(0, eq));
                if (!mask)
                        return std::move(mask).error();
                c.op = ArgCond::MaskedEq;
                c.mask = *mask;
                c.value = *mask; // "arg0 & FLAG": the flag is set
                if (eq != std::string_view::npos) {
                        auto v = number(rest.substr(eq + 2));
                        if (!v)
                                return std::move(v).error();
                        c.value = *v;
                }
                if ((c.value & ~c.mask) != 0)
                        return err("in %s the value has bits outside the mask, so it never matches",
                                   quote(s).c_str());
                return c;
        }
        static const std::pair<std::string_view, ArgCond::Op> ops[] = {
            {"==", ArgCond::Eq}, {"!=", ArgCond::Ne}, {"<=", ArgCond::Le},
            {">=", ArgCond::Ge}, {"<", ArgCond::Lt},  {">", ArgCond::Gt}};
        for (auto& [text, op] : ops) {
                if (!rest.starts_with(text))
                        continue;
                auto v = number(rest.substr(text.size()));
                if (!v)
                        return std::move(v).error();
                c.op = op;
                c.value = *v;
                return c;
        }
        return err("expected ==, !=, <, <=, >, >= or & after arg%u in %s", c.arg, quote(s).c_str());
}

Result<int> errno_named(std::string_view s) {
        s = trim(s);
        if (!s.empty() && s[0] >= '0' && s[0] <= '9') {
                auto v = number(s);
                if (!v || *v == 0 || *v > 4095)
                        return err("errno %s is out of range (1 to 4095)", quote(s).c_str());
                return static_cast<int>(*v);
        }
        for (int e = 1; e < 200; e++)
                if (const char* n = strerrorname_np(e); n && s == n)
                        return e;
        // Names glibc gives a value another name already has.
        if (s == "ENOTSUP")
                return EOPNOTSUPP;
        if (s == "EWOULDBLOCK")
                return EAGAIN;
        if (s == "EDEADLOCK")
                return EDEADLK;
        return err("unknown errno name %s (such as EPERM, EACCES, ENOSYS)", quote(s).c_str());
}

Result<Action> parse_action(std::string_view s, int& errnum) {
        s = trim(s);
        if (s == "kill")
                return Action::Kill;
        if (s == "log")
                return Action::Log;
        if (s.starts_with("errno(") && s.ends_with(")")) {
                auto e = errno_named(s.substr(6, s.size() - 7));
                if (!e)
                        return std::move(e).error();
                errnum = *e;
                return Action::Errno;
        }
        return err("expected an action: errno(NAME), kill or log, found %s", quote(s).c_str());
}

Error unknown_name(std::string_view name, bool group) {
        std::vector<std::string_view> candidates;
        if (group) {
                for (auto& g : syscall_groups())
                        candidates.push_back(g.name);
        } else {
                for (auto& n : native_syscall_names())
                        candidates.push_back(n);
        }
        auto hint = closest_match(name, candidates);
        return err("unknown %s %s%s", group ? "syscall group" : "syscall",
                   quote(std::string(group ? "@" : "") + std::string(name)).c_str(),
                   hint.empty() ? ""
                                : (", did you mean '" + std::string(group ? "@" : "") + hint + "'?").c_str());
}

} // namespace

const std::vector<std::string>& native_syscall_names() {
        static const std::vector<std::string> names = [] {
                std::vector<std::string> out;
                for (int nr = 0; nr < 1024; nr++)
                        if (char* n = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, nr)) {
                                out.emplace_back(n);
                                free(n);
                        }
                return out;
        }();
        return names;
}

const std::vector<SyscallGroup>& syscall_groups() {
        static const std::vector<SyscallGroup> groups = {
            {"bpf", "eBPF programs and maps", {"bpf"}},
            {"clock",
             "setting the system clock",
             {"settimeofday", "clock_settime", "clock_adjtime", "adjtimex"}},
            {"cpu-emulation", "16-bit and LDT emulation", {"modify_ldt", "vm86", "vm86old"}},
            {"debug",
             "tracing and inspecting other processes",
             {"ptrace", "process_vm_readv", "process_vm_writev", "perf_event_open", "lookup_dcookie",
              "kcmp"}},
            {"io-uring",
             "io_uring, which the filter cannot inspect",
             {"io_uring_setup", "io_uring_enter", "io_uring_register"}},
            {"keyring", "the kernel keyring", {"add_key", "keyctl", "request_key"}},
            {"module",
             "loading and removing kernel modules",
             {"init_module", "finit_module", "delete_module"}},
            {"mount",
             "mounting, old and new API, and changing root",
             {"mount", "umount2", "pivot_root", "chroot", "open_tree", "move_mount", "fsopen", "fsconfig",
              "fsmount", "fspick", "mount_setattr"}},
            {"namespaces", "entering or creating namespaces", {"unshare", "setns", "clone3"}},
            {"numa",
             "NUMA memory policy",
             {"move_pages", "mbind", "get_mempolicy", "set_mempolicy", "migrate_pages"}},
            {"obsolete",
             "calls no current program needs",
             {"uselib", "nfsservctl", "_sysctl", "sysfs", "ustat", "create_module", "get_kernel_syms",
              "query_module", "afs_syscall", "getpmsg", "putpmsg", "security", "tuxcall", "vserver",
              "lookup_dcookie"}},
            {"privileged",
             "administration that needs real privilege",
             {"acct", "quotactl", "syslog", "vhangup", "sethostname", "setdomainname", "fanotify_init",
              "name_to_handle_at", "open_by_handle_at", "userfaultfd", "iopl", "ioperm"}},
            {"raw-io", "direct port I/O", {"iopl", "ioperm"}},
            {"reboot", "rebooting and loading a new kernel", {"reboot", "kexec_load", "kexec_file_load"}},
            {"swap", "swap devices", {"swapon", "swapoff"}},
        };
        return groups;
}

Result<std::vector<SyscallRule>> parse_rule(std::string_view text, bool allow_list) {
        auto s = trim(text);
        std::string_view action_text;
        // The action follows the first ':' outside the parentheses.
        size_t colon = std::string_view::npos;
        int depth = 0;
        for (size_t i = 0; i < s.size() && colon == std::string_view::npos; i++) {
                depth += s[i] == '(' ? 1 : s[i] == ')' ? -1 : 0;
                if (s[i] == ':' && depth == 0)
                        colon = i;
        }
        if (colon != std::string_view::npos) {
                action_text = s.substr(colon + 1);
                s = trim(s.substr(0, colon));
        }
        auto open = s.find('(');
        auto name = trim(s.substr(0, open));
        std::vector<ArgCond> conds;
        if (open != std::string_view::npos) {
                if (!s.ends_with(")"))
                        return err("a condition list must end with ')'");
                auto inner = s.substr(open + 1, s.size() - open - 2);
                if (trim(inner).empty())
                        return err("empty condition list in %s", quote(text).c_str());
                size_t pos = 0;
                while (pos <= inner.size()) {
                        auto amp = inner.find("&&", pos);
                        auto part = inner.substr(pos, amp == std::string_view::npos ? std::string_view::npos
                                                                                    : amp - pos);
                        auto c = parse_cond(part);
                        if (!c)
                                return std::move(c).error();
                        for (auto& prev : conds)
                                if (prev.arg == c->arg)
                                        return err(
                                            "two conditions on arg%u: libseccomp takes one per argument",
                                            c->arg);
                        conds.push_back(*c);
                        if (amp == std::string_view::npos)
                                break;
                        pos = amp + 2;
                }
        }
        SyscallRule base;
        base.conds = conds;
        if (allow_list) {
                if (!conds.empty() || !action_text.empty())
                        return err("allow takes names and @groups; conditions and actions belong in deny");
                base.action = Action::Allow;
        } else {
                base.action = Action::Errno;
                base.errnum = EPERM;
                if (!action_text.empty()) {
                        auto a = parse_action(action_text, base.errnum);
                        if (!a)
                                return std::move(a).error();
                        base.action = *a;
                }
        }
        std::vector<SyscallRule> out;
        if (name.starts_with("@")) {
                auto g = name.substr(1);
                if (!conds.empty())
                        return err("conditions apply to one syscall, not to the group %s",
                                   quote(name).c_str());
                auto it = std::find_if(syscall_groups().begin(), syscall_groups().end(),
                                       [&](const SyscallGroup& x) { return x.name == g; });
                if (it == syscall_groups().end())
                        return unknown_name(g, true);
                for (auto n : it->syscalls) {
                        if (!resolves(n))
                                continue; // not on this architecture (vm86 on x86-64)
                        auto r = base;
                        r.name = n;
                        out.push_back(r);
                }
                return out;
        }
        if (name.empty())
                return err("a syscall name is missing in %s", quote(text).c_str());
        if (name.starts_with("#"))
                return unknown_name(name, false);
        if (!resolves(name))
                return unknown_name(name, false);
        base.name = name;
        out.push_back(base);
        return out;
}

Result<SeccompPolicy> build_policy(const Profile& p, bool audit) {
        SeccompPolicy policy;
        auto base = p.seccomp.value_or("default");
        policy.enabled = base != "none";
        policy.multiarch = p.multiarch.value_or(false);
        // Firefox makes one user namespace per content process, and with site isolation a
        // process per site open: 16 was seen to run out. The bound is kept, well above that.
        policy.nested_userns = p.nested_userns.value_or(false) ? 256 : 0;
        if (!policy.enabled) {
                // A deny in any layer beats an allow in another; "no filter" would silently drop it.
                if (!p.syscall_deny.empty())
                        return err(
                            "%s: security.deny: the rule %s cannot apply: security.seccomp is \"none\"",
                            p.syscall_deny.front().origin.str().c_str(),
                            quote(p.syscall_deny.front().value).c_str());
                return policy;
        }
        policy.rules = default_rules(policy.nested_userns);
        if (base == "strict") {
                policy.strict = true;
                // Everything off the allow-list fails with ENOSYS, by name where libseccomp has one
                // and by number ("#451") where it does not yet.
                for (int nr = 0; nr < 512; nr++) {
                        char* raw = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, nr);
                        std::string name = raw ? raw : "#" + std::to_string(nr);
                        free(raw);
                        bool allowed =
                            std::find(strict_allow.begin(), strict_allow.end(), name) != strict_allow.end();
                        if (policy.nested_userns && (name == "unshare" || name == "chroot"))
                                allowed = true;
                        bool ruled = std::any_of(policy.rules.begin(), policy.rules.end(),
                                                 [&](const SyscallRule& r) { return r.name == name; });
                        if (!allowed && !ruled)
                                policy.rules.push_back(rule(name, ENOSYS));
                }
        }
        for (auto& a : p.syscall_allow) {
                auto rules = parse_rule(a.value, true);
                if (!rules)
                        return err("%s: security.allow: %s", a.origin.str().c_str(),
                                   rules.error().msg.c_str());
                for (auto& r : *rules) {
                        auto before = policy.rules.size();
                        std::erase_if(policy.rules, [&](const SyscallRule& d) { return d.name == r.name; });
                        if (policy.rules.size() != before)
                                policy.loosened.push_back(r.name + " (" + a.origin.str() + ")");
                }
        }
        for (auto& d : p.syscall_deny) {
                auto rules = parse_rule(d.value, false);
                if (!rules)
                        return err("%s: security.deny: %s", d.origin.str().c_str(),
                                   rules.error().msg.c_str());
                for (auto& r : *rules) {
                        r.origin = d.origin.str();
                        // A rule without conditions decides the whole syscall: the built-in
                        // argument rules for it would be swallowed by libseccomp anyway. A refusal
                        // of every call is at least as strict; a "log" rule would let them all through.
                        bool builtin =
                            std::any_of(policy.rules.begin(), policy.rules.end(), [&](const SyscallRule& x) {
                                    return x.name == r.name && x.origin == "built in";
                            });
                        if (r.conds.empty() && builtin && r.action == Action::Log)
                                return err("%s: security.deny: %s would let through the calls the default "
                                           "policy refuses; add conditions, or use --seccomp-log to see them",
                                           d.origin.str().c_str(), quote(d.value).c_str());
                        if (r.conds.empty())
                                std::erase_if(policy.rules,
                                              [&](const SyscallRule& x) { return x.name == r.name; });
                        // libseccomp gives no precedence between overlapping conditional rules of
                        // different actions (and refuses identical ones): the same conditions
                        // replace the built-in rule; any other overlap is refused.
                        std::erase_if(policy.rules, [&](const SyscallRule& x) {
                                return x.name == r.name && x.origin == "built in" && same_conditions(x, r);
                        });
                        for (auto& x : policy.rules) {
                                if (x.name != r.name || x.origin != "built in" || !rules_overlap(x, r) ||
                                    (x.action == r.action && x.errnum == r.errnum))
                                        continue;
                                return err("%s: security.deny: %s could match the same calls as the default "
                                           "policy's own %s rule for %s, and only one can decide; deny %s "
                                           "without conditions instead",
                                           d.origin.str().c_str(), quote(d.value).c_str(),
                                           std::string(action_name(x)).c_str(), r.name.c_str(),
                                           r.name.c_str());
                        }
                        policy.rules.push_back(r);
                }
        }
        policy.notify = audit;
        for (auto& r : policy.rules)
                policy.notify = policy.notify || r.action == Action::Log;
        return policy;
}

const SyscallRule* match_rule(const SeccompPolicy& policy, std::string_view name, const uint64_t args[6]) {
        for (auto& r : policy.rules) {
                if (r.name != name)
                        continue;
                bool all = true;
                for (auto& c : r.conds)
                        all = all && holds(c, args[c.arg]);
                if (all)
                        return &r;
        }
        return nullptr;
}

} // namespace sb
