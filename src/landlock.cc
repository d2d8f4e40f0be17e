// SPDX-License-Identifier: GPL-2.0-or-later
// Landlock rulesets, with the kernel's definitions up to ABI 6 spelled out: the headers of
// older distributions (Debian 12's) do not have them.
#include "landlock.h"

#include <cerrno>
#include <cstdint>
#include <fcntl.h>
#include <sys/stat.h>
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
constexpr int rule_path_beneath = 1;
constexpr int rule_net_port = 2;
constexpr uint64_t access_net_bind_tcp = 1u << 0;
constexpr uint64_t access_net_connect_tcp = 1u << 1;
constexpr uint64_t scope_abstract_unix_socket = 1u << 0;
constexpr uint64_t scope_signal = 1u << 1;

// Filesystem rights, by the ABI that brought them.
constexpr uint64_t fs_execute = 1u << 0, fs_write_file = 1u << 1, fs_read_file = 1u << 2,
                   fs_read_dir = 1u << 3, fs_remove_dir = 1u << 4, fs_remove_file = 1u << 5,
                   fs_make_dir = 1u << 7, fs_make_reg = 1u << 8, /* 6: make_char */
                   fs_make_sock = 1u << 9, fs_make_fifo = 1u << 10, /* 11: make_block */
                   fs_make_sym = 1u << 12, fs_refer = 1u << 13, fs_truncate = 1u << 14,
                   fs_ioctl_dev = 1u << 15;
constexpr uint64_t fs_abi1 = (1u << 13) - 1;

// Rights that apply to a file (the others only to directories).
constexpr uint64_t fs_file_rights = fs_execute | fs_write_file | fs_read_file | fs_truncate | fs_ioctl_dev;

struct ruleset_attr {
        uint64_t handled_access_fs;
        uint64_t handled_access_net;
        uint64_t scoped; // ABI 6
};

struct path_beneath_attr {
        uint64_t allowed_access;
        int32_t parent_fd;
} __attribute__((packed));

struct net_port_attr {
        uint64_t allowed_access;
        uint64_t port;
};

} // namespace

int landlock_abi() noexcept {
        long v = syscall(__NR_landlock_create_ruleset, nullptr, 0, create_ruleset_version);
        return v < 0 ? 0 : static_cast<int>(v);
}

int landlock_restrict(const LandlockRules& rules) noexcept {
        int abi = landlock_abi();
        if (abi < 1)
                return ENOSYS;
        uint64_t handled = !rules.filesystem ? 0
                                             : fs_abi1 | (abi >= 2 ? fs_refer : 0) | (abi >= 3 ? fs_truncate : 0) |
                                                   (abi >= 5 ? fs_ioctl_dev : 0);
        ruleset_attr attr{handled, 0, 0};
        size_t size = sizeof(uint64_t);
        if (abi >= 4) {
                attr.handled_access_net = (rules.no_tcp ? access_net_bind_tcp | access_net_connect_tcp : 0) |
                                          (rules.tcp_connect_rules ? access_net_connect_tcp : 0);
                size = 2 * sizeof(uint64_t);
        } else if (rules.tcp_connect_rules) {
                return EOPNOTSUPP; // asked for, and not to be left out
        }
        if (abi >= 6) {
                attr.scoped = (rules.scope_signals ? scope_signal : 0) |
                              (rules.scope_abstract ? scope_abstract_unix_socket : 0);
                size = sizeof attr;
        }
        int fd = static_cast<int>(syscall(__NR_landlock_create_ruleset, &attr, size, 0));
        if (fd < 0)
                return errno;
        for (auto& p : rules.paths) {
                if (!rules.filesystem)
                        break;
                uint64_t allowed = 0;
                if (p.access & LlRead)
                        allowed |= fs_read_file | fs_read_dir;
                if (p.access & LlExec)
                        allowed |= fs_execute;
                if (p.access & LlWrite)
                        allowed |= fs_write_file | fs_truncate;
                if (p.access & LlCreate)
                        allowed |= fs_remove_dir | fs_remove_file | fs_make_dir | fs_make_reg | fs_make_sock |
                                   fs_make_fifo | fs_make_sym | fs_refer;
                if (p.access & LlList)
                        allowed |= fs_read_dir;
                if (p.access & LlDevice)
                        allowed |= fs_ioctl_dev;
                int pfd = open(p.path.c_str(), O_PATH | O_CLOEXEC);
                if (pfd < 0)
                        continue;
                struct stat st;
                if (fstat(pfd, &st) == 0 && !S_ISDIR(st.st_mode))
                        allowed &= fs_file_rights;
                path_beneath_attr rule{allowed & handled, pfd};
                long rc = syscall(__NR_landlock_add_rule, fd, rule_path_beneath, &rule, 0);
                int e = errno;
                close(pfd);
                if (rc < 0) {
                        close(fd);
                        return e;
                }
        }
        if (abi >= 4 && rules.tcp_connect_rules)
                for (unsigned port : rules.tcp_connect) {
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

std::string landlock_summary(const LandlockRules& rules, int abi) {
        if (abi < 1)
                return "not enforced: this kernel has no Landlock (or it is disabled)";
        std::string s = "ABI " + std::to_string(abi) + ": " + std::to_string(rules.paths.size()) + " path rules";
        if (abi < 2)
                s += " (renames across directories refused)";
        if (rules.tcp_connect_rules)
                s += ", TCP connect to listed ports only";
        if (abi >= 6 && (rules.scope_abstract || rules.scope_signals))
                s += std::string(", no ") + (rules.scope_abstract ? "host abstract sockets" : "") +
                     (rules.scope_abstract && rules.scope_signals ? " or " : "") +
                     (rules.scope_signals ? "signals out" : "");
        else if (rules.scope_abstract || rules.scope_signals)
                s += "; abstract-socket and signal scoping need Linux 6.12 (ABI 6)";
        return s;
}

} // namespace sb
