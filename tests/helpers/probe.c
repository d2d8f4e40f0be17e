// SPDX-License-Identifier: GPL-2.0-or-later
// Runs inside the sandbox and reports what it sees, one fact per line, for the TAP tests.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/keyctl.h>
#include <linux/mount.h>
#include <linux/perf_event.h>
#include <linux/sched.h>
#include <net/if.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
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
static void on_signal(int sig) {
        got = sig;
}

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

// Placeholders in the argument tables, filled in at run time.
#define PAGE (-1000001L) // a mapped, writable page
#define WORD (-1000002L) // an int in that page
#define SELF (-1000003L) // our pid

/* Each call with arguments that do no harm if the filter lets it through, chosen so that the
 * kernel's own answer differs from the filter's where it can (EFAULT, EINVAL, EBADF, ESRCH
 * rather than EPERM). The kernel checks a capability first for acct, pivot_root, kexec_*,
 * *_module, reboot, swapon/off, vhangup, sethostname, setdomainname and fanotify_init (with
 * flags only root may use), and for syslog under dmesg_restrict: for those only the audit log
 * tells the filter from the kernel. */
struct call {
        const char* name;
        long nr;
        long args[6];
};

static const struct call native_calls[] = {
    {"syslog", SYS_syslog, {10}}, // SYSLOG_ACTION_SIZE_BUFFER
    {"uselib", SYS_uselib, {0}},
    {"acct", SYS_acct, {0}},
    {"quotactl", SYS_quotactl, {0xff}}, // quota type 255
    {"add_key", SYS_add_key, {0}},
    {"keyctl", SYS_keyctl, {9999}},
    {"request_key", SYS_request_key, {0}},
    {"move_pages", SYS_move_pages, {0, 0, 0, 0, 0, -1}},
    {"mbind", SYS_mbind, {0}}, // an empty range: succeeds
    {"get_mempolicy", SYS_get_mempolicy, {0, 0, 0, 0, -1}},
    {"set_mempolicy", SYS_set_mempolicy, {99}},
    {"migrate_pages", SYS_migrate_pages, {0x7fffffff}},
    {"unshare", SYS_unshare, {1}}, // CSIGNAL bits: EINVAL
    {"setns", SYS_setns, {-1}},
    {"mount", SYS_mount, {0}},
    {"umount2", SYS_umount2, {0}},
    {"pivot_root", SYS_pivot_root, {0}},
    {"chroot", SYS_chroot, {0}},
    {"bpf", SYS_bpf, {9999}},
    {"perf_event_open", SYS_perf_event_open, {0, 0, -1, -1, 0}},
    {"ptrace", SYS_ptrace, {2, 0x7fffffff}}, // PTRACE_PEEKDATA of no process
    {"process_vm_readv", SYS_process_vm_readv, {0x7fffffff, 0, 0, 0, 0, 1}},
    {"process_vm_writev", SYS_process_vm_writev, {0x7fffffff, 0, 0, 0, 0, 1}},
    {"userfaultfd", SYS_userfaultfd, {3}}, // user mode only, plus an invalid flag
    {"kexec_load", SYS_kexec_load, {0}},
    {"kexec_file_load", SYS_kexec_file_load, {-1, -1}},
    {"init_module", SYS_init_module, {0}},
    {"finit_module", SYS_finit_module, {-1}},
    {"delete_module", SYS_delete_module, {0}},
    {"reboot", SYS_reboot, {0}},
    {"swapon", SYS_swapon, {0}},
    {"swapoff", SYS_swapoff, {0}},
    {"iopl", SYS_iopl, {4}},
    {"ioperm", SYS_ioperm, {0x10000, 1}},
    {"settimeofday", SYS_settimeofday, {8}},
    {"clock_settime", SYS_clock_settime, {0x7fff}},
    {"clock_adjtime", SYS_clock_adjtime, {0x7fff}},
    {"adjtimex", SYS_adjtimex, {0}},
    {"vhangup", SYS_vhangup, {0}},
    {"sethostname", SYS_sethostname, {0}},
    {"setdomainname", SYS_setdomainname, {0}},
    {"lookup_dcookie", SYS_lookup_dcookie, {0}},
    {"fanotify_init", SYS_fanotify_init, {-1}},
    {"name_to_handle_at", SYS_name_to_handle_at, {-100, 0, 0, 0, -1}},
    {"open_by_handle_at", SYS_open_by_handle_at, {-1}},
    {"modify_ldt", SYS_modify_ldt, {0}}, // read 0 bytes: succeeds
    {"nfsservctl", SYS_nfsservctl, {0}},
    // Refused with ENOSYS by default.
    {"clone3", SYS_clone3, {0}},
    {"io_uring_setup", SYS_io_uring_setup, {0}},
    {"io_uring_enter", SYS_io_uring_enter, {-1}},
    {"io_uring_register", SYS_io_uring_register, {-1}},
    {"open_tree", SYS_open_tree, {-1, 0, -1}},
    {"move_mount", SYS_move_mount, {-1, 0, -1, 0, -1}},
    {"fsopen", SYS_fsopen, {0}},
    {"fsconfig", SYS_fsconfig, {-1, 99}},
    {"fsmount", SYS_fsmount, {-1, -1}},
    {"fspick", SYS_fspick, {-1, 0, -1}},
    {"mount_setattr", SYS_mount_setattr, {-1, 0, -1}},
    // Argument rules and allowed calls.
    {"clone", SYS_clone, {0}}, // flags; SIGCHLD is added, the child exits at once
    {"socket", SYS_socket, {1, SOCK_DGRAM}},
    {"personality", SYS_personality, {0xffffffff}},
    {"ioctl", SYS_ioctl, {0, 0x5412, WORD}},
    {"dup", SYS_dup, {0}},
    {"getpid", SYS_getpid, {0}},
    {"prctl", SYS_prctl, {39}},                // PR_GET_NO_NEW_PRIVS
    {"futex", SYS_futex, {WORD, 1, 1}},        // FUTEX_WAKE, nobody waits
    {"madvise", SYS_madvise, {PAGE, 4096, 4}}, // MADV_DONTNEED
    {"kcmp", SYS_kcmp, {SELF, SELF, 0}},       // KCMP_FILE 0 with itself
};

// i386 numbers, called through int 0x80; arguments are 32 bits.
static const struct call i386_calls[] = {
    {"getpid", 20, {0}},
    {"ptrace", 26, {2, 0x7fffffff}},
    {"personality", 136, {0x0400000}}, // READ_IMPLIES_EXEC
    {"unshare", 310, {1}},
    {"socket", 359, {17, SOCK_DGRAM}},     // AF_PACKET
    {"socketcall", 102, {17, SOCK_DGRAM}}, // SYS_SOCKET through the multiplexer
    {"ioctl", 54, {0, 0x5412, WORD}},
};

// x32 numbers, called with bit 30 set; most are the x86-64 ones.
static const struct call x32_calls[] = {
    {"getpid", 39, {0}},
    {"unshare", 272, {1}},
};

static char* scratch; // below 4 GiB, for pointers passed through int 0x80

static long fill(long a) {
        if (a == PAGE)
                return (long)scratch;
        if (a == WORD)
                return (long)(scratch + 64);
        if (a == SELF)
                return getpid();
        return a;
}

// A fork-like clone: the raw syscall, so that the filter sees the flags as given.
static long clone_once(long flags) {
        long rc = syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);
        if (rc == 0)
                _exit(0);
        int status;
        if (rc > 0 && (waitpid((pid_t)rc, &status, 0) != rc || status != 0)) {
                errno = ECHILD;
                return -1;
        }
        return rc;
}

static long int80(long nr, const long* a) {
        long rc;
        __asm__ volatile("int $0x80"
                         : "=a"(rc)
                         : "a"(nr), "b"(a[0]), "c"(a[1]), "d"(a[2]), "S"(a[3]), "D"(a[4])
                         : "memory", "r8", "r9", "r10", "r11");
        int r = (int)rc;
        if (r < 0 && r > -4096) {
                errno = -r;
                return -1;
        }
        return r;
}

enum abi { NATIVE, I386, X32 };

static long call(enum abi abi, const struct call* c, long* a) {
        if (abi == I386) {
                if (!strcmp(c->name, "socketcall")) {
                        uint32_t* v = (uint32_t*)(scratch + 128);
                        v[0] = (uint32_t)a[0], v[1] = (uint32_t)a[1], v[2] = (uint32_t)a[2];
                        long b[6] = {1, (long)v}; // SYS_SOCKET
                        return int80(c->nr, b);
                }
                return int80(c->nr, a);
        }
        if (abi == X32)
                return syscall(c->nr | 0x40000000, a[0], a[1], a[2], a[3], a[4], a[5]);
        if (c->nr == SYS_clone)
                return clone_once(a[0]);
        return syscall(c->nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

static int is_number(const char* s) {
        return (s[0] >= '0' && s[0] <= '9') || s[0] == '-';
}

/* probe sys|int80|x32 NAME [ARG...] [NAME [ARG...]]...: each call in turn, one line each:
 * "NAME: ok" or "NAME: ERRNONAME" (with "int80 "/"x32 " in front). Arguments given replace
 * the defaults from the first on. getpid is ok only if it returns our pid. */
static int syscalls(enum abi abi, int argc, char** argv) {
        const struct call* table = abi == I386 ? i386_calls : abi == X32 ? x32_calls : native_calls;
        size_t n = abi == I386  ? sizeof i386_calls / sizeof *i386_calls
                   : abi == X32 ? sizeof x32_calls / sizeof *x32_calls
                                : sizeof native_calls / sizeof *native_calls;
        const char* prefix = abi == I386 ? "int80 " : abi == X32 ? "x32 " : "";
        int failed = 0;
        for (int i = 0; i < argc;) {
                const struct call* c = NULL;
                for (size_t k = 0; k < n && !c; k++)
                        if (!strcmp(table[k].name, argv[i]))
                                c = &table[k];
                if (!c) {
                        fprintf(stderr, "probe: unknown syscall '%s'\n", argv[i]);
                        return 2;
                }
                long a[6];
                memcpy(a, c->args, sizeof a);
                int k = 0;
                for (i++; i < argc && is_number(argv[i]) && k < 6; i++)
                        a[k++] = (long)strtoull(argv[i], NULL, 0);
                for (k = 0; k < 6; k++)
                        a[k] = fill(a[k]);
                char what[64];
                snprintf(what, sizeof what, "%s%s", prefix, c->name);
                errno = 0;
                long rc = call(abi, c, a);
                if (!strcmp(c->name, "getpid") && rc >= 0 && rc != getpid()) {
                        printf("%s: returned %ld, not our pid %d\n", what, rc, getpid());
                        failed = 1;
                } else {
                        failed |= report(what, rc);
                }
                fflush(stdout); // the next call may kill us
        }
        return failed;
}

static void* thread_main(void* arg) {
        return arg;
}

static int threads(void) {
        pthread_t t[4];
        int id[4];
        for (int i = 0; i < 4; i++)
                if ((errno = pthread_create(&t[i], NULL, thread_main, &id[i])))
                        return report("threads", -1);
        for (int i = 0; i < 4; i++) {
                void* r;
                if ((errno = pthread_join(t[i], &r)) || r != &id[i])
                        return report("threads", -1);
        }
        return report("threads", 0);
}

static int fork_wait(void) {
        pid_t pid = fork();
        if (pid == 0)
                _exit(7);
        int status;
        if (pid < 0 || waitpid(pid, &status, 0) != pid)
                return report("fork", -1);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 7) {
                printf("fork: status %#x\n", status);
                return 1;
        }
        return report("fork", 0);
}

// Allocates and touches MiB mebibytes, one at a time; prints how far it got only if it lives.
static int memhog(long mib) {
        for (long i = 0; i < mib; i++) {
                char* p = malloc(1 << 20);
                if (!p)
                        return report("malloc", -1);
                memset(p, (int)i, 1 << 20);
        }
        printf("memhog: %ld MiB\n", mib);
        return 0;
}

// Forks up to n children that wait; prints how many it got and the first error.
static int forkloop(long n) {
        long made = 0;
        int first = 0;
        int fds[2];
        if (pipe(fds) < 0)
                return report("pipe", -1);
        for (long i = 0; i < n; i++) {
                pid_t pid = fork();
                if (pid == 0) {
                        char c;
                        close(fds[1]);
                        ssize_t r = read(fds[0], &c, 1);
                        _exit(r < 0);
                }
                if (pid < 0) {
                        first = errno;
                        break;
                }
                made++;
        }
        close(fds[1]);
        while (wait(NULL) > 0)
                ;
        printf("forked=%ld first_error=%s\n", made, first ? strerrorname_np(first) : "none");
        return 0;
}

// Spins for seconds of wall time; prints the share of one CPU it got.
static int spin(double seconds) {
        struct timespec w0, w1, c1;
        clock_gettime(CLOCK_MONOTONIC, &w0);
        do {
                for (volatile int i = 0; i < 100000; i++)
                        ;
                clock_gettime(CLOCK_MONOTONIC, &w1);
        } while ((double)(w1.tv_sec - w0.tv_sec) + (double)(w1.tv_nsec - w0.tv_nsec) / 1e9 < seconds);
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
        double wall = (double)(w1.tv_sec - w0.tv_sec) + (double)(w1.tv_nsec - w0.tv_nsec) / 1e9;
        printf("cpu_share=%.2f\n", ((double)c1.tv_sec + (double)c1.tv_nsec / 1e9) / wall);
        return 0;
}

/* The escape probes (tests/security/escape.t): each tries one way out with real arguments, so
 * that outside the sandbox, where the kernel allows it, it succeeds; one line per step,
 * "STEP: ok" or "STEP: ERRNONAME", up to the first failure. */

// ptrace(PTRACE_ATTACH) to a process; detaches again at once.
static int attach(pid_t pid) {
        if (report("attach", ptrace(PTRACE_ATTACH, pid, 0, 0)))
                return 1;
        int status;
        waitpid(pid, &status, __WALL);
        ptrace(PTRACE_DETACH, pid, 0, 0);
        return 0;
}

static int open_mode(const char* path, const char* mode) {
        int flags = !strcmp(mode, "w")      ? O_WRONLY
                    : !strcmp(mode, "rw")   ? O_RDWR
                    : !strcmp(mode, "dir")  ? O_RDONLY | O_DIRECTORY
                    : !strcmp(mode, "path") ? O_PATH
                                            : O_RDONLY;
        return report("open", open(path, flags | O_CLOEXEC));
}

// A tmpfs through the new mount API, attached at dir.
static int new_mount(const char* dir) {
        int fs = (int)syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC);
        if (report("fsopen", fs))
                return 1;
        if (report("fsconfig", syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0)))
                return 1;
        int mnt = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, 0);
        if (report("fsmount", mnt))
                return 1;
        return report("move_mount", syscall(SYS_move_mount, mnt, "", AT_FDCWD, dir, MOVE_MOUNT_F_EMPTY_PATH));
}

static int clone3_flags(unsigned long long flags) {
        struct clone_args args = {.flags = flags, .exit_signal = SIGCHLD};
        long rc = syscall(SYS_clone3, &args, sizeof args);
        if (rc == 0)
                _exit(0);
        if (rc > 0)
                waitpid((pid_t)rc, NULL, 0);
        return report("clone3", rc);
}

// The classic way out of a chroot: chroot into dir keeping the working directory outside it,
// climb, chroot to where we stand. "escaped: ok" when marker, invisible in dir, is seen after.
static int chroot_escape(const char* dir, const char* marker) {
        if (report("chroot", chroot(dir)))
                return 1;
        for (int i = 0; i < 64; i++)
                if (chdir("..") < 0)
                        break;
        if (report("chroot ..", chroot(".")))
                return 1;
        return report("escaped", access(marker, F_OK));
}

static int bpf_map(void) {
        union bpf_attr attr;
        memset(&attr, 0, sizeof attr);
        attr.map_type = BPF_MAP_TYPE_ARRAY;
        attr.key_size = 4;
        attr.value_size = 4;
        attr.max_entries = 1;
        return report("bpf", syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof attr));
}

// A software counter of our own user-space time: allowed to users up to perf_event_paranoid 2.
static int perf_open(void) {
        struct perf_event_attr attr;
        memset(&attr, 0, sizeof attr);
        attr.size = sizeof attr;
        attr.type = PERF_TYPE_SOFTWARE;
        attr.config = PERF_COUNT_SW_TASK_CLOCK;
        attr.exclude_kernel = 1;
        attr.exclude_hv = 1;
        return report("perf_event_open", syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0));
}

static int uring(void) {
        char params[120]; // struct io_uring_params, zeroed: no flags
        memset(params, 0, sizeof params);
        return report("io_uring_setup", syscall(SYS_io_uring_setup, 1, params));
}

static int escape(int argc, char** argv) {
        const char* cmd = argv[1];
        if (!strcmp(cmd, "attach") && argc > 2)
                return attach(atoi(argv[2]));
        if (!strcmp(cmd, "kill") && argc > 2) // signal 0 by default: a permission check only
                return report("kill", kill(atoi(argv[2]), argc > 3 ? atoi(argv[3]) : 0));
        if (!strcmp(cmd, "pidfd") && argc > 2)
                return report("pidfd_open", syscall(SYS_pidfd_open, atoi(argv[2]), 0));
        if (!strcmp(cmd, "open") && argc > 2)
                return open_mode(argv[2], argc > 3 ? argv[3] : "r");
        if (!strcmp(cmd, "mount-tmpfs") && argc > 2)
                return report("mount", syscall(SYS_mount, "none", argv[2], "tmpfs", 0, NULL));
        if (!strcmp(cmd, "fsmount") && argc > 2)
                return new_mount(argv[2]);
        if (!strcmp(cmd, "open-tree") && argc > 2)
                return report("open_tree", syscall(SYS_open_tree, AT_FDCWD, argv[2],
                                                   OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE));
        if (!strcmp(cmd, "move-mount") && argc > 3)
                return report("move_mount", syscall(SYS_move_mount, AT_FDCWD, argv[2], AT_FDCWD, argv[3], 0));
        if (!strcmp(cmd, "clone3") && argc > 2)
                return clone3_flags(strtoull(argv[2], NULL, 0));
        if (!strcmp(cmd, "chroot-escape") && argc > 3)
                return chroot_escape(argv[2], argv[3]);
        if (!strcmp(cmd, "keyctl")) // the user keyring: shared by every process of the user
                return report("keyctl", syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_USER_KEYRING, 1));
        if (!strcmp(cmd, "bpf"))
                return bpf_map();
        if (!strcmp(cmd, "perf"))
                return perf_open();
        if (!strcmp(cmd, "userfaultfd")) // UFFD_USER_MODE_ONLY: allowed to users by default
                return report("userfaultfd", syscall(SYS_userfaultfd, O_CLOEXEC | 1));
        if (!strcmp(cmd, "io_uring"))
                return uring();
        if (!strcmp(cmd, "sethostname") && argc > 2)
                return report("sethostname", sethostname(argv[2], strlen(argv[2])));
        if (!strcmp(cmd, "settimeofday")) // no time given: only the permission check, no change
                return report("settimeofday", syscall(SYS_settimeofday, NULL, NULL));
        if (!strcmp(cmd, "securebits")) {
                long bits = prctl(PR_GET_SECUREBITS, 0, 0, 0, 0);
                if (bits < 0)
                        return report("securebits", -1);
                printf("securebits: %#lx\n", bits);
                return report("clear securebits", prctl(PR_SET_SECUREBITS, 0, 0, 0, 0));
        }
        if (!strcmp(cmd, "creds")) {
                uid_t r, e, s;
                getresuid(&r, &e, &s);
                printf("ruid=%u euid=%u suid=%u\n", r, e, s);
                return 0;
        }
        return -1;
}

int main(int argc, char** argv) {
        if (argc < 2) {
                fprintf(stderr,
                        "usage: probe tiocsti|tiocsti-high|tioclinux|fds|ifs|ids|write PATH|rename OLD NEW|\n"
                        "             wait-signal|sys|int80|x32 NAME [ARG...]...|threads|fork|\n"
                        "             memhog MIB|forkloop N|spin SECONDS|attach|kill|pidfd PID|\n"
                        "             open PATH [r|w|rw|dir|path]|mount-tmpfs DIR|fsmount DIR|\n"
                        "             open-tree PATH|move-mount FROM TO|clone3 FLAGS|\n"
                        "             chroot-escape DIR MARKER|keyctl|bpf|perf|userfaultfd|io_uring|\n"
                        "             sethostname NAME|settimeofday|securebits|creds\n");
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
        if (!strcmp(cmd, "rename") && argc > 3)
                return report("rename", rename(argv[2], argv[3]));
        if (!strcmp(cmd, "wait-signal"))
                return wait_signal();
        if (!strcmp(cmd, "threads"))
                return threads();
        if (!strcmp(cmd, "fork"))
                return fork_wait();
        if (!strcmp(cmd, "memhog") && argc > 2)
                return memhog(atol(argv[2]));
        if (!strcmp(cmd, "forkloop") && argc > 2)
                return forkloop(atol(argv[2]));
        if (!strcmp(cmd, "spin") && argc > 2)
                return spin(atof(argv[2]));
        if (!strcmp(cmd, "sys") || !strcmp(cmd, "int80") || !strcmp(cmd, "x32")) {
                scratch =
                    mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
                if (scratch == MAP_FAILED)
                        return report("mmap", -1);
                enum abi abi = cmd[0] == 's' ? NATIVE : cmd[0] == 'i' ? I386 : X32;
                return syscalls(abi, argc - 2, argv + 2);
        }
        int rc = escape(argc, argv);
        if (rc >= 0)
                return rc;
        fprintf(stderr, "probe: unknown command '%s'\n", cmd);
        return 2;
}
