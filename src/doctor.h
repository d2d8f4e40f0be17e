// SPDX-License-Identifier: GPL-2.0-or-later
// What this machine allows a sandbox, checked for real: --doctor prints it all, and a failed
// start asks it why, so that "Permission denied" comes with its cause and its fix.
#pragma once

#include <string>
#include <vector>

namespace sb {

struct Finding {
        enum Level { Ok, Note, Fail } level = Ok;
        std::string what; // "user namespaces"
        std::string text; // what was found, and for a failure the fix
};

// Why an unprivileged user namespace (with its own uid map) cannot be made here, with the fix:
// a sysctl, AppArmor's restriction, a seccomp policy around us. "" when one can.
std::string userns_problem();

// Every check: user namespaces, overlayfs in them, FUSE, cgroup v2 delegation, pasta,
// xdg-dbus-proxy, Landlock, seccomp, the kernel's mount API. Required ones fail; optional
// ones are notes that say what is then missing.
std::vector<Finding> doctor_report();

// --doctor: prints the report; 0 when nothing required fails, else 1.
int run_doctor();

} // namespace sb
