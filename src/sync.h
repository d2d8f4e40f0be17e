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

/* Fixed size, no pointers: one write(2) on a SOCK_SEQPACKET socket. */
struct ChildError {
        Stage stage;
        int32_t errnum;
        char what[240];
};

// Reports and exits with 125; never returns. Safe between clone and exec.
[[noreturn]] void child_fail(int sync, Stage stage, int errnum, const char* fmt, ...) noexcept
    __attribute__((format(printf, 4, 5)));

} // namespace sb
