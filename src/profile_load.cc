// SPDX-License-Identifier: GPL-2.0-or-later
// Finding and reading profiles: the search path, includes with cycle checks, .local overrides.
#include "profile_load.h"

#include "config.h"
#include "fd.h"
#include "paths.h"
#include "text.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sb {

namespace {

// Deeper than any sane profile tree, shallow enough to stop a runaway chain early.
constexpr size_t max_include_depth = 16;
// A profile is a page of text; anything bigger is a mistake or an attack.
constexpr off_t max_profile_size = 1 << 20;

bool running_from_build_tree() {
        char exe[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (n <= 0)
                return false;
        exe[n] = '\0';
        std::string_view dir(exe, static_cast<size_t>(n));
        dir = dir.substr(0, dir.rfind('/'));
        std::string_view build = SB_BUILD_ROOT;
        return dir.starts_with(build) && (dir.size() == build.size() || dir[build.size()] == '/');
}

Result<std::string> read_file(const std::string& path) {
        UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
        if (!fd.valid())
                return err_errno(errno, "open %s", quote(path).c_str());
        struct stat st;
        if (fstat(fd.get(), &st) < 0)
                return err_errno(errno, "stat %s", quote(path).c_str());
        if (!S_ISREG(st.st_mode))
                return err("%s is not a regular file", quote(path).c_str());
        if (st.st_size > max_profile_size)
                return err("%s is larger than 1 MiB; that is not a profile", quote(path).c_str());
        std::string text(static_cast<size_t>(st.st_size), '\0');
        size_t done = 0;
        while (done < text.size()) {
                ssize_t n = read(fd.get(), text.data() + done, text.size() - done);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return err_errno(errno, "read %s", quote(path).c_str());
                if (n == 0)
                        break;
                done += static_cast<size_t>(n);
        }
        text.resize(done);
        return text;
}

bool file_exists(const std::string& path) {
        struct stat st;
        return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

struct Loader {
        const ProfileSearch& search;
        const Host& host;
        std::string_view app;
        std::vector<Profile> layers;
        std::vector<std::string> stack; // names being loaded, for the cycle message
        std::vector<std::string> done;  // files already loaded (diamond includes load once)

        Status load_file(const std::string& path, const std::string& name, bool with_local) {
                for (auto& d : done)
                        if (d == path)
                                return Ok{};
                for (size_t i = 0; i < stack.size(); i++) {
                        if (stack[i] != name)
                                continue;
                        std::string cycle;
                        for (size_t j = i; j < stack.size(); j++)
                                cycle += stack[j] + " -> ";
                        return err("include cycle: %s%s", cycle.c_str(), name.c_str());
                }
                if (stack.size() >= max_include_depth)
                        return err("%s: includes nested deeper than %zu levels", quote(path).c_str(),
                                   max_include_depth);
                auto text = read_file(path);
                if (!text)
                        return std::move(text).error();
                auto vars = make_vars(host, name, app);
                auto p = parse_profile(*text, path, vars);
                if (!p)
                        return std::move(p).error();
                stack.push_back(name);
                for (auto& inc : p->include) {
                        auto inc_path = find_profile(inc, search);
                        if (inc_path.empty())
                                return err("%s: include: no profile named %s", path.c_str(),
                                           quote(inc).c_str());
                        SB_TRY(load_file(inc_path, inc, true));
                }
                stack.pop_back();
                done.push_back(path);
                p->name = name;
                layers.push_back(std::move(*p));
                return with_local ? load_local(name) : Status(Ok{});
        }

        Status load_local(const std::string& name) {
                if (search.user_dir.empty() || !valid_profile_name(name))
                        return Ok{};
                auto local = search.user_dir + "/" + name + ".local.toml";
                if (!file_exists(local))
                        return Ok{};
                auto text = read_file(local);
                if (!text)
                        return std::move(text).error();
                auto p = parse_profile(*text, local, make_vars(host, name, app));
                if (!p)
                        return std::move(p).error();
                if (!p->include.empty())
                        return err("%s: include: a .local.toml override cannot include profiles",
                                   local.c_str());
                p->name = name + ".local";
                layers.push_back(std::move(*p));
                return Ok{};
        }
};

} // namespace

ProfileSearch default_search(const Host& host) {
        ProfileSearch s;
        auto config = xdg_dir(host, "XDG_CONFIG_HOME", ".config");
        s.user_dir = config + "/sandbox/profiles";
        s.dirs = {s.user_dir, SB_SYSCONF_PROFILES, SB_DATADIR_PROFILES};
        if (running_from_build_tree())
                s.dirs.push_back(SB_SOURCE_PROFILES);
        return s;
}

bool is_profile_path(std::string_view spec) {
        return spec.find('/') != std::string_view::npos || spec.ends_with(".toml");
}

std::string find_profile(std::string_view name, const ProfileSearch& search) {
        if (!valid_profile_name(name))
                return {};
        for (auto& dir : search.dirs) {
                auto path = dir + "/" + std::string(name) + ".toml";
                if (file_exists(path))
                        return path;
        }
        return {};
}

Result<std::vector<Profile>> load_profile(std::string_view spec, const ProfileSearch& search,
                                          const Host& host, std::string_view app) {
        Loader l{search, host, app, {}, {}, {}};
        if (is_profile_path(spec)) {
                std::string path(spec);
                auto name = path.substr(path.rfind('/') + 1);
                if (name.ends_with(".toml"))
                        name.resize(name.size() - 5);
                // A file is taken as it is: its .local override applies only when loaded by name.
                SB_TRY(l.load_file(path, name, false));
                return std::move(l.layers);
        }
        if (!valid_profile_name(spec))
                return err("invalid profile name %s", quote(spec).c_str());
        auto path = find_profile(spec, search);
        if (path.empty()) {
                std::string where;
                for (auto& d : search.dirs)
                        where += "\n  " + d;
                return err("no profile named %s; looked in:%s", quote(spec).c_str(), where.c_str());
        }
        SB_TRY(l.load_file(path, std::string(spec), true));
        return std::move(l.layers);
}

std::vector<ProfileListing> list_profiles(const ProfileSearch& search, const Host& host) {
        std::vector<ProfileListing> out;
        for (auto& dir : search.dirs) {
                DIR* d = opendir(dir.c_str());
                if (!d)
                        continue;
                while (struct dirent* e = readdir(d)) {
                        std::string file = e->d_name;
                        if (!file.ends_with(".toml") || file.ends_with(".local.toml"))
                                continue;
                        auto name = file.substr(0, file.size() - 5);
                        auto path = dir + "/" + file;
                        if (!valid_profile_name(name) || !file_exists(path))
                                continue;
                        auto known = std::find_if(out.begin(), out.end(),
                                                  [&](const ProfileListing& l) { return l.name == name; });
                        if (known != out.end()) {
                                if (known->path != path)
                                        known->shadowed.push_back(path);
                                continue;
                        }
                        ProfileListing l;
                        l.name = name;
                        l.path = path;
                        auto layers = load_profile(name, search, host, "");
                        if (!layers)
                                l.error = layers.error().what();
                        else if (!layers->empty())
                                for (auto& layer : *layers)
                                        if (layer.name == name && layer.description)
                                                l.description = *layer.description;
                        out.push_back(std::move(l));
                }
                closedir(d);
        }
        std::sort(out.begin(), out.end(),
                  [](const ProfileListing& a, const ProfileListing& b) { return a.name < b.name; });
        return out;
}

} // namespace sb
