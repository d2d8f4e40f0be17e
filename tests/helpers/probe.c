// SPDX-License-Identifier: GPL-2.0-or-later
// Runs inside the sandbox and reports what it sees, one fact per line, for the TAP tests.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int report(const char* what, long rc) {
        if (rc < 0) {
                printf("%s: %s\n", what, strerrorname_np(errno));
                return 1;
        }
        printf("%s: ok\n", what);
        return 0;
}

// The raw syscall, so that the high 32 bits of the request reach the kernel as given.
static int inject(uint64_t request) {
        char c = '#';
        return report("ioctl", syscall(SYS_ioctl, 0, request, &c));
}

static int list_fds(void) {
        DIR* d = opendir("/proc/self/fd");
        if (!d)
                return report("opendir", -1);
        struct dirent* e;
        while ((e = readdir(d)))
                if (e->d_name[0] != '.' && atoi(e->d_name) != dirfd(d))
                        printf("%s\n", e->d_name);
        closedir(d);
        return 0;
}

static int list_ifs(void) {
        struct if_nameindex* ifs = if_nameindex();
        if (!ifs)
                return report("if_nameindex", -1);
        for (struct if_nameindex* i = ifs; i->if_index; i++)
                printf("%s\n", i->if_name);
        if_freenameindex(ifs);
        return 0;
}

static volatile sig_atomic_t got;
static void on_signal(int sig) { got = sig; }

// Prints "ready", then the name of the first signal that arrives.
static int wait_signal(void) {
        int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH};
        for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
                signal(sigs[i], on_signal);
        printf("ready\n");
        fflush(stdout);
        while (!got)
                pause();
        printf("got %s\n", sigabbrev_np(got));
        return 0;
}

int main(int argc, char** argv) {
        if (argc < 2) {
                fprintf(stderr, "usage: probe tiocsti|tiocsti-high|tioclinux|fds|ifs|ids|write PATH|wait-signal\n");
                return 2;
        }
        const char* cmd = argv[1];
        if (!strcmp(cmd, "tiocsti"))
                return inject(TIOCSTI);
        if (!strcmp(cmd, "tiocsti-high"))
                return inject((1ULL << 32) | TIOCSTI);
        if (!strcmp(cmd, "tioclinux")) {
                char sub = 12; // TIOCL_GETSHIFTSTATE: harmless if it were allowed
                return report("ioctl", syscall(SYS_ioctl, 0, (uint64_t)TIOCLINUX, &sub));
        }
        if (!strcmp(cmd, "fds"))
                return list_fds();
        if (!strcmp(cmd, "ifs"))
                return list_ifs();
        if (!strcmp(cmd, "ids")) {
                printf("uid=%u gid=%u pid=%d ppid=%d\n", getuid(), getgid(), getpid(), getppid());
                return 0;
        }
        if (!strcmp(cmd, "write") && argc > 2)
                return report("write", open(argv[2], O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
        if (!strcmp(cmd, "wait-signal"))
                return wait_signal();
        fprintf(stderr, "probe: unknown command '%s'\n", cmd);
        return 2;
}
