// SPDX-License-Identifier: GPL-2.0-or-later
// The launcher: clone into new namespaces, relay signals, wait, report the exit status.
#pragma once

#include "plan.h"
#include "result.h"

namespace sb {

struct RunResult {
        int exit_code = 0; // what sandbox exits with
        bool setup_failed = false;
        std::string message; // the child's error record, rendered, when setup_failed
};

Result<RunResult> run(const Plan& plan);

} // namespace sb
