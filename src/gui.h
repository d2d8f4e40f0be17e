// SPDX-License-Identifier: GPL-2.0-or-later
// Desktop access by name ([gui]): the Wayland or X11 display, sound, the GPU.
#pragma once

#include "host.h"
#include "plan.h"
#include "profile.h"

#include <string>
#include <utility>
#include <vector>

namespace sb {

struct GuiResult {
        std::vector<std::pair<std::string, std::string>> env; // set inside: DISPLAY, XAUTHORITY, ...
        std::vector<std::string> warnings; // asked for, not on this host, and needed: said at the start
        std::vector<std::string> notes;    // asked for, not on this host, not needed: --explain says it
};

// The entries of an Xauthority file (its binary format) for display number display on the
// local machine only: what the sandbox's own Xauthority holds.
std::string xauth_for_display(const std::string& data, const std::string& display);

// The mounts and variables for each [gui] capability the profile asks for.
GuiResult add_gui(std::vector<MountOp>& ops, const Profile& p, const Host& h, const std::string& runtime_dir);

} // namespace sb
