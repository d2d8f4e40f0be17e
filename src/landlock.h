// SPDX-License-Identifier: GPL-2.0-or-later
// Landlock: the TCP ports a sandboxed app may connect to (network.allow), and rulesets of
// paths for the helpers the launcher starts outside the sandbox (xdg-dbus-proxy).
#pragma once

#include <string>
#include <vector>

namespace sb {

// The kernel's Landlock ABI version, or 0 without Landlock (or with it disabled).
int landlock_abi() noexcept;

// TCP connections only to these ports, for this process and what it execs (ABI 4, Linux 6.7).
// Call after no_new_privs. Returns 0 or an errno.
int restrict_tcp_connect(const std::vector<unsigned>& ports) noexcept;

// What a path rule grants below (or at) its path.
enum LandlockAccess : unsigned {
        LlRead = 1,      // read files, list directories
        LlExec = 2,      // execute files
        LlWrite = 4,     // write and truncate files
        LlCreate = 8,    // make and remove files, directories, sockets, links below
};

struct LandlockPath {
        std::string path; // an existing file or directory (symlinks followed)
        unsigned access = 0;
};

struct LandlockRules {
        std::vector<LandlockPath> paths; // filesystem: only these, with their access
        bool no_tcp = false;             // no TCP bind or connect at all (ABI 4)
        bool scope_signals = false;      // no signals to processes outside (ABI 6)
        bool scope_abstract = false;     // no abstract Unix sockets outside (ABI 6)
};

// Restricts this process and what it execs, as far as the running kernel's ABI goes (best
// effort: what an older kernel cannot enforce is left out). A missing path is skipped. Call
// after no_new_privs. Returns 0, or an errno; ENOSYS/EOPNOTSUPP: no Landlock at all.
int landlock_restrict(const LandlockRules& rules) noexcept;

} // namespace sb
