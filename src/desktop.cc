// SPDX-License-Identifier: GPL-2.0-or-later
// Desktop launchers: a user .desktop entry that shadows the system one and runs the app
// through sandbox.
#include "desktop.h"

#include "paths.h"
#include "text.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sb {

std::string desktop_quote(std::string_view arg) {
        bool plain = !arg.empty() && arg.find_first_of(" \t\n\"'\\><~|&;$*?#()`=%") == std::string_view::npos;
        if (plain)
                return std::string(arg);
        std::string out = "\"";
        for (char c : arg) {
                if (c == '"' || c == '`' || c == '$' || c == '\\')
                        out += '\\';
                out += c;
        }
        // The whole value is itself a string with its own escapes: a backslash is written twice;
        // and a literal '%' is "%%" (a single one starts a field code).
        std::string escaped;
        for (char c : out + "\"")
                escaped += c == '\\' ? std::string("\\\\") : c == '%' ? std::string("%%") : std::string(1, c);
        return escaped;
}

Result<std::string> rewrite_desktop_entry(std::string_view text, const std::string& sandbox,
                                          const std::optional<std::string>& profile,
                                          const std::string& original) {
        std::string prefix = desktop_quote(sandbox);
        if (profile)
                prefix += " --profile " + desktop_quote(*profile);
        prefix += " -- ";
        std::string out;
        bool in_entry = false, seen_entry = false, has_exec = false;
        for (auto line : split(text, '\n')) {
                std::string_view l = line;
                if (l.starts_with("[")) {
                        in_entry = l == "[Desktop Entry]";
                        out += std::string(l) + "\n";
                        if (in_entry && !seen_entry) {
                                out += std::string(desktop_marker) + "=" + original + "\n";
                                seen_entry = true;
                        }
                        continue;
                }
                auto eq = l.find('=');
                std::string_view key = eq == std::string_view::npos ? std::string_view() : l.substr(0, eq);
                while (!key.empty() && key.back() == ' ')
                        key.remove_suffix(1);
                if (key == "Exec") {
                        auto value = l.substr(eq + 1);
                        while (!value.empty() && value.front() == ' ')
                                value.remove_prefix(1);
                        if (value.empty())
                                return err("%s: an empty Exec line", quote(original).c_str());
                        out += "Exec=" + prefix + std::string(value) + "\n";
                        has_exec = has_exec || in_entry;
                        continue;
                }
                // D-Bus activation starts the app without Exec, outside the sandbox.
                if (key == "DBusActivatable" || key == desktop_marker)
                        continue;
                out += std::string(l) + "\n";
        }
        if (!seen_entry)
                return err("%s: no [Desktop Entry] group", quote(original).c_str());
        if (!has_exec)
                return err("%s: no Exec line to run through sandbox (a D-Bus-activated app only?)",
                           quote(original).c_str());
        return out;
}

namespace {

Result<std::string> entry_name(const std::string& app) {
        std::string name = app.ends_with(".desktop") ? app : app + ".desktop";
        if (name.size() > 255 || name.find('/') != std::string::npos || name.starts_with(".") ||
            has_control(name))
                return err("%s is not the name of an application", quote(app).c_str());
        return name;
}

std::string user_dir(const Host& h) {
        return xdg_dir(h, "XDG_DATA_HOME", ".local/share") + "/applications";
}

bool ours(const std::string& text) {
        for (auto line : split(text, '\n'))
                if (line.starts_with(desktop_marker) && line.size() > desktop_marker.size() &&
                    line[desktop_marker.size()] == '=')
                        return true;
        return false;
}

} // namespace

Result<std::string> install_desktop(const Host& h, const std::string& app,
                                    const std::optional<std::string>& profile) {
        auto name = entry_name(app);
        if (!name)
                return std::move(name).error();
        std::string dirs =
            h.getenv("XDG_DATA_DIRS").empty() ? "/usr/local/share:/usr/share" : h.getenv("XDG_DATA_DIRS");
        std::string original, text;
        std::string looked;
        for (auto d : split(dirs, ':')) {
                if (d.empty() || d[0] != '/')
                        continue;
                std::string path = std::string(d) + (d.ends_with("/") ? "" : "/") + "applications/" + *name;
                looked += "\n  " + path;
                int e = 0;
                text = read_small_file(path, 1 << 20, &e);
                if (!e) {
                        original = path;
                        break;
                }
        }
        if (original.empty())
                return err("no desktop entry %s; looked in:%s", quote(*name).c_str(), looked.c_str());
        char self[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
        if (n <= 0)
                return err_errno(errno, "find sandbox's own path");
        self[n] = '\0';
        auto rewritten = rewrite_desktop_entry(text, self, profile, original);
        if (!rewritten)
                return std::move(rewritten).error();
        std::string dir = user_dir(h);
        SB_TRY(make_dirs(dir, 0755));
        std::string target = dir + "/" + *name;
        int e = 0;
        std::string existing = read_small_file(target, 1 << 20, &e);
        if (!e && !ours(existing))
                return err("%s exists and was not written by sandbox: move it away first",
                           quote(target).c_str());
        std::string tmp = target + ".sandbox-tmp";
        int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0)
                return err_errno(errno, "write %s", quote(tmp).c_str());
        bool ok = write(fd, rewritten->data(), rewritten->size()) == static_cast<ssize_t>(rewritten->size());
        ok = close(fd) == 0 && ok;
        if (!ok || rename(tmp.c_str(), target.c_str()) < 0) {
                int we = errno;
                unlink(tmp.c_str());
                return err_errno(we, "write %s", quote(target).c_str());
        }
        return strprintf("%s: runs through sandbox%s (shadows %s)\n", target.c_str(),
                         profile ? (" with the profile " + quote(*profile)).c_str() : "", original.c_str());
}

Result<std::string> uninstall_desktop(const Host& h, const std::string& app) {
        auto name = entry_name(app);
        if (!name)
                return std::move(name).error();
        std::string target = user_dir(h) + "/" + *name;
        int e = 0;
        std::string text = read_small_file(target, 1 << 20, &e);
        if (e)
                return err_errno(e, "%s", quote(target).c_str());
        if (!ours(text))
                return err("%s was not written by sandbox: left alone", quote(target).c_str());
        if (unlink(target.c_str()) < 0)
                return err_errno(errno, "remove %s", quote(target).c_str());
        return strprintf("%s: removed; the system's entry applies again\n", target.c_str());
}

Result<std::string> list_desktop(const Host& h) {
        std::string dir = user_dir(h);
        std::vector<std::string> lines;
        if (DIR* d = opendir(dir.c_str())) {
                while (auto* ent = readdir(d)) {
                        std::string n = ent->d_name;
                        if (!n.ends_with(".desktop"))
                                continue;
                        int e = 0;
                        std::string text = read_small_file(dir + "/" + n, 1 << 20, &e);
                        if (e || !ours(text))
                                continue;
                        std::string original;
                        for (auto line : split(text, '\n'))
                                if (line.starts_with(std::string(desktop_marker) + "="))
                                        original = std::string(line.substr(desktop_marker.size() + 1));
                        lines.push_back(n.substr(0, n.size() - 8) + "  (shadows " + original + ")");
                }
                closedir(d);
        }
        std::sort(lines.begin(), lines.end());
        std::string out;
        for (auto& l : lines)
                out += escape_controls(l) + "\n";
        return out;
}

} // namespace sb
