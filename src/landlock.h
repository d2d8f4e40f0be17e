// SPDX-License-Identifier: GPL-2.0-or-later
// Landlock: a second wall behind the sandbox's mounts (the paths it mounts, with the access
// each grants), the TCP ports it may connect to (network.allow), no host abstract sockets or
// signals; and the rules of the helpers the launcher starts outside it (xdg-dbus-proxy).
#pragma once

#include <string>
#include <vector>

namespace sb {

// The kernel's Landlock ABI version, or 0 without Landlock (or with it disabled).
int landlock_abi() noexcept;

// What a path rule grants below (or at) its path.
enum LandlockAccess : unsigned {
        LlRead = 1,   // read files, list directories
        LlExec = 2,   // execute files
        LlWrite = 4,  // write and truncate files
        LlCreate = 8, // make and remove files, directories, sockets, links below
        LlList = 16,  // list directories only
        LlDevice = 32, // ioctl on device files (ABI 5)
};

struct LandlockPath {
        std::string path; // an existing file or directory (symlinks followed)
        unsigned access = 0;
};

struct LandlockRules {
        bool filesystem = true;          // the filesystem is restricted (to paths)
        std::vector<LandlockPath> paths; // filesystem: only these, with their access
        bool no_tcp = false;             // no TCP bind or connect at all (ABI 4)
        bool tcp_connect_rules = false;  // TCP connections only to tcp_connect (ABI 4)
        std::vector<unsigned> tcp_connect;
        bool scope_signals = false;      // no signals to processes outside (ABI 6)
        bool scope_abstract = false;     // no abstract Unix sockets outside (ABI 6)
};

// Restricts this process and what it execs, as far as the running kernel's ABI goes (best
// effort: what an older kernel cannot enforce is left out). A missing path is skipped. Call
// after no_new_privs. Returns 0, or an errno; ENOSYS/EOPNOTSUPP: no Landlock at all.
int landlock_restrict(const LandlockRules& rules) noexcept;

// What of rules this kernel enforces, in words (--explain).
std::string landlock_summary(const LandlockRules& rules, int abi);

} // namespace sb
