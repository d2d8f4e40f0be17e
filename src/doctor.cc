// SPDX-License-Identifier: GPL-2.0-or-later
// --doctor and the diagnosis of a failed start. Every check does what a sandbox would do (in a
// child that exits), rather than guessing from configuration alone; the configuration is read
// only to name the cause of a failure and its fix.
#include "doctor.h"

#include "cgroup.h"
#include "landlock.h"
#include "paths.h"
#include "text.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

namespace sb {

namespace {

std::string sysctl(const char* path) {
        auto v = read_small_file(path, 64);
        while (!v.empty() && (v.back() == '\n' || v.back() == ' '))
                v.pop_back();
        return v;
}

bool write_text(const char* path, const std::string& text) {
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0)
                return false;
        bool ok = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
        close(fd);
        return ok;
}

// Runs f in a child and returns its exit status (0 for success), or -1 when it cannot fork.
template <typename F>
int in_child(F f) {
        pid_t pid = fork();
        if (pid < 0)
                return -1;
        if (pid == 0)
                _exit(f());
        int status = 0;
        waitpid(pid, &status, 0);
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// In a child: a user namespace with our own id mapped, as the sandbox makes it. Exit 0 when it
// works, 10 + errno-ish codes for the step that failed.
int try_userns() {
        uid_t uid = getuid();
        gid_t gid = getgid();
        if (unshare(CLONE_NEWUSER) < 0)
                return errno == EPERM ? 11 : errno == ENOSPC ? 12 : errno == EINVAL ? 13 : 14;
        if (!write_text("/proc/self/setgroups", "deny") ||
            !write_text("/proc/self/gid_map", strprintf("%u %u 1\n", gid, gid)) ||
            !write_text("/proc/self/uid_map", strprintf("%u %u 1\n", uid, uid)))
                return 20;
        // AppArmor's restriction lets the namespace be made, but takes its capabilities.
        if (unshare(CLONE_NEWNS) < 0)
                return 21;
        return 0;
}

bool has_program(const char* name) {
        for (const char* dir : {"/usr/bin/", "/bin/", "/usr/local/bin/", "/usr/sbin/"})
                if (access((std::string(dir) + name).c_str(), X_OK) == 0)
                        return true;
        return false;
}

bool usable_device(const char* path) {
        return access(path, R_OK | W_OK) == 0;
}

} // namespace

std::string userns_problem() {
        int rc = in_child(try_userns);
        if (rc == 0)
                return {};
        if (sysctl("/proc/sys/kernel/unprivileged_userns_clone") == "0")
                return "unprivileged user namespaces are turned off (kernel.unprivileged_userns_clone = 0); as "
                       "root: sysctl -w kernel.unprivileged_userns_clone=1, and to keep it, put that line in "
                       "/etc/sysctl.d/50-sandbox.conf";
        if (sysctl("/proc/sys/user/max_user_namespaces") == "0")
                return "user namespaces are limited to none (user.max_user_namespaces = 0); as root: sysctl -w "
                       "user.max_user_namespaces=15000, and to keep it, put that line in "
                       "/etc/sysctl.d/50-sandbox.conf";
        if (sysctl("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") == "1")
                return "AppArmor restricts unprivileged user namespaces "
                       "(kernel.apparmor_restrict_unprivileged_userns = 1, as on Ubuntu 23.10 and later): the "
                       "namespace is made but without the capabilities a sandbox needs. Either give sandbox an "
                       "AppArmor profile that allows them (a file in /etc/apparmor.d with: abi <abi/4.0>, "
                       "include <tunables/global>, profile sandbox /usr/bin/sandbox flags=(unconfined) { userns, }; "
                       "then apparmor_parser -r that file), or as root: sysctl -w "
                       "kernel.apparmor_restrict_unprivileged_userns=0";
        if (rc == 12)
                return "the limit of user namespaces is reached (user.max_user_namespaces, or this user's share "
                       "of it): end some sandboxes, or raise it as root: sysctl -w user.max_user_namespaces=15000";
        if (rc == 11 && prctl(PR_GET_SECCOMP) == 2)
                return "unshare(CLONE_NEWUSER) is refused by a seccomp filter around this process (a container "
                       "runtime or another sandbox started us): run sandbox outside it, or let that runtime "
                       "allow user namespaces";
        if (rc == 11 || rc == 13)
                return "unshare(CLONE_NEWUSER) is refused (this may be a container, a chroot, or a kernel built "
                       "without CONFIG_USER_NS)";
        if (rc == 20)
                return "the uid map of a new user namespace cannot be written (setting up uid map: Permission "
                       "denied): a security module (AppArmor, SELinux) or the container sandbox runs in "
                       "forbids it";
        if (rc == 21)
                return "a new user namespace has no capabilities to make a mount namespace (AppArmor's "
                       "restriction of unprivileged user namespaces, or a security module)";
        return strprintf("a test of user namespaces failed (status %d)", rc);
}

std::vector<Finding> doctor_report() {
        std::vector<Finding> out;
        struct utsname u;
        uname(&u);
        out.push_back({Finding::Ok, "kernel", std::string(u.sysname) + " " + u.release});

        auto problem = userns_problem();
        out.push_back(problem.empty() ? Finding{Finding::Ok, "user namespaces",
                                                "unprivileged, with your own id mapped"}
                                      : Finding{Finding::Fail, "user namespaces", problem});

        // The new mount API and openat2, which the sandbox's setup needs (Linux 5.12).
        bool api = syscall(SYS_mount_setattr, -1, "", 0, nullptr, 0) < 0 && errno != ENOSYS &&
                   syscall(SYS_openat2, -1, "", nullptr, 0) < 0 && errno != ENOSYS;
        out.push_back(api ? Finding{Finding::Ok, "mount API", "open_tree, mount_setattr, openat2"}
                          : Finding{Finding::Fail, "mount API",
                                    "the kernel lacks mount_setattr or openat2: sandbox needs Linux 5.12 or later"});

        if (prctl(PR_GET_SECCOMP) < 0 && errno == EINVAL)
                out.push_back({Finding::Fail, "seccomp", "the kernel has no seccomp filters (CONFIG_SECCOMP_FILTER)"});
        else
                out.push_back({Finding::Ok, "seccomp", "filters"});

        // Overlayfs inside a user namespace (Linux 5.11): a real mount in a child.
        if (problem.empty()) {
                int rc = in_child([] {
                        if (try_userns() != 0)
                                return 1;
                        if (mount("none", "/tmp", "tmpfs", 0, nullptr) < 0)
                                return 2;
                        for (const char* d : {"/tmp/l", "/tmp/u", "/tmp/w", "/tmp/m"})
                                mkdir(d, 0700);
                        return mount("overlay", "/tmp/m", "overlay", 0, "lowerdir=/tmp/l,upperdir=/tmp/u,workdir=/tmp/w") <
                                               0
                                   ? 3
                                   : 0;
                });
                bool fuse = has_program("fuse-overlayfs") && usable_device("/dev/fuse");
                if (rc == 0)
                        out.push_back({Finding::Ok, "overlays", "the kernel's overlayfs works in user namespaces"});
                else
                        out.push_back({fuse ? Finding::Note : Finding::Fail, "overlays",
                                       fuse ? "the kernel's overlayfs does not work in user namespaces "
                                              "(Linux 5.11 or later); fuse-overlayfs serves them instead"
                                            : "the kernel's overlayfs does not work in user namespaces (Linux "
                                              "5.11) and fuse-overlayfs is not usable: overlays and "
                                              "home = \"template\" fail (Debian: apt install fuse-overlayfs)"});
        }
        if (!has_program("fuse-overlayfs"))
                out.push_back({Finding::Note, "fuse-overlayfs",
                               "not installed: no fallback where the kernel refuses an overlay (Debian: apt "
                               "install fuse-overlayfs)"});
        else if (!usable_device("/dev/fuse"))
                out.push_back({Finding::Note, "fuse-overlayfs",
                               "installed, but /dev/fuse is not usable by you (Debian's udev makes it 0666)"});
        else
                out.push_back({Finding::Ok, "fuse-overlayfs", "installed, /dev/fuse usable"});

        // Resource limits: how each would be enforced for a run that asks for all three.
        Limits l;
        l.memory = 1ull << 30;
        l.pids = 512;
        l.cpu = 1;
        std::string enforced, approximated;
        for (auto& e : enforcement_plan(l)) {
                if (e.how.starts_with("cgroup"))
                        enforced += (enforced.empty() ? "" : ", ") + e.key.substr(7);
                else
                        approximated = e.why;
        }
        if (approximated.empty())
                out.push_back({Finding::Ok, "limits", "memory, pids and cpu through a delegated cgroup v2"});
        else
                out.push_back({Finding::Note, "limits",
                               (enforced.empty() ? std::string("no limit can be enforced by a cgroup")
                                                 : "enforced by a cgroup: " + enforced) +
                                   "; " + approximated});

        if (!has_program("pasta"))
                out.push_back({Finding::Note, "network",
                               "pasta is not installed: --net user and the browser profiles fail (Debian: apt "
                               "install passt); --net none and host work"});
        else if (!usable_device("/dev/net/tun"))
                out.push_back({Finding::Note, "network",
                               "pasta is installed, but /dev/net/tun is not usable by you (Debian's udev makes "
                               "it 0666): --net user fails"});
        else
                out.push_back({Finding::Ok, "network", "pasta installed, /dev/net/tun usable: --net user works"});

        out.push_back(has_program("xdg-dbus-proxy")
                          ? Finding{Finding::Ok, "session bus", "xdg-dbus-proxy installed: [gui.dbus] works"}
                          : Finding{Finding::Note, "session bus",
                                    "xdg-dbus-proxy is not installed: apps asking for [gui.dbus] run without a bus "
                                    "(Debian: apt install xdg-dbus-proxy)"});

        int abi = landlock_abi();
        if (abi < 1)
                out.push_back({Finding::Note, "landlock",
                               "not available (Linux 5.13 or later, with landlock in the lsm= boot list): the "
                               "mounts and the filter stand alone; network.allow cannot be used"});
        else
                out.push_back({abi >= 6 ? Finding::Ok : Finding::Note, "landlock",
                               strprintf("ABI %d: paths%s%s", abi, abi >= 4 ? ", TCP ports" : " (network.allow needs ABI 4, Linux 6.7)",
                                         abi >= 6 ? ", abstract sockets and signals"
                                                  : "; scoping of abstract sockets and signals needs ABI 6 (Linux 6.12)")});
        return out;
}

int run_doctor() {
        bool failed = false;
        for (auto& f : doctor_report()) {
                const char* mark = f.level == Finding::Ok ? "ok  " : f.level == Finding::Note ? "note" : "FAIL";
                printf("%s  %-16s %s\n", mark, f.what.c_str(), f.text.c_str());
                failed = failed || f.level == Finding::Fail;
        }
        if (failed)
                printf("\nsandbox cannot run here until each FAIL above is fixed.\n");
        return failed ? 1 : 0;
}

} // namespace sb
