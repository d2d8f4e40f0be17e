// SPDX-License-Identifier: GPL-2.0-or-later
// What the fuzz targets check of a result beyond "no crash": a broken promise aborts, which
// libFuzzer counts as a crash and keeps the input for.
#pragma once

#include "paths.h"

#include <cstdlib>
#include <string>

namespace sb::fuzz {

inline void require(bool cond) {
        if (!cond)
                abort();
}

// A path a caller may use as is: normalize_path() gives it back unchanged.
inline bool is_normal(const std::string& p) {
        auto n = normalize_path(p);
        return n && *n == p;
}

} // namespace sb::fuzz
