// SPDX-License-Identifier: GPL-2.0-or-later
// A fork-like clone3 that returns a pidfd, shared by the launcher and the child.
#include "clone.h"

#include <csignal>
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
        return static_cast<pid_t>(syscall(SYS_clone3, &args, sizeof args));
}

} // namespace sb
