// SPDX-License-Identifier: GPL-2.0-or-later
// Dropping every capability and locking the securebits, in the order the kernel requires.
#include "caps.h"

#include <cerrno>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace sb {

int drop_capabilities(int last_cap, const char** what) noexcept {
        // ORDER: the bounding set and securebits need CAP_SETPCAP, so they go before capset.
        for (int cap = 0; cap <= last_cap; cap++) {
                if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL) {
                        *what = "bounding set";
                        return errno;
                }
        }
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL) {
                *what = "ambient set";
                return errno;
        }
        // With uid 0 inside, exec would otherwise grant root its capabilities back.
        unsigned long bits = SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP |
                             SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED |
                             SECBIT_NO_CAP_AMBIENT_RAISE | SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED;
        if (prctl(PR_SET_SECUREBITS, bits, 0, 0, 0) < 0) {
                *what = "securebits";
                return errno;
        }
        __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
        __user_cap_data_struct data[2] = {};
        if (syscall(SYS_capset, &hdr, data) < 0) {
                *what = "capset";
                return errno;
        }
        return 0;
}

} // namespace sb
