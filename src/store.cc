// SPDX-License-Identifier: GPL-2.0-or-later
// The per-profile stores on the host (persistent homes): made and checked without following
// symlinks, so that nothing planted there can point the sandbox elsewhere.
#include "store.h"

#include "fd.h"
#include "paths.h"
#include "text.h"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sb {

Result<StoreEntry> ensure_store(const std::string& base, const std::string& rel, uid_t uid) {
        // The base may not exist yet on a fresh account.
        SB_TRY(make_dirs(base, 0700));
        char real[PATH_MAX];
        if (!realpath(base.c_str(), real))
                return err_errno(errno, "resolve %s", quote(base).c_str());
        StoreEntry out;
        out.path = real;
        UniqueFd dir(open(real, O_PATH | O_DIRECTORY | O_CLOEXEC));
        if (!dir.valid())
                return err_errno(errno, "open %s", quote(out.path).c_str());
        size_t pos = 0;
        while (pos < rel.size()) {
                size_t end = rel.find('/', pos);
                if (end == std::string::npos)
                        end = rel.size();
                std::string name = rel.substr(pos, end - pos);
                bool last = end == rel.size();
                pos = end + 1;
                if (name.empty() || name == "." || name == "..")
                        continue;
                out.path += "/" + name;
                int fd = openat(dir.get(), name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC);
                if (fd < 0 && errno == ENOENT) {
                        if (mkdirat(dir.get(), name.c_str(), 0700) < 0 && errno != EEXIST)
                                return err_errno(errno, "create %s", quote(out.path).c_str());
                        fd = openat(dir.get(), name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC);
                }
                if (fd < 0)
                        return err_errno(errno, "open %s", quote(out.path).c_str());
                UniqueFd next(fd);
                struct stat st;
                if (fstat(next.get(), &st) < 0)
                        return err_errno(errno, "stat %s", quote(out.path).c_str());
                if (S_ISLNK(st.st_mode))
                        return err(
                            "%s is a symlink; a sandbox's store must be a real directory (remove the link)",
                            quote(out.path).c_str());
                if (st.st_uid != uid)
                        return err("%s belongs to uid %u, not to you; refusing to use it as a store",
                                   quote(out.path).c_str(), static_cast<unsigned>(st.st_uid));
                if (!S_ISDIR(st.st_mode)) {
                        if (!last || !S_ISREG(st.st_mode))
                                return err("%s is not a directory", quote(out.path).c_str());
                        out.is_dir = false;
                }
                dir = std::move(next);
        }
        return out;
}

} // namespace sb
