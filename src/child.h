// SPDX-License-Identifier: GPL-2.0-or-later
// The child: pid 1 of the new namespaces. One checklist of steps, then the command.
#pragma once

#include "plan.h"

namespace sb {

struct ChildContext {
        const Plan& plan;
        int sync;                     // our end of the error socket
        int parent_pidfd;             // the launcher, to notice that it died before we armed PDEATHSIG
        int* tree_fds;                // scratch space, one per plan.mounts entry, allocated by the parent
        char** argv;                  // NULL-terminated, pointing into plan.argv
        char** envp;                  // NULL-terminated, pointing into plan.envp
        unsigned long long rlimit_as; // the memory limit's fallback: RLIMIT_AS, or 0
        bool report_namespaces;       // for the registry of running sandboxes
};

[[noreturn]] void child_main(const ChildContext& c) noexcept;

} // namespace sb
