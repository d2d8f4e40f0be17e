// SPDX-License-Identifier: GPL-2.0-or-later
// --list, --enter and --stop. Entries are the user's own files, but nothing in one is taken on
// trust: before a signal is sent or a namespace joined, the sandbox's pid 1 is pinned with a
// pidfd and checked to be the process the launcher recorded (pid and start time), a child of
// that launcher, in the user and pid namespaces recorded, and in a user namespace the user
// made below their own. An entry pointing at any other process is refused.
#include "running.h"

#include "caps.h"
#include "cgroup.h"
#include "fd.h"
#include "landlock.h"
#include "paths.h"
#include "text.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace sb {

namespace {

int pidfd_open(pid_t pid) {
        return static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
}

int pidfd_send_signal(int pidfd, int sig) {
        return static_cast<int>(syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0));
}

unsigned long long ns_inode(pid_t pid, const char* ns) {
        struct stat st;
        return stat(("/proc/" + std::to_string(pid) + "/ns/" + ns).c_str(), &st) == 0 ? st.st_ino : 0;
}

pid_t parent_of(pid_t pid) {
        auto status = read_small_file("/proc/" + std::to_string(pid) + "/status", 8192);
        auto at = status.find("\nPPid:");
        return at == std::string::npos ? -1 : static_cast<pid_t>(atol(status.c_str() + at + 6));
}

// The first child of pid (the lowest pid whose parent it is), or -1.
pid_t first_child(pid_t pid) {
        pid_t best = -1;
        DIR* d = opendir("/proc");
        if (!d)
                return -1;
        while (auto* de = readdir(d)) {
                pid_t p = static_cast<pid_t>(atol(de->d_name));
                if (p > 0 && (best < 0 || p < best) && parent_of(p) == pid)
                        best = p;
        }
        closedir(d);
        return best;
}

// pidfds of the launcher, of the sandbox's pid 1 and of its command, once each is checked to
// be what the entry recorded. A pidfd opened before the check keeps naming the process checked.
// The namespaces are joined through the command: pid 1 is not dumpable (so that nothing inside
// can attach to it), and joining a process's namespaces needs what attaching needs.
struct Pinned {
        UniqueFd launcher, init, app;
        pid_t app_pid = -1;
};

Result<Pinned> pin(const Entry& e) {
        Pinned p;
        p.launcher.reset(pidfd_open(e.launcher));
        p.init.reset(pidfd_open(e.init));
        if (!p.launcher.valid() || !p.init.valid() || process_start(e.launcher) != e.launcher_start ||
            process_start(e.init) != e.init_start)
                return err("the sandbox %s has ended", quote(e.name).c_str());
        if (parent_of(e.init) != e.launcher)
                return err("refusing %s: its pid 1 (%d) is not a child of its launcher (%d)", quote(e.name).c_str(),
                           e.init, e.launcher);
        pid_t app = first_child(e.init);
        p.app.reset(app > 0 ? pidfd_open(app) : -1);
        p.app_pid = app;
        if (!p.app.valid() || parent_of(app) != e.init)
                return err("the sandbox %s has no command running any more", quote(e.name).c_str());
        // The user namespace: the one recorded, made by this user, and not the caller's own (a
        // host process's): only then is the process a sandbox of this user's.
        std::string ns = "/proc/" + std::to_string(app) + "/ns/user";
        UniqueFd userns(open(ns.c_str(), O_RDONLY | O_CLOEXEC));
        struct stat st;
        uid_t owner = static_cast<uid_t>(-1);
        if (!userns.valid() || fstat(userns.get(), &st) < 0 || ioctl(userns.get(), NS_GET_OWNER_UID, &owner) < 0)
                return err_errno(errno, "refusing %s: the user namespace of its command (pid %d) cannot be checked",
                                 quote(e.name).c_str(), app);
        if (st.st_ino == ns_inode(getpid(), "user"))
                return err("refusing %s: pid %d runs in your own user namespace, so it is not a sandbox",
                           quote(e.name).c_str(), app);
        if (e.userns == 0 || st.st_ino != e.userns || ns_inode(app, "pid") != e.pidns)
                return err("refusing %s: the namespaces of pid %d are not the ones its launcher recorded",
                           quote(e.name).c_str(), app);
        if (owner != getuid())
                return err("refusing %s: its user namespace belongs to uid %u", quote(e.name).c_str(), owner);
        // Checked last, so that a process that ended and was replaced meanwhile is not taken.
        if (process_start(e.init) != e.init_start || process_start(e.launcher) != e.launcher_start ||
            parent_of(app) != e.init)
                return err("the sandbox %s has ended", quote(e.name).c_str());
        return p;
}

// A sandbox's use of memory, cpu time and processes: from its cgroup when it has one, else
// from the processes in its pid namespace.
struct Usage {
        unsigned long long memory = 0;
        double cpu = 0; // seconds
        unsigned pids = 0;
};

Usage usage(const Entry& e) {
        Usage u;
        if (!e.cgroup.empty()) {
                u.memory = strtoull(read_small_file(e.cgroup + "/memory.current", 64).c_str(), nullptr, 10);
                u.pids = static_cast<unsigned>(atoi(read_small_file(e.cgroup + "/pids.current", 64).c_str()));
                auto cpu = read_small_file(e.cgroup + "/cpu.stat", 4096);
                if (cpu.starts_with("usage_usec "))
                        u.cpu = static_cast<double>(strtoull(cpu.c_str() + 11, nullptr, 10)) / 1e6;
                if (u.pids > 0)
                        return u;
        }
        u = Usage{};
        if (e.pidns == 0) // unknown: every process we cannot look into would count
                return u;
        long page = sysconf(_SC_PAGESIZE), ticks = sysconf(_SC_CLK_TCK);
        DIR* d = opendir("/proc");
        if (!d)
                return u;
        while (auto* de = readdir(d)) {
                pid_t pid = static_cast<pid_t>(atol(de->d_name));
                // pid 1 is not dumpable: its namespaces cannot be read, its parent can.
                if (pid <= 0 || (pid != e.init && ns_inode(pid, "pid") != e.pidns))
                        continue;
                std::string base = "/proc/" + std::to_string(pid);
                auto statm = read_small_file(base + "/statm", 256);
                auto sp = statm.find(' ');
                if (sp != std::string::npos)
                        u.memory += strtoull(statm.c_str() + sp + 1, nullptr, 10) * static_cast<unsigned long long>(page);
                auto stat = read_small_file(base + "/stat", 4096);
                auto close = stat.rfind(')');
                if (close != std::string::npos) {
                        auto f = split(std::string_view(stat).substr(close + 2), ' ');
                        if (f.size() > 12)
                                u.cpu += static_cast<double>(strtoull(std::string(f[11]).c_str(), nullptr, 10) +
                                                             strtoull(std::string(f[12]).c_str(), nullptr, 10)) /
                                         static_cast<double>(ticks);
                }
                u.pids++;
        }
        closedir(d);
        return u;
}

std::string duration(long long s) {
        if (s < 60)
                return strprintf("%llds", s);
        if (s < 3600)
                return strprintf("%lldm%02llds", s / 60, s % 60);
        if (s < 86400)
                return strprintf("%lldh%02lldm", s / 3600, s % 3600 / 60);
        return strprintf("%lldd%02lldh", s / 86400, s % 86400 / 3600);
}

double now() {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// The exit code of a wait status, as a shell gives it.
int exit_code(int status) {
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

[[noreturn]] void enter_fail(int code, const char* what, int e) {
        fprintf(stderr, "sandbox: enter: %s: %s\n", what, strerror(e));
        _exit(code);
}

// In the child, in the sandbox's namespaces: the rest of what the sandbox's command has.
[[noreturn]] void exec_inside(const Entry& e, const std::vector<std::string>& command) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        signal(SIGINT, SIG_DFL);
        signal(SIGQUIT, SIG_DFL);
        std::string home;
        for (auto& kv : e.env)
                if (kv.starts_with("HOME="))
                        home = kv.substr(5);
        if (chdir(e.cwd.c_str()) < 0 && chdir(home.c_str()) < 0 && chdir("/") < 0)
                enter_fail(125, "chdir", errno);
        std::vector<std::string> cmd = command;
        if (cmd.empty()) {
                std::string shell;
                for (auto& kv : e.env)
                        if (kv.starts_with("SHELL="))
                                shell = kv.substr(6);
                for (const char* s : {"/bin/bash", "/bin/sh"})
                        if (shell.empty() || shell[0] != '/' || access(shell.c_str(), X_OK) < 0)
                                shell = s;
                cmd = {shell};
        }
        std::vector<char*> argv, envp;
        for (auto& a : cmd)
                argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        for (auto& kv : e.env)
                envp.push_back(const_cast<char*>(kv.c_str()));
        envp.push_back(nullptr);
        // What the sandbox's command got, in the order it got it.
        if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
                enter_fail(125, "close_range", errno);
        const char* what = "";
        if (int err = drop_capabilities(e.last_cap, &what))
                enter_fail(125, what, err);
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                enter_fail(125, "no_new_privs", errno);
        // The app's Landlock rules, but not its signal scoping: from a shell entered to look at
        // the app, the app can be signalled (it cannot signal the shell).
        if (e.use_landlock || e.egress_rules)
                if (int err = landlock_restrict(e.landlock))
                        if (e.egress_rules || (err != ENOSYS && err != EOPNOTSUPP))
                                enter_fail(125, "Landlock rules", err);
        if (!e.filter.empty()) {
                sock_fprog prog{static_cast<unsigned short>(e.filter.size()), const_cast<sock_filter*>(e.filter.data())};
                if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
                        enter_fail(125, "load the syscall filter", errno);
        }
        environ = envp.data();
        execvp(argv[0], argv.data());
        int err = errno;
        fprintf(stderr, "sandbox: enter: %s: %s\n", quote(argv[0]).c_str(), strerror(err));
        _exit(err == ENOENT ? 127 : 126);
}

} // namespace

int list_running(const std::string& registry, bool json) {
        auto entries = running_entries(registry);
        // Two readings of cpu time, a fifth of a second apart, for a current percentage.
        std::vector<Usage> first;
        for (auto& e : entries)
                first.push_back(usage(e));
        double t0 = now();
        if (!entries.empty())
                usleep(200000);
        double dt = now() - t0;
        long long wall = time(nullptr);
        std::string out = json ? "[" : "";
        if (!json)
                out += strprintf("%-20s %-14s %8s %8s %9s %6s %5s  %s\n", "NAME", "PROFILE", "PID", "UPTIME", "MEMORY",
                                 "CPU", "PIDS", "COMMAND");
        for (size_t i = 0; i < entries.size(); i++) {
                auto& e = entries[i];
                Usage u = usage(e);
                double cpu = dt > 0 && u.cpu >= first[i].cpu ? (u.cpu - first[i].cpu) / dt * 100 : 0;
                std::string cmd;
                for (auto& a : e.command)
                        cmd += (cmd.empty() ? "" : " ") + a;
                long long up = wall - e.started;
                if (json) {
                        out += std::string(i ? "," : "") + "\n  {\"name\": " + json_string(e.name) +
                               ", \"profile\": " + json_string(e.profile) + strprintf(", \"pid\": %d", e.launcher) +
                               strprintf(", \"init_pid\": %d, \"started\": %lld, \"uptime_seconds\": %lld", e.init,
                                         e.started, up) +
                               strprintf(", \"memory_bytes\": %llu, \"cpu_percent\": %.1f, \"cpu_seconds\": %.2f, "
                                         "\"pids\": %u",
                                         u.memory, cpu, u.cpu, u.pids) +
                               ", \"cgroup\": " + (e.cgroup.empty() ? "null" : json_string(e.cgroup)) +
                               ", \"command\": [";
                        for (size_t j = 0; j < e.command.size(); j++)
                                out += (j ? ", " : "") + json_string(e.command[j]);
                        out += "]}";
                } else {
                        out += strprintf("%-20s %-14s %8d %8s %9s %5.1f%% %5u  %s\n", escape_controls(e.name).c_str(),
                                         escape_controls(e.profile).c_str(), e.launcher, duration(up).c_str(),
                                         size_text(u.memory).c_str(), cpu, u.pids, escape_controls(cmd).c_str());
                }
        }
        if (json)
                out += entries.empty() ? "]\n" : "\n]\n";
        fputs(out.c_str(), stdout);
        return 0;
}

int enter_sandbox(const Entry& e, const std::vector<std::string>& command) {
        auto pinned = pin(e);
        if (!pinned) {
                fprintf(stderr, "sandbox: %s\n", pinned.error().what().c_str());
                return 125;
        }
        // Its cgroup first: from inside its cgroup namespace ours would be out of reach.
        if (!e.cgroup.empty()) {
                int fd = open((e.cgroup + "/cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC);
                if (fd < 0 || write(fd, "0\n", 2) != 2)
                        fprintf(stderr, "sandbox: warning: enter: the sandbox's cgroup cannot be joined (%s): its "
                                        "limits do not apply to this command\n",
                                strerror(errno));
                if (fd >= 0)
                        close(fd);
        }
        // Each namespace the sandbox has of its own (with --net host, the network is the host's:
        // that one is already ours, and joining it through the sandbox's user namespace is not
        // allowed).
        int flags = CLONE_NEWUSER;
        for (auto [flag, name] : {std::pair{CLONE_NEWNS, "mnt"}, {CLONE_NEWPID, "pid"}, {CLONE_NEWIPC, "ipc"},
                                  {CLONE_NEWUTS, "uts"}, {CLONE_NEWNET, "net"}, {CLONE_NEWCGROUP, "cgroup"}})
                if (ns_inode(pinned->app_pid, name) != ns_inode(getpid(), name))
                        flags |= flag;
        if (setns(pinned->app.get(), flags) < 0) {
                fprintf(stderr, "sandbox: enter %s: setns: %s\n", quote(e.name).c_str(), strerror(errno));
                return 125;
        }
        // The terminal's ^C and ^\ are for the command; we wait, and pass on what is sent to us.
        signal(SIGINT, SIG_IGN);
        signal(SIGQUIT, SIG_IGN);
        sigset_t mask, old;
        sigemptyset(&mask);
        for (int s : {SIGTERM, SIGHUP, SIGCHLD})
                sigaddset(&mask, s);
        sigprocmask(SIG_BLOCK, &mask, &old);
        pid_t child = fork();
        if (child < 0) {
                fprintf(stderr, "sandbox: enter: fork: %s\n", strerror(errno));
                return 125;
        }
        if (child == 0)
                exec_inside(e, command);
        // We stay outside the sandbox's pid namespace, with capabilities in its user namespace:
        // drop them, and let nothing attach to us.
        const char* what = "";
        drop_capabilities(e.last_cap, &what);
        prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
        for (;;) {
                int sig = 0;
                sigwait(&mask, &sig);
                if (sig != SIGCHLD) {
                        kill(child, sig);
                        continue;
                }
                int status = 0;
                pid_t r = waitpid(child, &status, WNOHANG);
                if (r == child)
                        return exit_code(status);
        }
}

int stop_sandbox(const Entry& e, double timeout) {
        auto pinned = pin(e);
        if (!pinned) {
                fprintf(stderr, "sandbox: %s\n", pinned.error().what().c_str());
                return 125;
        }
        // The launcher passes SIGTERM on to the app, as it does when it gets one from anyone.
        if (pidfd_send_signal(pinned->launcher.get(), SIGTERM) < 0) {
                fprintf(stderr, "sandbox: stop %s: %s\n", quote(e.name).c_str(), strerror(errno));
                return 125;
        }
        struct pollfd pfd = {pinned->launcher.get(), POLLIN, 0};
        if (poll(&pfd, 1, static_cast<int>(timeout * 1000)) > 0)
                return 0;
        // Everything left: the cgroup's kill where there is one, else pid 1, whose end ends its
        // pid namespace.
        bool killed = false;
        if (!e.cgroup.empty()) {
                int fd = open((e.cgroup + "/cgroup.kill").c_str(), O_WRONLY | O_CLOEXEC);
                killed = fd >= 0 && write(fd, "1", 1) == 1;
                if (fd >= 0)
                        close(fd);
        }
        if (!killed)
                pidfd_send_signal(pinned->init.get(), SIGKILL);
        fprintf(stderr, "sandbox: %s did not end within %gs of SIGTERM: killed\n", quote(e.name).c_str(), timeout);
        if (poll(&pfd, 1, 5000) == 0)
                fprintf(stderr, "sandbox: its launcher (pid %d) has not ended yet\n", e.launcher);
        return 1;
}

} // namespace sb
