// SPDX-License-Identifier: GPL-2.0-or-later
// The child -> parent error record.
#include "sync.h"

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <sys/socket.h>
#include <sys/stat.h>
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

namespace {

// One record and room for one descriptor, the shape of every message on the sync socket.
struct RecordMsg {
        struct iovec iov;
        alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int))];
        struct msghdr msg;

        explicit RecordMsg(ChildError* record) noexcept {
                iov = {record, sizeof *record};
                memset(control, 0, sizeof control);
                memset(&msg, 0, sizeof msg);
                msg.msg_iov = &iov;
                msg.msg_iovlen = 1;
                msg.msg_control = control;
                msg.msg_controllen = sizeof control;
        }
};

} // namespace

int send_fd(int sync, RecordKind kind, int32_t index, int fd) noexcept {
        ChildError e;
        memset(&e, 0, sizeof e);
        e.kind = kind;
        e.errnum = index;
        RecordMsg m(&e);
        struct msghdr& msg = m.msg;
        if (fd < 0) {
                msg.msg_control = nullptr;
                msg.msg_controllen = 0;
                return sendmsg(sync, &msg, MSG_NOSIGNAL) == static_cast<ssize_t>(sizeof e) ? 0 : errno;
        }
        struct cmsghdr* c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &fd, sizeof fd);
        return sendmsg(sync, &msg, MSG_NOSIGNAL) == static_cast<ssize_t>(sizeof e) ? 0 : errno;
}

int send_namespaces(int sync) noexcept {
        struct stat user, pid;
        if (stat("/proc/self/ns/user", &user) < 0 || stat("/proc/self/ns/pid", &pid) < 0)
                return errno;
        ChildError e;
        memset(&e, 0, sizeof e);
        e.kind = RecordKind::Namespaces;
        snprintf(e.what, sizeof e.what, "%llu %llu", static_cast<unsigned long long>(user.st_ino),
                 static_cast<unsigned long long>(pid.st_ino));
        return send(sync, &e, sizeof e, MSG_NOSIGNAL) == static_cast<ssize_t>(sizeof e) ? 0 : errno;
}

bool receive_record(int sync, ChildError& record, int& fd) noexcept {
        fd = -1;
        RecordMsg m(&record);
        struct msghdr& msg = m.msg;
        ssize_t n = recvmsg(sync, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
        if (n <= 0)
                return false;
        for (struct cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
                if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
                        memcpy(&fd, CMSG_DATA(c), sizeof fd);
        if (n != static_cast<ssize_t>(sizeof record)) {
                if (fd >= 0)
                        close(fd);
                fd = -1;
                record.kind = RecordKind::Error;
                record.stage = Stage::Parent;
                record.errnum = EPROTO;
                memcpy(record.what, "a short record from the child", 30);
        }
        return true;
}

void child_fail(int sync, Stage stage, int errnum, const char* fmt, ...) noexcept {
        ChildError e;
        memset(&e, 0, sizeof e);
        e.kind = RecordKind::Error;
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
