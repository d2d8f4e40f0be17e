// SPDX-License-Identifier: GPL-2.0-or-later
// A fork-like clone3 that returns a pidfd, shared by the launcher and the child.
#pragma once

#include <sys/types.h>

namespace sb {

// Like fork() (the child runs on a copy of our stack) with extra CLONE_* flags, storing
// a pidfd for the child in *pidfd. Returns the pid, 0 in the child, or -1 with errno.
// With cgroup >= 0 (an O_PATH fd of a cgroup v2 directory), the child starts in that cgroup.
pid_t clone_with_pidfd(unsigned long long flags, int* pidfd, int cgroup = -1) noexcept;

} // namespace sb
