// SPDX-License-Identifier: GPL-2.0-or-later
// Child side: build the new root from the Plan's mount list and switch into it.
#pragma once

#include "plan.h"

namespace sb {

// ORDER: called before anything is mounted, while the host's tree is still what paths
// name. Clones every bind source into a detached tree; tree_fds[i] belongs to plan.mounts[i].
void open_bind_sources(const Plan& plan, int sync, int* tree_fds) noexcept;

// Builds the new root, mounts /proc, pivots into it and detaches the host's tree. Reports
// through sync and exits on failure.
void build_root(const Plan& plan, int sync, int* tree_fds) noexcept;

} // namespace sb
