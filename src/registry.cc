// SPDX-License-Identifier: GPL-2.0-or-later
// Running sandboxes by name. Each has a directory under $XDG_RUNTIME_DIR/sandbox/running
// (the user's own, 0700, never shared): "claim" holds the launcher's pid and start time from
// the moment the name is taken; "info", written last, makes the entry complete, with the
// pid, start time and namespaces of the sandbox's pid 1, by which --enter and --stop check
// that what they reach is that sandbox and nothing else. A dead launcher's entry is removed
// by whoever meets it.
#include "registry.h"

#include "paths.h"
#include "text.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sb {

namespace {

// A directory of ours: made 0700 when missing, refused when a link or someone else's.
Status own_dir(const std::string& path) {
        if (mkdir(path.c_str(), 0700) < 0 && errno != EEXIST)
                return err_errno(errno, "create %s", quote(path).c_str());
        struct stat st;
        if (lstat(path.c_str(), &st) < 0)
                return err_errno(errno, "%s", quote(path).c_str());
        if (!S_ISDIR(st.st_mode) || st.st_uid != getuid())
                return err("%s is not a directory of yours", quote(path).c_str());
        return Ok{};
}

Status write_file(const std::string& path, std::string_view data) {
        int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
                return err_errno(errno, "write %s", quote(path).c_str());
        size_t done = 0;
        while (done < data.size()) {
                ssize_t n = write(fd, data.data() + done, data.size() - done);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0) {
                        int e = errno;
                        close(fd);
                        return err_errno(e, "write %s", quote(path).c_str());
                }
                done += static_cast<size_t>(n);
        }
        close(fd);
        return Ok{};
}

std::string joined(const std::vector<std::string>& v) {
        std::string s;
        for (auto& x : v) {
                s += x;
                s.push_back('\0');
        }
        return s;
}

std::vector<std::string> nul_split(const std::string& s) {
        std::vector<std::string> out;
        size_t start = 0;
        for (size_t i = 0; i < s.size(); i++)
                if (s[i] == '\0') {
                        out.push_back(s.substr(start, i - start));
                        start = i + 1;
                }
        return out;
}

template <typename T>
T number(std::string_view s) {
        T v{};
        std::from_chars(s.data(), s.data() + s.size(), v);
        return v;
}

bool alive(pid_t pid, unsigned long long start) {
        return pid > 0 && start != 0 && process_start(pid) == start;
}

// The claim's launcher: "PID START".
bool claim_alive(const std::string& dir) {
        auto text = read_small_file(dir + "/claim", 256);
        auto space = text.find(' ');
        if (space == std::string::npos)
                return false;
        return alive(number<pid_t>(text.substr(0, space)),
                     number<unsigned long long>(std::string_view(text).substr(space + 1)));
}

// The info file's fields; the others only when whole.
bool read_entry(const std::string& dir, Entry& e, bool whole) {
        auto info = read_small_file(dir + "/info", 1 << 16);
        if (info.empty())
                return false;
        e.dir = dir;
        for (auto line : split(info, '\n')) {
                auto eq = line.find('=');
                if (eq == std::string_view::npos)
                        continue;
                auto k = line.substr(0, eq), v = line.substr(eq + 1);
                if (k == "name")
                        e.name = v;
                else if (k == "profile")
                        e.profile = v;
                else if (k == "launcher")
                        e.launcher = number<pid_t>(v);
                else if (k == "launcher_start")
                        e.launcher_start = number<unsigned long long>(v);
                else if (k == "init")
                        e.init = number<pid_t>(v);
                else if (k == "init_start")
                        e.init_start = number<unsigned long long>(v);
                else if (k == "userns")
                        e.userns = number<unsigned long long>(v);
                else if (k == "pidns")
                        e.pidns = number<unsigned long long>(v);
                else if (k == "started")
                        e.started = number<long long>(v);
                else if (k == "cgroup")
                        e.cgroup = v;
                else if (k == "last_cap")
                        e.last_cap = number<int>(v);
                else if (k == "landlock")
                        e.use_landlock = v == "1";
                else if (k == "egress") {
                        e.egress_rules = v != "-";
                        e.landlock.tcp_connect_rules = e.egress_rules;
                        for (auto port : split(v, ','))
                                if (port != "-" && !port.empty())
                                        e.landlock.tcp_connect.push_back(number<unsigned>(port));
                }
        }
        e.command = nul_split(read_small_file(dir + "/command", 1 << 20));
        if (!whole)
                return true;
        e.env = nul_split(read_small_file(dir + "/env", 1 << 22));
        e.cwd = read_small_file(dir + "/cwd", 1 << 16);
        // "ACCESS PATH" per line; paths are absolute and hold no newline (mount destinations).
        e.landlock.filesystem = e.use_landlock;
        e.landlock.scope_abstract = e.use_landlock;
        std::string landlock = read_small_file(dir + "/landlock", 1 << 22);
        for (auto line : split(landlock, '\n')) {
                auto sp = line.find(' ');
                if (sp != std::string_view::npos)
                        e.landlock.paths.push_back({std::string(line.substr(sp + 1)), number<unsigned>(line.substr(0, sp))});
        }
        auto bpf = read_small_file(dir + "/filter", 1 << 22);
        e.filter.resize(bpf.size() / sizeof(sock_filter));
        if (!e.filter.empty())
                memcpy(e.filter.data(), bpf.data(), e.filter.size() * sizeof(sock_filter));
        return true;
}

} // namespace

std::string registry_dir(const Host& h) {
        auto runtime = h.getenv("XDG_RUNTIME_DIR");
        if (runtime.empty() || runtime[0] != '/')
                return {};
        return runtime + "/sandbox/running";
}

bool valid_sandbox_name(std::string_view name) {
        return name.size() <= 64 && valid_profile_name(name) && name != "." && name != "..";
}

unsigned long long process_start(pid_t pid) {
        auto stat = read_small_file("/proc/" + std::to_string(pid) + "/stat", 4096);
        // The command name is in parentheses and may hold anything: fields count after the last ')'.
        auto close = stat.rfind(')');
        if (close == std::string::npos)
                return 0;
        auto fields = split(std::string_view(stat).substr(close + 2), ' ');
        // Field 22 of the file is the 20th after the name: starttime.
        return fields.size() > 19 ? number<unsigned long long>(fields[19]) : 0;
}

Result<std::string> claim_name(const std::string& registry, const std::optional<std::string>& name,
                               const std::string& base) {
        if (registry.empty())
                return err("--name needs XDG_RUNTIME_DIR, where running sandboxes are registered");
        SB_TRY(own_dir(parent_dir(registry)));
        SB_TRY(own_dir(registry));
        std::string claim = strprintf("%d %llu\n", getpid(), process_start(getpid()));
        std::string stem = valid_sandbox_name(base) ? base : "sandbox";
        // A name is taken by renaming a directory that already holds the claim onto it: atomic,
        // and a taken name is never seen without its claim (rename refuses a non-empty target).
        auto take = [&](const std::string& dir) -> Result<bool> {
                std::string tmp = registry + "/.new-XXXXXX";
                if (!mkdtemp(tmp.data()))
                        return err_errno(errno, "create a directory in %s", quote(registry).c_str());
                if (auto w = write_file(tmp + "/claim", claim); !w) {
                        remove_entry(tmp);
                        return std::move(w).error();
                }
                if (rename(tmp.c_str(), dir.c_str()) == 0)
                        return true;
                int e = errno;
                remove_entry(tmp);
                if (e != EEXIST && e != ENOTEMPTY)
                        return err_errno(e, "create %s", quote(dir).c_str());
                return false;
        };
        for (int i = 1; i < 1000; i++) {
                std::string n = name ? *name : i == 1 ? stem : stem + "-" + std::to_string(i);
                std::string dir = registry + "/" + n;
                auto taken = take(dir);
                if (!taken)
                        return std::move(taken).error();
                if (*taken)
                        return dir;
                if (!claim_alive(dir)) {
                        remove_entry(dir); // its launcher is gone: the name is free, once more
                        taken = take(dir);
                        if (!taken)
                                return std::move(taken).error();
                        if (*taken)
                                return dir;
                        if (name)
                                return err("the stale entry %s cannot be replaced", quote(dir).c_str());
                        continue;
                }
                if (name) {
                        Entry e;
                        bool known = read_entry(dir, e, false);
                        return err("a sandbox named %s is running already%s; choose another --name",
                                   quote(*name).c_str(),
                                   known ? strprintf(" (pid %d)", e.launcher).c_str() : "");
                }
        }
        return err("no free name for a sandbox of %s", quote(stem).c_str());
}

Status publish_entry(const Entry& e) {
        std::string egress, landlock;
        for (unsigned p : e.landlock.tcp_connect)
                egress += (egress.empty() ? "" : ",") + std::to_string(p);
        for (auto& p : e.landlock.paths)
                if (p.path.find('\n') == std::string::npos)
                        landlock += std::to_string(p.access) + " " + p.path + "\n";
        std::string info = "name=" + e.name + "\nprofile=" + e.profile + strprintf("\nlauncher=%d\n", e.launcher) +
                           strprintf("launcher_start=%llu\ninit=%d\ninit_start=%llu\n", e.launcher_start, e.init,
                                     e.init_start) +
                           strprintf("userns=%llu\npidns=%llu\nstarted=%lld\nlast_cap=%d\n", e.userns, e.pidns,
                                     e.started, e.last_cap) +
                           "cgroup=" + e.cgroup + "\negress=" + (e.egress_rules ? egress : "-") +
                           "\nlandlock=" + (e.use_landlock ? "1" : "0") + "\n";
        SB_TRY(write_file(e.dir + "/command", joined(e.command)));
        SB_TRY(write_file(e.dir + "/env", joined(e.env)));
        SB_TRY(write_file(e.dir + "/cwd", e.cwd));
        SB_TRY(write_file(e.dir + "/landlock", landlock));
        SB_TRY(write_file(e.dir + "/filter",
                          std::string_view(reinterpret_cast<const char*>(e.filter.data()),
                                           e.filter.size() * sizeof(sock_filter))));
        SB_TRY(write_file(e.dir + "/info.new", info));
        if (rename((e.dir + "/info.new").c_str(), (e.dir + "/info").c_str()) < 0)
                return err_errno(errno, "publish %s", quote(e.dir).c_str());
        return Ok{};
}

void remove_entry(const std::string& dir) {
        for (const char* f : {"/info", "/info.new", "/command", "/env", "/cwd", "/filter", "/landlock", "/claim"})
                unlink((dir + f).c_str());
        rmdir(dir.c_str());
}

std::vector<Entry> running_entries(const std::string& registry) {
        std::vector<Entry> out;
        DIR* d = registry.empty() ? nullptr : opendir(registry.c_str());
        if (!d)
                return out;
        while (auto* de = readdir(d)) {
                std::string n = de->d_name;
                if (n == "." || n == "..")
                        continue;
                std::string dir = registry + "/" + n;
                Entry e;
                if (!read_entry(dir, e, false)) {
                        if (!claim_alive(dir))
                                remove_entry(dir);
                        continue; // being set up
                }
                if (!alive(e.launcher, e.launcher_start) || !alive(e.init, e.init_start)) {
                        remove_entry(dir);
                        continue;
                }
                out.push_back(std::move(e));
        }
        closedir(d);
        std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) { return a.name < b.name; });
        return out;
}

Result<Entry> find_entry(const std::string& registry, const std::string& name) {
        if (registry.empty())
                return err("no running sandboxes are known: XDG_RUNTIME_DIR is not set");
        if (!valid_sandbox_name(name))
                return err("%s is not a sandbox name", quote(name).c_str());
        std::string dir = registry + "/" + name;
        Entry e;
        if (!read_entry(dir, e, true)) {
                if (access(dir.c_str(), F_OK) == 0 && !claim_alive(dir))
                        remove_entry(dir);
                return err("no sandbox named %s is running (see sandbox --list)", quote(name).c_str());
        }
        if (!alive(e.launcher, e.launcher_start) || !alive(e.init, e.init_start)) {
                remove_entry(dir);
                return err("no sandbox named %s is running (its entry was stale and is removed)",
                           quote(name).c_str());
        }
        return e;
}

} // namespace sb
