// SPDX-License-Identifier: GPL-2.0-or-later
// Facts about the invoking user and the host, read once at start-up.
#include "host.h"

#include "paths.h"

#include <cerrno>
#include <climits>
#include <cstdio>
#include <pwd.h>
#include <unistd.h>

namespace sb {

std::string Host::getenv(std::string_view name) const {
        for (auto& e : env)
                if (e.size() > name.size() && e[name.size()] == '=' && std::string_view(e).starts_with(name))
                        return e.substr(name.size() + 1);
        return {};
}

Result<Host> read_host(char** envp) {
        Host h;
        h.uid = getuid();
        h.gid = getgid();
        for (char** e = envp; e && *e; e++)
                h.env.emplace_back(*e);
        // $HOME and $USER win over the passwd entry, as for every other program; the passwd
        // lookup (NSS) costs a quarter of a millisecond, so it is made only when needed.
        h.home = h.getenv("HOME");
        h.user = h.getenv("USER");
        if (h.home.empty() || h.home[0] != '/' || h.user.empty()) {
                if (struct passwd* pw = getpwuid(h.uid)) {
                        if (h.home.empty() || h.home[0] != '/')
                                h.home = pw->pw_dir;
                        if (h.user.empty())
                                h.user = pw->pw_name;
                }
        }
        if (h.home.empty() || h.home[0] != '/')
                return err("cannot tell the home directory of uid %u: set HOME",
                           static_cast<unsigned>(h.uid));
        auto norm = normalize_path(h.home);
        if (!norm)
                return with_context(std::move(norm).error(), "HOME: ");
        h.home = *norm;
        if (h.user.empty())
                h.user = std::to_string(h.uid);
        char buf[PATH_MAX];
        if (getcwd(buf, sizeof buf))
                h.cwd = buf;
        auto config = xdg_dir(h, "XDG_CONFIG_HOME", ".config");
        // Small, and read only for ${DOWNLOADS} and its kind; a missing file means the defaults.
        h.user_dirs = read_small_file(config + "/user-dirs.dirs", 65536);
        return h;
}

// An XDG base directory: the variable when it is an absolute path, else the default.
std::string xdg_dir(const Host& h, const char* var, const char* fallback) {
        auto v = h.getenv(var);
        if (!v.empty() && v[0] == '/')
                return v;
        return h.home + "/" + fallback;
}

void add_user_dirs(Vars& vars, std::string_view home, std::string_view text) {
        // The keys of user-dirs.dirs, the variable names profiles use, and xdg-user-dirs' defaults.
        static const struct {
                const char* key;
                const char* var;
                const char* fallback;
        } dirs[] = {
            {"DESKTOP", "DESKTOP", "Desktop"},       {"DOCUMENTS", "DOCUMENTS", "Documents"},
            {"DOWNLOAD", "DOWNLOADS", "Downloads"},  {"MUSIC", "MUSIC", "Music"},
            {"PICTURES", "PICTURES", "Pictures"},    {"PUBLICSHARE", "PUBLICSHARE", "Public"},
            {"TEMPLATES", "TEMPLATES", "Templates"}, {"VIDEOS", "VIDEOS", "Videos"},
        };
        for (auto& d : dirs)
                vars[d.var] = std::string(home) + "/" + d.fallback;
        // Lines of the form XDG_DOWNLOAD_DIR="$HOME/Downloads" or ="/abs/path"; others are ignored.
        size_t pos = 0;
        while (pos < text.size()) {
                size_t end = text.find('\n', pos);
                if (end == std::string_view::npos)
                        end = text.size();
                std::string_view line = text.substr(pos, end - pos);
                pos = end + 1;
                auto eq = line.find("_DIR=\"");
                if (!line.starts_with("XDG_") || eq == std::string_view::npos || !line.ends_with("\"") ||
                    line.size() < eq + 7)
                        continue;
                auto key = line.substr(4, eq - 4);
                auto value = line.substr(eq + 6, line.size() - eq - 7);
                std::string path;
                if (value.starts_with("$HOME/"))
                        path = std::string(home) + std::string(value.substr(5));
                else if (value.starts_with("/"))
                        path = std::string(value);
                // Shell quoting the file may hold ("\"", "$X") is not something a path should need.
                if (path.empty() || path.find('\\') != std::string::npos ||
                    path.find('$') != std::string::npos)
                        continue;
                auto norm = normalize_path(path);
                // "$HOME/" is how xdg-user-dirs marks a directory as unused: it must not
                // turn ${DOWNLOADS} into the whole home.
                if (!norm || *norm == home)
                        continue;
                for (auto& d : dirs)
                        if (key == d.key)
                                vars[d.var] = *norm;
        }
}

Vars make_vars(const Host& h, std::string_view profile, std::string_view app) {
        Vars v;
        v["HOME"] = h.home;
        v["UID"] = std::to_string(h.uid);
        v["USER"] = h.user;
        v["PWD"] = h.cwd.empty() ? h.home : h.cwd;
        v["XDG_CONFIG_HOME"] = xdg_dir(h, "XDG_CONFIG_HOME", ".config");
        v["XDG_DATA_HOME"] = xdg_dir(h, "XDG_DATA_HOME", ".local/share");
        v["XDG_CACHE_HOME"] = xdg_dir(h, "XDG_CACHE_HOME", ".cache");
        auto rt = h.getenv("XDG_RUNTIME_DIR");
        v["XDG_RUNTIME_DIR"] = !rt.empty() && rt[0] == '/' ? rt : "/run/user/" + std::to_string(h.uid);
        v["PROFILE"] = std::string(profile);
        v["APP"] = std::string(app);
        add_user_dirs(v, h.home, h.user_dirs);
        return v;
}

} // namespace sb
