// SPDX-License-Identifier: GPL-2.0-or-later
// Finding and reading profiles: the search path, includes with cycle checks, .local overrides.
#pragma once

#include "host.h"
#include "profile.h"
#include "result.h"

#include <string>
#include <vector>

namespace sb {

struct ProfileSearch {
        std::string user_dir;          // where NAME.local.toml overrides live
        std::vector<std::string> dirs; // in lookup order, user_dir first
};

ProfileSearch default_search(const Host& host);

// True when spec names a file ("./x.toml", "/etc/x.toml", "x.toml") rather than a profile.
bool is_profile_path(std::string_view spec);

// The file a profile name resolves to, or "" when there is none.
std::string find_profile(std::string_view name, const ProfileSearch& search);

// The layers of a profile (by name or file), included ones first, each followed by its
// NAME.local.toml when one exists. app is the command's basename, for ${APP}.
Result<std::vector<Profile>> load_profile(std::string_view spec, const ProfileSearch& search,
                                          const Host& host, std::string_view app);

struct ProfileListing {
        std::string name;
        std::string path;                  // the file that --profile NAME would use
        std::string description;           // "" when it has none
        std::string error;                 // why it does not load on its own, if it does not
        std::vector<std::string> shadowed; // same name further down the search path
};

// Every NAME.toml on the search path (not the .local.toml overrides), sorted by name.
std::vector<ProfileListing> list_profiles(const ProfileSearch& search, const Host& host);

} // namespace sb
