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

// The mount point for dst: a directory, or an empty file for a file bind.
int make_mount_point(int root, const char* dst, bool is_dir, int sync) noexcept {
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
        int target = open_in_root(root, dst, O_PATH);
        if (target < 0)
                child_fail(sync, Stage::Mount, errno, "open mount point '%s'", dst);
        return target;
}

void attach(int mnt, int root, const MountOp& op, int sync) noexcept {
        int target = make_mount_point(root, op.dst.c_str(), op.src_is_dir, sync);
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

// A kernel overlay over a host directory, built detached (like a cloned bind) before anything
// is attached: the lower stays read-only, writes go to a private tmpfs or the profile's store.
int make_overlay(const MountOp& op, int sync) noexcept {
        int lower = open(op.src.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (lower < 0)
                child_fail(sync, Stage::Mount, errno, "overlay: open the lower directory '%s'",
                           op.src.c_str());
        char lower_path[64], upper_path[64], work_path[64];
        fd_path(lower_path, sizeof lower_path, lower, nullptr);
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
                fd_path(upper_path, sizeof upper_path, scratch, "upper");
                fd_path(work_path, sizeof work_path, scratch, "work");
        } else {
                struct open_how how;
                memset(&how, 0, sizeof how);
                how.flags = O_PATH | O_DIRECTORY | O_CLOEXEC;
                how.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
                upper =
                    static_cast<int>(syscall(SYS_openat2, AT_FDCWD, op.upper_dir.c_str(), &how, sizeof how));
                work =
                    static_cast<int>(syscall(SYS_openat2, AT_FDCWD, op.work_dir.c_str(), &how, sizeof how));
                if (upper < 0 || work < 0)
                        child_fail(sync, Stage::Mount, errno, "overlay: open the store '%s' (not a symlink)",
                                   op.upper_dir.c_str());
                fd_path(upper_path, sizeof upper_path, upper, nullptr);
                fd_path(work_path, sizeof work_path, work, nullptr);
        }
        int mnt = -1, rc = -1, e = 0;
        // In a user namespace trusted.* xattrs cannot be set on the upper, and without xattrs
        // removing a directory that has lower content fails with EIO: ask for user.* ones
        // (userxattr) first, and mount without them only where the kernel refuses that.
        for (int userxattr = 1; userxattr >= 0 && mnt < 0; userxattr--) {
                int fs = fsopen("overlay", FSOPEN_CLOEXEC);
                if (fs < 0)
                        child_fail(sync, Stage::Mount, errno,
                                   "overlay for '%s': this kernel has no overlayfs (load the overlay module)",
                                   op.dst.c_str());
                rc = fsconfig(fs, FSCONFIG_SET_STRING, "lowerdir", lower_path, 0);
                if (rc == 0)
                        rc = fsconfig(fs, FSCONFIG_SET_STRING, "upperdir", upper_path, 0);
                if (rc == 0)
                        rc = fsconfig(fs, FSCONFIG_SET_STRING, "workdir", work_path, 0);
                if (rc == 0 && userxattr)
                        rc = fsconfig(fs, FSCONFIG_SET_FLAG, "userxattr", nullptr, 0);
                if (rc == 0)
                        rc = fsconfig(fs, FSCONFIG_CMD_CREATE, nullptr, nullptr, 0);
                if (rc == 0)
                        mnt = fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
                if (mnt < 0)
                        e = errno;
                close(fs);
        }
        if (mnt < 0)
                child_fail(
                    sync, Stage::Mount, e,
                    "overlay for '%s' refused by the kernel (the lower filesystem may not support overlays "
                    "in a user namespace; a plain read-only bind or a tmpfs avoids it)",
                    op.dst.c_str());
        close(lower);
        if (upper >= 0)
                close(upper);
        if (work >= 0)
                close(work);
        if (scratch >= 0)
                close(scratch); // the overlay keeps its upper mounted
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
                        tree_fds[i] = make_overlay(op, sync);
                        continue;
                }
                if (op.kind != OpKind::Bind)
                        continue;
                if (op.own_store) {
                        tree_fds[i] = open_own_store(plan, op, sync);
                        continue;
                }
                tree_fds[i] =
                    open_tree(AT_FDCWD, op.src.c_str(), OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
                if (tree_fds[i] < 0)
                        child_fail(sync, Stage::Mount, errno, "bind '%s'", op.src.c_str());
        }
}

void build_root(const Plan& plan, int sync, int* tree_fds) noexcept {
        MountOp root_op;
        root_op.kind = OpKind::Tmpfs;
        root_op.dst = "/";
        root_op.mode_str = "0755";
        int root = new_fs("tmpfs", root_op, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, sync);
        // A detached mount cannot take submounts on older kernels, so the new root is attached
        // over /tmp of our private mount namespace while it is built; sources are already open.
        if (move_mount(root, "", AT_FDCWD, "/tmp", MOVE_MOUNT_F_EMPTY_PATH) < 0)
                child_fail(sync, Stage::Mount, errno, "attach the new root");
        for (size_t i = 0; i < plan.mounts.size(); i++)
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
        // Nothing may be created in / itself; writable places are their own mounts.
        struct mount_attr ro;
        memset(&ro, 0, sizeof ro);
        ro.attr_set = MOUNT_ATTR_RDONLY;
        if (mount_setattr(AT_FDCWD, "/", 0, &ro, sizeof ro) < 0)
                child_fail(sync, Stage::PivotRoot, errno, "make '/' read-only");
}

} // namespace sb
