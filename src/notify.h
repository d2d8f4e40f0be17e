// SPDX-License-Identifier: GPL-2.0-or-later
// Launcher side of audit mode: answer each seccomp notification as the filter would have.
#pragma once

#include "syscall_rules.h"

namespace sb {

// Receives one pending notification on listener, answers it by the policy (errno, kill, or
// let a "log" rule's call proceed) and prints one line naming the call. Returns false once
// the listener is closed (every filtered process is gone).
bool answer_notification(int listener, const SeccompPolicy& policy) noexcept;

} // namespace sb
