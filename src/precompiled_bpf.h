// SPDX-License-Identifier: GPL-2.0-or-later
// The default policy's BPF, compiled at build time by tools/gen_default_bpf.cc.
#pragma once

#include <linux/filter.h>
#include <span>

namespace sb {

// The filter build_policy() + compile_policy() make for a profile without allow or deny
// rules of its own, in the variant asked for.
std::span<const sock_filter> precompiled_bpf(bool nested_userns, bool multiarch, bool notify);

// compile_init_filter()'s result.
std::span<const sock_filter> precompiled_init_bpf();

} // namespace sb
