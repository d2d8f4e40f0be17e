// SPDX-License-Identifier: GPL-2.0-or-later
// The syscall filter, compiled in the parent to BPF; the child only loads it.
#pragma once

#include "result.h"

#include <linux/filter.h>
#include <vector>

namespace sb {

// The baseline rules: terminal input injection (TIOCSTI, TIOCLINUX) refused on every ABI.
Result<std::vector<sock_filter>> compile_seccomp();

} // namespace sb
