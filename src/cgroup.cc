// SPDX-License-Identifier: GPL-2.0-or-later
// Resource limits through the user's delegated cgroup v2 subtree.
#include "cgroup.h"

#include "paths.h"
#include "text.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

namespace sb {

Limits limits_of(const Profile& p) {
        Limits l;
        l.memory = p.memory;
        l.memory_high = p.memory_high;
        l.memory_swap = p.memory_swap;
        l.pids = p.pids;
        l.cpu = p.cpu;
        l.io_weight = p.io_weight;
        l.fail = p.on_unavailable.value_or(OnUnavailable::Warn) == OnUnavailable::Fail;
        for (auto& [key, origin] : p.origins)
                if (key.starts_with("limits."))
                        l.where[key] = origin.str();
        return l;
}

std::string cgroup_path_of(std::string_view text) {
        for (auto line : split(text, '\n'))
                if (line.starts_with("0::"))
                        return std::string(line.substr(3));
        return {};
}

std::string cgroup2_mount_of(std::string_view text) {
        for (auto line : split(text, '\n')) {
                // ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER
                auto dash = line.find(" - ");
                if (dash == std::string_view::npos || !line.substr(dash + 3).starts_with("cgroup2 "))
                        continue;
                std::vector<std::string_view> f;
                for (size_t p = 0; p < dash && f.size() < 5;) {
                        size_t sp = line.find(' ', p);
                        if (sp == std::string_view::npos || sp > dash)
                                sp = dash;
                        f.push_back(line.substr(p, sp - p));
                        p = sp + 1;
                }
                if (f.size() < 5 || f[3] != "/")
                        continue; // a bind of a subtree: its paths are not those of /proc/self/cgroup
                // Octal escapes (\040 for a space) as the kernel writes them.
                std::string out;
                for (size_t i = 0; i < f[4].size(); i++) {
                        if (f[4][i] == '\\' && i + 3 < f[4].size()) {
                                auto oct = f[4].substr(i + 1, 3);
                                if (oct.size() == 3 && std::all_of(oct.begin(), oct.end(), [](char c) {
                                            return c >= '0' && c <= '7';
                                    })) {
                                        out += static_cast<char>((oct[0] - '0') * 64 + (oct[1] - '0') * 8 +
                                                                 (oct[2] - '0'));
                                        i += 3;
                                        continue;
                                }
                        }
                        out += f[4][i];
                }
                return out;
        }
        return {};
}

std::string cpu_max_of(double cores) {
        constexpr long period = 100000;
        long quota = std::lround(cores * period);
        if (quota < 1000)
                quota = 1000; // the kernel's minimum
        return strprintf("%ld %ld", quota, period);
}

std::string size_text(uint64_t bytes) {
        static const char* units[] = {"", "K", "M", "G", "T"};
        int u = 0;
        while (u < 4 && bytes >= (uint64_t{1} << (10 * (u + 1))))
                u++;
        uint64_t unit = uint64_t{1} << (10 * u);
        if (bytes % unit == 0)
                return strprintf("%llu%s", static_cast<unsigned long long>(bytes / unit), units[u]);
        return strprintf("%.1f%s", static_cast<double>(bytes) / static_cast<double>(unit), units[u]);
}

namespace {

// 0, or the errno of writing text to path.
int write_file(const std::string& path, std::string_view text) {
        int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
        if (fd < 0)
                return errno;
        ssize_t n = write(fd, text.data(), text.size());
        int e = n == static_cast<ssize_t>(text.size()) ? 0 : n < 0 ? errno : EIO;
        close(fd);
        return e;
}

// A word of a space-separated list ("cpu io memory pids\n"), as cgroup.controllers has.
bool has_word(std::string_view list, std::string_view word) {
        for (auto line : split(list, '\n'))
                for (auto w : split(line, ' '))
                        if (w == word)
                                return true;
        return false;
}

// "key value" lines (memory.events, cpu.stat): the value of key, or 0.
uint64_t keyed(std::string_view text, std::string_view key) {
        for (auto line : split(text, '\n')) {
                if (line.size() > key.size() && line.starts_with(key) && line[key.size()] == ' ')
                        return strtoull(std::string(line.substr(key.size() + 1)).c_str(), nullptr, 10);
        }
        return 0;
}

uint64_t number_in(const std::string& path) {
        auto s = read_small_file(path);
        return s.empty() ? 0 : strtoull(s.c_str(), nullptr, 10);
}

struct Want {
        const char* key;
        const char* controller;
        const char* file;
        std::string value;
        std::string shown;
};

std::vector<Want> wanted(const Limits& l) {
        std::vector<Want> w;
        if (l.memory)
                w.push_back({"limits.memory", "memory", "memory.max", std::to_string(*l.memory),
                             size_text(*l.memory)});
        if (l.memory_high)
                w.push_back({"limits.memory_high", "memory", "memory.high", std::to_string(*l.memory_high),
                             size_text(*l.memory_high)});
        if (l.memory_swap)
                w.push_back({"limits.memory_swap", "memory", "memory.swap.max",
                             std::to_string(*l.memory_swap), size_text(*l.memory_swap)});
        if (l.pids)
                w.push_back(
                    {"limits.pids", "pids", "pids.max", std::to_string(*l.pids), std::to_string(*l.pids)});
        if (l.cpu)
                w.push_back({"limits.cpu", "cpu", "cpu.max", cpu_max_of(*l.cpu), strprintf("%g", *l.cpu)});
        if (l.io_weight)
                w.push_back({"limits.io_weight", "io", "io.weight", "default " + std::to_string(*l.io_weight),
                             std::to_string(*l.io_weight)});
        return w;
}

// Where this launcher's cgroup is, and what it offers; site.why says why not, if it cannot be
// used at all.
struct Site {
        std::string dir;
        std::string controllers;
        std::string why;
};

Site find_site() {
        Site s;
        std::string mount = cgroup2_mount_of(read_small_file("/proc/self/mountinfo"));
        if (mount.empty()) {
                s.why = "no cgroup v2 filesystem is mounted";
                return s;
        }
        std::string path = cgroup_path_of(read_small_file("/proc/self/cgroup"));
        if (path.empty()) {
                s.why = "this process is in no cgroup v2 group (/proc/self/cgroup has no 0:: line)";
                return s;
        }
        s.dir = mount + (path == "/" ? "" : path);
        s.controllers = read_small_file(s.dir + "/cgroup.controllers");
        return s;
}

bool pid_alive(pid_t pid) {
        return kill(pid, 0) == 0 || errno == EPERM;
}

// Leaves of earlier sandboxes whose launcher was killed: empty, so rmdir takes them.
void remove_stale(const std::string& dir) {
        DIR* d = opendir(dir.c_str());
        if (!d)
                return;
        while (auto* e = readdir(d)) {
                std::string_view name = e->d_name;
                if (!name.starts_with("sandbox-") || e->d_type != DT_DIR)
                        continue;
                auto dash = name.rfind('-');
                auto pidtext = std::string(name.substr(dash + 1));
                if (name.ends_with(".launcher")) {
                        auto stem = name.substr(0, name.size() - 9);
                        pidtext = std::string(stem.substr(stem.rfind('-') + 1));
                }
                pid_t pid = static_cast<pid_t>(strtol(pidtext.c_str(), nullptr, 10));
                if (pid > 0 && !pid_alive(pid))
                        rmdir((dir + "/" + std::string(name)).c_str());
        }
        closedir(d);
}

// Every pid in cgroup.procs is ours.
bool only_us(const std::string& dir) {
        auto procs = read_small_file(dir + "/cgroup.procs");
        std::string me = std::to_string(getpid());
        for (auto pid : split(procs, '\n'))
                if (!pid.empty() && pid != me)
                        return false;
        return true;
}

} // namespace

std::string safe_name(std::string_view name) {
        std::string safe;
        for (char c : name.substr(0, 64))
                safe += (isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.') ? c : '_';
        return safe;
}

std::string own_scope_runner(const Limits& limits) {
        if (!limits.any() || getenv("SANDBOX_SCOPE"))
                return {};
        const char* runtime = getenv("XDG_RUNTIME_DIR");
        if (!runtime || runtime[0] != '/' ||
            access((std::string(runtime) + "/systemd/private").c_str(), F_OK) < 0)
                return {}; // no systemd user manager to ask
        std::string runner;
        for (const char* dir : {"/usr/bin/", "/bin/", "/usr/local/bin/"})
                if (access((std::string(dir) + "systemd-run").c_str(), X_OK) == 0) {
                        runner = std::string(dir) + "systemd-run";
                        break;
                }
        if (runner.empty())
                return {};
        Site site = find_site();
        if (!site.why.empty())
                return {};
        // A scope helps only where the controllers live in cgroup v2 (not a hybrid host's v1).
        std::string mount = cgroup2_mount_of(read_small_file("/proc/self/mountinfo"));
        auto top = read_small_file(mount + "/cgroup.controllers");
        bool any = false;
        for (auto& w : wanted(limits))
                any = any || has_word(top, w.controller);
        if (!any)
                return {};
        bool usable = access((site.dir + "/cgroup.subtree_control").c_str(), W_OK) == 0 &&
                      access(site.dir.c_str(), W_OK) == 0 && only_us(site.dir);
        return usable ? std::string() : runner;
}

std::vector<Enforcement> enforcement_plan(const Limits& limits) {
        std::vector<Enforcement> plan;
        auto w = wanted(limits);
        if (w.empty())
                return plan;
        Site site = find_site();
        bool writable = site.why.empty() &&
                        access((site.dir + "/cgroup.subtree_control").c_str(), W_OK) == 0 &&
                        access(site.dir.c_str(), W_OK) == 0;
        // Where sandbox will run again in a scope of its own, the limits are enforced there.
        bool scoped = !own_scope_runner(limits).empty();
        for (auto& x : w) {
                Enforcement e{x.key, x.shown, "", ""};
                if (!site.why.empty())
                        e.why = site.why;
                else if (!has_word(site.controllers, x.controller))
                        e.why =
                            strprintf("the %s controller is not available in %s (a cgroup v1 hierarchy holds "
                                      "it, or it is not delegated)",
                                      x.controller, quote(site.dir).c_str());
                else if (!writable)
                        e.why =
                            strprintf("the cgroup %s is not delegated to you (a login session's scope); run "
                                      "sandbox in a scope of its own: systemd-run --user --scope -p "
                                      "Delegate=yes sandbox ...",
                                      quote(site.dir).c_str());
                else
                        e.how = std::string("cgroup ") + x.file;
                if (e.how.empty() && site.why.empty() && has_word(site.controllers, x.controller) && scoped) {
                        e.how = std::string("cgroup ") + x.file + " (in a transient scope asked of systemd)";
                        e.why.clear();
                }
                if (e.how.empty() && x.key == std::string_view("limits.memory")) {
                        e.how = "rlimit RLIMIT_AS";
                        e.why += "; enforced instead as an address-space limit, which also counts memory "
                                 "reserved but not used";
                }
                plan.push_back(e);
        }
        return plan;
}

Cgroup::Cgroup(Cgroup&& o) noexcept
    : parent_(std::move(o.parent_)), leaf_(std::move(o.leaf_)), supervisor_(std::move(o.supervisor_)),
      enabled_(std::move(o.enabled_)), fd_(o.fd_) {
        o.leaf_.clear();
        o.supervisor_.clear();
        o.fd_ = -1;
}

Cgroup& Cgroup::operator=(Cgroup&& o) noexcept {
        if (this != &o) {
                finish();
                parent_ = std::move(o.parent_);
                leaf_ = std::move(o.leaf_);
                supervisor_ = std::move(o.supervisor_);
                enabled_ = std::move(o.enabled_);
                fd_ = o.fd_;
                o.leaf_.clear();
                o.supervisor_.clear();
                o.fd_ = -1;
        }
        return *this;
}

Cgroup::~Cgroup() {
        finish();
}

Result<Cgroup> Cgroup::setup(const Limits& limits, std::string_view name, std::vector<Enforcement>& plan) {
        Cgroup cg;
        plan = enforcement_plan(limits);
        bool any_cgroup = std::any_of(plan.begin(), plan.end(),
                                      [](const Enforcement& e) { return e.how.starts_with("cgroup"); });
        auto unavailable = [&]() -> Status {
                if (!limits.fail)
                        return Ok{};
                for (auto& e : plan)
                        if (!e.how.starts_with("cgroup")) {
                                auto w = limits.where.find(e.key);
                                return err(
                                    "%s: %s = %s cannot be enforced here, and limits.on_unavailable is "
                                    "\"fail\": %s",
                                    w == limits.where.end() ? "command line" : w->second.c_str(),
                                    e.key.c_str(), e.value.c_str(), e.why.c_str());
                        }
                return Ok{};
        };
        SB_TRY(unavailable());
        if (!any_cgroup)
                return cg;
        Site site = find_site();
        cg.parent_ = site.dir;
        remove_stale(site.dir);
        std::string controllers;
        for (auto& w : wanted(limits))
                if (has_word(site.controllers, w.controller) &&
                    controllers.find(std::string("+") + w.controller) == std::string::npos)
                        controllers += (controllers.empty() ? "+" : " +") + std::string(w.controller);
        std::string base = site.dir + "/sandbox-" + safe_name(name) + "-" + std::to_string(getpid());
        // Controllers are for cgroups without processes (and one with processes and threaded
        // controllers makes its children unusable): the launcher steps into a leaf of its own
        // first, and back at the end. Other processes there cannot be moved by us.
        int e = only_us(site.dir) ? 0 : EBUSY;
        if (!e && !read_small_file(site.dir + "/cgroup.procs").empty()) {
                std::string sup = base + ".launcher";
                if (mkdir(sup.c_str(), 0755) < 0 && errno != EEXIST)
                        return err_errno(errno, "create the cgroup %s", quote(sup).c_str());
                if (int m = write_file(sup + "/cgroup.procs", std::to_string(getpid()))) {
                        rmdir(sup.c_str());
                        return err_errno(m, "move the launcher into %s", quote(sup).c_str());
                }
                cg.supervisor_ = sup;
        }
        if (!e)
                e = write_file(site.dir + "/cgroup.subtree_control", controllers);
        if (!e)
                cg.enabled_ = controllers;
        if (e) {
                std::string why = e == EBUSY
                                      ? strprintf("other processes share the cgroup %s, and the kernel "
                                                  "enables controllers only in cgroups without processes; "
                                                  "run sandbox in a scope of its own: systemd-run --user "
                                                  "--scope -p Delegate=yes sandbox ...",
                                                  quote(site.dir).c_str())
                                      : strprintf("enabling %s in %s failed: %s", controllers.c_str(),
                                                  quote(site.dir).c_str(), strerror(e));
                for (auto& p : plan)
                        if (p.how.starts_with("cgroup")) {
                                p.how = p.key == "limits.memory" ? "rlimit RLIMIT_AS" : "";
                                p.why = why +
                                        (p.how.empty() ? "" : "; enforced instead as an address-space limit");
                        }
                cg.finish();
                SB_TRY(unavailable());
                return cg;
        }
        cg.leaf_ = base;
        if (mkdir(base.c_str(), 0755) < 0) {
                int m = errno;
                cg.leaf_.clear();
                return err_errno(m, "create the cgroup %s", quote(base).c_str());
        }
        for (auto& w : wanted(limits)) {
                auto it = std::find_if(plan.begin(), plan.end(),
                                       [&](const Enforcement& x) { return x.key == w.key; });
                if (it == plan.end() || !it->how.starts_with("cgroup"))
                        continue;
                if (int m = write_file(base + "/" + w.file, w.value)) {
                        // memory.swap.max is absent where swap is not accounted: that limit alone.
                        it->how = "";
                        it->why = strprintf("writing %s failed: %s", w.file, strerror(m));
                        SB_TRY(unavailable());
                }
        }
        cg.fd_ = open(base.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (cg.fd_ < 0)
                return err_errno(errno, "open the cgroup %s", quote(base).c_str());
        return cg;
}

CgroupStats Cgroup::finish() {
        CgroupStats st;
        if (!leaf_.empty()) {
                st.valid = true;
                st.memory_peak = number_in(leaf_ + "/memory.peak");
                st.oom_kills = keyed(read_small_file(leaf_ + "/memory.events"), "oom_kill");
                st.pids_max_hits = keyed(read_small_file(leaf_ + "/pids.events"), "max");
                st.pids_peak = number_in(leaf_ + "/pids.peak");
                auto cpu = read_small_file(leaf_ + "/cpu.stat");
                st.cpu_usec = keyed(cpu, "usage_usec");
                st.throttled_usec = keyed(cpu, "throttled_usec");
                // Whatever is left (a daemon the app started that escaped nothing but our wait).
                write_file(leaf_ + "/cgroup.kill", "1");
                struct timespec start, now;
                clock_gettime(CLOCK_MONOTONIC, &start);
                while (rmdir(leaf_.c_str()) < 0 && errno == EBUSY) {
                        clock_gettime(CLOCK_MONOTONIC, &now);
                        if (now.tv_sec - start.tv_sec >= 2)
                                break;
                        usleep(1000);
                }
                leaf_.clear();
        }
        if (fd_ >= 0) {
                close(fd_);
                fd_ = -1;
        }
        if (!supervisor_.empty()) {
                // Back where we were, so that the cgroup is as we found it.
                std::string off = enabled_;
                std::replace(off.begin(), off.end(), '+', '-');
                if (!off.empty())
                        write_file(parent_ + "/cgroup.subtree_control", off);
                write_file(parent_ + "/cgroup.procs", std::to_string(getpid()));
                rmdir(supervisor_.c_str());
                supervisor_.clear();
        }
        return st;
}

} // namespace sb
