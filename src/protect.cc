// SPDX-License-Identifier: GPL-2.0-or-later
// The places where a program planted by a sandboxed app would start outside the sandbox, kept
// read-only wherever a writable mount of the host would expose them.
#include "protect.h"

#include "paths.h"
#include "text.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sb {

const std::vector<Protected>& protected_paths() {
        // ORDER: .bash_profile before .bash_login and .profile: its placeholder depends on them.
        static const std::vector<Protected> paths = {
            {".bash_profile", false, true},
            {".bash_login", false, true},
            {".profile", false, true},
            {".bashrc", false, true},
            {".bash_logout", false, true},
            {".bash_aliases", false, true},
            {".zshenv", false, true, "zsh"},
            {".zprofile", false, true, "zsh"},
            {".zshrc", false, true, "zsh"},
            {".zlogin", false, true, "zsh"},
            {".zlogout", false, true, "zsh"},
            {".xprofile", false, true},
            {".xsessionrc", false, true},
            {".pam_environment", false, true},
            // Present, they replace the session: an empty one would break the user's login.
            {".xsession", false, false},
            {".xinitrc", false, false},
            {".config/fish", true, true, "fish"},
            {".config/autostart", true, true},
            {".config/systemd", true, true},
            {".config/environment.d", true, true},
            {".local/share/applications", true, true},
            {".local/bin", true, true},
            {"bin", true, true},
            {".ssh", true, true},
            {".gnupg", true, true},
        };
        return paths;
}

namespace {

struct Target {
        std::string path; // on the host
        bool dir;
        bool placeholder;
        bool config; // sandbox's own configuration: never writable, even when asked
};

// dst + rest, where rest is "" or starts with '/'.
std::string join_under(const std::string& dst, const std::string& rest) {
        return dst == "/" && !rest.empty() ? rest : dst + rest;
}

bool exists(const std::string& path) {
        struct stat st;
        return lstat(path.c_str(), &st) == 0;
}

// The empty stand-in for a missing protected path, so that a read-only mount can hold its place
// and nothing can be created there. A missing ~/.bash_profile links to the file bash would read
// without it, so that login shells on the host behave as before.
Status make_placeholder(const Target& t, const std::string& home) {
        if (auto made = make_dirs(t.dir ? t.path : parent_dir(t.path), 0700); !made)
                return with_context(std::move(made).error(), "protecting " + quote(t.path) + ": ");
        if (t.dir)
                return Ok{};
        if (t.path == home + "/.bash_profile") {
                for (const char* next : {".bash_login", ".profile"})
                        if (exists(home + "/" + next)) {
                                if (symlink(next, t.path.c_str()) < 0 && errno != EEXIST)
                                        return err_errno(errno, "create %s to protect it",
                                                         quote(t.path).c_str());
                                return Ok{};
                        }
        }
        int fd = open(t.path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0 && errno != EEXIST)
                return err_errno(errno, "create %s to protect it", quote(t.path).c_str());
        if (fd >= 0)
                close(fd);
        return Ok{};
}

bool installed(std::string_view shell) {
        if (shell.empty())
                return true;
        for (const char* dir : {"/usr/bin/", "/bin/", "/usr/local/bin/"})
                if (access((dir + std::string(shell)).c_str(), X_OK) == 0)
                        return true;
        return false;
}

bool writable_host_bind(const MountOp& op) {
        return op.kind == OpKind::Bind && !op.read_only && !op.device && !op.own_store;
}

// The mount that decides what is seen at path: the deepest one at or above it.
const MountOp* cover_of(const std::vector<MountOp>& ops, const std::string& path) {
        const MountOp* cover = nullptr;
        for (auto& o : ops)
                if (path_within(path, o.dst) && (!cover || o.dst.size() > cover->dst.size()))
                        cover = &o;
        return cover;
}

// The host path with its existing part resolved: what a writable bind's source is compared with.
std::string resolve_existing(const std::string& path) {
        std::string head = path, tail;
        while (head.size() > 1) {
                char real[PATH_MAX];
                if (realpath(head.c_str(), real))
                        return std::string(real) + tail;
                auto slash = head.rfind('/');
                tail = head.substr(slash) + tail;
                head = slash == 0 ? "/" : head.substr(0, slash);
        }
        return path;
}

// The directories between a writable bind's root and a protected path (~/.config for
// ~/.config/autostart) could be renamed away and made again, with a new autostart inside: each
// becomes a mount point of its own (a writable bind onto itself), which cannot be renamed.
void hold_ancestors(std::vector<MountOp>& ops, const MountOp& cover, const std::string& inside) {
        std::string root = cover.dst, src = cover.src;
        for (std::string dir = parent_dir(inside); dir.size() > root.size() && path_within(dir, root);
             dir = parent_dir(dir)) {
                if (std::any_of(ops.begin(), ops.end(), [&](const MountOp& o) { return o.dst == dir; }))
                        continue;
                MountOp op =
                    bind_op(join_under(src, root == "/" ? dir : dir.substr(root.size())), dir, true, false);
                op.why = "protected: holds a protected path in place";
                ops.push_back(op);
        }
}

Status protect_one(std::vector<MountOp>& ops, const Target& t, const Host& h) {
        // The parent resolved (~/.config may link into a dotfiles repository); the last
        // component itself is looked at below.
        std::string host = resolve_existing(parent_dir(t.path)) + "/" + t.path.substr(t.path.rfind('/') + 1);
        if (t.config)
                for (auto& b : ops)
                        if (writable_host_bind(b) && path_within(b.src, host))
                                return err("%s: sandbox's own configuration cannot be made writable inside a "
                                           "sandbox (an app could change its own profile)",
                                           b.why.c_str());
        std::vector<std::string> places; // where the sandbox sees it through a writable bind
        for (auto& b : ops)
                if (writable_host_bind(b) && path_within(host, b.src))
                        places.push_back(join_under(b.dst, b.src == "/" ? host : host.substr(b.src.size())));
        for (auto& inside : places) {
                const MountOp* cover = cover_of(ops, inside);
                if (!cover || !writable_host_bind(*cover))
                        continue; // a tmpfs, a store or a read-only bind is in front of it
                if (cover->dst == inside)
                        continue; // granted by name
                if (!exists(host)) {
                        if (!t.placeholder)
                                continue;
                        SB_TRY(make_placeholder(t, h.home));
                }
                struct stat st;
                if (lstat(host.c_str(), &st) < 0)
                        return err_errno(errno, "protect %s", quote(host).c_str());
                MountOp op;
                if (S_ISLNK(st.st_mode)) {
                        // What it points to is a target of its own (protect_persistence); a file link
                        // is also covered itself, so that it cannot be replaced (a directory cannot be
                        // mounted on a link).
                        char real[PATH_MAX];
                        struct stat rs;
                        if (!realpath(host.c_str(), real) || stat(real, &rs) < 0)
                                op = file_op(inside, ""); // a dangling link: an empty file holds its place
                        else if (S_ISDIR(rs.st_mode))
                                continue;
                        else
                                op = bind_op(real, inside, false, true);
                } else {
                        op = bind_op(host, inside, S_ISDIR(st.st_mode), true);
                }
                op.read_only = true;
                op.nofollow_dst = true;
                op.why = "protected";
                MountOp holder = *cover; // ops is about to grow: cover would dangle
                ops.push_back(op);
                hold_ancestors(ops, holder, inside);
        }
        return Ok{};
}

} // namespace

Status protect_persistence(std::vector<MountOp>& ops, const Host& h) {
        if (std::none_of(ops.begin(), ops.end(), writable_host_bind))
                return Ok{};
        std::vector<Target> targets;
        if (h.home != "/")
                for (auto& p : protected_paths())
                        targets.push_back(
                            {h.home + "/" + p.rel, p.dir, p.placeholder && installed(p.reader), false});
        targets.push_back({xdg_dir(h, "XDG_CONFIG_HOME", ".config") + "/sandbox", true, true, true});
        targets.push_back({xdg_dir(h, "XDG_DATA_HOME", ".local/share") + "/sandbox", true, true, false});
        // A protected path that links elsewhere (a dotfiles repository) is protected where it
        // points too, wherever that is exposed.
        for (size_t i = 0, n = targets.size(); i < n; i++) {
                struct stat st;
                char real[PATH_MAX];
                if (lstat(targets[i].path.c_str(), &st) == 0 && S_ISLNK(st.st_mode) &&
                    realpath(targets[i].path.c_str(), real) && stat(real, &st) == 0)
                        targets.push_back({real, S_ISDIR(st.st_mode), false, targets[i].config});
        }
        for (auto& t : targets)
                SB_TRY(protect_one(ops, t, h));
        return Ok{};
}

} // namespace sb
