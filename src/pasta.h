// SPDX-License-Identifier: GPL-2.0-or-later
// network.mode = "user": pasta, started by the launcher against the sandbox's namespaces.
#pragma once

#include "plan.h"
#include "result.h"

#include <string>
#include <sys/types.h>

namespace sb {

struct Pasta {
        pid_t pid = -1; // pasta, our child (in the foreground, so that it dies with us)
        int pidfd = -1; // readable when it ends
};

// Runs pasta for the network namespace of child (the sandbox's pid 1, already in it) and
// returns once pasta has configured it (its pid file is written).
Result<Pasta> start_pasta(const Plan& plan, pid_t child);

// Ends pasta (SIGTERM, then SIGKILL after a second) and reaps it.
void stop_pasta(Pasta& p);

} // namespace sb
