// SPDX-License-Identifier: GPL-2.0-or-later
// The child: pid 1 of the new namespaces. One checklist of steps, then the command.
#include "child.h"

#include "caps.h"
#include "init.h"
#include "mount.h"
#include "sync.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <linux/close_range.h>
#include <linux/seccomp.h>
#include <net/if.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char** environ;

namespace sb {

namespace {

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

        // ORDER (as minijail): capabilities, then no_new_privs, then seccomp, then exec.
        const char* what = "";
        if (int e = drop_capabilities(plan.last_cap, &what))
                child_fail(sync, Stage::Privileges, e, "%s", what);
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                child_fail(sync, Stage::Privileges, errno, "no_new_privs");
        struct sock_fprog prog;
        prog.len = static_cast<unsigned short>(plan.seccomp.size());
        prog.filter = const_cast<sock_filter*>(plan.seccomp.data());
        // Last: from here on the filter applies, and only execve is left to do.
        if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
                child_fail(sync, Stage::Seccomp, errno, "load filter");

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

        write_id_maps(plan, sync);
        open_bind_sources(plan, sync, c.tree_fds);
        build_root(plan, sync, c.tree_fds);
        if (!plan.hostname.empty() && sethostname(plan.hostname.data(), plan.hostname.size()) < 0)
                child_fail(sync, Stage::Hostname, errno, "'%s'", plan.hostname.c_str());
        if (plan.new_net)
                bring_up_loopback(sync);

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

        // pid 1 keeps nothing the command might wait on (a pipe's write end, a tty, a
        // descriptor the caller passed), only its signalfd.
        int null = open("/dev/null", O_RDWR | O_CLOEXEC);
        for (int fd = 0; fd < 3; fd++)
                if (null >= 0)
                        dup2(null, fd);
        syscall(SYS_close_range, 3U, static_cast<unsigned>(sigfd) - 1, 0U);
        syscall(SYS_close_range, static_cast<unsigned>(sigfd) + 1, ~0U, 0U);
        run_init(app, sigfd);
}

} // namespace sb
