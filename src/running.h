// SPDX-License-Identifier: GPL-2.0-or-later
// --list, --enter and --stop: what a user does with the sandboxes that run.
#pragma once

#include "registry.h"

#include <string>
#include <vector>

namespace sb {

// The table (or JSON) of running sandboxes on stdout; returns the exit code.
int list_running(const std::string& registry, bool json);

// Runs command (empty: the sandbox's shell) inside the sandbox of e: its namespaces, its
// cgroup, its environment and directory, no capabilities, no_new_privs, its Landlock rules
// and syscall filter. Returns the command's exit code (128+N for signal N), 125 when the
// sandbox cannot be entered, 126/127 when the command cannot be run.
int enter_sandbox(const Entry& e, const std::vector<std::string>& command);

// SIGTERM to the sandbox's app, then everything killed after timeout seconds. 0: it ended
// within the grace period; 1: it had to be killed; 125: it could not be reached.
int stop_sandbox(const Entry& e, double timeout);

} // namespace sb
