// SPDX-License-Identifier: GPL-2.0-or-later
// Landlock's TCP rules: the ports a sandboxed app may connect to (network.allow).
#pragma once

#include <vector>

namespace sb {

// The kernel's Landlock ABI version, or 0 without Landlock (or with it disabled).
int landlock_abi() noexcept;

// TCP connections only to these ports, for this process and what it execs (ABI 4, Linux 6.7).
// Call after no_new_privs. Returns 0 or an errno.
int restrict_tcp_connect(const std::vector<unsigned>& ports) noexcept;

} // namespace sb
