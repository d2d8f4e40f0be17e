// SPDX-License-Identifier: GPL-2.0-or-later
// The launcher: clone into new namespaces, relay signals, wait, report the exit status.
#include "runner.h"

#include "cgroup.h"
#include "child.h"
#include "clone.h"
#include "fd.h"
#include "dbus.h"
#include "doctor.h"
#include "fuse.h"
#include "init.h"
#include "notify.h"
#include "pasta.h"
#include "registry.h"
#include "sync.h"
#include "text.h"
#include <sched.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <poll.h>
#include <sys/stat.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace sb {

namespace {

// glibc 2.36's <sys/pidfd.h> lacks C linkage for C++; the raw calls are one line each.
int pidfd_open(pid_t pid, unsigned flags) {
        return static_cast<int>(syscall(SYS_pidfd_open, pid, flags));
}

int pidfd_send_signal(int pidfd, int sig, siginfo_t* info, unsigned flags) {
        return static_cast<int>(syscall(SYS_pidfd_send_signal, pidfd, sig, info, flags));
}

std::vector<char*> pointers(const std::vector<std::string>& v) {
        std::vector<char*> out;
        for (auto& s : v)
                out.push_back(const_cast<char*>(s.c_str()));
        out.push_back(nullptr);
        return out;
}

// The registry entry of a started sandbox: its pid 1 and namespaces (as the child reported
// them: it is not dumpable for long), and what --enter applies to a command run inside
// (environment, directory, syscall filter).
void register_running(const Plan& plan, const std::string& dir, pid_t init, const std::string& cgroup,
                      unsigned long long userns, unsigned long long pidns) {
        Entry e;
        e.dir = dir;
        e.name = dir.substr(dir.rfind('/') + 1);
        e.profile = plan.profile;
        e.launcher = getpid();
        e.launcher_start = process_start(e.launcher);
        e.init = init;
        e.init_start = process_start(init);
        e.userns = userns;
        e.pidns = pidns;
        e.started = time(nullptr);
        e.cgroup = cgroup;
        e.command = plan.argv;
        e.env = plan.envp;
        e.cwd = plan.cwd;
        e.egress_rules = plan.egress_rules;
        e.use_landlock = plan.use_landlock;
        e.landlock = plan.landlock;
        e.filter = plan.seccomp;
        e.last_cap = plan.last_cap;
        if (auto ok = publish_entry(e); !ok && !plan.quiet)
                fprintf(stderr, "sandbox: warning: the sandbox cannot be listed or entered: %s\n",
                        ok.error().what().c_str());
}

RunResult from_record(const ChildError& e) {
        RunResult r;
        r.setup_failed = true;
        std::string what(e.what, strnlen(e.what, sizeof e.what));
        r.message = strprintf("%s: %s", stage_name(e.stage), what.c_str());
        if (e.errnum)
                r.message += strprintf(": %s", strerror(e.errnum));
        if (e.stage == Stage::IdMap) {
                auto why = userns_problem();
                if (!why.empty())
                        r.message += "; " + why;
        }
        if (e.stage == Stage::Exec)
                r.exit_code = e.errnum == ENOENT ? 127 : 126;
        else
                r.exit_code = 125;
        return r;
}

// The limits that are not enforced, or only approximately: one warning for each reason.
unsigned long long report_enforcement(const Plan& plan, const std::vector<Enforcement>& enforcement) {
        unsigned long long rlimit_as = 0;
        std::vector<std::pair<std::string, std::string>> by_reason; // why, "limits.x = v and ..."
        for (auto& e : enforcement) {
                if (e.how == "rlimit RLIMIT_AS" && plan.limits.memory)
                        rlimit_as = *plan.limits.memory;
                if (e.how.starts_with("cgroup"))
                        continue;
                std::string why = (e.how.empty() ? "not enforced: " : "only approximated: ") + e.why;
                auto it =
                    std::find_if(by_reason.begin(), by_reason.end(), [&](auto& r) { return r.first == why; });
                std::string item = e.key + " = " + e.value;
                if (it == by_reason.end())
                        by_reason.emplace_back(why, item);
                else
                        it->second += ", " + item;
        }
        if (!plan.quiet)
                for (auto& [why, items] : by_reason)
                        fprintf(stderr, "sandbox: warning: %s %s %s\n", items.c_str(),
                                items.find(", ") == std::string::npos ? "is" : "are", why.c_str());
        return rlimit_as;
}

// After the sandbox: what the limits did, and --stats.
void report_end(const Plan& plan, const CgroupStats& st, const RunResult& r) {
        if (st.oom_kills && !plan.quiet)
                fprintf(stderr, "sandbox: %s killed by the OOM killer at limits.memory = %s\n",
                        r.exit_code == 137 ? "the command was" : "a process was",
                        plan.limits.memory ? size_text(*plan.limits.memory).c_str() : "(memory.max)");
        if (st.pids_max_hits && !plan.quiet)
                fprintf(stderr, "sandbox: new processes were refused at limits.pids = %llu\n",
                        static_cast<unsigned long long>(plan.limits.pids.value_or(0)));
        if (!plan.stats)
                return;
        struct rusage ru;
        memset(&ru, 0, sizeof ru);
        getrusage(RUSAGE_CHILDREN, &ru);
        double cpu = st.valid ? static_cast<double>(st.cpu_usec) / 1e6
                              : static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                                    static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
        std::string s = strprintf("sandbox: stats: cpu %.2f s", cpu);
        if (st.valid && st.throttled_usec)
                s += strprintf(" (throttled %.2f s)", static_cast<double>(st.throttled_usec) / 1e6);
        if (st.valid && st.memory_peak)
                s += ", peak memory " + size_text(st.memory_peak);
        else
                s += ", largest process " + size_text(static_cast<uint64_t>(ru.ru_maxrss) * 1024);
        if (st.valid && st.pids_peak)
                s += strprintf(", peak processes %llu", static_cast<unsigned long long>(st.pids_peak));
        if (st.valid)
                s +=
                    strprintf(", OOM kills %llu, forks refused %s",
                              static_cast<unsigned long long>(st.oom_kills), st.pids_max_hits ? "yes" : "no");
        fprintf(stderr, "%s\n", s.c_str());
}

} // namespace

Result<RunResult> run(const Plan& plan) {
        int sv[2];
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
                return err_errno(errno, "socketpair");
        UniqueFd ours(sv[0]), theirs(sv[1]);

        UniqueFd self(pidfd_open(getpid(), 0));
        if (!self.valid())
                return err_errno(errno, "pidfd_open");

        // Blocked before clone so that no relayed signal is lost between clone and
        // signalfd; the child inherits the mask and keeps it for its own signalfd.
        sigset_t mask, old;
        sigemptyset(&mask);
        sigaddset(&mask, SIGCHLD);
        for (int s : forwarded_signals)
                sigaddset(&mask, s);
        sigprocmask(SIG_BLOCK, &mask, &old);
        UniqueFd sigfd(signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK));
        if (!sigfd.valid())
                return err_errno(errno, "signalfd");

        // The name is taken before anything starts, so that a name in use is an error with
        // nothing to undo; the entry is removed on every way out.
        struct EntryGuard {
                std::string dir;
                ~EntryGuard() {
                        if (!dir.empty())
                                remove_entry(dir);
                }
        } entry;
        if (!plan.registry.empty() || plan.instance) {
                auto dir = claim_name(plan.registry, plan.instance, plan.name);
                if (!dir && plan.instance) {
                        sigprocmask(SIG_SETMASK, &old, nullptr);
                        return std::move(dir).error();
                }
                if (dir)
                        entry.dir = *dir;
        }

        std::vector<Enforcement> enforcement;
        auto cgroup = Cgroup::setup(plan.limits, plan.name, enforcement);
        if (!cgroup) {
                sigprocmask(SIG_SETMASK, &old, nullptr);
                return std::move(cgroup).error();
        }
        unsigned long long rlimit_as = report_enforcement(plan, enforcement);

        // The bus proxy listens before the child binds its socket. Started after the cgroup
        // setup, so that it shares the launcher's leaf, and ended on every way out.
        struct ProxyGuard {
                DbusProxy p;
                ~ProxyGuard() { stop_dbus_proxy(p); }
        } proxy;
        if (!plan.dbus.binary.empty()) {
                auto started = start_dbus_proxy(plan.dbus);
                if (!started) {
                        sigprocmask(SIG_SETMASK, &old, nullptr);
                        return std::move(started).error();
                }
                proxy.p = std::move(*started);
        }

        auto argv = pointers(plan.argv);
        auto envp = pointers(plan.envp);
        std::vector<int> tree_fds(plan.mounts.size(), -1);

        // The network namespace is made by the child's helper, in parallel with the mounts.
        unsigned long long flags =
            CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP;
        int pidfd_raw = -1;
        pid_t pid = clone_with_pidfd(flags, &pidfd_raw, cgroup->fd());
        if (pid < 0) {
                int e = errno;
                sigprocmask(SIG_SETMASK, &old, nullptr);
                if (e == EPERM || e == ENOSPC || e == EINVAL) {
                        auto why = userns_problem();
                        return err_errno(e, "create namespaces%s%s (sandbox --doctor checks this machine)",
                                         why.empty() ? "" : ": ", why.c_str());
                }
                return err_errno(e, "clone");
        }
        if (pid == 0) {
                ours.release();
                close(sv[0]);
                bool report_namespaces = !entry.dir.empty();
                ChildContext c{plan,        sv[1],       self.get(), tree_fds.data(),
                               argv.data(), envp.data(), rlimit_as,  report_namespaces};
                child_main(c);
        }
        UniqueFd pidfd(pidfd_raw);
        theirs.reset();
        // From here on the launcher holds the sandbox's descriptors (its pid 1, the sync socket,
        // the filter's listener): nothing of the user's may attach to it or read its memory.
        // (Not before the clone: the child must own its /proc files to write its id maps.)
        prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

        ChildError record;
        bool have_record = false, registered = false;
        UniqueFd listener;
        std::vector<FuseDaemon> daemons;
        Pasta pasta;
        auto fail_setup = [&](const Error& e, Stage stage) {
                if (have_record)
                        return;
                memset(&record, 0, sizeof record);
                record.stage = stage;
                record.errnum = e.errnum;
                snprintf(record.what, sizeof record.what, "%s", e.msg.c_str());
                have_record = true;
                // The child waits on something nobody will do: end it.
                pidfd_send_signal(pidfd.get(), SIGKILL, nullptr, 0);
        };
        auto read_records = [&] {
                ChildError e;
                int fd = -1;
                while (receive_record(ours.get(), e, fd)) {
                        if (e.kind == RecordKind::Listener && fd >= 0 && !listener.valid()) {
                                listener.reset(fd);
                        } else if (e.kind == RecordKind::FuseDevice && fd >= 0 && e.errnum >= 0 &&
                                   static_cast<size_t>(e.errnum) < plan.mounts.size()) {
                                auto d =
                                    start_fuse_overlay(plan, plan.mounts[static_cast<size_t>(e.errnum)], fd);
                                fd = -1; // taken
                                if (d)
                                        daemons.push_back(std::move(*d));
                                else
                                        fail_setup(d.error(), Stage::Mount);
                        } else if (e.kind == RecordKind::NetReady && plan.net_user && pasta.pidfd < 0) {
                                auto started = start_pasta(plan, pid);
                                if (!started) {
                                        fail_setup(started.error(), Stage::Network);
                                } else {
                                        pasta = std::move(*started);
                                        char go = 'g';
                                        if (send(ours.get(), &go, 1, MSG_NOSIGNAL) != 1)
                                                fail_setup(
                                                    err_errno(errno, "tell the sandbox that pasta runs"),
                                                    Stage::Network);
                                }
                        } else if (e.kind == RecordKind::Namespaces && !entry.dir.empty() && !registered) {
                                // Published once the child has said which namespaces are its own.
                                unsigned long long userns = 0, pidns = 0;
                                if (sscanf(e.what, "%llu %llu", &userns, &pidns) == 2)
                                        register_running(plan, entry.dir, pid, cgroup->path(), userns, pidns);
                                registered = true;
                        } else if (e.kind == RecordKind::Error && !have_record) {
                                record = e;
                                have_record = true;
                        }
                        if (fd >= 0 && fd != listener.get())
                                close(fd);
                }
        };

        struct pollfd fds[6] = {
            {pidfd.get(), POLLIN, 0}, {sigfd.get(), POLLIN, 0}, {ours.get(), POLLIN, 0},
            {-1, POLLIN, 0},          {-1, POLLIN, 0},          {proxy.p.pidfd, POLLIN, 0},
        };
        bool pasta_gone = false;
        for (;;) {
                fds[3].fd = listener.get();
                fds[4].fd = pasta_gone ? -1 : pasta.pidfd;
                int n = poll(fds, 6, -1);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return err_errno(errno, "poll");
                if (fds[2].revents & POLLIN)
                        read_records();
                if (fds[2].revents & (POLLHUP | POLLERR))
                        fds[2].fd = -1; // the command was executed or the child is gone
                if (fds[3].revents & POLLIN)
                        answer_notification(listener.get(), plan.policy);
                if (fds[3].revents & (POLLHUP | POLLERR))
                        listener.reset();
                if (fds[1].revents & POLLIN) {
                        struct signalfd_siginfo si;
                        while (read(sigfd.get(), &si, sizeof si) == sizeof si) {
                                // A terminal's signal went to the whole foreground group, the
                                // command included; relay only what was sent to us alone.
                                if (si.ssi_signo == SIGCHLD || si.ssi_code == SI_KERNEL)
                                        continue;
                                pidfd_send_signal(pidfd.get(), static_cast<int>(si.ssi_signo), nullptr, 0);
                        }
                }
                if (fds[4].revents & POLLIN) {
                        pasta_gone = true;
                        if (!plan.quiet)
                                fprintf(stderr,
                                        "sandbox: warning: pasta, the sandbox's network, has ended: the "
                                        "sandbox has no network now\n");
                }
                if (fds[5].revents & POLLIN) {
                        fds[5].fd = -1;
                        if (!plan.quiet)
                                fprintf(stderr, "sandbox: warning: xdg-dbus-proxy has ended: the sandbox has "
                                                "no bus now\n");
                }
                if (fds[0].revents & POLLIN)
                        break;
        }
        siginfo_t info;
        memset(&info, 0, sizeof info);
        if (waitid(static_cast<idtype_t>(P_PIDFD), static_cast<id_t>(pidfd.get()), &info, WEXITED) < 0)
                return err_errno(errno, "wait for the sandbox");
        read_records();
        stop_pasta(pasta);
        stop_fuse_overlays(daemons);
        stop_dbus_proxy(proxy.p);
        sigprocmask(SIG_SETMASK, &old, nullptr);

        auto stats = cgroup->finish();
        if (have_record)
                return from_record(record);
        RunResult r;
        r.exit_code = info.si_code == CLD_EXITED ? info.si_status : 128 + info.si_status;
        report_end(plan, stats, r);
        return r;
}

} // namespace sb
