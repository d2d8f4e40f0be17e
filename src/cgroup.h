// SPDX-License-Identifier: GPL-2.0-or-later
// Resource limits: a leaf of the user's delegated cgroup v2 subtree per sandbox, or, where
// there is none, the rlimits that map and a warning naming what is not enforced.
#pragma once

#include "profile.h"
#include "result.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace sb {

struct Limits {
        std::optional<uint64_t> memory, memory_high, memory_swap, pids; // bytes, bytes, bytes, count
        std::optional<double> cpu;                                      // cores
        std::optional<unsigned> io_weight;
        bool fail = false;                                     // limits.on_unavailable = "fail"
        std::map<std::string, std::string, std::less<>> where; // "limits.pids" -> "app.toml:4:8"
        bool any() const { return memory || memory_high || memory_swap || pids || cpu || io_weight; }
};
Limits limits_of(const Profile& p);

// Pure helpers, for the parsing of what the kernel shows.
// The cgroup v2 path in /proc/self/cgroup's "0::PATH" line, or "".
std::string cgroup_path_of(std::string_view proc_self_cgroup);
// The mount point of the first cgroup2 filesystem in /proc/self/mountinfo text, or "".
std::string cgroup2_mount_of(std::string_view mountinfo);
// cpu.max for a number of cores: "150000 100000".
std::string cpu_max_of(double cores);
// "64M", "1.5G": a size as a profile writes it.
std::string size_text(uint64_t bytes);

// One limit, and how this machine enforces it.
struct Enforcement {
        std::string key;   // "limits.memory"
        std::string value; // "64M"
        std::string how;   // "cgroup memory.max", "rlimit RLIMIT_AS", "" when not enforced
        std::string why;   // when not enforced (or only approximately): the reason
};

// What the sandbox reports at exit (--stats) and uses to explain an end by a limit.
struct CgroupStats {
        bool valid = false;
        uint64_t memory_peak = 0; // bytes; 0 when the kernel does not keep it
        uint64_t oom_kills = 0;
        uint64_t pids_max_hits = 0; // forks refused at pids.max
        uint64_t pids_peak = 0;
        uint64_t cpu_usec = 0, throttled_usec = 0;
};

// The launcher's side: a leaf made before the clone and removed after the sandbox ends.
class Cgroup {
      public:
        Cgroup() = default;
        Cgroup(Cgroup&& o) noexcept;
        Cgroup& operator=(Cgroup&& o) noexcept;
        Cgroup(const Cgroup&) = delete;
        Cgroup& operator=(const Cgroup&) = delete;
        ~Cgroup();

        // Makes the leaf "sandbox-NAME-PID" with the limits, or explains per limit why not.
        // Without a usable subtree the result holds no leaf and plan holds the fallback.
        static Result<Cgroup> setup(const Limits& limits, std::string_view name,
                                    std::vector<Enforcement>& plan);

        int fd() const { return fd_; } // for CLONE_INTO_CGROUP; -1 without a leaf
        const std::string& path() const { return leaf_; }

        // Kills whatever is left in the leaf, reads its statistics and removes it (and puts the
        // launcher back where it was).
        CgroupStats finish();

      private:
        std::string parent_, leaf_, supervisor_;
        std::string enabled_; // "+memory +pids": what setup enabled in the parent
        int fd_ = -1;
};

// "firefox", or "_tmp_x.toml" made safe for a cgroup or unit name.
std::string safe_name(std::string_view name);

// systemd-run's path when sandbox should re-execute itself in a transient scope of its own
// with Delegate=yes: limits are asked for, its cgroup cannot take them (root's, or shared with
// other processes), the controllers are in cgroup v2 and a systemd user manager runs. "" else,
// and always with SANDBOX_SCOPE set (which the re-executed sandbox has).
std::string own_scope_runner(const Limits& limits);

// Only the plan: what setup would do on this machine, without changing anything (--explain).
std::vector<Enforcement> enforcement_plan(const Limits& limits);

// The rlimits of the fallback, applied in the child before exec (RLIMIT_AS for memory).
void apply_fallback_rlimits(const std::vector<Enforcement>& plan, const Limits& limits) noexcept;

} // namespace sb
