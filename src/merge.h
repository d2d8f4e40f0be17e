// SPDX-License-Identifier: GPL-2.0-or-later
// Layers -> one effective Profile, with explicit precedence (pure).
#pragma once

#include "profile.h"
#include "result.h"

#include <vector>

namespace sb {

// Layers in rising precedence (included < profile < .local < command line). Scalars: the
// later layer wins. Lists: union. Mounts: one per destination, the later layer's wins.
// Environment: for each name the later layer's set or unset wins.
Profile merge_layers(const std::vector<Profile>& layers);

// What no single layer can see: settings that contradict each other once merged.
Status check_merged(const Profile& p);

} // namespace sb
