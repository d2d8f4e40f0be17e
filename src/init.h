// SPDX-License-Identifier: GPL-2.0-or-later
// pid 1 inside: reaps every orphan, relays signals to the command, exits with its status.
#pragma once

#include <sys/types.h>

namespace sb {

// The signals the launcher relays to the command (and pid 1 relays on).
extern const int forwarded_signals[7];

// Runs until the command exits; anything else still running dies with this pid 1.
[[noreturn]] void run_init(pid_t app, int signal_fd) noexcept;

// 128+N for death by signal N, else the exit code.
int exit_code_of(int wait_status) noexcept;

} // namespace sb
