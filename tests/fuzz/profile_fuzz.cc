// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer target: any bytes through the profile parser, variable expansion and path
// normalisation must give a value or an error, never a crash, a hang or undefined behaviour.
#include "merge.h"
#include "paths.h"
#include "profile.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

// Every variable a profile may use, with fixed values: the input alone decides the path taken.
const sb::Vars& fuzz_vars() {
        static const sb::Vars vars = {
            {"HOME", "/home/fuzz"},
            {"UID", "1000"},
            {"USER", "fuzz"},
            {"PWD", "/home/fuzz/src"},
            {"XDG_CONFIG_HOME", "/home/fuzz/.config"},
            {"XDG_DATA_HOME", "/home/fuzz/.local/share"},
            {"XDG_CACHE_HOME", "/home/fuzz/.cache"},
            {"XDG_RUNTIME_DIR", "/run/user/1000"},
            {"PROFILE", "fuzz"},
            {"APP", "app"},
            {"DESKTOP", "/home/fuzz/Desktop"},
            {"DOCUMENTS", "/home/fuzz/Documents"},
            {"DOWNLOADS", "/home/fuzz/Downloads"},
            {"MUSIC", "/home/fuzz/Music"},
            {"PICTURES", "/home/fuzz/Pictures"},
            {"PUBLICSHARE", "/home/fuzz/Public"},
            {"TEMPLATES", "/home/fuzz/Templates"},
            {"VIDEOS", "/home/fuzz/Videos"},
        };
        return vars;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
        std::string_view text(reinterpret_cast<const char*>(data), size);
        const sb::Vars& vars = fuzz_vars();
        if (auto p = sb::parse_profile(text, "fuzz.toml", vars)) {
                // A profile that parses goes on through the pure stages after it.
                auto merged = sb::merge_layers({*p});
                (void)sb::check_merged(merged);
        }
        (void)sb::expand_vars(text, vars);
        (void)sb::normalize_path(text);
        return 0;
}
