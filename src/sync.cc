// SPDX-License-Identifier: GPL-2.0-or-later
// The child -> parent error record.
#include "sync.h"

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <unistd.h>

namespace sb {

const char* stage_name(Stage s) {
        switch (s) {
        case Stage::Parent:
                return "wait for launcher";
        case Stage::IdMap:
                return "user namespace";
        case Stage::Mount:
                return "mount";
        case Stage::PivotRoot:
                return "pivot_root";
        case Stage::Hostname:
                return "hostname";
        case Stage::Network:
                return "network";
        case Stage::Fork:
                return "fork";
        case Stage::Chdir:
                return "chdir";
        case Stage::Fds:
                return "file descriptors";
        case Stage::Privileges:
                return "drop privileges";
        case Stage::Seccomp:
                return "seccomp";
        case Stage::Exec:
                return "exec";
        }
        return "setup";
}

void child_fail(int sync, Stage stage, int errnum, const char* fmt, ...) noexcept {
        ChildError e;
        memset(&e, 0, sizeof e);
        e.stage = stage;
        e.errnum = errnum;
        va_list ap;
        va_start(ap, fmt);
        // vsnprintf with %s/%d does not allocate; this runs only on the way out.
        vsnprintf(e.what, sizeof e.what, fmt, ap);
        va_end(ap);
        ssize_t unused = write(sync, &e, sizeof e);
        (void)unused;
        _exit(stage == Stage::Exec ? (errnum == ENOENT ? 127 : 126) : 125);
}

} // namespace sb
