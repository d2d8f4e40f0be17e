// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests of syscall_rules.h and seccomp_policy.h: the default policy, rules in words,
// the userspace matcher of audit mode, and the build-time BPF.
#include "precompiled_bpf.h"
#include "seccomp_policy.h"
#include "syscall_rules.h"
#include "unit.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace sb;
using sb::test::error_of;

namespace {

SeccompPolicy policy_of(const Profile& p, bool audit = false) {
        auto r = build_policy(p, audit);
        return r ? *r : SeccompPolicy{};
}

const SyscallRule* decide(const SeccompPolicy& p, const char* name, uint64_t a0 = 0, uint64_t a1 = 0) {
        uint64_t args[6] = {a0, a1, 0, 0, 0, 0};
        return match_rule(p, name, args);
}

int errno_of(const SeccompPolicy& p, const char* name, uint64_t a0 = 0, uint64_t a1 = 0) {
        auto r = decide(p, name, a0, a1);
        return r && r->action == Action::Errno ? r->errnum : 0;
}

} // namespace

TEST_CASE("the default policy refuses what the issue lists, with the right errno") {
        auto p = policy_of(Profile{});
        for (auto n : {"syslog", "acct", "keyctl", "mbind", "unshare", "setns", "mount", "umount2", "pivot_root",
                       "chroot", "bpf", "perf_event_open", "ptrace", "process_vm_readv", "userfaultfd",
                       "kexec_load", "init_module", "reboot", "swapon", "iopl", "settimeofday", "adjtimex",
                       "vhangup", "sethostname", "fanotify_init", "open_by_handle_at", "modify_ldt"}) {
                CAPTURE(n);
                CHECK(errno_of(p, n) == EPERM);
        }
        for (auto n : {"clone3", "io_uring_setup", "io_uring_enter", "io_uring_register", "open_tree", "move_mount",
                       "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr"}) {
                CAPTURE(n);
                CHECK(errno_of(p, n) == ENOSYS);
        }
        for (auto n : {"read", "write", "openat", "mmap", "futex", "getppid", "execve", "prctl", "madvise"}) {
                CAPTURE(n);
                CHECK(decide(p, n) == nullptr);
        }
}

TEST_CASE("argument rules: clone namespace flags, ioctl low 32 bits, socket families, personality") {
        auto p = policy_of(Profile{});
        CHECK(decide(p, "clone", 0x01200011) == nullptr); // fork-like flags | SIGCHLD
        CHECK(errno_of(p, "clone", 0x10000000 | 17) == EPERM);
        CHECK(errno_of(p, "clone", 0x40000000) == EPERM);
        CHECK(errno_of(p, "ioctl", 0, 0x5412) == EPERM);
        CHECK(errno_of(p, "ioctl", 0, 0x100005412ULL) == EPERM); // high bits do not help
        CHECK(errno_of(p, "ioctl", 0, 0x541c) == EPERM);
        CHECK(decide(p, "ioctl", 0, 0x541b) == nullptr); // FIONREAD
        for (uint64_t ok : {1ULL, 2ULL, 10ULL, 16ULL})
                CHECK(decide(p, "socket", ok) == nullptr);
        for (uint64_t bad : {0ULL, 3ULL, 9ULL, 11ULL, 15ULL, 17ULL, 40ULL, 0x100000001ULL})
                CHECK(errno_of(p, "socket", bad) == EAFNOSUPPORT);
        for (uint64_t ok : {0x0ULL, 0x8ULL, 0xffffffffULL})
                CHECK(decide(p, "personality", ok) == nullptr);
        for (uint64_t bad : {0x0400000ULL, 0x80400000ULL, 0x1ULL, 0x0040000ULL, 0xfffffffeULL, 0x80000000ULL})
                CHECK(errno_of(p, "personality", bad) == EPERM);
}

TEST_CASE("nested_userns lifts the namespace rules and chroot, nothing else") {
        Profile n;
        n.nested_userns = true;
        auto p = policy_of(n);
        CHECK(p.nested_userns == 256);
        CHECK(decide(p, "unshare", 0x10000000) == nullptr);
        CHECK(decide(p, "clone", 0x10000000) == nullptr);
        CHECK(decide(p, "chroot") == nullptr);
        CHECK(errno_of(p, "setns") == EPERM);
        CHECK(errno_of(p, "mount") == EPERM);
        CHECK(policy_of(Profile{}).nested_userns == 0);
}

TEST_CASE("allow lifts default refusals and is recorded; deny adds rules with actions") {
        Profile pr;
        pr.syscall_allow = {{"ptrace", Origin{"a.toml", 3, 10}}, {"@numa", Origin{"a.toml", 3, 20}}};
        pr.syscall_deny = {{"ioctl(arg1 == 0x5401): errno(ENOTTY)", Origin{"a.toml", 4, 9}},
                           {"perf_event_open: kill", {}},
                           {"getppid: log", {}}};
        auto p = policy_of(pr);
        CHECK(decide(p, "ptrace") == nullptr);
        CHECK(decide(p, "mbind") == nullptr);
        REQUIRE_HOLDS(p.loosened.size() >= 2);
        CHECK(p.loosened[0] == "ptrace (a.toml:3:10)");
        CHECK(errno_of(p, "ioctl", 0, 0x5401) == ENOTTY);
        CHECK(errno_of(p, "ioctl", 0, 0x5412) == EPERM); // the built-in rules stay
        auto k = decide(p, "perf_event_open");
        REQUIRE_HOLDS(k);
        CHECK(k->action == Action::Kill);
        CHECK(p.notify); // a log rule needs the launcher
        auto l = decide(p, "getppid");
        REQUIRE_HOLDS(l);
        CHECK(l->action == Action::Log);
        CHECK(errno_of(p, "ioctl", 0, 0x5401) == ENOTTY);
        REQUIRE_HOLDS(decide(p, "ioctl", 0, 0x5401));
        CHECK(decide(p, "ioctl", 0, 0x5401)->origin == "a.toml:4:9");
}

TEST_CASE("a deny without conditions decides the whole syscall") {
        Profile pr;
        pr.syscall_deny = {{"ioctl: errno(EACCES)", {}}};
        auto p = policy_of(pr);
        CHECK(errno_of(p, "ioctl", 0, 0x5412) == EACCES);
        CHECK(errno_of(p, "ioctl", 0, 0x541b) == EACCES);
}

TEST_CASE("seccomp = none disables the filter") {
        Profile pr;
        pr.seccomp = "none";
        auto p = policy_of(pr);
        CHECK_FALSE(p.enabled);
        auto bpf = compile_policy(p);
        REQUIRE_OK(bpf);
        CHECK(bpf->empty());
}

TEST_CASE("parse_rule: names, groups, conditions, actions and their errors") {
        auto g = parse_rule("@mount", false);
        REQUIRE_OK(g);
        CHECK(g->size() >= 10);
        auto r = parse_rule("ioctl(arg1 & 0xff == 0x12 && arg0 >= 3): errno(EACCES)", false);
        REQUIRE_OK(r);
        REQUIRE_HOLDS(r->size() == 1);
        auto& x = (*r)[0];
        CHECK(x.name == "ioctl");
        REQUIRE_HOLDS(x.conds.size() == 2);
        CHECK(x.conds[0].op == ArgCond::MaskedEq);
        CHECK(x.conds[0].mask == 0xff);
        CHECK(x.conds[0].value == 0x12);
        CHECK(x.conds[1].op == ArgCond::Ge);
        CHECK(x.errnum == EACCES);
        auto bit = parse_rule("clone(arg0 & 0x10000000)", false);
        REQUIRE_OK(bit);
        CHECK((*bit)[0].conds[0].value == 0x10000000);
        CHECK((*bit)[0].errnum == EPERM);
        CHECK(error_of(parse_rule("ptrcae", false)) == "unknown syscall 'ptrcae', did you mean 'ptrace'?");
        CHECK(error_of(parse_rule("ioctl(arg9 == 1)", false)).starts_with("a condition starts with arg0"));
        CHECK(error_of(parse_rule("ioctl(arg1 == 0x1g)", false)) == "'1g' is not a number");
        CHECK(error_of(parse_rule("ioctl(arg1 == 99999999999999999999999)", false)).ends_with("does not fit in 64 bits"));
        CHECK(error_of(parse_rule("x: errno(0)", false)).starts_with("errno '0'"));
        CHECK(error_of(parse_rule("ptrace: errno(0)", false)) == "errno '0' is out of range (1 to 4095)");
        CHECK(parse_rule("ptrace: errno(13)", false).has_value());
}

TEST_CASE("every group member is a real syscall or absent from x86-64, and the groups are documented") {
        for (auto& g : syscall_groups()) {
                CAPTURE(g.name);
                CHECK(!g.doc.empty());
                auto r = parse_rule("@" + std::string(g.name), false);
                REQUIRE_OK(r);
                CHECK(!r->empty());
        }
        CHECK(native_syscall_names().size() > 300);
}

TEST_CASE("audit mode: every refusal becomes a notification, the decisions stay the same") {
        auto p = policy_of(Profile{}, true);
        CHECK(p.notify);
        CHECK(errno_of(p, "ptrace") == EPERM);
        auto quiet = compile_policy(policy_of(Profile{}));
        auto loud = compile_policy(p);
        REQUIRE_OK(quiet);
        REQUIRE_OK(loud);
        CHECK(!quiet->empty());
        CHECK(!loud->empty());
}

TEST_CASE("the build-time BPF is exactly what libseccomp makes now, in every variant") {
        for (int v = 0; v < 8; v++) {
                CAPTURE(v);
                Profile pr;
                pr.nested_userns = (v & 1) != 0;
                pr.multiarch = (v & 2) != 0;
                auto fresh = compile_policy(policy_of(pr, (v & 4) != 0));
                REQUIRE_OK(fresh);
                auto pre = precompiled_bpf((v & 1) != 0, (v & 2) != 0, (v & 4) != 0);
                REQUIRE_HOLDS(pre.size() == fresh->size());
                CHECK(memcmp(pre.data(), fresh->data(), pre.size() * sizeof(sock_filter)) == 0);
        }
}

TEST_CASE("pid 1's filter: the build-time BPF is what libseccomp makes now") {
        auto fresh = compile_init_filter();
        REQUIRE_OK(fresh);
        auto pre = precompiled_init_bpf();
        REQUIRE_HOLDS(pre.size() == fresh->size());
        CHECK(memcmp(pre.data(), fresh->data(), pre.size() * sizeof(sock_filter)) == 0);
}

TEST_CASE("pid 1's filter lets it reap, relay signals and exit, and refuses the rest with EPERM") {
        auto bpf = compile_init_filter();
        REQUIRE_OK(bpf);
        pid_t pid = fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
                // Raw syscalls only: from here on libc's wrappers might need more than the filter gives.
                struct sock_fprog prog = {static_cast<unsigned short>(bpf->size()), bpf->data()};
                auto leave = [](long code) { syscall(SYS_exit_group, code); };
                if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
                    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0U, &prog) < 0)
                        leave(10);
                if (syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDONLY) != -1 || errno != EPERM)
                        leave(11);
                if (syscall(SYS_getpid) != -1 || errno != EPERM)
                        leave(12);
                if (syscall(SYS_unshare, 0) != -1 || errno != EPERM)
                        leave(13);
                if (syscall(SYS_kill, 0, 0) != 0) // signal 0 to its own group: allowed
                        leave(14);
                if (syscall(SYS_wait4, -1, nullptr, WNOHANG, nullptr) != -1 || errno != ECHILD)
                        leave(15);
                char c;
                if (syscall(SYS_read, -1, &c, 1) != -1 || errno != EBADF)
                        leave(16);
                leave(0);
        }
        int status = 0;
        REQUIRE(waitpid(pid, &status, 0) == pid);
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("strict: an allow-list; everything else, named or not, fails with ENOSYS") {
        Profile pr;
        pr.seccomp = "strict";
        auto p = policy_of(pr);
        CHECK(p.strict);
        for (auto n : {"read", "openat", "clone", "execve", "futex", "socket", "epoll_wait", "statx", "getrandom"}) {
                CAPTURE(n);
                auto r = decide(p, n, n == std::string("clone") ? 0x01200011 : 1);
                CHECK(r == nullptr);
        }
        CHECK(errno_of(p, "kcmp") == ENOSYS);
        CHECK(errno_of(p, "process_madvise") == ENOSYS);
        CHECK(errno_of(p, "ptrace") == EPERM);              // the default's own rule stays
        CHECK(errno_of(p, "ioctl", 0, 0x5412) == EPERM);    // argument rules too
        CHECK(errno_of(p, "clone", 0x10000000) == EPERM);
        bool numbered = false;
        for (auto& r : p.rules)
                numbered = numbered || r.name.starts_with("#");
        CHECK(numbered); // calls newer than libseccomp's table are closed by number
        auto bpf = compile_policy(p);
        REQUIRE_OK(bpf);
        CHECK(bpf->size() < 4096); // the kernel's limit on one filter

        pr.syscall_allow = {{"kcmp", {}}};
        CHECK(decide(policy_of(pr), "kcmp") == nullptr);
}

TEST_CASE("rules that would silently loosen or vanish are errors") {
        Profile pr;
        pr.syscall_deny = {{"ioctl: log", Origin{"p.toml", 3, 9}}};
        CHECK(error_of(build_policy(pr, false)) ==
              "p.toml:3:9: security.deny: 'ioctl: log' would let through the calls the default policy refuses; add "
              "conditions, or use --seccomp-log to see them");
        pr.syscall_deny = {{"getppid: log", {}}}; // nothing built in to lose
        CHECK(build_policy(pr, false).has_value());
        pr.seccomp = "none";
        pr.syscall_deny = {{"ptrace", Origin{"p.toml", 4, 9}}};
        CHECK(error_of(build_policy(pr, false)) ==
              "p.toml:4:9: security.deny: the rule 'ptrace' cannot apply: security.seccomp is \"none\"");
        CHECK(error_of(parse_rule("#0", false)).starts_with("unknown syscall '#0'"));
        CHECK(error_of(parse_rule("ptrace(arg0 > 1 && arg0 < 9)", false)) ==
              "two conditions on arg0: libseccomp takes one per argument");
}

TEST_CASE("a conditional deny that overlaps a built-in rule: the same conditions replace it, others are errors") {
        Profile pr;
        pr.syscall_deny = {{"ioctl(arg1 & 0xffffffff == 0x5412): kill", {}}};
        auto p = policy_of(pr);
        auto r = decide(p, "ioctl", 0, 0x5412);
        REQUIRE_HOLDS(r);
        CHECK(r->action == Action::Kill);
        CHECK(errno_of(p, "ioctl", 0, 0x541c) == EPERM);
        REQUIRE_OK(compile_policy(p));

        for (auto text : {"clone(arg0 & 0x10000000): errno(EACCES)", "socket(arg0 == 40): kill",
                          "socket(arg0 >= 17): errno(EACCES)", "ptrace(arg0 == 16): kill"}) {
                CAPTURE(text);
                pr.syscall_deny = {{text, Origin{"p.toml", 2, 9}}};
                CHECK_CONTAINS(error_of(build_policy(pr, false)), "could match the same calls as the default policy");
        }
        // Disjoint from every built-in rule: fine, and both filter and audit mode agree.
        pr.syscall_deny = {{"socket(arg0 == 2): errno(EACCES)", {}}, {"ioctl(arg1 == 0x5401): errno(ENOTTY)", {}}};
        auto q = policy_of(pr);
        CHECK(errno_of(q, "socket", 2) == EACCES);
        CHECK(errno_of(q, "socket", 40) == EAFNOSUPPORT);
        REQUIRE_OK(compile_policy(q));
        // Same action as the built-in rule: no conflict.
        pr.syscall_deny = {{"socket(arg0 == 40)", {}}};
        CHECK(build_policy(pr, false).has_value() == false); // EPERM vs EAFNOSUPPORT differ
        pr.syscall_deny = {{"socket(arg0 == 40): errno(EAFNOSUPPORT)", {}}};
        CHECK(build_policy(pr, false).has_value());
        CHECK(parse_rule("ptrace: errno(ENOTSUP)", false).has_value());
        CHECK(parse_rule("ptrace: errno(EWOULDBLOCK)", false).has_value());
}
