// SPDX-License-Identifier: GPL-2.0-or-later
// Dropping every capability and locking the securebits, in the order the kernel requires.
#pragma once

namespace sb {

// Bounding set, ambient set, securebits, then effective/permitted/inheritable cleared.
// Returns 0 or an errno; safe between clone and exec. what names the failing step.
int drop_capabilities(int last_cap, const char** what) noexcept;

} // namespace sb
