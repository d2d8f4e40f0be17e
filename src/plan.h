// SPDX-License-Identifier: GPL-2.0-or-later
// Profile + host facts -> the immutable Plan the child executes without further thought.
#pragma once

#include "cgroup.h"
#include "cli.h"
#include "landlock.h"
#include "host.h"
#include "profile.h"
#include "result.h"
#include "syscall_rules.h"

#include <linux/filter.h>
#include <optional>
#include <span>
#include <string>
#include <sys/types.h>
#include <vector>

namespace sb {

enum class OpKind : unsigned char {
        Bind,    // open_tree(src) cloned recursively, attributes set, moved onto dst
        Tmpfs,   // a new tmpfs with mode
        Proc,    // a new procfs for the sandbox's pid namespace
        Devpts,  // a new devpts instance
        Symlink, // dst -> src
        File,    // a read-only file at dst holding src (generated: /etc/passwd, /etc/hosts)
        Overlay, // kernel overlayfs: lowers, upper_dir/work_dir or a tmpfs; at "/" the root itself
};

struct MountOp {
        OpKind kind = OpKind::Bind;
        std::string src; // Bind: host path; Symlink: the link's target; File: the content
        std::string dst; // absolute path inside
        bool src_is_dir = true;
        bool read_only = false;
        bool device = false; // a device node: no MOUNT_ATTR_NODEV
        // A store of the sandbox's own (persistent home): opened without following any
        // symlink and required to belong to the user, so nothing swapped in can redirect it.
        bool own_store = false;
        // The mount point is the last component itself, even a symlink (a protected dotfile that
        // links elsewhere): the link cannot then be removed or replaced inside.
        bool nofollow_dst = false;
        // The mount point must be a real directory reached without any symlink (/proc, /dev in a
        // root of the user's own).
        bool plain_dir = false;
        std::vector<std::string> lowers; // Overlay: host directories, bottom first
        std::string upper_dir, work_dir; // Overlay with a persistent upper: store paths; else tmpfs
        // Overlay: directories made in the upper before mounting ("home/alice"), parents first, so
        // that mount points below need no copy-up of lower directories we may not own.
        std::vector<std::string> precreate;
        // Overlay: its paths can be given to fuse-overlayfs (no ',', ':' or '\\' in them).
        bool fuse_ok = false;
        unsigned mode = 0755; // Tmpfs
        std::string mode_str; // Tmpfs, as fsconfig wants it ("0755")
        Origin origin{};      // empty file: built in
        std::string why;      // for -v: "profile minimal.toml:3:14", "built in"
};

// The buses of [gui.dbus] and [gui.system_dbus]: one xdg-dbus-proxy that the launcher starts
// outside the sandbox before the child, listening in a directory of the launcher's own.
struct DbusProxyPlan {
        std::string binary;       // xdg-dbus-proxy; "" when no bus is proxied
        std::string base;         // $XDG_RUNTIME_DIR/sandbox, made private if missing
        std::string dir;          // base/dbus-PID: its sockets "session" and "system"
        std::vector<std::string> args; // after the program's name, per bus: ADDRESS SOCKET --filter ...
        bool abstract = false;    // a bus at an abstract address: abstract sockets stay reachable
        bool tcp = false;         // a bus over TCP: TCP stays allowed
        std::vector<sock_filter> seccomp; // the default policy's filter, for the proxy itself
};

struct Plan {
        // In execution order: parents before children. A first entry at "/" is the root (an
        // overlay of the user's layers); otherwise the root is an empty tmpfs.
        std::vector<MountOp> mounts;
        bool root_read_only = true; // the root itself, not what is mounted on it
        // Where the kernel refuses an overlay, fuse-overlayfs serves it from the launcher (its
        // path, "" when not installed); SANDBOX_OVERLAY=fuse asks for it first.
        std::string fuse_overlayfs;
        bool force_fuse = false;
        std::string scratch_dir; // where the launcher keeps fuse-overlayfs's uppers, pasta's files
        std::vector<std::string> argv;
        std::vector<std::string> envp;
        uid_t uid_outside = 0, uid_inside = 0;
        gid_t gid_outside = 0, gid_inside = 0;
        std::string uid_map, gid_map;
        bool new_net = true;
        // network.mode = "user": pasta (its path and arguments, the child's pid appended) gives
        // the sandbox's namespace outbound access; the launcher starts it once the child is in it.
        bool net_user = false;
        std::string pasta;
        std::vector<std::string> pasta_args;
        DbusProxyPlan dbus;
        // network.allow: Landlock admits TCP connections to these ports only.
        bool egress_rules = false;
        std::vector<unsigned> egress_ports;
        // Landlock behind the mounts (security.landlock, on where the kernel has it): each mount's
        // destination with what it grants, the egress ports, no host abstract sockets or
        // signals. use_landlock false: nothing but the egress rules, if any, is applied.
        bool use_landlock = false;
        LandlockRules landlock;
        std::string hostname; // "" keeps the host's
        std::string home;
        std::string cwd;           // where the command starts
        bool cwd_required = false; // --chdir: failing to enter it is an error
        std::vector<int> keep_fds;
        SeccompPolicy policy;             // kept to answer notifications in audit mode
        std::vector<sock_filter> seccomp; // empty: no filter
        std::vector<sock_filter> init_seccomp; // pid 1's own (compile_init_filter)
        int last_cap = 0;
        // Resource limits: a cgroup leaf made by the launcher, or the fallback.
        Limits limits;
        std::string name;    // the profile's stores' name (its own, or store = ...): the cgroup leaf's
        std::string profile; // the profile's own name, for --list
        // Running sandboxes by name (--list, --enter, --stop): where they are registered ("" for
        // nowhere), and the name asked for with --name.
        std::string registry;
        std::optional<std::string> instance;
        bool stats = false;
        bool quiet = false;
        std::vector<std::string> warnings; // asked for, not available here: said before the start
        std::vector<std::string> notes;    // the same, but the app does without: --explain only
};

struct PlanInput {
        const Profile& profile; // merged
        const Cli& cli;
        const Host& host;
        std::vector<std::string> command; // resolved: argv of the command to run
        // The build-time BPF of the default policy (main passes precompiled_bpf); without it,
        // or when the profile has rules of its own, libseccomp compiles the filter now.
        std::span<const sock_filter> (*precompiled)(bool nested_userns, bool multiarch,
                                                    bool notify) = nullptr;
        std::span<const sock_filter> (*precompiled_init)() = nullptr; // pid 1's
};

Result<Plan> build_plan(const PlanInput& in);

// A bind of host path src at dst (a directory or a file).
MountOp bind_op(std::string src, std::string dst, bool is_dir, bool read_only);
// A read-only file at dst holding content.
MountOp file_op(std::string dst, std::string content);

// One line per step, for --verbose.
std::string describe_plan(const Plan& plan);

} // namespace sb
