// SPDX-License-Identifier: GPL-2.0-or-later
// The child -> parent error record: one fixed-size message on a SOCK_SEQPACKET socket.
#pragma once

#include <cstdint>

namespace sb {

enum class Stage : uint8_t {
        Parent, // the launcher is gone
        IdMap,  // writing our own uid_map/gid_map
        Mount,  // building the new root
        PivotRoot,
        Hostname,
        Network, // bringing up loopback
        Fork,    // forking the command from pid 1
        Chdir,
        Fds,
        Privileges, // capabilities, securebits, no_new_privs
        Seccomp,
        Exec,
};

const char* stage_name(Stage s);

enum class RecordKind : uint8_t {
        Error,      // setup failed; the child exits
        Listener,   // the seccomp notification fd rides along as SCM_RIGHTS (audit mode)
        FuseDevice, // a /dev/fuse fd for fuse-overlayfs to serve; errnum is the mount's index
        NetReady,   // in the network namespace: the launcher starts pasta, then answers 'g'
        Namespaces, // what: the inodes of the child's user and pid namespaces, "USER PID"
};

/* Fixed size, no pointers: one write(2) on a SOCK_SEQPACKET socket. */
struct ChildError {
        RecordKind kind;
        Stage stage;
        int32_t errnum;
        char what[240];
};

// Hands an fd to the launcher: the seccomp listener, or a /dev/fuse fd with the index of its
// mount in the plan; fd -1 sends the record alone. Returns 0 or an errno.
int send_fd(int sync, RecordKind kind, int32_t index, int fd) noexcept;

// Tells the launcher the inodes of our user and pid namespaces, which it cannot read itself
// once we are not dumpable. Returns 0 or an errno.
int send_namespaces(int sync) noexcept;

// One record, and the fd attached to it (or -1). Returns false when there is none.
bool receive_record(int sync, ChildError& record, int& fd) noexcept;

// Reports and exits with 125; never returns. Safe between clone and exec.
[[noreturn]] void child_fail(int sync, Stage stage, int errnum, const char* fmt, ...) noexcept
    __attribute__((format(printf, 4, 5)));

} // namespace sb
