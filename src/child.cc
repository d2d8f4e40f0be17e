// SPDX-License-Identifier: GPL-2.0-or-later
// The child: pid 1 of the new namespaces. One checklist of steps, then the command.
#include "child.h"

#include "caps.h"
#include "clone.h"
#include "init.h"
#include "landlock.h"
#include "mount.h"
#include "sync.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <linux/close_range.h>
#include <linux/seccomp.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace sb {

namespace {

// Built with AddressSanitizer (scripts/sanitize): pid 1 goes without its filter, see child_main.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool sanitizer_build = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool sanitizer_build = true;
#else
constexpr bool sanitizer_build = false;
#endif
#else
constexpr bool sanitizer_build = false;
#endif

void write_file(int sync, const char* path, const char* text) noexcept {
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        size_t len = strlen(text);
        if (fd < 0 || write(fd, text, len) != static_cast<ssize_t>(len))
                child_fail(sync, Stage::IdMap, errno, "write '%s'", path);
        close(fd);
}

// We map our own ids: a single line for our own uid needs no help from the parent,
// which saves a round trip between the two processes on every start.
void write_id_maps(const Plan& plan, int sync) noexcept {
        // ORDER: setgroups must be denied before an unprivileged gid_map write, or EPERM.
        write_file(sync, "/proc/self/setgroups", "deny");
        write_file(sync, "/proc/self/gid_map", plan.gid_map.c_str());
        write_file(sync, "/proc/self/uid_map", plan.uid_map.c_str());
}

void bring_up_loopback(int sync) noexcept {
        int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (s < 0)
                child_fail(sync, Stage::Network, errno, "socket");
        struct ifreq ifr;
        memset(&ifr, 0, sizeof ifr);
        memcpy(ifr.ifr_name, "lo", 3);
        if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
                child_fail(sync, Stage::Network, errno, "get flags of 'lo'");
        ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP);
        if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
                child_fail(sync, Stage::Network, errno, "bring up 'lo'");
        close(s);
}

struct NetHelper {
        pid_t pid = -1;
        int pidfd = -1;
        int ready = -1; // reads one byte once the namespace is up, EOF if the helper failed
        int sync = -1;
        int ready_w = -1;
};

int net_helper_main(void* arg) noexcept {
        auto* h = static_cast<NetHelper*>(arg);
        close(h->ready);
        if (unshare(CLONE_NEWNET) < 0)
                child_fail(h->sync, Stage::Network, errno, "create the network namespace");
        bring_up_loopback(h->sync);
        if (write(h->ready_w, "1", 1) != 1)
                _exit(125);
        for (;;)
                pause(); // holds the namespace until we have joined it
}

// A new network namespace costs ~0.7 ms of kernel setup, the slowest step of a start. A
// helper makes it, with loopback up, while we build the filesystem; we join it after. It
// shares our memory (no page tables to copy or tear down) and runs on its own stack; it
// touches nothing of ours but errno, and that only on its way out.
NetHelper start_net_helper(int sync) noexcept {
        alignas(64) static char stack[64 * 1024];
        static NetHelper h;
        int p[2];
        if (pipe2(p, O_CLOEXEC) < 0)
                child_fail(sync, Stage::Network, errno, "pipe");
        h.ready = p[0];
        h.ready_w = p[1];
        h.sync = sync;
        h.pid = clone(net_helper_main, stack + sizeof stack, CLONE_VM | CLONE_PIDFD | SIGCHLD, &h, &h.pidfd);
        if (h.pid < 0)
                child_fail(sync, Stage::Network, errno, "start the network helper");
        close(p[1]);
        return h;
}

void join_net_helper(const NetHelper& h, int sync) noexcept {
        char b;
        ssize_t n;
        while ((n = read(h.ready, &b, 1)) < 0 && errno == EINTR) {
        }
        if (n != 1)
                _exit(125); // the helper has sent the launcher its error record
        if (setns(h.pidfd, CLONE_NEWNET) < 0)
                child_fail(sync, Stage::Network, errno, "join the network namespace");
        // Reaped before the command starts, so that it never sees the helper in its /proc;
        // sharing our memory, it has no page tables to tear down and dies at once.
        kill(h.pid, SIGKILL);
        waitpid(h.pid, nullptr, __WALL);
        close(h.ready);
        close(h.pidfd);
}

// The count of user namespaces the command may create, kept in our own user namespace where
// nothing inside can raise it (that needs CAP_SYS_RESOURCE over it): 0 unless the profile lets
// the app sandbox itself. A second wall behind the filter's clone and unshare rules.
void limit_user_namespaces(const Plan& plan, int sync) noexcept {
        char value[16];
        int n = snprintf(value, sizeof value, "%u\n", plan.policy.nested_userns);
        int fd = open("/proc/sys/user/max_user_namespaces", O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write(fd, value, static_cast<size_t>(n)) != n)
                child_fail(sync, Stage::Privileges, errno, "limit user namespaces");
        close(fd);
}

// Everything the command does not get is marked close-on-exec rather than closed, so that
// the error socket survives until a successful execve.
void restrict_fds(const Plan& plan, int sync) noexcept {
        if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
                child_fail(sync, Stage::Fds, errno, "close_range");
        for (int fd : plan.keep_fds)
                if (fcntl(fd, F_SETFD, 0) < 0)
                        child_fail(sync, Stage::Fds, errno, "keep fd %d", fd);
}

void enter_workdir(const Plan& plan, int sync) noexcept {
        if (chdir(plan.cwd.c_str()) == 0)
                return;
        if (plan.cwd_required)
                child_fail(sync, Stage::Chdir, errno, "'%s'", plan.cwd.c_str());
        // The caller's directory is not visible inside: start at home, as a login would.
        if (chdir(plan.home.c_str()) < 0 && chdir("/") < 0)
                child_fail(sync, Stage::Chdir, errno, "'%s'", plan.home.c_str());
}

[[noreturn]] void exec_command(const ChildContext& c) noexcept {
        const Plan& plan = c.plan;
        int sync = c.sync;
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        enter_workdir(plan, sync);
        restrict_fds(plan, sync);

        if (c.rlimit_as) {
                struct rlimit rl = {c.rlimit_as, c.rlimit_as};
                if (setrlimit(RLIMIT_AS, &rl) < 0)
                        child_fail(sync, Stage::Privileges, errno, "RLIMIT_AS");
        }
        // ORDER (as minijail): capabilities, then no_new_privs, then seccomp, then exec.
        const char* what = "";
        if (int e = drop_capabilities(plan.last_cap, &what))
                child_fail(sync, Stage::Privileges, e, "%s", what);
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                child_fail(sync, Stage::Privileges, errno, "no_new_privs");
        // After no_new_privs, before the filter (which refuses the landlock calls).
        if (plan.use_landlock || plan.egress_rules)
                if (int e = landlock_restrict(plan.landlock))
                        if (plan.egress_rules || (e != ENOSYS && e != EOPNOTSUPP))
                                child_fail(sync, Stage::Privileges, e, "Landlock rules");
        if (!plan.seccomp.empty()) {
                struct sock_fprog prog;
                prog.len = static_cast<unsigned short>(plan.seccomp.size());
                prog.filter = const_cast<sock_filter*>(plan.seccomp.data());
                unsigned flags = plan.policy.notify ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0;
                // Last: from here on the filter applies, and only execve is left to do.
                long fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
                if (fd < 0)
                        child_fail(sync, Stage::Seccomp, errno, "load filter");
                if (plan.policy.notify) {
                        // The launcher answers each refusal and reports it (audit mode, log rules).
                        if (int e = send_fd(sync, RecordKind::Listener, 0, static_cast<int>(fd)))
                                child_fail(sync, Stage::Seccomp, e, "hand the listener to the launcher");
                        close(static_cast<int>(fd));
                }
        }

        // The pointer arrays were built by the parent; execvp looks PATH up in environ.
        environ = c.envp;
        execvp(c.argv[0], c.argv);
        child_fail(sync, Stage::Exec, errno, "'%s'", c.argv[0]);
}

} // namespace

void child_main(const ChildContext& c) noexcept {
        const Plan& plan = c.plan;
        int sync = c.sync;

        // The launcher's death must take the whole sandbox with it. If it died before
        // PDEATHSIG was armed, its pidfd is already readable.
        if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
                child_fail(sync, Stage::Parent, errno, "PR_SET_PDEATHSIG");
        struct pollfd pfd = {c.parent_pidfd, POLLIN, 0};
        if (poll(&pfd, 1, 0) != 0)
                _exit(125);
        close(c.parent_pidfd);
        // Before anything else: the launcher cannot look once pid 1 is not dumpable.
        if (c.report_namespaces)
                if (int e = send_namespaces(sync))
                        child_fail(sync, Stage::Parent, e, "tell the launcher the namespaces' inodes");

        // ORDER: first, so that the network namespace is built alongside everything else;
        // it needs only our capabilities in the new user namespace, not the id maps.
        NetHelper net;
        if (plan.new_net)
                net = start_net_helper(sync);
        write_id_maps(plan, sync);
        open_bind_sources(plan, sync, c.tree_fds);
        build_root(plan, sync, c.tree_fds);
        if (!plan.hostname.empty() && sethostname(plan.hostname.data(), plan.hostname.size()) < 0)
                child_fail(sync, Stage::Hostname, errno, "'%s'", plan.hostname.c_str());
        if (plan.new_net)
                join_net_helper(net, sync);
        if (plan.net_user) {
                // pasta joins this namespace from outside; the command starts once it is there.
                if (int e = send_fd(sync, RecordKind::NetReady, 0, -1))
                        child_fail(sync, Stage::Network, e, "ask the launcher for pasta");
                char go = 0;
                ssize_t n;
                while ((n = recv(sync, &go, 1, 0)) < 0 && errno == EINTR)
                        ;
                if (n != 1 || go != 'g')
                        child_fail(sync, Stage::Network, n < 0 ? errno : 0, "pasta did not start");
        }
        limit_user_namespaces(plan, sync);

        sigset_t mask;
        sigemptyset(&mask);
        sigaddset(&mask, SIGCHLD);
        for (int s : forwarded_signals)
                sigaddset(&mask, s);
        int sigfd = signalfd(-1, &mask, SFD_CLOEXEC);
        if (sigfd < 0)
                child_fail(sync, Stage::Fork, errno, "signalfd");

        pid_t app = fork();
        if (app < 0)
                child_fail(sync, Stage::Fork, errno, "fork the command");
        if (app == 0)
                exec_command(c);

        // pid 1 needs no privilege to wait and relay signals: what the command could not get
        // by attaching to it, it does not have.
        const char* what = "";
        if (int e = drop_capabilities(plan.last_cap, &what))
                child_fail(sync, Stage::Privileges, e, "pid 1: %s", what);
        if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
                child_fail(sync, Stage::Privileges, errno, "pid 1: not dumpable");
        // pid 1 keeps nothing the command might wait on (a pipe's write end, a tty, a
        // descriptor the caller passed), only its signalfd.
        int null = open("/dev/null", O_RDWR | O_CLOEXEC);
        for (int fd = 0; fd < 3; fd++)
                if (null >= 0)
                        dup2(null, fd);
        syscall(SYS_close_range, 3U, static_cast<unsigned>(sigfd) - 1, 0U);
        syscall(SYS_close_range, static_cast<unsigned>(sigfd) + 1, ~0U, 0U);
        // Last: a filter of its own, allowing what run_init() does (the command, forked
        // before, is not under it). A failure can no longer be reported: pid 1 ends, and the
        // sandbox with it. Not in a sanitizer build (scripts/sanitize): the runtime's
        // interceptors of read and kill need more (mmap...) and crash without it.
        if (!plan.init_seccomp.empty() && !sanitizer_build) {
                struct sock_fprog prog;
                prog.len = static_cast<unsigned short>(plan.init_seccomp.size());
                prog.filter = const_cast<sock_filter*>(plan.init_seccomp.data());
                if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
                    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0U, &prog) < 0)
                        _exit(125);
        }
        run_init(app, sigfd);
}

} // namespace sb
