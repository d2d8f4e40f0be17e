// SPDX-License-Identifier: GPL-2.0-or-later
// The syscall filter, compiled in the parent to BPF; the child only loads it.
#include "seccomp_policy.h"

#include "fd.h"

#include <cerrno>
#include <memory>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

namespace sb {

namespace {

struct CtxDeleter {
        void operator()(scmp_filter_ctx c) const { seccomp_release(c); }
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

} // namespace

Result<std::vector<sock_filter>> compile_seccomp() {
        scmp_filter_ctx raw = seccomp_init(SCMP_ACT_ALLOW);
        if (!raw)
                return err("seccomp: cannot initialise libseccomp");
        std::unique_ptr<void, CtxDeleter> ctx(raw);
        // We set no_new_privs ourselves, in the right order; the filter must not.
        int rc = seccomp_attr_set(raw, SCMP_FLTATR_CTL_NNP, 0);
        // A 32-bit or x32 ioctl is the same hole: filter those ABIs too.
        for (uint32_t arch : {SCMP_ARCH_X86, SCMP_ARCH_X32}) {
                if (rc == 0 && seccomp_arch_native() == SCMP_ARCH_X86_64) {
                        rc = seccomp_arch_add(raw, arch);
                        if (rc == -EEXIST)
                                rc = 0;
                }
        }
        // The kernel takes the request as an unsigned int, so compare the low 32 bits only
        // (CVE-2019-10063: a full 64-bit compare is bypassed by setting high bits).
        for (unsigned long req :
             {static_cast<unsigned long>(TIOCSTI), static_cast<unsigned long>(TIOCLINUX)}) {
                if (rc == 0)
                        rc = seccomp_rule_add(raw, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
                                              SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffUL, req));
        }
        if (rc < 0)
                return err_errno(-rc, "seccomp: build the filter");
        return export_bpf(raw);
}

} // namespace sb
