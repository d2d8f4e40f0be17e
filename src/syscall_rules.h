// SPDX-License-Identifier: GPL-2.0-or-later
// The syscall policy as data: the default rules, named groups, profile rules in words (pure).
#pragma once

#include "profile.h"
#include "result.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sb {

struct ArgCond {
        enum Op : uint8_t { Eq, Ne, Lt, Le, Gt, Ge, MaskedEq };
        unsigned arg = 0; // 0..5
        Op op = Eq;
        uint64_t mask = 0; // MaskedEq only
        uint64_t value = 0;
};

enum class Action : uint8_t { Allow, Errno, Kill, Log };

struct SyscallRule {
        std::string name;           // a syscall name (groups are expanded)
        std::vector<ArgCond> conds; // all must hold; at most one per argument
        Action action = Action::Errno;
        int errnum = 0;     // Errno only
        std::string origin; // "built in", "firefox.toml:12:3"
};

struct SyscallGroup {
        std::string_view name; // without the '@'
        std::string_view doc;
        std::vector<std::string_view> syscalls;
};
const std::vector<SyscallGroup>& syscall_groups();

// "ptrace", "@mount", "ioctl(arg1 & 0xffffffff == 0x5412)", "perf_event_open: kill",
// "keyctl: errno(ENOSYS)", "mbind: log". Groups expand to one rule per member. Refuses
// unknown names (with a hint), conditions on groups, and two conditions on one argument.
Result<std::vector<SyscallRule>> parse_rule(std::string_view text, bool allow_list);

struct SeccompPolicy {
        bool enabled = true;        // security.seccomp = "none" turns the filter off
        bool strict = false;        // an allow-list: everything not allowed fails with ENOSYS
        bool multiarch = false;     // i386 and x32 syscalls allowed (and filtered alike)
        unsigned nested_userns = 0; // user namespaces the app may create; 0 forbids them
        bool notify = false;        // refusals reported by the launcher (audit mode, log rules)
        std::vector<SyscallRule> rules;
        std::vector<std::string> loosened; // what the profile allowed that the default refuses
};

// The default policy (or strict, or none), then the profile's allow and deny lists.
Result<SeccompPolicy> build_policy(const Profile& p, bool audit);

// The rule that decides a syscall (by name and argument values), or nullptr: allowed.
// The launcher uses it to answer a notification as the filter would have.
const SyscallRule* match_rule(const SeccompPolicy& policy, std::string_view name, const uint64_t args[6]);

// Names of the syscalls the native architecture has, as libseccomp knows them.
const std::vector<std::string>& native_syscall_names();

} // namespace sb
