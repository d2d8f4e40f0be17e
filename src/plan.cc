// SPDX-License-Identifier: GPL-2.0-or-later
// Profile + host facts -> the immutable Plan the child executes without further thought.
#include "plan.h"

#include "dbus.h"
#include "env.h"
#include "gui.h"
#include "landlock.h"
#include "paths.h"
#include "protect.h"
#include "registry.h"
#include "seccomp_policy.h"
#include "store.h"
#include "text.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <fcntl.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sb {

MountOp file_op(std::string dst, std::string content) {
        MountOp op;
        op.kind = OpKind::File;
        op.dst = std::move(dst);
        op.src = std::move(content);
        op.src_is_dir = false;
        op.why = "generated";
        return op;
}

MountOp bind_op(std::string src, std::string dst, bool is_dir, bool read_only) {
        MountOp op;
        op.kind = OpKind::Bind;
        op.src = std::move(src);
        op.dst = std::move(dst);
        op.src_is_dir = is_dir;
        op.read_only = read_only;
        return op;
}

namespace {

MountOp tmpfs_op(std::string dst, unsigned mode) {
        MountOp op;
        op.kind = OpKind::Tmpfs;
        op.dst = std::move(dst);
        op.mode = mode;
        op.mode_str = strprintf("%04o", mode);
        return op;
}

MountOp symlink_op(std::string dst, std::string target) {
        MountOp op;
        op.kind = OpKind::Symlink;
        op.dst = std::move(dst);
        op.src = std::move(target);
        return op;
}

// create = true: a directory in the user's home that the profile grants read-write is made
// when missing (a browser's ~/Downloads), so that what the app saves reaches the host.
Status create_dir(const MountEntry& m, const Host& h) {
        struct stat st;
        if (lstat(m.src.c_str(), &st) == 0 || errno != ENOENT)
                return Ok{};
        if (h.home == "/" || !m.src.starts_with(h.home + "/"))
                return err("%s: create = true makes directories in the home only, and %s is not in %s",
                           m.origin.str().c_str(), quote(m.src).c_str(), quote(h.home).c_str());
        if (auto made = make_dirs(m.src, 0700); !made)
                return with_context(std::move(made).error(), m.origin.str() + ": ");
        return Ok{};
}

// What every sandbox gets: its own /proc, a minimal /dev, a private /tmp and home.
std::vector<MountOp> base_mounts(const std::string& home, const std::string& runtime_dir) {
        std::vector<MountOp> ops;
        MountOp proc;
        proc.kind = OpKind::Proc;
        proc.dst = "/proc";
        proc.plain_dir = true;
        ops.push_back(proc);
        ops.push_back(tmpfs_op("/dev", 0755));
        ops.back().plain_dir = true;
        // Device nodes cannot be created in a user namespace; binding the host's is the way.
        for (const char* node : {"null", "zero", "full", "random", "urandom", "tty"}) {
                auto op = bind_op(std::string("/dev/") + node, std::string("/dev/") + node, false, false);
                op.device = true;
                ops.push_back(op);
        }
        MountOp pts;
        pts.kind = OpKind::Devpts;
        pts.dst = "/dev/pts";
        pts.plain_dir = true;
        ops.push_back(pts);
        ops.push_back(symlink_op("/dev/ptmx", "pts/ptmx"));
        ops.push_back(tmpfs_op("/dev/shm", 01777));
        ops.push_back(symlink_op("/dev/fd", "/proc/self/fd"));
        ops.push_back(symlink_op("/dev/stdin", "/proc/self/fd/0"));
        ops.push_back(symlink_op("/dev/stdout", "/proc/self/fd/1"));
        ops.push_back(symlink_op("/dev/stderr", "/proc/self/fd/2"));
        ops.push_back(tmpfs_op("/tmp", 01777));
        if (home != "/")
                ops.push_back(tmpfs_op(home, 0700));
        if (!runtime_dir.empty())
                ops.push_back(tmpfs_op(runtime_dir, 0700));
        for (auto& op : ops)
                op.why = "built in";
        return ops;
}

// With /usr visible, the usr-merge links (or, on an unmerged system, the directories)
// follow, so that "read_only = ['/usr']" gives a working /bin/sh.
void add_usr_companions(std::vector<MountOp>& ops, const MountOp& usr) {
        for (const char* top : {"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"}) {
                struct stat st;
                if (lstat(top, &st) < 0)
                        continue;
                if (S_ISLNK(st.st_mode)) {
                        char target[PATH_MAX];
                        ssize_t n = readlink(top, target, sizeof target - 1);
                        if (n <= 0)
                                continue;
                        ops.push_back(symlink_op(top, std::string(target, static_cast<size_t>(n))));
                } else if (S_ISDIR(st.st_mode)) {
                        ops.push_back(bind_op(top, top, true, usr.read_only));
                } else {
                        continue;
                }
                ops.back().origin = usr.origin;
                ops.back().why = "with /usr: " + usr.why;
        }
}

// A host path as the sandbox will open it, symlinks resolved now, once: the child then refuses
// any symlink it meets, so a source swapped for a link after planning is never followed.
// Without follow, only links in directories that only root can write are followed: a link in
// the user's own directories or in /tmp may have been planted by a sandboxed app, to make the
// next sandbox mount something else (~/.ssh) in its place.
Result<std::string> resolve_source(const std::string& path, bool follow, struct stat* st) {
        std::vector<std::string> todo; // components left, the next one last
        auto push = [&](std::string_view p) {
                std::vector<std::string> parts;
                for (size_t pos = 0; pos < p.size();) {
                        size_t end = p.find('/', pos);
                        if (end == std::string_view::npos)
                                end = p.size();
                        if (end > pos && p.substr(pos, end - pos) != ".")
                                parts.emplace_back(p.substr(pos, end - pos));
                        pos = end + 1;
                }
                todo.insert(todo.end(), parts.rbegin(), parts.rend());
        };
        push(path);
        std::string cur = "/";
        for (int links = 0; !todo.empty();) {
                std::string name = std::move(todo.back());
                todo.pop_back();
                if (name == "..") {
                        cur = parent_dir(cur);
                        continue;
                }
                std::string next = cur == "/" ? "/" + name : cur + "/" + name;
                struct stat ls;
                if (lstat(next.c_str(), &ls) < 0)
                        return err_errno(errno, "%s", quote(path).c_str());
                if (!S_ISLNK(ls.st_mode)) {
                        cur = std::move(next);
                        continue;
                }
                struct stat ds;
                if (!follow && (stat(cur.c_str(), &ds) < 0 || ds.st_uid != 0 || (ds.st_mode & 022)))
                        return err("%s is a symlink in a directory that not only root can write, where a "
                                   "sandboxed app could have planted it; name what it points to, or add "
                                   "follow = true in a profile",
                                   next == path ? quote(path).c_str()
                                                : (quote(path) + ": " + quote(next)).c_str());
                char target[PATH_MAX];
                ssize_t n = readlink(next.c_str(), target, sizeof target - 1);
                if (n < 0)
                        return err_errno(errno, "%s", quote(path).c_str());
                if (++links > 40)
                        return err_errno(ELOOP, "%s", quote(path).c_str());
                std::string_view t(target, static_cast<size_t>(n));
                if (!t.empty() && t[0] == '/')
                        cur = "/";
                push(t);
        }
        if (stat(cur.c_str(), st) < 0)
                return err_errno(errno, "%s", quote(path).c_str());
        return cur;
}

Result<MountOp> op_from_entry(const MountEntry& m) {
        std::string why = m.origin.file.empty() ? "command line" : m.origin.str();
        if (m.dst == "/")
                return err("%s: cannot mount over the sandbox's root '/'", why.c_str());
        MountOp op;
        if (m.type == MountType::File) {
                op = file_op(m.dst, m.content);
        } else if (m.type == MountType::Symlink) {
                op = symlink_op(m.dst, m.content);
        } else if (m.type == MountType::Tmpfs) {
                // The shared scratch places keep their usual sticky, world-writable mode.
                bool scratch = m.dst == "/tmp" || m.dst == "/var/tmp" || m.dst == "/dev/shm";
                op = tmpfs_op(m.dst, scratch ? 01777 : 0755);
        } else {
                struct stat st;
                auto src = resolve_source(m.src, m.follow, &st);
                if (!src)
                        return with_context(std::move(src).error(),
                                            why + (m.read_only ? ": read-only bind " : ": bind "));
                op = bind_op(*src, m.dst, S_ISDIR(st.st_mode), m.read_only);
        }
        op.origin = m.origin;
        op.why = why;
        return op;
}

// The caller's directory is kept only when the same path inside shows the same host
// directory: under a private tmpfs (/tmp, the home) the name exists but the place does not.
bool cwd_visible(const std::vector<MountOp>& ops, const std::string& cwd) {
        const MountOp* deepest = nullptr;
        for (auto& op : ops)
                if (path_within(cwd, op.dst) && (!deepest || op.dst.size() > deepest->dst.size()))
                        deepest = &op;
        return deepest && deepest->kind == OpKind::Bind && deepest->src == deepest->dst;
}

// The line of a passwd- or group-style file whose third field is id, or "".
std::string line_with_id(const char* path, unsigned id) {
        std::string text = read_small_file(path);
        std::string needle = ":" + std::to_string(id) + ":";
        size_t pos = 0;
        while (pos < text.size()) {
                size_t end = text.find('\n', pos);
                if (end == std::string::npos)
                        end = text.size();
                std::string line = text.substr(pos, end - pos);
                pos = end + 1;
                // name:password:ID:...
                size_t first = line.find(':');
                size_t second = first == std::string::npos ? first : line.find(':', first + 1);
                if (second != std::string::npos && line.compare(second, needle.size(), needle) == 0)
                        return line;
        }
        return {};
}

bool host_file(const char* path) {
        struct stat st;
        return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

// With the host's /etc inside, the account databases list only root, the user and nobody
// (other accounts are nobody's business), and the host name files agree with --hostname.
void generate_etc(std::vector<MountOp>& ops, const Plan& plan, const Host& h) {
        bool host_etc = std::any_of(ops.begin(), ops.end(), [](const MountOp& o) {
                return o.kind == OpKind::Bind && o.dst == "/etc" && o.src == "/etc";
        });
        if (!host_etc)
                return;
        std::string shell = h.getenv("SHELL").empty() ? "/bin/sh" : h.getenv("SHELL");
        std::string me = line_with_id("/etc/passwd", h.uid);
        std::vector<std::string> f;
        for (size_t pos = 0; pos <= me.size();) {
                size_t end = me.find(':', pos);
                f.push_back(me.substr(pos, end == std::string::npos ? std::string::npos : end - pos));
                if (end == std::string::npos)
                        break;
                pos = end + 1;
        }
        std::string gecos = f.size() == 7 ? f[4] : h.user;
        if (f.size() == 7 && !f[6].empty())
                shell = f[6];
        // With --uid0 the user is root inside, by name too, as tools that expect root check both.
        std::string name = plan.uid_inside == 0 ? "root" : h.user;
        std::string user_line = strprintf("%s:x:%u:%u:%s:%s:%s\n", name.c_str(), plan.uid_inside,
                                          plan.gid_inside, gecos.c_str(), h.home.c_str(), shell.c_str());
        std::string passwd = plan.uid_inside == 0 ? "" : "root:x:0:0:root:/root:/bin/sh\n";
        passwd += user_line + "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";

        std::string group_name = h.user;
        auto g = line_with_id("/etc/group", h.gid);
        if (!g.empty())
                group_name = g.substr(0, g.find(':'));
        if (plan.gid_inside == 0)
                group_name = "root";
        std::string group = plan.gid_inside == 0 ? "" : "root:x:0:\n";
        group += strprintf("%s:x:%u:\n", group_name.c_str(), plan.gid_inside) + "nogroup:x:65534:\n";

        std::vector<MountOp> gen;
        if (host_file("/etc/passwd"))
                gen.push_back(file_op("/etc/passwd", passwd));
        if (host_file("/etc/group"))
                gen.push_back(file_op("/etc/group", group));
        if (!plan.hostname.empty()) {
                if (host_file("/etc/hostname"))
                        gen.push_back(file_op("/etc/hostname", plan.hostname + "\n"));
                if (host_file("/etc/hosts"))
                        gen.push_back(
                            file_op("/etc/hosts", "127.0.0.1\tlocalhost\n127.0.1.1\t" + plan.hostname +
                                                      "\n::1\tlocalhost ip6-localhost ip6-loopback\n"));
        }
        for (auto& op : gen)
                if (std::none_of(ops.begin(), ops.end(), [&](const MountOp& o) { return o.dst == op.dst; }))
                        ops.push_back(op);
}

// filesystem.hide: what is visible at path becomes an empty read-only directory or file,
// whatever any layer grants there or below. A path nothing makes visible needs nothing.
void apply_hide(std::vector<MountOp>& ops, const Sourced<std::string>& hide) {
        const std::string& path = hide.value;
        std::erase_if(ops, [&](const MountOp& o) { return path_within(o.dst, path); });
        const MountOp* cover = nullptr;
        for (auto& o : ops)
                if (path_within(path, o.dst) && (!cover || o.dst.size() > cover->dst.size()))
                        cover = &o;
        if (!cover || cover->kind != OpKind::Bind || cover->device)
                return; // under a tmpfs, /proc or nothing: there is nothing of the host to hide
        struct stat st;
        std::string host = cover->src + path.substr(cover->dst.size());
        if (stat(host.c_str(), &st) < 0)
                return;
        MountOp op = S_ISDIR(st.st_mode) ? tmpfs_op(path, 0555) : file_op(path, "");
        op.read_only = true;
        op.origin = hide.origin;
        op.why = "hidden: " + hide.origin.str();
        ops.push_back(op);
}

// Landlock's rules from the finished mount table: a second wall behind the mounts, which only
// the paths mounted (and what they hold) get through, each with the access its mount grants.
LandlockRules landlock_rules(const Plan& plan, bool filesystem) {
        LandlockRules r;
        r.filesystem = filesystem;
        r.tcp_connect_rules = plan.egress_rules;
        r.tcp_connect = plan.egress_ports;
        r.scope_abstract = filesystem;
        r.scope_signals = filesystem;
        if (!filesystem)
                return r;
        const unsigned all = LlRead | LlWrite | LlExec | LlCreate;
        bool own_root = !plan.mounts.empty() && plan.mounts.front().dst == "/";
        // The root tmpfs holds only mount points: they may be listed, nothing in it read.
        r.paths.push_back({"/", own_root ? (plan.root_read_only ? LlRead | LlExec : all) : LlList});
        for (auto& op : plan.mounts) {
                if (op.dst == "/")
                        continue;
                unsigned access = 0;
                switch (op.kind) {
                case OpKind::Bind:
                        access = op.device ? LlRead | LlWrite | LlDevice : op.read_only ? LlRead | LlExec : all;
                        break;
                case OpKind::Tmpfs:
                        access = all;
                        break;
                case OpKind::Proc:
                        access = LlRead | LlWrite;
                        break;
                case OpKind::Devpts:
                        access = LlRead | LlWrite | LlDevice;
                        break;
                case OpKind::File:
                        access = LlRead;
                        break;
                case OpKind::Overlay:
                        access = op.read_only ? LlRead | LlExec : all;
                        break;
                case OpKind::Symlink:
                        continue;
                }
                r.paths.push_back({op.dst, access});
        }
        return r;
}

// The name the profile's stores (and cgroup) go by: store = "..." or its own.
const std::string& stores_of(const Profile& p) {
        return p.store ? *p.store : p.name;
}

// The profile's own persistent home, or its persist paths inside an ephemeral home.
Status add_stores(std::vector<MountOp>& ops, const Profile& p, const Host& h) {
        bool whole = p.home.value_or(HomeMode::Ephemeral) == HomeMode::Persistent;
        if ((!whole && p.persist.empty()) || h.home == "/")
                return Ok{};
        if (!valid_profile_name(stores_of(p)))
                return err("the profile name %s cannot name a store for a persistent home",
                           quote(stores_of(p)).c_str());
        std::string base = xdg_dir(h, "XDG_DATA_HOME", ".local/share");
        std::string rel = "sandbox/homes/" + stores_of(p);
        auto add = [&](const std::string& sub, const std::string& dst, const Origin& origin) -> Status {
                // Its mount point is made inside whatever is mounted above it: not possible in a
                // read-only bind of a host directory that lacks it. Said now, with the key,
                // rather than as a mkdir failure at the start.
                const MountOp* above = nullptr;
                for (auto& o : ops)
                        if (o.dst != dst && path_within(dst, o.dst) && (!above || o.dst.size() > above->dst.size()))
                                above = &o;
                struct stat st;
                if (above && above->kind == OpKind::Bind && above->read_only &&
                    lstat((above->src + dst.substr(above->dst.size())).c_str(), &st) < 0)
                        return err("%s: filesystem.persist: %s lies inside the read-only bind of %s, which has no "
                                   "%s to mount it on: make it there, or bind that directory read-write",
                                   origin.str().c_str(), quote(sub).c_str(), quote(above->dst).c_str(),
                                   quote(dst.substr(above->dst.size() + 1)).c_str());
                auto store = ensure_store(base, sub.empty() ? rel : rel + "/" + sub, h.uid);
                if (!store)
                        return with_context(std::move(store).error(),
                                            origin.file.empty() ? "" : origin.str() + ": ");
                auto op = bind_op(store->path, dst, store->is_dir, false);
                op.own_store = true;
                op.origin = origin;
                op.why = "store: " + (origin.file.empty() ? std::string("command line") : origin.str());
                std::erase_if(ops, [&](const MountOp& o) { return o.dst == dst; });
                ops.push_back(op);
                return Ok{};
        };
        if (whole) {
                return add("", h.home, p.origin("filesystem.home"));
        }
        for (auto& sub : p.persist)
                SB_TRY(add(sub.value, h.home + "/" + sub.value, sub.origin));
        return Ok{};
}

// A store name for a path: '/' and '%' escaped, so that no two paths share a store.
std::string store_name(const std::string& path) {
        std::string name;
        for (char c : path)
                name += c == '/' ? std::string("%2F") : c == '%' ? std::string("%25") : std::string(1, c);
        return name;
}

// An overlay of host directories at dst. upper: "tmpfs", "persistent" (the profile's store
// under rel) or "none". The layers are resolved now and must be directories.
Result<MountOp> overlay_op(const std::vector<std::string>& layers, const std::string& dst,
                           const std::string& upper, const std::string& rel, const Profile& p, const Host& h,
                           const std::string& why) {
        MountOp op;
        op.kind = OpKind::Overlay;
        op.dst = dst;
        op.why = why;
        for (auto& l : layers) {
                struct stat st;
                auto real = resolve_source(l, false, &st);
                if (!real)
                        return with_context(std::move(real).error(), why + ": overlay layer ");
                if (!S_ISDIR(st.st_mode))
                        return err("%s: overlay layer %s: not a directory", why.c_str(), quote(l).c_str());
                op.lowers.push_back(*real);
        }
        if (upper == "none" && op.lowers.size() == 1 && dst != "/") {
                auto b = bind_op(op.lowers[0], dst, true, true);
                b.why = why;
                return b;
        }
        op.read_only = upper == "none";
        if (upper == "persistent") {
                if (!valid_profile_name(stores_of(p)))
                        return err("%s: the profile name %s cannot name a store for a persistent upper",
                                   why.c_str(), quote(stores_of(p)).c_str());
                std::string base = xdg_dir(h, "XDG_DATA_HOME", ".local/share");
                auto up = ensure_store(base, rel + "/upper", h.uid);
                if (!up)
                        return with_context(std::move(up).error(), why + ": ");
                auto work = ensure_store(base, rel + "/work", h.uid);
                if (!work)
                        return with_context(std::move(work).error(), why + ": ");
                op.upper_dir = up->path;
                op.work_dir = work->path;
        }
        return op;
}

// filesystem.overlay and [[mount]] type = "overlay": host directories seen through a layer that
// takes the writes, so that the host directories are never changed.
Status add_overlays(std::vector<MountOp>& ops, const Profile& p, const Host& h) {
        for (auto& o : p.overlays) {
                std::string why = o.origin.file.empty() ? "command line" : o.origin.str();
                auto op = overlay_op(o.lowers, o.dst, o.upper,
                                     "sandbox/overlays/" + stores_of(p) + "/" + store_name(o.dst), p, h, why);
                if (!op) {
                        if (o.optional && op.error().errnum == ENOENT)
                                continue;
                        return std::move(op).error();
                }
                if (o.dst == "/")
                        return err("%s: an overlay at '/' is filesystem.root", why.c_str());
                op->origin = o.origin;
                std::erase_if(ops, [&](const MountOp& x) { return x.dst == o.dst; });
                ops.push_back(*op);
        }
        return Ok{};
}

// filesystem.home = "host" or "template": the real home, or an overlay seeded from a template.
Status add_home(std::vector<MountOp>& ops, const Profile& p, const Host& h) {
        auto mode = p.home.value_or(HomeMode::Ephemeral);
        if ((mode != HomeMode::Host && mode != HomeMode::Template) || h.home == "/")
                return Ok{};
        std::string why = p.origin("filesystem.home").str();
        MountOp op;
        if (mode == HomeMode::Host) {
                struct stat st;
                auto real = resolve_source(h.home, false, &st);
                if (!real)
                        return with_context(std::move(real).error(), why + ": the home ");
                op = bind_op(*real, h.home, true, false);
        } else {
                auto made = overlay_op(
                    {*p.home_template}, h.home, "tmpfs", "", p, h,
                    p.origins.count("filesystem.template") ? p.origin("filesystem.template").str() : why);
                if (!made)
                        return std::move(made).error();
                op = std::move(*made);
        }
        op.why = "home: " + why;
        std::erase_if(ops, [&](const MountOp& x) { return x.dst == h.home; });
        ops.push_back(op);
        return Ok{};
}

// filesystem.root: the user's layers as the root, checked for the places the sandbox mounts its
// own /proc and /dev on (a symlink there would point those mounts elsewhere: runc
// CVE-2019-19921).
Result<MountOp> root_op(const Profile& p, const Host& h) {
        std::string why = p.origin("filesystem.root").str();
        for (auto& layer : p.root) {
                for (const char* top : {"proc", "dev", "sys"}) {
                        struct stat st;
                        std::string path = layer + "/" + top;
                        if (lstat(path.c_str(), &st) == 0 && !S_ISDIR(st.st_mode))
                                return err("%s: filesystem.root: %s is %s, not a directory; refusing a root "
                                           "whose /%s is not a plain directory",
                                           why.c_str(), quote(path).c_str(),
                                           S_ISLNK(st.st_mode) ? "a symlink" : "a file", top);
                }
        }
        // "none" still stacks a tmpfs upper, for the mount points; the root is then read-only.
        std::string upper = p.root_upper.value_or("tmpfs");
        auto op = overlay_op(p.root, "/", upper == "none" ? "tmpfs" : upper, "sandbox/roots/" + stores_of(p), p, h,
                             why + ": filesystem.root");
        if (!op)
                return std::move(op).error();
        op->read_only = upper == "none";
        op->why = "root: " + why;
        return op;
}

// Mount points inside an overlay are made in its upper before it is mounted: creating them
// through the overlay would copy lower directories up, which the kernel refuses for directories
// of owners the sandbox does not map (a root tree made by debootstrap). A lower non-directory
// on the way stops it: the mount point then resolves as it would anyway.
void add_precreate(std::vector<MountOp>& ops) {
        for (auto& x : ops) {
                MountOp* o = nullptr; // the nearest mount enclosing x
                for (auto& y : ops)
                        if (y.dst != x.dst && path_within(x.dst, y.dst) &&
                            (!o || y.dst.size() > o->dst.size()))
                                o = &y;
                if (!o || o->kind != OpKind::Overlay)
                        continue;
                bool dir_point = x.src_is_dir && x.kind != OpKind::Symlink && x.kind != OpKind::File;
                std::string rel = x.dst.substr(o->dst == "/" ? 1 : o->dst.size() + 1);
                for (size_t end = rel.find('/');; end = rel.find('/', end + 1)) {
                        if (end == std::string::npos && !dir_point)
                                break;
                        std::string cur = rel.substr(0, end);
                        // The topmost layer that has this path decides what it is.
                        bool stop = false;
                        for (size_t i = o->lowers.size(); i-- > 0;) {
                                struct stat st;
                                if (lstat((o->lowers[i] + "/" + cur).c_str(), &st) == 0) {
                                        stop = !S_ISDIR(st.st_mode);
                                        break;
                                }
                        }
                        if (stop)
                                break;
                        o->precreate.push_back(cur);
                        if (end == std::string::npos)
                                break;
                }
        }
        for (auto& o : ops) {
                std::sort(o.precreate.begin(), o.precreate.end(), path_less);
                o.precreate.erase(std::unique(o.precreate.begin(), o.precreate.end()), o.precreate.end());
        }
}

// The fuse-overlayfs fallback: the binary, and which overlays it could serve.
void plan_fuse(Plan& plan, const Host& h) {
        bool any = false;
        for (auto& op : plan.mounts) {
                if (op.kind != OpKind::Overlay)
                        continue;
                any = true;
                auto safe = [](const std::string& p) { return p.find_first_of(",:\\") == std::string::npos; };
                op.fuse_ok = std::all_of(op.lowers.begin(), op.lowers.end(), safe) && safe(op.upper_dir) &&
                             safe(op.work_dir);
        }
        if (!any)
                return;
        for (const char* dir : {"/usr/bin/", "/usr/local/bin/", "/bin/"}) {
                std::string path = std::string(dir) + "fuse-overlayfs";
                if (access(path.c_str(), X_OK) == 0) {
                        plan.fuse_overlayfs = path;
                        break;
                }
        }
        plan.force_fuse = h.getenv("SANDBOX_OVERLAY") == "fuse";
}

// /etc/resolv.conf as the mode needs it, over the host's (or over a link to /run, which is not
// inside): network.dns's servers when given, else the host's file's content, so that a symlink
// into /run still resolves. In "user" mode queries go out through pasta like any traffic, so a
// nameserver on the host's loopback is not reachable: behind systemd-resolved's stub the
// servers it forwards to are used; for another local resolver network.dns must name one.
void add_resolv_conf(std::vector<MountOp>& ops, const Profile& p) {
        auto mode = p.net.value_or(NetMode::None);
        bool host_etc = std::any_of(ops.begin(), ops.end(), [](const MountOp& o) {
                return o.kind == OpKind::Bind && o.dst == "/etc" && o.src == "/etc";
        });
        struct stat st;
        if (!host_etc || mode == NetMode::None || lstat("/etc/resolv.conf", &st) < 0)
                return;
        std::string text;
        auto read = [](const char* path) { return read_small_file(path, 1 << 16); };
        // Only servers on the host's loopback (systemd-resolved's stub): unreachable through pasta.
        auto loopback_only = [](std::string_view conf) {
                bool any = false;
                for (auto line : split(conf, '\n')) {
                        if (!line.starts_with("nameserver"))
                                continue;
                        auto addr = line.substr(10);
                        while (!addr.empty() && (addr[0] == ' ' || addr[0] == '\t'))
                                addr.remove_prefix(1);
                        if (!addr.starts_with("127.") && !addr.starts_with("::1"))
                                return false;
                        any = true;
                }
                return any;
        };
        if (!p.dns.empty()) {
                for (auto& d : p.dns)
                        text += "nameserver " + d.value + "\n";
        } else if (mode == NetMode::User && loopback_only(read("/etc/resolv.conf"))) {
                // systemd-resolved keeps the servers it forwards to here.
                text = read("/run/systemd/resolve/resolv.conf");
                if (text.empty())
                        return;
        } else if (S_ISLNK(st.st_mode)) {
                text = read("/etc/resolv.conf");
                if (text.empty())
                        return;
        } else {
                return; // the host's file is there as it is
        }
        auto op = file_op("/etc/resolv.conf", text);
        op.nofollow_dst = true;
        op.why = "generated for the network mode";
        std::erase_if(ops, [](const MountOp& o) { return o.dst == "/etc/resolv.conf"; });
        ops.push_back(op);
}

// network.mode = "user": pasta's command line. Nothing of the host is reachable but what is
// named: no port is forwarded by default, and the gateway is not mapped to the host's loopback.
Status plan_user_net(Plan& plan, const Profile& p) {
        if (p.net.value_or(NetMode::None) != NetMode::User)
                return Ok{};
        plan.net_user = true;
        for (const char* dir : {"/usr/bin/", "/bin/", "/usr/local/bin/", "/usr/sbin/"}) {
                std::string path = std::string(dir) + "pasta";
                if (access(path.c_str(), X_OK) == 0) {
                        plan.pasta = path;
                        break;
                }
        }
        if (plan.pasta.empty()) {
                return err(
                    "%s: network.mode = \"user\" needs pasta, which is not installed (Debian: apt install "
                    "passt)",
                    p.origin("network.mode").str().c_str());
        }
        auto& a = plan.pasta_args;
        // --runas: pasta run by root would otherwise change to nobody, who cannot join our namespaces.
        a = {"--config-net", "--quiet", "-f", "--no-map-gw", "--runas", std::to_string(geteuid())};
        // Inbound forwards listen on the host's loopback only: opening a port to the network is
        // not what "reachable from the host" asks for.
        std::string tcp, udp;
        for (auto& f : p.forwards) {
                a.push_back(f.proto == "tcp" ? "-t" : "-u");
                a.push_back(strprintf("127.0.0.1/%u:%u", f.host_port, f.inside_port));
                (f.proto == "tcp" ? tcp : udp) = "set";
        }
        if (tcp.empty())
                a.insert(a.end(), {"-t", "none"});
        if (udp.empty())
                a.insert(a.end(), {"-u", "none"});
        std::string ports;
        for (auto& hp : p.host_ports)
                ports += (ports.empty() ? "" : ",") + std::to_string(hp.value);
        // pasta's "auto" follows the host's listening sockets while the sandbox runs.
        if (std::any_of(p.host_ports.begin(), p.host_ports.end(), [](auto& hp) { return hp.value == 0; }))
                ports = "auto";
        a.insert(a.end(), {"-T", ports.empty() ? "none" : ports, "-U", ports.empty() ? "none" : ports});
        return Ok{};
}

Status check_keep_fds(const std::vector<int>& fds) {
        for (int fd : fds)
                if (fcntl(fd, F_GETFD) < 0)
                        return err_errno(errno, "--keep-fd %d", fd);
        return Ok{};
}

} // namespace

Result<Plan> build_plan(const PlanInput& in) {
        const Profile& p = in.profile;
        const Host& h = in.host;
        Plan plan;

        plan.uid_outside = h.uid;
        plan.gid_outside = h.gid;
        bool root = p.uid0.value_or(false);
        plan.uid_inside = root ? 0 : h.uid;
        plan.gid_inside = root ? 0 : h.gid;
        plan.uid_map = strprintf("%u %u 1\n", plan.uid_inside, plan.uid_outside);
        plan.gid_map = strprintf("%u %u 1\n", plan.gid_inside, plan.gid_outside);

        plan.home = h.home;
        auto runtime = h.getenv("XDG_RUNTIME_DIR");
        std::string runtime_dir;
        if (!runtime.empty()) {
                auto norm = normalize_path(runtime);
                if (norm && *norm != "/")
                        runtime_dir = *norm;
        }

        // Built-in mounts first; a profile or command-line entry for the same
        // destination replaces the built-in one.
        // Layers of at most 1024 mounts each, at most 17 deep: the total is bounded, but the
        // plan's own checks are kept linear or close to it anyway.
        if (p.mounts.size() + p.hide.size() > 4096)
                return err(
                    "more than 4096 mounts and hidden paths in all: that is not a sandbox one can check");
        std::vector<MountOp> ops = base_mounts(h.home, runtime_dir);
        for (auto& m : p.mounts) {
                if (m.create)
                        SB_TRY(create_dir(m, h));
                auto op = op_from_entry(m);
                if (!op) {
                        if (m.optional && op.error().errnum == ENOENT)
                                continue;
                        return std::move(op).error();
                }
                std::erase_if(ops, [&](const MountOp& o) { return o.dst == op->dst; });
                ops.push_back(*op);
                // A root of the user's own has its own /bin and /lib, links or not.
                if (op->kind == OpKind::Bind && op->dst == "/usr" && op->src == "/usr" && p.root.empty())
                        add_usr_companions(ops, *op);
        }
        // An explicit entry for /bin etc. beats the companion of /usr, whether it came before
        // or after /usr; of two companions (two /usr entries) the later wins.
        auto companion = [](const MountOp& o) { return o.why.starts_with("with /usr"); };
        for (size_t i = ops.size(); i-- > 0;) {
                for (size_t j = 0; j < i; j++) {
                        if (ops[j].dst != ops[i].dst)
                                continue;
                        if (companion(ops[j])) {
                                ops.erase(ops.begin() + static_cast<long>(j--));
                                i--;
                        } else if (companion(ops[i])) {
                                ops.erase(ops.begin() + static_cast<long>(i));
                                break;
                        }
                }
        }
        SB_TRY(add_home(ops, p, h));
        SB_TRY(add_stores(ops, p, h));
        SB_TRY(add_overlays(ops, p, h));
        auto gui = add_gui(ops, p, h, runtime_dir);
        add_dbus(ops, gui, plan.dbus, p, h, runtime_dir, getpid());
        plan.warnings = gui.warnings;
        plan.notes = gui.notes;
        SB_TRY(protect_persistence(ops, h));
        // ORDER: after every grant, so that a hide beats a bind of any layer at or below it.
        for (auto& hide : p.hide)
                apply_hide(ops, hide);
        plan.hostname = p.hostname.value_or("");
        generate_etc(ops, plan, h);
        add_resolv_conf(ops, p);
        // Parents before children, whatever order the layers wrote them in.
        if (!p.root.empty()) {
                auto root = root_op(p, h);
                if (!root)
                        return std::move(root).error();
                plan.root_read_only = root->read_only;
                ops.push_back(std::move(*root));
        }
        std::stable_sort(ops.begin(), ops.end(),
                         [](const MountOp& a, const MountOp& b) { return path_less(a.dst, b.dst); });
        add_precreate(ops);
        plan.mounts = std::move(ops);
        plan.scratch_dir = runtime_dir.empty() ? "/tmp" : runtime_dir;
        plan_fuse(plan, h);

        plan.new_net = p.net.value_or(NetMode::None) != NetMode::Host;
        plan.hostname = p.hostname.value_or("");
        SB_TRY(plan_user_net(plan, p));
        if (!p.allow_tcp.empty()) {
                int abi = landlock_abi();
                if (abi < 4) {
                        auto& o = p.allow_tcp.front().origin;
                        return err(
                            "%s: network.allow needs Landlock's TCP rules (Linux 6.7 or later, Landlock "
                            "enabled); this kernel's Landlock ABI is %d",
                            o.file.empty() ? "command line" : o.str().c_str(), abi);
                }
                plan.egress_rules = true;
                for (auto& a : p.allow_tcp)
                        plan.egress_ports.push_back(a.value);
        }

        if (in.cli.chdir) {
                plan.cwd = *in.cli.chdir;
                plan.cwd_required = true;
        } else {
                plan.cwd = !h.cwd.empty() && cwd_visible(plan.mounts, h.cwd) ? h.cwd : h.home;
        }

        plan.envp = build_env(h.env, p, EnvFacts{h.home, h.user, runtime_dir});
        for (auto& setting : gui.env) {
                std::string prefix = setting.first + "=";
                std::erase_if(plan.envp, [&](const std::string& e) { return e.starts_with(prefix); });
                plan.envp.push_back(prefix + setting.second);
        }
        std::sort(plan.envp.begin(), plan.envp.end());
        plan.argv = in.command;
        if (plan.argv.empty() || plan.argv[0].empty())
                return err("no command given");

        SB_TRY(check_keep_fds(in.cli.keep_fds));
        plan.keep_fds = in.cli.keep_fds;
        std::sort(plan.keep_fds.begin(), plan.keep_fds.end());
        plan.keep_fds.erase(std::unique(plan.keep_fds.begin(), plan.keep_fds.end()), plan.keep_fds.end());

        auto policy = build_policy(p, in.cli.seccomp_log || p.seccomp_log.value_or(false));
        if (!policy)
                return std::move(policy).error();
        plan.policy = std::move(*policy);
        // The build-time BPF is the default base only; strict and any rule of the profile's own
        // are compiled now.
        bool own_rules = !p.syscall_allow.empty() || !p.syscall_deny.empty() || plan.policy.strict;
        if (in.precompiled && plan.policy.enabled && !own_rules) {
                auto bpf =
                    in.precompiled(plan.policy.nested_userns != 0, plan.policy.multiarch, plan.policy.notify);
                plan.seccomp.assign(bpf.begin(), bpf.end());
        }
        if (!plan.dbus.binary.empty() && in.precompiled) {
                auto bpf = in.precompiled(false, false, false);
                plan.dbus.seccomp.assign(bpf.begin(), bpf.end());
        }
        if (plan.seccomp.empty()) {
                auto filter = compile_policy(plan.policy);
                if (!filter)
                        return std::move(filter).error();
                plan.seccomp = std::move(*filter);
        }
        if (in.precompiled_init) {
                auto bpf = in.precompiled_init();
                plan.init_seccomp.assign(bpf.begin(), bpf.end());
        } else {
                auto filter = compile_init_filter();
                if (!filter)
                        return std::move(filter).error();
                plan.init_seccomp = std::move(*filter);
        }

        plan.last_cap = static_cast<int>(cap_max_bits()) - 1;
        plan.limits = limits_of(p);
        plan.name = stores_of(p);
        plan.profile = p.name;
        plan.use_landlock = p.landlock.value_or(true) && landlock_abi() >= 1;
        plan.landlock = landlock_rules(plan, plan.use_landlock);
        plan.stats = in.cli.stats;
        plan.registry = registry_dir(h);
        plan.instance = in.cli.name;
        plan.quiet = in.cli.verbosity < 0;
        return plan;
}

std::string describe_plan(const Plan& plan) {
        std::string s;
        for (auto& op : plan.mounts) {
                switch (op.kind) {
                case OpKind::Bind:
                        s += strprintf("mount %s %s -> %s",
                                       op.read_only ? "ro-bind"
                                       : op.device  ? "dev-bind"
                                                    : "bind",
                                       quote(op.src).c_str(), quote(op.dst).c_str());
                        break;
                case OpKind::Tmpfs:
                        s +=
                            strprintf("mount tmpfs %s (mode %s)", quote(op.dst).c_str(), op.mode_str.c_str());
                        break;
                case OpKind::Proc:
                        s += strprintf("mount proc %s", quote(op.dst).c_str());
                        break;
                case OpKind::Devpts:
                        s += strprintf("mount devpts %s", quote(op.dst).c_str());
                        break;
                case OpKind::Symlink:
                        s += strprintf("symlink %s -> %s", quote(op.dst).c_str(), quote(op.src).c_str());
                        break;
                case OpKind::File:
                        s += strprintf("file %s (%zu bytes)", quote(op.dst).c_str(), op.src.size());
                        break;
                case OpKind::Overlay: {
                        std::string lowers;
                        for (auto& l : op.lowers)
                                lowers += (lowers.empty() ? "" : ", ") + quote(l);
                        s += strprintf("overlay %s of %s, upper %s%s", quote(op.dst).c_str(), lowers.c_str(),
                                       op.upper_dir.empty() ? "tmpfs" : quote(op.upper_dir).c_str(),
                                       op.read_only ? ", read-only" : "");
                        break;
                }
                }
                s += "  [" + op.why + "]\n";
        }
        s += strprintf("user: uid %u -> %u, gid %u -> %u inside\n", plan.uid_outside, plan.uid_inside,
                       plan.gid_outside, plan.gid_inside);
        if (plan.net_user) {
                std::string args;
                for (auto& x : plan.pasta_args)
                        args += " " + quote(x);
                s += "network: user, through " + quote(plan.pasta) + args + "\n";
        } else {
                s += plan.new_net ? "network: none (loopback only)\n" : "network: host\n";
        }
        if (!plan.hostname.empty())
                s += "hostname: " + quote(plan.hostname) + "\n";
        s += "chdir: " + quote(plan.cwd) + (plan.cwd_required ? "\n" : " (else home)\n");
        for (auto& e : plan.envp)
                s += "env: " + quote(e) + "\n";
        for (int fd : plan.keep_fds)
                s += strprintf("keep fd %d\n", fd);
        s += strprintf(
            "seccomp: %zu rules, %zu BPF instructions%s; capabilities: all dropped; no_new_privs\n",
            plan.policy.rules.size(), plan.seccomp.size(), plan.policy.notify ? ", refusals reported" : "");
        std::string cmd;
        for (auto& a : plan.argv)
                cmd += " " + quote(a);
        s += "exec" + cmd + "\n";
        return s;
}

} // namespace sb
