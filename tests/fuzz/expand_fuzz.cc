// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer target: the profile variable expander (${HOME}, ${XDG_CONFIG_HOME}, ${DOWNLOADS},
// "~/", "$$") and the path functions after it. The input is the string to expand; after a NUL
// byte, if any, comes the text of a user-dirs.dirs, which sets the user-directory variables as
// it does for a real user. Never a crash, a hang or undefined behaviour, and the results keep
// the promises the callers rely on (checked below; a broken one aborts, which libFuzzer counts).
#include "host.h"
#include "paths.h"
#include "promises.h"
#include "profile.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

using sb::fuzz::is_normal;
using sb::fuzz::require;

// A fixed host, as read_host() would see it: the input alone decides the path taken.
sb::Host fuzz_host(std::string_view user_dirs) {
        sb::Host h;
        h.uid = 1000;
        h.gid = 1000;
        h.user = "fuzz";
        h.home = "/home/fuzz";
        h.cwd = "/home/fuzz/src";
        h.env = {"HOME=/home/fuzz", "XDG_RUNTIME_DIR=/run/user/1000", "XDG_CONFIG_HOME=/home/fuzz/.config"};
        h.user_dirs = std::string(user_dirs);
        return h;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
        std::string_view input(reinterpret_cast<const char*>(data), size);
        std::string_view text = input, user_dirs;
        if (auto nul = input.find('\0'); nul != std::string_view::npos) {
                text = input.substr(0, nul);
                user_dirs = input.substr(nul + 1);
        }
        sb::Host host = fuzz_host(user_dirs);
        sb::Vars vars = sb::make_vars(host, "fuzz", "app");

        // Every user directory is an absolute normalised path, and never the home itself
        // (xdg-user-dirs' "$HOME/" means "unused").
        for (const char* v : {"DESKTOP", "DOCUMENTS", "DOWNLOADS", "MUSIC", "PICTURES", "PUBLICSHARE",
                              "TEMPLATES", "VIDEOS"}) {
                auto it = vars.find(v);
                require(it != vars.end());
                require(is_normal(it->second));
                require(it->second != host.home);
        }

        auto expanded = sb::expand_vars(text, vars);
        if (expanded) {
                // Text without '$' or a leading '~' comes back as it was.
                if (text.find('$') == std::string_view::npos && !text.starts_with('~'))
                        require(*expanded == text);
                // A profile path goes through normalize_path() next; its result is a fixed point.
                if (auto n = sb::normalize_path(*expanded))
                        require(is_normal(*n));
        }
        // Command-line paths: absolute_path() against the working directory.
        if (auto a = sb::absolute_path(text, host.cwd)) {
                require(is_normal(*a));
                require(!sb::path_within(host.cwd, "/") || sb::path_within(*a, "/"));
        }
        if (auto n = sb::normalize_path(text)) {
                require(is_normal(*n));
                require(sb::path_within(*n, *n));
                require(!sb::path_less(*n, *n));
        }
        return 0;
}
