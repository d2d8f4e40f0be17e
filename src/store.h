// SPDX-License-Identifier: GPL-2.0-or-later
// The per-profile stores on the host (persistent homes): made and checked without following
// symlinks, so that nothing planted there can point the sandbox elsewhere.
#pragma once

#include "result.h"

#include <string>
#include <sys/types.h>

namespace sb {

struct StoreEntry {
        std::string path; // symlink-free absolute path
        bool is_dir = true;
};

// base (the user's $XDG_DATA_HOME, trusted as the user set it up) is resolved; below it, rel
// ("sandbox/homes/firefox/.mozilla") is walked without following any symlink, each missing
// directory created with mode 0700. Every directory walked below base must belong to uid. A
// missing last component is created as a directory; an existing file is taken as it is.
Result<StoreEntry> ensure_store(const std::string& base, const std::string& rel, uid_t uid);

} // namespace sb
