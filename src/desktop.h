// SPDX-License-Identifier: GPL-2.0-or-later
// Desktop launchers: a user .desktop entry that shadows the system one and runs the app
// through sandbox.
#pragma once

#include "host.h"
#include "result.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sb {

// The key that marks an entry as written by sandbox; its value is the entry it shadows.
inline constexpr std::string_view desktop_marker = "X-Sandbox-Original";

// An Exec value's argument, quoted as the Desktop Entry Specification wants when needed.
std::string desktop_quote(std::string_view arg);

// The system entry's text rewritten (pure): each Exec runs "SANDBOX [--profile P] -- original"
// (field codes such as %U stay the original's arguments, after "--", so that no file name
// reaches sandbox as an option); D-Bus activation, which would bypass Exec, is turned off;
// the marker names the original. Everything else (names, icons, MIME types) is kept.
Result<std::string> rewrite_desktop_entry(std::string_view text, const std::string& sandbox,
                                          const std::optional<std::string>& profile,
                                          const std::string& original);

// --install-desktop, --uninstall-desktop, --list-desktop: what to print, or the error.
Result<std::string> install_desktop(const Host& h, const std::string& app,
                                    const std::optional<std::string>& profile);
Result<std::string> uninstall_desktop(const Host& h, const std::string& app);
Result<std::string> list_desktop(const Host& h);

} // namespace sb
