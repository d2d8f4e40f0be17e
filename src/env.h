// SPDX-License-Identifier: GPL-2.0-or-later
// The command's environment: a short documented keep-list plus what the profile says (pure).
#pragma once

#include "profile.h"

#include <string>
#include <vector>

namespace sb {

// Passed in unless a profile unsets them; LC_* is a prefix.
extern const std::vector<std::string_view> default_env_keep;

// A keep pattern ("LANG", or a prefix "LC_*") against a variable name.
bool env_keep_matches(std::string_view pattern, std::string_view name);

struct EnvFacts {
        std::string home;
        std::string user;
        std::string runtime_dir; // "" when the sandbox has none
};

// host: NAME=VALUE strings as inherited. The result is sorted by name.
std::vector<std::string> build_env(const std::vector<std::string>& host, const Profile& p,
                                   const EnvFacts& facts);

} // namespace sb
