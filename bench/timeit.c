// SPDX-License-Identifier: GPL-2.0-or-later
// Wall time of spawn + exec + wait for several commands, run interleaved.
//
// usage: timeit [-n RUNS] [-w WARMUP] [-r RAWFILE] CMDFILE...
//
// Each CMDFILE holds one argv as NUL-terminated strings; argv[0] must be an absolute path.
// Every round runs each command once, in the order given (A B C D A B C D ...), so that
// machine noise falls on all of them alike. The first WARMUP rounds are not recorded.
// Standard input, output and error of the commands are /dev/null.
//
// Prints one line per command, times in nanoseconds:
//   INDEX RUNS FAILURES MEDIAN P10 P90 MIN FIRST_FAILING_STATUS
// FAILURES counts runs that did not exit 0; the caller decides what a failure means.
// With -r, every recorded run is also written to RAWFILE as "INDEX ROUND NS".
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char** environ;

struct cmd {
        char* text;   // the file's bytes; argv points into it
        char** argv;
        int64_t* ns;  // one sample per recorded round
        int failures;
        int first_bad_status;
};

static void die(const char* what, const char* obj) {
        fprintf(stderr, "timeit: %s '%s': %s\n", what, obj, strerror(errno));
        exit(2);
}

static void load_cmd(struct cmd* c, const char* path) {
        FILE* f = fopen(path, "re");
        if (!f)
                die("open", path);
        size_t cap = 256, len = 0;
        c->text = malloc(cap);
        size_t got;
        while ((got = fread(c->text + len, 1, cap - len, f)) > 0) {
                len += got;
                if (len == cap)
                        c->text = realloc(c->text, cap *= 2);
        }
        if (ferror(f))
                die("read", path);
        fclose(f);
        if (len == 0 || c->text[len - 1] != '\0') {
                fprintf(stderr, "timeit: '%s': expected NUL-terminated argv strings\n", path);
                exit(2);
        }
        size_t argc = 0;
        for (size_t i = 0; i < len; i++)
                argc += c->text[i] == '\0';
        c->argv = calloc(argc + 1, sizeof *c->argv);
        char* p = c->text;
        for (size_t i = 0; i < argc; i++, p += strlen(p) + 1)
                c->argv[i] = p;
        if (c->argv[0][0] != '/') {
                fprintf(stderr, "timeit: '%s': argv[0] '%s' is not an absolute path\n", path, c->argv[0]);
                exit(2);
        }
}

static int64_t now_ns(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

// One run: the clock covers posix_spawn (glibc's is a vfork-style clone), the child's whole
// life and the reaping wait, which is what a user waiting on the launcher sees.
static int64_t run_once(struct cmd* c, const posix_spawn_file_actions_t* fa, int* status) {
        pid_t pid;
        int64_t t0 = now_ns();
        int err = posix_spawn(&pid, c->argv[0], fa, NULL, c->argv, environ);
        if (err != 0) {
                errno = err;
                die("spawn", c->argv[0]);
        }
        while (waitpid(pid, status, 0) < 0)
                if (errno != EINTR)
                        die("wait for", c->argv[0]);
        return now_ns() - t0;
}

static int cmp_i64(const void* a, const void* b) {
        int64_t x = *(const int64_t*)a, y = *(const int64_t*)b;
        return (x > y) - (x < y);
}

// Quantile of sorted samples, linear between the two closest ranks.
static int64_t quantile(const int64_t* s, int n, double q) {
        double h = (n - 1) * q;
        int lo = (int)h;
        if (lo + 1 >= n)
                return s[n - 1];
        return s[lo] + (int64_t)((h - lo) * (double)(s[lo + 1] - s[lo]));
}

static int parse_count(const char* s, const char* opt) {
        char* end;
        errno = 0;
        long v = strtol(s, &end, 10);
        if (errno || *end || end == s || v < 0 || v > 1000000) {
                fprintf(stderr, "timeit: %s: not a count: '%s'\n", opt, s);
                exit(2);
        }
        return (int)v;
}

int main(int argc, char** argv) {
        int runs = 200, warmup = 10;
        const char* raw_path = NULL;
        int opt;
        while ((opt = getopt(argc, argv, "+n:w:r:")) != -1) {
                switch (opt) {
                case 'n': runs = parse_count(optarg, "-n"); break;
                case 'w': warmup = parse_count(optarg, "-w"); break;
                case 'r': raw_path = optarg; break;
                default:
                        fprintf(stderr, "usage: timeit [-n RUNS] [-w WARMUP] [-r RAWFILE] CMDFILE...\n");
                        return 2;
                }
        }
        int ncmd = argc - optind;
        if (ncmd < 1 || runs < 1) {
                fprintf(stderr, "usage: timeit [-n RUNS] [-w WARMUP] [-r RAWFILE] CMDFILE...\n");
                return 2;
        }

        struct cmd* cmds = calloc((size_t)ncmd, sizeof *cmds);
        for (int i = 0; i < ncmd; i++) {
                load_cmd(&cmds[i], argv[optind + i]);
                cmds[i].ns = calloc((size_t)runs, sizeof *cmds[i].ns);
        }

        int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (devnull < 0)
                die("open", "/dev/null");
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        for (int fd = 0; fd <= 2; fd++)
                posix_spawn_file_actions_adddup2(&fa, devnull, fd);

        for (int round = 0; round < warmup + runs; round++) {
                for (int i = 0; i < ncmd; i++) {
                        int status;
                        int64_t ns = run_once(&cmds[i], &fa, &status);
                        if (round < warmup)
                                continue;
                        cmds[i].ns[round - warmup] = ns;
                        if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0) && cmds[i].failures++ == 0)
                                cmds[i].first_bad_status = status;
                }
        }

        if (raw_path) {
                FILE* raw = fopen(raw_path, "we");
                if (!raw)
                        die("open", raw_path);
                for (int r = 0; r < runs; r++)
                        for (int i = 0; i < ncmd; i++)
                                fprintf(raw, "%d %d %lld\n", i, r, (long long)cmds[i].ns[r]);
                if (fclose(raw) != 0)
                        die("write", raw_path);
        }

        for (int i = 0; i < ncmd; i++) {
                int64_t* s = cmds[i].ns;
                qsort(s, (size_t)runs, sizeof *s, cmp_i64);
                printf("%d %d %d %lld %lld %lld %lld %d\n", i, runs, cmds[i].failures,
                       (long long)quantile(s, runs, 0.5), (long long)quantile(s, runs, 0.1),
                       (long long)quantile(s, runs, 0.9), (long long)s[0], cmds[i].first_bad_status);
        }
        return 0;
}
