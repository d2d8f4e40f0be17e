// SPDX-License-Identifier: GPL-2.0-or-later
// The syscall filter, compiled in the parent to BPF; the child only loads it.
#include "seccomp_policy.h"

#include "fd.h"

#include <cerrno>
#include <cstdlib>
#include <memory>
#include <seccomp.h>
#include <sys/mman.h>
#include <unistd.h>

namespace sb {

namespace {

struct CtxDeleter {
        void operator()(void* c) const { seccomp_release(c); }
};

// libseccomp 2.5.4 has no in-memory export: export to a memfd and read it back.
Result<std::vector<sock_filter>> export_bpf(scmp_filter_ctx ctx) {
        UniqueFd mem(memfd_create("sandbox-bpf", MFD_CLOEXEC));
        if (!mem.valid())
                return err_errno(errno, "memfd_create");
        int rc = seccomp_export_bpf(ctx, mem.get());
        if (rc < 0)
                return err_errno(-rc, "seccomp: export BPF");
        off_t size = lseek(mem.get(), 0, SEEK_END);
        if (size <= 0 || size % static_cast<off_t>(sizeof(sock_filter)) != 0)
                return err("seccomp: exported BPF has a bad size (%lld bytes)", static_cast<long long>(size));
        std::vector<sock_filter> prog(static_cast<size_t>(size) / sizeof(sock_filter));
        if (pread(mem.get(), prog.data(), static_cast<size_t>(size), 0) != size)
                return err_errno(errno, "seccomp: read back BPF");
        return prog;
}

scmp_arg_cmp to_scmp(const ArgCond& c) {
        static const scmp_compare ops[] = {SCMP_CMP_EQ, SCMP_CMP_NE, SCMP_CMP_LT,       SCMP_CMP_LE,
                                           SCMP_CMP_GT, SCMP_CMP_GE, SCMP_CMP_MASKED_EQ};
        scmp_arg_cmp out{};
        out.arg = c.arg;
        out.op = ops[c.op];
        out.datum_a = c.op == ArgCond::MaskedEq ? c.mask : c.value;
        out.datum_b = c.op == ArgCond::MaskedEq ? c.value : 0;
        return out;
}

uint32_t action_of(const SyscallRule& r, bool notify) {
        if (r.action == Action::Log || (notify && r.action != Action::Allow))
                return SCMP_ACT_NOTIFY;
        switch (r.action) {
        case Action::Allow:
                return SCMP_ACT_ALLOW;
        case Action::Errno:
                return SCMP_ACT_ERRNO(static_cast<uint16_t>(r.errnum));
        case Action::Kill:
                return SCMP_ACT_KILL_PROCESS;
        case Action::Log:
                break;
        }
        return SCMP_ACT_NOTIFY;
}

} // namespace

Result<std::vector<sock_filter>> compile_policy(const SeccompPolicy& policy) {
        if (!policy.enabled)
                return std::vector<sock_filter>{};
        scmp_filter_ctx raw = seccomp_init(SCMP_ACT_ALLOW);
        if (!raw)
                return err("seccomp: cannot initialise libseccomp");
        std::unique_ptr<void, CtxDeleter> ctx(raw);
        // We set no_new_privs ourselves, in the right order; the filter must not.
        int rc = seccomp_attr_set(raw, SCMP_FLTATR_CTL_NNP, 0);
        // A binary tree keeps the filter's cost flat however many rules a profile adds.
        if (rc == 0)
                rc = seccomp_attr_set(raw, SCMP_FLTATR_CTL_OPTIMIZE, 2);
        // i386 (int 0x80) and x32 syscalls escape x86-64 rules by number: the process dies.
        if (rc == 0)
                rc = seccomp_attr_set(raw, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
        if (rc == 0 && policy.multiarch && seccomp_arch_native() == SCMP_ARCH_X86_64) {
                for (uint32_t arch : {SCMP_ARCH_X86, SCMP_ARCH_X32}) {
                        rc = seccomp_arch_add(raw, arch);
                        if (rc == -EEXIST)
                                rc = 0;
                        if (rc < 0)
                                break;
                }
        }
        if (rc < 0)
                return err_errno(-rc, "seccomp: configure the filter");
        for (auto& r : policy.rules) {
                if (r.action == Action::Allow)
                        continue;
                // "#451": a syscall by number, for those newer than libseccomp's table.
                int nr = r.name.starts_with("#") ? atoi(r.name.c_str() + 1)
                                                 : seccomp_syscall_resolve_name(r.name.c_str());
                if (nr == __NR_SCMP_ERROR)
                        return err("seccomp: unknown syscall '%s'", r.name.c_str());
                scmp_arg_cmp cmp[6];
                for (size_t i = 0; i < r.conds.size() && i < 6; i++)
                        cmp[i] = to_scmp(r.conds[i]);
                rc = seccomp_rule_add_array(raw, action_of(r, policy.notify), nr,
                                            static_cast<unsigned>(r.conds.size()), cmp);
                // A rule for a syscall this architecture lacks (vm86 on x86-64) is no error.
                if (rc == -EDOM || rc == -EOPNOTSUPP)
                        continue;
                if (rc < 0)
                        return err_errno(-rc, "seccomp: rule for '%s' (%s)", r.name.c_str(),
                                         r.origin.c_str());
        }
        return export_bpf(raw);
}

Result<std::vector<sock_filter>> compile_init_filter() {
        scmp_filter_ctx raw = seccomp_init(SCMP_ACT_ERRNO(EPERM));
        if (!raw)
                return err("seccomp: cannot initialise libseccomp");
        std::unique_ptr<void, CtxDeleter> ctx(raw);
        int rc = seccomp_attr_set(raw, SCMP_FLTATR_CTL_NNP, 0);
        if (rc == 0)
                rc = seccomp_attr_set(raw, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
        for (int nr : {SCMP_SYS(read), SCMP_SYS(wait4), SCMP_SYS(kill), SCMP_SYS(exit_group), SCMP_SYS(exit),
                       SCMP_SYS(rt_sigreturn), SCMP_SYS(restart_syscall)})
                if (rc == 0)
                        rc = seccomp_rule_add(raw, SCMP_ACT_ALLOW, nr, 0);
        if (rc < 0)
                return err_errno(-rc, "seccomp: pid 1's filter");
        return export_bpf(raw);
}

} // namespace sb
