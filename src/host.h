// SPDX-License-Identifier: GPL-2.0-or-later
// Facts about the invoking user and the host, read once at start-up.
#pragma once

#include "profile.h"
#include "result.h"

#include <string>
#include <sys/types.h>
#include <vector>

namespace sb {

struct Host {
        uid_t uid = 0;
        gid_t gid = 0;
        std::string user;
        std::string home;
        std::string cwd;              // "" when it cannot be read
        std::vector<std::string> env; // NAME=VALUE, as inherited
        std::string user_dirs;        // the text of $XDG_CONFIG_HOME/user-dirs.dirs, if any
        std::string getenv(std::string_view name) const;
};

Result<Host> read_host(char** envp);

// The XDG user directories as profile variables: DOWNLOADS, DOCUMENTS, ... with the
// xdg-user-dirs defaults, overridden by the lines of user-dirs.dirs (pure).
void add_user_dirs(Vars& vars, std::string_view home, std::string_view user_dirs_text);

// ${HOME}, ${UID}, ${USER}, ${XDG_*}, ${PWD}, ${PROFILE}, ${APP}, the user directories:
// see sandbox-profile(5).
// An XDG base directory: the variable when it is an absolute path, else HOME/fallback.
std::string xdg_dir(const Host& host, const char* var, const char* fallback);

Vars make_vars(const Host& host, std::string_view profile, std::string_view app);

} // namespace sb
