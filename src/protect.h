// SPDX-License-Identifier: GPL-2.0-or-later
// The places where a program planted by a sandboxed app would start outside the sandbox (shell rc
// files, autostart, ~/.ssh, sandbox's own configuration), kept read-only wherever a writable
// mount of the host would expose them.
#pragma once

#include "host.h"
#include "plan.h"
#include "result.h"

#include <string>
#include <vector>

namespace sb {

struct Protected {
        const char* rel; // relative to the home
        bool dir;
        // A missing file is made empty on the host so that a read-only mount can hold its place;
        // only where an empty file means the same as none (not ~/.xsession, which replaces the
        // session when present).
        bool placeholder;
        // The shell that reads it: without that shell installed nothing starts from the file, and
        // no stand-in is made for it ("" for all).
        const char* reader = "";
};
const std::vector<Protected>& protected_paths();

// Adds a read-only bind over every protected path that a writable bind of the host exposes,
// unless some mount at exactly that path (a grant by name) exists. The sandbox's own
// configuration cannot be granted: that is an error.
Status protect_persistence(std::vector<MountOp>& ops, const Host& h);

} // namespace sb
