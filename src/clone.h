// SPDX-License-Identifier: GPL-2.0-or-later
// A fork-like clone3 that returns a pidfd, shared by the launcher and the child.
#pragma once

#include <sys/types.h>

namespace sb {

// Like fork() (the child runs on a copy of our stack) with extra CLONE_* flags, storing
// a pidfd for the child in *pidfd. Returns the pid, 0 in the child, or -1 with errno.
pid_t clone_with_pidfd(unsigned long long flags, int* pidfd) noexcept;

} // namespace sb
