// SPDX-License-Identifier: GPL-2.0-or-later
// The syscall filter, compiled in the parent to BPF; the child only loads it.
#pragma once

#include "result.h"
#include "syscall_rules.h"

#include <linux/filter.h>
#include <vector>

namespace sb {

// The policy as BPF, with libseccomp's binary-tree layout so that syscalls without argument
// rules stay on the kernel's cached path. Empty when the policy is disabled. With
// policy.notify, every refusal becomes a notification for the launcher to answer.
Result<std::vector<sock_filter>> compile_policy(const SeccompPolicy& policy);

// pid 1's own filter, whatever the profile says: what it needs to reap, relay signals and
// exit (read of its signalfd, wait4, kill, exit), EPERM for every other syscall, and death
// for another architecture's entry points.
Result<std::vector<sock_filter>> compile_init_filter();

} // namespace sb
