// SPDX-License-Identifier: GPL-2.0-or-later
// The command line: one option table feeds parsing, --help and the completion check (pure).
#pragma once

#include "profile.h"
#include "result.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sb {

struct Cli {
        std::optional<std::string> profile;
        Profile layer; // policy options, as the top layer ("command line")
        std::optional<std::string> chdir;
        std::vector<int> keep_fds;
        int verbosity = 0; // -1 with --quiet
        bool help = false;
        bool version = false;
        // Actions that stand in place of running a command.
        bool explain = false;
        bool json = false;
        bool list_profiles = false;
        std::optional<std::string> check_profile;
        bool seccomp_log = false;
        bool stats = false;
        std::optional<std::string> install_desktop, uninstall_desktop;
        bool list_desktop = false;
        // Running sandboxes: --name for this one; --list, --enter NAME, --stop NAME act on others.
        std::optional<std::string> name, enter, stop;
        bool list = false;
        bool doctor = false;
        std::optional<double> timeout; // --stop's grace period, seconds
        std::vector<std::string> command;
};

// args excludes argv[0]. cwd and home make command-line paths absolute ("." and "~/x").
Result<Cli> parse_cli(const std::vector<std::string_view>& args, std::string_view cwd, std::string_view home);

std::string help_text();

struct OptionInfo {
        std::string_view name; // "ro-bind"
        char short_name;       // 'v', or 0
        std::string_view arg;  // "SRC[:DST]", or "" for a flag
        std::string_view help;
};
std::vector<OptionInfo> cli_options();

} // namespace sb
