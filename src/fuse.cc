// SPDX-License-Identifier: GPL-2.0-or-later
// Launcher side of the fuse-overlayfs fallback.
#include "fuse.h"

#include "fd.h"
#include "text.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

namespace sb {

namespace {

// mkdir -p of rel under dir, never following a symlink: a kept upper holds what the app made.
void mkdir_beneath(int dir, const std::string& rel) {
        struct open_how how;
        memset(&how, 0, sizeof how);
        how.flags = O_PATH | O_DIRECTORY | O_CLOEXEC;
        how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
        auto slash = rel.rfind('/');
        UniqueFd parent(slash == std::string::npos
                            ? dup(dir)
                            : static_cast<int>(
                                  syscall(SYS_openat2, dir, rel.substr(0, slash).c_str(), &how, sizeof how)));
        if (parent.valid())
                mkdirat(parent.get(), rel.c_str() + (slash == std::string::npos ? 0 : slash + 1), 0755);
}

// rm -rf of name in dir, without following symlinks or crossing into other mounts.
void remove_tree(int dir, const char* name) {
        struct stat st;
        if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return;
        if (S_ISDIR(st.st_mode)) {
                fchmodat(dir, name, 0700, 0);
                int fd = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (fd >= 0) {
                        DIR* d = fdopendir(fd);
                        if (d) {
                                while (auto* e = readdir(d))
                                        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
                                                remove_tree(dirfd(d), e->d_name);
                                closedir(d);
                        } else {
                                close(fd);
                        }
                }
                unlinkat(dir, name, AT_REMOVEDIR);
        } else {
                unlinkat(dir, name, 0);
        }
}

} // namespace

Result<FuseDaemon> start_fuse_overlay(const Plan& plan, const MountOp& op, int dev) {
        UniqueFd devfd(dev);
        FuseDaemon d;
        std::string upper = op.upper_dir, work = op.work_dir;
        if (upper.empty()) {
                std::string tmpl = plan.scratch_dir + "/sandbox-overlay-XXXXXX";
                if (!mkdtemp(tmpl.data()))
                        return err_errno(errno, "overlay for %s: a scratch directory in %s",
                                         quote(op.dst).c_str(), quote(plan.scratch_dir).c_str());
                d.scratch = tmpl;
                upper = tmpl + "/upper";
                work = tmpl + "/work";
                if (mkdir(upper.c_str(), 0755) < 0 || mkdir(work.c_str(), 0700) < 0) {
                        int e = errno;
                        remove_tree(AT_FDCWD, d.scratch.c_str());
                        return err_errno(e, "overlay for %s: %s", quote(op.dst).c_str(),
                                         quote(upper).c_str());
                }
        } else {
                // A directory of its own in the store's work directory: the kernel's overlay leaves
                // work/work there with mode 0, which fuse-overlayfs cannot enter.
                UniqueFd w(open(work.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
                if (!w.valid() || (mkdirat(w.get(), "fuse", 0700) < 0 && errno != EEXIST))
                        return err_errno(errno, "overlay for %s: %s", quote(op.dst).c_str(),
                                         quote(work).c_str());
                work += "/fuse";
        }
        {
                UniqueFd up(open(upper.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
                if (up.valid())
                        for (auto& rel : op.precreate)
                                mkdir_beneath(up.get(), rel);
        }
        // fuse-overlayfs lists the topmost layer first.
        std::string lowers;
        for (size_t i = op.lowers.size(); i-- > 0;)
                lowers += (lowers.empty() ? "" : ":") + op.lowers[i];
        std::string opts = "lowerdir=" + lowers + ",upperdir=" + upper + ",workdir=" + work;
        sigset_t none;
        sigemptyset(&none);
        pid_t pid = fork();
        if (pid < 0) {
                int e = errno;
                if (!d.scratch.empty())
                        remove_tree(AT_FDCWD, d.scratch.c_str());
                return err_errno(e, "overlay for %s: start fuse-overlayfs", quote(op.dst).c_str());
        }
        if (pid == 0) {
                // It serves the mount until the sandbox is gone; if we die first, it goes too.
                prctl(PR_SET_PDEATHSIG, SIGTERM);
                sigprocmask(SIG_SETMASK, &none, nullptr);
                int null = open("/dev/null", O_RDWR);
                // fd 3 is the device; fuse-overlayfs's notes on stderr would land in the app's
                // terminal.
                if (dup2(devfd.get(), 3) < 0 || null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 ||
                    dup2(null, 2) < 0)
                        _exit(127);
                execl(plan.fuse_overlayfs.c_str(), "fuse-overlayfs", "-f", "-o", opts.c_str(), "/dev/fd/3",
                      static_cast<char*>(nullptr));
                _exit(127);
        }
        d.pid = pid;
        return d;
}

void stop_fuse_overlays(std::vector<FuseDaemon>& daemons) {
        struct timespec start;
        clock_gettime(CLOCK_MONOTONIC, &start);
        for (auto& d : daemons) {
                for (;;) {
                        pid_t r = waitpid(d.pid, nullptr, WNOHANG);
                        if (r == d.pid || (r < 0 && errno != EINTR))
                                break;
                        struct timespec now;
                        clock_gettime(CLOCK_MONOTONIC, &now);
                        if (now.tv_sec - start.tv_sec >= 1) {
                                kill(d.pid, SIGKILL);
                                waitpid(d.pid, nullptr, 0);
                                break;
                        }
                        usleep(2000);
                }
                if (!d.scratch.empty())
                        remove_tree(AT_FDCWD, d.scratch.c_str());
        }
        daemons.clear();
}

} // namespace sb
