// SPDX-License-Identifier: GPL-2.0-or-later
// Launcher side of the fuse-overlayfs fallback: serve a FUSE mount the child made in the
// sandbox's namespaces, from outside them.
#pragma once

#include "plan.h"
#include "result.h"

#include <string>
#include <sys/types.h>
#include <vector>

namespace sb {

struct FuseDaemon {
        pid_t pid = -1;
        std::string scratch; // the upper and work directories made for a tmpfs upper; removed
};

// Starts fuse-overlayfs on dev (a /dev/fuse fd whose mount the child made) for op. Takes dev.
Result<FuseDaemon> start_fuse_overlay(const Plan& plan, const MountOp& op, int dev);

// After the sandbox is gone (its mounts with it, so the daemons are ending): waits for each
// daemon, killing one that has not ended within a second, and removes the scratch directories.
void stop_fuse_overlays(std::vector<FuseDaemon>& daemons);

} // namespace sb
