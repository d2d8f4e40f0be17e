// SPDX-License-Identifier: GPL-2.0-or-later
// Landlock's TCP rules, with the kernel's definitions of ABI 4 spelled out: the headers of
// older distributions (Debian 12's) do not have them.
#include "landlock.h"

#include <cerrno>
#include <cstdint>
#include <sys/syscall.h>
#include <unistd.h>

namespace sb {

namespace {

#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444
#define __NR_landlock_add_rule 445
#define __NR_landlock_restrict_self 446
#endif

constexpr uint32_t create_ruleset_version = 1u << 0;
constexpr int rule_net_port = 2;
constexpr uint64_t access_net_connect_tcp = 1u << 1;

struct ruleset_attr {
        uint64_t handled_access_fs;
        uint64_t handled_access_net;
};

struct net_port_attr {
        uint64_t allowed_access;
        uint64_t port;
};

} // namespace

int landlock_abi() noexcept {
        long v = syscall(__NR_landlock_create_ruleset, nullptr, 0, create_ruleset_version);
        return v < 0 ? 0 : static_cast<int>(v);
}

int restrict_tcp_connect(const std::vector<unsigned>& ports) noexcept {
        ruleset_attr attr{0, access_net_connect_tcp};
        int fd = static_cast<int>(syscall(__NR_landlock_create_ruleset, &attr, sizeof attr, 0));
        if (fd < 0)
                return errno;
        for (unsigned port : ports) {
                net_port_attr rule{access_net_connect_tcp, port};
                if (syscall(__NR_landlock_add_rule, fd, rule_net_port, &rule, 0) < 0) {
                        int e = errno;
                        close(fd);
                        return e;
                }
        }
        int rc = static_cast<int>(syscall(__NR_landlock_restrict_self, fd, 0));
        int e = errno;
        close(fd);
        return rc < 0 ? e : 0;
}

} // namespace sb
