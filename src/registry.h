// SPDX-License-Identifier: GPL-2.0-or-later
// Running sandboxes by name: one directory each under $XDG_RUNTIME_DIR/sandbox/running,
// written by the launcher and read by --list, --enter and --stop.
#pragma once

#include "host.h"
#include "landlock.h"
#include "result.h"

#include <linux/filter.h>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace sb {

// Where the entries live; "" without XDG_RUNTIME_DIR (no registry then).
std::string registry_dir(const Host& h);

// A name for --name: what a profile name may be, at most 64 characters.
bool valid_sandbox_name(std::string_view name);

// The start time of a process (clock ticks since boot, /proc/PID/stat), 0 when it is gone.
// A pid and its start time name one process for good: a pid reused later starts later.
unsigned long long process_start(pid_t pid);

// What the launcher records once the sandbox's pid 1 exists.
struct Entry {
        std::string name, profile;
        pid_t launcher = -1, init = -1; // init: the sandbox's pid 1, in our pid namespace
        unsigned long long launcher_start = 0, init_start = 0;
        unsigned long long userns = 0, pidns = 0; // its namespaces' inodes
        long long started = 0;                    // seconds since the epoch
        std::string cgroup;                       // its cgroup leaf, "" without one
        std::vector<std::string> command, env;
        std::string cwd;
        LandlockRules landlock; // the command's Landlock rules (its TCP rules included)
        bool use_landlock = false, egress_rules = false;
        std::vector<sock_filter> filter; // the command's seccomp filter
        int last_cap = 0;
        std::string dir; // the entry's directory
};

// Takes a name: name itself (an error when a live sandbox has it), else the first of base,
// base-2, base-3 ... that is free. Stale entries met on the way are removed. Returns the
// entry's directory, which holds only the claim (the launcher's pid) until publish.
Result<std::string> claim_name(const std::string& registry, const std::optional<std::string>& name,
                               const std::string& base);

// Writes the entry's files; the entry counts as running from here on.
Status publish_entry(const Entry& e);

// Removes an entry's directory and what is in it.
void remove_entry(const std::string& dir);

// The entries of live sandboxes, sorted by name; entries of dead ones are removed.
std::vector<Entry> running_entries(const std::string& registry);

// One entry by name, read whole (filter and environment included), if its sandbox lives.
Result<Entry> find_entry(const std::string& registry, const std::string& name);

} // namespace sb
