// SPDX-License-Identifier: GPL-2.0-or-later
// For bench/seccomp: the per-call cost of one cheap syscall in a tight loop.
//
//   seccomp_loop [-f allow|args|FILE] SYSCALL ITERATIONS
//       runs ITERATIONS/10 untimed calls, then ITERATIONS timed ones in slices of 2000, and
//       prints the nanoseconds per call of the fastest slice and of the median slice.
//       SYSCALL: getppid, ioctl (FIONREAD on a pipe), read (1 byte of /dev/zero), futex
//       (FUTEX_WAKE on a private word nobody waits on). Every call's result
//       is checked, so a filter that refused the call would fail the run, not speed it up.
//       -f installs a filter first (no_new_privs, then SECCOMP_SET_MODE_FILTER):
//         allow  one instruction, RET ALLOW: every syscall on the kernel's action cache
//         args   load args[0], then RET ALLOW: allows all, but the kernel cannot cache it,
//                so every syscall runs the filter
//         FILE   a raw sock_filter array (bench/export_bpf's output)
//   seccomp_loop [-f ...] sleep SECONDS
//       sleeps (with the filter, if -f), for a look at the process from outside, or to keep
//       a copy of a filter loaded
//   seccomp_loop dump PID OUT
//       (needs CAP_SYS_ADMIN) writes the newest filter of process PID, read with
//       PTRACE_SECCOMP_GET_FILTER, to OUT, and prints the number of filters the process has
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/futex.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef PTRACE_SECCOMP_GET_FILTER
#define PTRACE_SECCOMP_GET_FILTER 0x420c
#endif

static void die(const char* what) {
        fprintf(stderr, "seccomp_loop: %s: %s\n", what, strerror(errno));
        exit(1);
}

static void install(const char* spec) {
        static struct sock_filter allow[] = {
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        };
        static struct sock_filter args[] = {
            BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        };
        struct sock_fprog prog;
        struct sock_filter* loaded = NULL;
        if (strcmp(spec, "allow") == 0) {
                prog.filter = allow;
                prog.len = 1;
        } else if (strcmp(spec, "args") == 0) {
                prog.filter = args;
                prog.len = 2;
        } else {
                int fd = open(spec, O_RDONLY | O_CLOEXEC);
                struct stat st;
                if (fd < 0 || fstat(fd, &st) < 0)
                        die(spec);
                if (st.st_size <= 0 || st.st_size % sizeof(struct sock_filter) != 0 ||
                    st.st_size / sizeof(struct sock_filter) > BPF_MAXINSNS) {
                        fprintf(stderr, "seccomp_loop: %s: not a BPF program\n", spec);
                        exit(1);
                }
                loaded = malloc((size_t)st.st_size);
                if (!loaded || read(fd, loaded, (size_t)st.st_size) != st.st_size)
                        die(spec);
                close(fd);
                prog.filter = loaded;
                prog.len = (unsigned short)(st.st_size / sizeof(struct sock_filter));
        }
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                die("no_new_privs");
        if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
                die("load the filter");
        free(loaded);
}

static int dump(pid_t pid, const char* out) {
        if (ptrace(PTRACE_SEIZE, pid, 0, 0) < 0)
                die("PTRACE_SEIZE");
        if (ptrace(PTRACE_INTERRUPT, pid, 0, 0) < 0)
                die("PTRACE_INTERRUPT");
        if (waitpid(pid, NULL, __WALL) < 0)
                die("waitpid");
        // The filters form a list, newest first: count them by asking for each in turn.
        long n = ptrace(PTRACE_SECCOMP_GET_FILTER, pid, 0, NULL);
        if (n < 0)
                die("PTRACE_SECCOMP_GET_FILTER");
        struct sock_filter* f = calloc((size_t)n, sizeof *f);
        if (!f || ptrace(PTRACE_SECCOMP_GET_FILTER, pid, 0, f) != n)
                die("PTRACE_SECCOMP_GET_FILTER");
        int count = 1;
        while (ptrace(PTRACE_SECCOMP_GET_FILTER, pid, count, NULL) >= 0)
                count++;
        ptrace(PTRACE_DETACH, pid, 0, 0);
        FILE* o = fopen(out, "we");
        if (!o || fwrite(f, sizeof *f, (size_t)n, o) != (size_t)n || fclose(o) != 0)
                die(out);
        printf("%d\n", count);
        return 0;
}

static int word; // the futex word: private, nobody waits on it

static int cmp_double(const void* a, const void* b) {
        double x = *(const double*)a, y = *(const double*)b;
        return x < y ? -1 : x > y;
}

int main(int argc, char** argv) {
        if (argc == 4 && strcmp(argv[1], "dump") == 0)
                return dump(atoi(argv[2]), argv[3]);
        const char* filter = NULL;
        if (argc >= 3 && strcmp(argv[1], "-f") == 0) {
                filter = argv[2];
                argv += 2;
                argc -= 2;
        }
        if (argc == 3 && strcmp(argv[1], "sleep") == 0) {
                if (filter)
                        install(filter);
                struct timespec t = {atoi(argv[2]), 0};
                while (nanosleep(&t, &t) < 0 && errno == EINTR)
                        ;
                return 0;
        }
        if (argc != 3) {
                fprintf(stderr, "usage: seccomp_loop [-f allow|args|FILE] getppid|ioctl|read|futex ITERATIONS\n"
                                "       seccomp_loop [-f allow|args|FILE] sleep SECONDS\n"
                                "       seccomp_loop dump PID OUT\n");
                return 2;
        }
        const char* name = argv[1];
        long iters = atol(argv[2]);
        if (iters <= 0) {
                fprintf(stderr, "seccomp_loop: not a positive count: %s\n", argv[2]);
                return 2;
        }

        int pipefd[2];
        if (pipe2(pipefd, O_CLOEXEC) < 0)
                die("pipe");
        int zero = open("/dev/zero", O_RDONLY | O_CLOEXEC);
        if (zero < 0)
                die("/dev/zero");
        if (filter)
                install(filter);

        enum { GETPPID, IOCTL, READ, FUTEX } kind;
        if (strcmp(name, "getppid") == 0)
                kind = GETPPID;
        else if (strcmp(name, "ioctl") == 0)
                kind = IOCTL;
        else if (strcmp(name, "read") == 0)
                kind = READ;
        else if (strcmp(name, "futex") == 0)
                kind = FUTEX;
        else {
                fprintf(stderr, "seccomp_loop: unknown syscall '%s'\n", name);
                return 2;
        }

        // Untimed warm-up, then timed slices of SLICE calls (well under a millisecond): the
        // fastest slice is one no other process or interrupt got into, the median says how
        // much they did.
        enum { SLICE = 2000 };
        long warm = iters / 10 + 1;
        long per = iters < SLICE ? iters : SLICE;
        long chunks = iters / per;
        double* slice = malloc((size_t)chunks * sizeof *slice);
        if (!slice)
                die("malloc");
        int avail;
        char byte;
        for (long c = -1; c < chunks; c++) {
                long n = c < 0 ? warm : per;
                struct timespec t0, t1;
                clock_gettime(CLOCK_MONOTONIC, &t0);
                switch (kind) {
                case GETPPID:
                        for (long i = 0; i < n; i++)
                                if (getppid() < 0)
                                        die("getppid");
                        break;
                case IOCTL:
                        for (long i = 0; i < n; i++)
                                if (ioctl(pipefd[0], FIONREAD, &avail) != 0 || avail != 0)
                                        die("ioctl FIONREAD");
                        break;
                case READ:
                        for (long i = 0; i < n; i++)
                                if (read(zero, &byte, 1) != 1)
                                        die("read /dev/zero");
                        break;
                case FUTEX:
                        for (long i = 0; i < n; i++)
                                if (syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0) != 0)
                                        die("futex");
                        break;
                }
                clock_gettime(CLOCK_MONOTONIC, &t1);
                if (c >= 0)
                        slice[c] = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec)) /
                                   (double)n;
        }
        qsort(slice, (size_t)chunks, sizeof slice[0], cmp_double);
        printf("%.3f %.3f\n", slice[0], (slice[(chunks - 1) / 2] + slice[chunks / 2]) / 2);
        return 0;
}
