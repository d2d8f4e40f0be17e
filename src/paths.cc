// SPDX-License-Identifier: GPL-2.0-or-later
// Pure path handling: normalisation, containment and the SRC[:DST] syntax.
#include "paths.h"

#include "text.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace sb {

bool has_control(std::string_view s) {
        for (char c : s)
                if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
                        return true;
        return false;
}

bool valid_hostname(std::string_view s) {
        bool ok = !s.empty() && s.size() <= 64;
        for (char c : s)
                ok = ok && (c == '-' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                            (c >= 'A' && c <= 'Z'));
        return ok;
}

bool valid_profile_name(std::string_view name) {
        if (name.empty() || name[0] == '.' || name.size() > 128)
                return false;
        for (char c : name)
                if (!(c == '-' || c == '_' || c == '.' || c == '+' || (c >= '0' && c <= '9') ||
                      (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
                        return false;
        return true;
}

// Splits into components, dropping empty ones and ".".
static std::vector<std::string_view> components(std::string_view p) {
        std::vector<std::string_view> out;
        size_t i = 0;
        while (i < p.size()) {
                size_t j = p.find('/', i);
                if (j == std::string_view::npos)
                        j = p.size();
                auto c = p.substr(i, j - i);
                if (!c.empty() && c != ".")
                        out.push_back(c);
                i = j + 1;
        }
        return out;
}

static std::string join(const std::vector<std::string_view>& parts) {
        if (parts.empty())
                return "/";
        std::string s;
        for (auto c : parts) {
                s += '/';
                s += c;
        }
        return s;
}

Result<std::string> normalize_path(std::string_view p) {
        if (p.empty())
                return err("empty path");
        if (has_control(p))
                return err("path %s contains a control character", quote(p).c_str());
        if (p[0] != '/')
                return err("path %s is not absolute", quote(p).c_str());
        auto parts = components(p);
        for (auto c : parts)
                if (c == "..")
                        return err("path %s has a '..' component", quote(p).c_str());
        return join(parts);
}

Result<std::string> absolute_path(std::string_view p, std::string_view base) {
        if (p.empty())
                return err("empty path");
        if (has_control(p))
                return err("path %s contains a control character", quote(p).c_str());
        std::string full = p[0] == '/' ? std::string(p) : std::string(base) + "/" + std::string(p);
        std::vector<std::string_view> out;
        for (auto c : components(full)) {
                if (c == "..") {
                        if (!out.empty())
                                out.pop_back();
                } else {
                        out.push_back(c);
                }
        }
        return join(out);
}

bool path_within(std::string_view path, std::string_view base) {
        if (base == "/")
                return !path.empty() && path[0] == '/';
        if (path.size() < base.size() || path.substr(0, base.size()) != base)
                return false;
        return path.size() == base.size() || path[base.size()] == '/';
}

bool path_less(std::string_view a, std::string_view b) {
        auto ca = components(a), cb = components(b);
        for (size_t i = 0; i < ca.size() && i < cb.size(); i++)
                if (ca[i] != cb[i])
                        return ca[i] < cb[i];
        return ca.size() < cb.size();
}

std::pair<std::string, std::string> split_bind_spec(std::string_view spec) {
        for (size_t i = 0; i + 1 < spec.size(); i++)
                if (spec[i] == ':' && spec[i + 1] == '/')
                        return {std::string(spec.substr(0, i)), std::string(spec.substr(i + 1))};
        return {std::string(spec), std::string(spec)};
}

bool valid_env_name(std::string_view name) {
        if (name.empty() || (name[0] >= '0' && name[0] <= '9'))
                return false;
        for (char c : name)
                if (!(c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
                        return false;
        return true;
}

std::string parent_dir(std::string_view path) {
        size_t i = path.rfind('/');
        if (i == 0 || i == std::string_view::npos)
                return "/";
        return std::string(path.substr(0, i));
}

std::string read_small_file(const std::string& path, size_t limit, int* err) {
        std::string s;
        int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (err)
                *err = fd < 0 ? errno : 0;
        if (fd < 0)
                return s;
        char buf[4096];
        ssize_t n;
        while (s.size() < limit && (n = read(fd, buf, sizeof buf)) > 0)
                s.append(buf, static_cast<size_t>(n));
        close(fd);
        if (s.size() > limit)
                s.resize(limit);
        return s;
}

Status make_dirs(const std::string& path, unsigned mode) {
        for (size_t pos = 1; pos <= path.size(); pos++) {
                if (pos != path.size() && path[pos] != '/')
                        continue;
                auto part = path.substr(0, pos);
                if (mkdir(part.c_str(), static_cast<mode_t>(mode)) < 0 && errno != EEXIST)
                        return err_errno(errno, "create %s", quote(part).c_str());
        }
        return Ok{};
}

std::string read_fd_start(int fd, size_t limit) {
        std::string s;
        char buf[1024];
        ssize_t n;
        off_t off = 0;
        while (s.size() < limit && (n = pread(fd, buf, sizeof buf, off)) > 0) {
                s.append(buf, static_cast<size_t>(n));
                off += n;
        }
        return s;
}

} // namespace sb
