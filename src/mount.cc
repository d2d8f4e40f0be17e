// SPDX-License-Identifier: GPL-2.0-or-later
// Child side: build the new root from the Plan's mount list and switch into it.
#include "mount.h"

#include "sync.h"

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace sb {

namespace {

// Where generated files are written before they are mounted in place; removed again.
constexpr const char* staging_dir = ".sandbox-generated";

// Resolves path inside the new root: absolute symlinks are taken relative to it and ".."
// cannot climb out, so nothing met while building can point the setup at the host.
int open_in_root(int root, const char* path, uint64_t flags) noexcept {
        struct open_how how;
        memset(&how, 0, sizeof how);
        how.flags = flags | O_CLOEXEC;
        how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
        while (*path == '/')
                path++;
        if (*path == '\0')
                path = ".";
        return static_cast<int>(syscall(SYS_openat2, root, path, &how, sizeof how));
}

// Creates the directories leading to dst inside root and returns an O_PATH fd of dst's
// parent; *last points at dst's final component.
int open_parent(int root, const char* dst, const char** last, int sync) noexcept {
        char buf[PATH_MAX];
        size_t len = strlen(dst);
        if (len >= sizeof buf)
                child_fail(sync, Stage::Mount, ENAMETOOLONG, "'%s'", dst);
        memcpy(buf, dst, len + 1);
        char* slash = strrchr(buf, '/');
        *last = dst + (slash - buf) + 1;
        *slash = '\0';
        int cur = open_in_root(root, "/", O_PATH | O_DIRECTORY);
        if (cur < 0)
                child_fail(sync, Stage::Mount, errno, "open new root");
        char* p = buf;
        while (*p == '/')
                p++;
        while (*p) {
                char* end = strchr(p, '/');
                if (end)
                        *end = '\0';
                if (mkdirat(cur, p, 0755) < 0 && errno != EEXIST)
                        child_fail(sync, Stage::Mount, errno, "mkdir '%s' in '%s'", p, dst);
                // buf is now the prefix up to p: a symlink on the way (e.g. /bin -> usr/bin)
                // is followed inside the new root only.
                int next = open_in_root(root, buf, O_PATH | O_DIRECTORY);
                if (next < 0)
                        child_fail(sync, Stage::Mount, errno, "open '%s' for '%s'", buf, dst);
                close(cur);
                cur = next;
                if (!end)
                        break;
                *end = '/';
                p = end + 1;
        }
        return cur;
}

// The mount point for op.dst: a directory, or an empty file for a file bind.
int make_mount_point(int root, const MountOp& op, int sync) noexcept {
        const char* dst = op.dst.c_str();
        bool is_dir = op.src_is_dir;
        const char* last;
        int parent = open_parent(root, dst, &last, sync);
        if (is_dir) {
                if (mkdirat(parent, last, 0755) < 0 && errno != EEXIST)
                        child_fail(sync, Stage::Mount, errno, "mkdir '%s'", dst);
        } else {
                // An existing file (say /etc/passwd inside a read-only bind) is the mount point
                // as it is; only a missing one is created.
                struct stat st;
                if (fstatat(parent, last, &st, AT_SYMLINK_NOFOLLOW) < 0) {
                        int f =
                            openat(parent, last, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0444);
                        if (f < 0 && errno != EEXIST)
                                child_fail(sync, Stage::Mount, errno, "create '%s'", dst);
                        if (f >= 0)
                                close(f);
                }
        }
        close(parent);
        int target;
        if (op.plain_dir) {
                // /proc and /dev in a root of the user's own: a real directory, reached without
                // any symlink, or the mount is refused.
                struct open_how how;
                memset(&how, 0, sizeof how);
                how.flags = O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
                how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
                target = static_cast<int>(syscall(SYS_openat2, root, dst + 1, &how, sizeof how));
                if (target < 0)
                        child_fail(sync, Stage::Mount, errno, "'%s' in the root is not a plain directory",
                                   dst);
        } else {
                target = open_in_root(root, dst, O_PATH | (op.nofollow_dst ? O_NOFOLLOW : 0));
        }
        if (target < 0)
                child_fail(sync, Stage::Mount, errno, "open mount point '%s'", dst);
        return target;
}

void attach(int mnt, int root, const MountOp& op, int sync) noexcept {
        int target = make_mount_point(root, op, sync);
        if (move_mount(mnt, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
                child_fail(sync, Stage::Mount, errno, "attach '%s'", op.dst.c_str());
        close(target);
        close(mnt);
}

int new_fs(const char* type, const MountOp& op, uint64_t attrs, int sync) noexcept {
        int fs = fsopen(type, FSOPEN_CLOEXEC);
        if (fs < 0)
                child_fail(sync, Stage::Mount, errno, "%s '%s'", type, op.dst.c_str());
        int rc = 0;
        if (op.kind == OpKind::Tmpfs)
                rc = fsconfig(fs, FSCONFIG_SET_STRING, "mode", op.mode_str.c_str(), 0);
        if (op.kind == OpKind::Devpts) {
                // A private instance; ptmx usable by the user, new ptys not group-writable.
                rc = fsconfig(fs, FSCONFIG_SET_STRING, "ptmxmode", "0666", 0);
                if (rc == 0)
                        rc = fsconfig(fs, FSCONFIG_SET_STRING, "mode", "0620", 0);
        }
        if (rc == 0)
                rc = fsconfig(fs, FSCONFIG_CMD_CREATE, nullptr, nullptr, 0);
        if (rc < 0)
                child_fail(sync, Stage::Mount, errno, "%s '%s'", type, op.dst.c_str());
        int mnt = fsmount(fs, FSMOUNT_CLOEXEC, static_cast<unsigned>(attrs));
        if (mnt < 0)
                child_fail(sync, Stage::Mount, errno, "%s '%s'", type, op.dst.c_str());
        close(fs);
        return mnt;
}

// A generated file: written into a staging directory of the new root, cloned from there
// read-only onto its place (often over a host file inside a read-only bind), then unlinked.
void make_file(int root, const MountOp& op, size_t index, int sync) noexcept {
        int stage = open_in_root(root, staging_dir, O_PATH | O_DIRECTORY);
        if (stage < 0 && errno == ENOENT) {
                if (mkdirat(root, staging_dir, 0700) < 0 && errno != EEXIST)
                        child_fail(sync, Stage::Mount, errno, "mkdir '%s'", staging_dir);
                stage = open_in_root(root, staging_dir, O_PATH | O_DIRECTORY);
        }
        if (stage < 0)
                child_fail(sync, Stage::Mount, errno, "open '%s'", staging_dir);
        char name[24];
        snprintf(name, sizeof name, "%zu", index);
        int fd = openat(stage, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0444);
        if (fd < 0)
                child_fail(sync, Stage::Mount, errno, "create the content of '%s'", op.dst.c_str());
        size_t done = 0;
        while (done < op.src.size()) {
                ssize_t n = write(fd, op.src.data() + done, op.src.size() - done);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        child_fail(sync, Stage::Mount, errno, "write the content of '%s'", op.dst.c_str());
                done += static_cast<size_t>(n);
        }
        close(fd);
        int tree = open_tree(stage, name, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
        if (tree < 0)
                child_fail(sync, Stage::Mount, errno, "clone the content of '%s'", op.dst.c_str());
        struct mount_attr attr;
        memset(&attr, 0, sizeof attr);
        attr.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC;
        if (mount_setattr(tree, "", AT_EMPTY_PATH, &attr, sizeof attr) < 0)
                child_fail(sync, Stage::Mount, errno, "restrict '%s'", op.dst.c_str());
        attach(tree, root, op, sync);
        // The mount keeps the inode; the name in the staging directory goes.
        unlinkat(stage, name, 0);
        close(stage);
}

void do_op(int root, const MountOp& op, int tree, size_t index, int sync) noexcept {
        switch (op.kind) {
        case OpKind::File:
                make_file(root, op, index, sync);
                break;
        case OpKind::Overlay:
                attach(tree, root, op, sync);
                break;
        case OpKind::Bind: {
                struct mount_attr attr;
                memset(&attr, 0, sizeof attr);
                attr.attr_set = MOUNT_ATTR_NOSUID | (op.device ? MOUNT_ATTR_NOEXEC : MOUNT_ATTR_NODEV) |
                                (op.read_only ? MOUNT_ATTR_RDONLY : 0);
                // Set on the detached tree, so it is never visible without its restrictions.
                if (mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) < 0)
                        child_fail(sync, Stage::Mount, errno, "restrict '%s'", op.src.c_str());
                attach(tree, root, op, sync);
                break;
        }
        case OpKind::Tmpfs:
                // A read-only tmpfs is an emptied place: filesystem.hide of a directory.
                attach(new_fs("tmpfs", op,
                              MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | (op.read_only ? MOUNT_ATTR_RDONLY : 0),
                              sync),
                       root, op, sync);
                break;
        case OpKind::Proc:
                attach(new_fs("proc", op, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, sync),
                       root, op, sync);
                break;
        case OpKind::Devpts:
                attach(new_fs("devpts", op, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, sync), root, op, sync);
                break;
        case OpKind::Symlink: {
                const char* last;
                int parent = open_parent(root, op.dst.c_str(), &last, sync);
                if (symlinkat(op.src.c_str(), parent, last) < 0)
                        child_fail(sync, Stage::Mount, errno, "symlink '%s' -> '%s'", op.dst.c_str(),
                                   op.src.c_str());
                close(parent);
                break;
        }
        }
}

// The parent made the store safely, but a process that can write there (another sandbox with
// the same store, say) could swap a symlink in since: resolve it again without following any,
// check who owns what we got, and clone exactly that.
int open_own_store(const Plan& plan, const MountOp& op, int sync) noexcept {
        struct open_how how;
        memset(&how, 0, sizeof how);
        how.flags = O_PATH | O_DIRECTORY | O_CLOEXEC;
        how.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
        int fd = static_cast<int>(syscall(SYS_openat2, AT_FDCWD, op.src.c_str(), &how, sizeof how));
        if (fd < 0)
                child_fail(sync, Stage::Mount, errno,
                           "open the store '%s' (it must be a directory, not a symlink)", op.src.c_str());
        struct stat st;
        if (fstat(fd, &st) < 0 || st.st_uid != plan.uid_inside)
                child_fail(sync, Stage::Mount, EPERM, "the store '%s' does not belong to the user",
                           op.src.c_str());
        int tree = open_tree(fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH);
        if (tree < 0)
                child_fail(sync, Stage::Mount, errno, "bind the store '%s'", op.src.c_str());
        close(fd);
        return tree;
}

// "/proc/self/fd/N": how overlayfs, which takes paths, is given a directory we hold open.
void fd_path(char* out, size_t size, int fd, const char* sub) noexcept {
        snprintf(out, size, "/proc/self/fd/%d%s%s", fd, sub ? "/" : "", sub ? sub : "");
}

// A host directory we hold open, reached without following any symlink: the sources were
// resolved when the sandbox was planned, so a symlink met now was swapped in since.
int open_source(const char* path, bool dir, int sync) noexcept {
        struct open_how how;
        memset(&how, 0, sizeof how);
        how.flags = O_PATH | O_CLOEXEC | (dir ? O_DIRECTORY : 0);
        how.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
        int fd = static_cast<int>(syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof how));
        if (fd < 0)
                child_fail(sync, Stage::Mount, errno,
                           errno == ELOOP ? "'%s' was replaced by a symlink since the sandbox was planned"
                                          : "open '%s'",
                           path);
        return fd;
}

// mkdir of rel under dir, without following any symlink on the way: an upper kept between runs
// holds whatever the app put there. A failure is left to the mount that needs the directory.
void mkdir_beneath(int dir, const char* rel) noexcept {
        char buf[PATH_MAX];
        size_t len = strlen(rel);
        if (len >= sizeof buf)
                return;
        memcpy(buf, rel, len + 1);
        char* slash = strrchr(buf, '/');
        int parent = dir;
        const char* last = buf;
        if (slash) {
                *slash = '\0';
                last = slash + 1;
                struct open_how how;
                memset(&how, 0, sizeof how);
                how.flags = O_PATH | O_DIRECTORY | O_CLOEXEC;
                how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
                parent = static_cast<int>(syscall(SYS_openat2, dir, buf, &how, sizeof how));
                if (parent < 0)
                        return;
        }
        mkdirat(parent, last, 0755);
        if (parent != dir)
                close(parent);
}

// A kernel overlay of host directories, built detached (like a cloned bind) before anything is
// attached: the lowers stay read-only, writes go to a private tmpfs or the profile's store.
int make_fuse_overlay(const Plan& plan, const MountOp& op, size_t index, int kernel_errno, int sync) noexcept;

int make_overlay(const Plan& plan, const MountOp& op, size_t index, int sync) noexcept {
        if (plan.force_fuse && !plan.fuse_overlayfs.empty() && op.fuse_ok)
                return make_fuse_overlay(plan, op, index, 0, sync);
        constexpr size_t max_layers = 64; // the profile parser's bound
        int lower[max_layers];
        size_t n = op.lowers.size() < max_layers ? op.lowers.size() : max_layers;
        // lowerdir lists the topmost layer first; the plan lists the bottom one first.
        char lowers[max_layers * 24];
        size_t used = 0;
        for (size_t i = 0; i < n; i++) {
                lower[i] = open_source(op.lowers[n - 1 - i].c_str(), true, sync);
                used += static_cast<size_t>(snprintf(lowers + used, sizeof lowers - used,
                                                     "%s/proc/self/fd/%d", i ? ":" : "", lower[i]));
        }
        char upper_path[64], work_path[64];
        int upper = -1, work = -1, scratch = -1;
        if (op.upper_dir.empty()) {
                MountOp t;
                t.kind = OpKind::Tmpfs;
                t.dst = op.dst;
                t.mode_str = "0755";
                scratch = new_fs("tmpfs", t, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, sync);
                if (mkdirat(scratch, "upper", 0755) < 0 || mkdirat(scratch, "work", 0700) < 0)
                        child_fail(sync, Stage::Mount, errno, "overlay: the tmpfs upper for '%s'",
                                   op.dst.c_str());
                upper = openat(scratch, "upper", O_PATH | O_DIRECTORY | O_CLOEXEC);
                work = openat(scratch, "work", O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (upper < 0 || work < 0)
                        child_fail(sync, Stage::Mount, errno, "overlay: the tmpfs upper for '%s'",
                                   op.dst.c_str());
        } else {
                upper = open_source(op.upper_dir.c_str(), true, sync);
                work = open_source(op.work_dir.c_str(), true, sync);
        }
        fd_path(upper_path, sizeof upper_path, upper, nullptr);
        fd_path(work_path, sizeof work_path, work, nullptr);
        for (auto& rel : op.precreate)
                mkdir_beneath(upper, rel.c_str());
        int mnt = -1, rc = -1, e = 0;
        // In a user namespace trusted.* xattrs cannot be set on the upper, and without xattrs
        // removing a directory that has lower content fails with EIO: ask for user.* ones
        // (userxattr) first, and mount without them only where the kernel refuses that.
        for (int userxattr = 1; userxattr >= 0 && mnt < 0; userxattr--) {
                int fs = fsopen("overlay", FSOPEN_CLOEXEC);
                if (fs < 0) {
                        e = errno;
                        break;
                }
                rc = fsconfig(fs, FSCONFIG_SET_STRING, "lowerdir", lowers, 0);
                if (rc == 0)
                        rc = fsconfig(fs, FSCONFIG_SET_STRING, "upperdir", upper_path, 0);
                if (rc == 0)
                        rc = fsconfig(fs, FSCONFIG_SET_STRING, "workdir", work_path, 0);
                if (rc == 0 && userxattr)
                        rc = fsconfig(fs, FSCONFIG_SET_FLAG, "userxattr", nullptr, 0);
                if (rc == 0)
                        rc = fsconfig(fs, FSCONFIG_CMD_CREATE, nullptr, nullptr, 0);
                if (rc == 0)
                        mnt = fsmount(fs, FSMOUNT_CLOEXEC,
                                      MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
                                          (op.read_only && op.dst != "/" ? MOUNT_ATTR_RDONLY : 0));
                if (mnt < 0)
                        e = errno;
                close(fs);
        }
        if (mnt < 0) {
                if (!plan.fuse_overlayfs.empty() && op.fuse_ok)
                        mnt = make_fuse_overlay(plan, op, index, e, sync);
                else
                        child_fail(sync, Stage::Mount, e,
                                   "overlay for '%s' refused by the kernel (an older kernel, or a lower "
                                   "filesystem that overlays in a user namespace cannot use); install "
                                   "fuse-overlayfs, which sandbox then uses instead, or use a read-only bind",
                                   op.dst.c_str());
        }
        for (size_t i = 0; i < n; i++)
                close(lower[i]);
        close(upper);
        close(work);
        if (scratch >= 0)
                close(scratch); // the overlay keeps its upper mounted
        return mnt;
}

// The fallback: a FUSE mount made here, in the sandbox's namespaces, and served by
// fuse-overlayfs, which the launcher starts outside them on the /dev/fuse fd we hand it: the
// app can neither see nor trace it.
int make_fuse_overlay(const Plan& plan, const MountOp& op, size_t index, int kernel_errno,
                      int sync) noexcept {
        int dev = open("/dev/fuse", O_RDWR | O_CLOEXEC);
        if (dev < 0) {
                int e = errno;
                child_fail(
                    sync, Stage::Mount, e,
                    "overlay for '%s': %s%s%s, and fuse-overlayfs needs /dev/fuse, which this user cannot "
                    "open",
                    op.dst.c_str(), kernel_errno ? "the kernel refused it (" : "fuse-overlayfs was asked for",
                    kernel_errno ? strerror(kernel_errno) : "", kernel_errno ? ")" : "");
        }
        char num[24];
        int fs = fsopen("fuse", FSOPEN_CLOEXEC);
        int rc = fs < 0 ? -1 : 0;
        snprintf(num, sizeof num, "%d", dev);
        if (rc == 0)
                rc = fsconfig(fs, FSCONFIG_SET_STRING, "fd", num, 0);
        if (rc == 0)
                rc = fsconfig(fs, FSCONFIG_SET_STRING, "rootmode", "40000", 0);
        snprintf(num, sizeof num, "%u", plan.uid_inside);
        if (rc == 0)
                rc = fsconfig(fs, FSCONFIG_SET_STRING, "user_id", num, 0);
        snprintf(num, sizeof num, "%u", plan.gid_inside);
        if (rc == 0)
                rc = fsconfig(fs, FSCONFIG_SET_STRING, "group_id", num, 0);
        // The kernel checks permissions from the modes, as for any filesystem.
        if (rc == 0)
                rc = fsconfig(fs, FSCONFIG_SET_FLAG, "default_permissions", nullptr, 0);
        if (rc == 0)
                rc = fsconfig(fs, FSCONFIG_CMD_CREATE, nullptr, nullptr, 0);
        int mnt = rc == 0 ? fsmount(fs, FSMOUNT_CLOEXEC,
                                    MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
                                        (op.read_only && op.dst != "/" ? MOUNT_ATTR_RDONLY : 0))
                          : -1;
        if (mnt < 0)
                child_fail(sync, Stage::Mount, errno, "overlay for '%s': mount the FUSE filesystem",
                           op.dst.c_str());
        if (fs >= 0)
                close(fs);
        if (int e = send_fd(sync, RecordKind::FuseDevice, static_cast<int32_t>(index), dev))
                child_fail(sync, Stage::Mount, e, "overlay for '%s': hand /dev/fuse to the launcher",
                           op.dst.c_str());
        close(dev);
        return mnt;
}

} // namespace

void open_bind_sources(const Plan& plan, int sync, int* tree_fds) noexcept {
        // Our mounts must never propagate back to the host.
        if (mount(nullptr, "/", nullptr, MS_SLAVE | MS_REC, nullptr) < 0)
                child_fail(sync, Stage::Mount, errno, "make '/' a slave mount");
        for (size_t i = 0; i < plan.mounts.size(); i++) {
                const MountOp& op = plan.mounts[i];
                tree_fds[i] = -1;
                if (op.kind == OpKind::Overlay) {
                        tree_fds[i] = make_overlay(plan, op, i, sync);
                        continue;
                }
                if (op.kind != OpKind::Bind)
                        continue;
                if (op.own_store) {
                        tree_fds[i] = open_own_store(plan, op, sync);
                        continue;
                }
                int src = open_source(op.src.c_str(), false, sync);
                tree_fds[i] =
                    open_tree(src, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH);
                if (tree_fds[i] < 0)
                        child_fail(sync, Stage::Mount, errno, "bind '%s'", op.src.c_str());
                close(src);
        }
}

void build_root(const Plan& plan, int sync, int* tree_fds) noexcept {
        // The user's own root (an overlay of their layers, first in the plan), or an empty tmpfs.
        bool own_root = !plan.mounts.empty() && plan.mounts[0].dst == "/";
        int root;
        if (own_root) {
                root = tree_fds[0];
        } else {
                MountOp root_op;
                root_op.kind = OpKind::Tmpfs;
                root_op.dst = "/";
                root_op.mode_str = "0755";
                root = new_fs("tmpfs", root_op, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, sync);
        }
        // A detached mount cannot take submounts on older kernels, so the new root is attached
        // over /tmp of our private mount namespace while it is built; sources are already open.
        if (move_mount(root, "", AT_FDCWD, "/tmp", MOVE_MOUNT_F_EMPTY_PATH) < 0)
                child_fail(sync, Stage::Mount, errno, "attach the new root");
        for (size_t i = own_root ? 1 : 0; i < plan.mounts.size(); i++)
                do_op(root, plan.mounts[i], tree_fds[i], i, sync);
        unlinkat(root, staging_dir, AT_REMOVEDIR); // absent when nothing was generated

        // ORDER: /proc was mounted above while the host's /proc is still visible; a procfs
        // mount in a user namespace fails with EPERM once no full procfs is visible.
        if (fchdir(root) < 0)
                child_fail(sync, Stage::PivotRoot, errno, "enter the new root");
        close(root);
        // pivot_root(".", ".") stacks the old root on the new one; detaching "." drops it.
        if (syscall(SYS_pivot_root, ".", ".") < 0)
                child_fail(sync, Stage::PivotRoot, errno, "pivot_root");
        if (umount2(".", MNT_DETACH) < 0)
                child_fail(sync, Stage::PivotRoot, errno, "detach the old root");
        if (chdir("/") < 0)
                child_fail(sync, Stage::PivotRoot, errno, "chdir '/'");
        // Nothing may be created in / itself; writable places are their own mounts. A root of the
        // user's own takes writes in its upper unless it was asked to be read-only.
        if (!plan.root_read_only)
                return;
        struct mount_attr ro;
        memset(&ro, 0, sizeof ro);
        ro.attr_set = MOUNT_ATTR_RDONLY;
        if (mount_setattr(AT_FDCWD, "/", 0, &ro, sizeof ro) < 0)
                child_fail(sync, Stage::PivotRoot, errno, "make '/' read-only");
}

} // namespace sb
