// SPDX-License-Identifier: GPL-2.0-or-later
// A fork-like clone3 that returns a pidfd, shared by the launcher and the child.
#include "clone.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <sys/wait.h>
#include <cstdint>
#include <cstring>
#include <linux/sched.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace sb {

pid_t clone_with_pidfd(unsigned long long flags, int* pidfd, int cgroup) noexcept {
        struct clone_args args;
        memset(&args, 0, sizeof args);
        args.flags = flags | CLONE_PIDFD;
        if (cgroup >= 0) {
                args.flags |= CLONE_INTO_CGROUP;
                args.cgroup = static_cast<uint64_t>(cgroup);
        }
        args.pidfd = reinterpret_cast<uintptr_t>(pidfd);
        args.exit_signal = SIGCHLD;
        // No new stack: like fork(), the child continues on a copy of ours.
        long pid = syscall(SYS_clone3, &args, sizeof args);
        if (pid >= 0 || errno != ENOSYS)
                return static_cast<pid_t>(pid);
        // A seccomp policy around us (a container's, or another sandbox's) may refuse clone3 with
        // ENOSYS, as ours does, so that programs fall back to clone: so do we. clone cannot start
        // the child in a cgroup; it is moved there at once, long before it runs the command.
        pid = syscall(SYS_clone, static_cast<unsigned long>(flags | CLONE_PIDFD | SIGCHLD), nullptr, pidfd, nullptr,
                      nullptr);
        if (pid > 0 && cgroup >= 0) {
                int procs = openat(cgroup, "cgroup.procs", O_WRONLY | O_CLOEXEC);
                char text[16];
                int n = snprintf(text, sizeof text, "%ld\n", pid);
                if (procs < 0 || write(procs, text, static_cast<size_t>(n)) != n) {
                        int e = errno;
                        kill(static_cast<pid_t>(pid), SIGKILL);
                        waitpid(static_cast<pid_t>(pid), nullptr, __WALL);
                        close(*pidfd);
                        *pidfd = -1;
                        errno = e;
                        pid = -1;
                }
                if (procs >= 0)
                        close(procs);
        }
        return static_cast<pid_t>(pid);
}

} // namespace sb
