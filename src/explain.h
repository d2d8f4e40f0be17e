// SPDX-License-Identifier: GPL-2.0-or-later
// --explain: the effective policy, grouped by area, each entry with its origin (pure).
#pragma once

#include "host.h"
#include "plan.h"
#include "profile.h"

#include <string>
#include <vector>

namespace sb {

struct ExplainInput {
        const std::vector<Profile>& layers; // in precedence order, the command line last
        const Profile& merged;
        const Plan& plan;
        const Host& host;
};

std::string explain_text(const ExplainInput& in);
std::string explain_json(const ExplainInput& in);

} // namespace sb
