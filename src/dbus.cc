// SPDX-License-Identifier: GPL-2.0-or-later
// [gui.dbus] and [gui.system_dbus] through xdg-dbus-proxy. The app never gets a bus socket of
// the host: it gets the proxy's, which passes on only what the profile's rules name. The proxy
// runs as the user outside the sandbox (it must reach the real bus), so it is confined itself:
// its own session, no_new_privs, a Landlock ruleset that lets it read the system and write its
// own directory only, and the default syscall filter. It lives as long as the launcher holds
// the other end of its --fd pipe, and dies with the launcher (PDEATHSIG) in any case.
#include "dbus.h"

#include "fd.h"
#include "landlock.h"
#include "paths.h"
#include "text.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace sb {

namespace {

bool is_socket(const std::string& path) {
        struct stat st;
        return stat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
}

// "unix:path=/run/user/1000/bus,guid=..." -> "/run/user/1000/bus"; "" for other kinds.
std::string unix_path(std::string_view address) {
        if (!address.starts_with("unix:"))
                return {};
        for (auto part : split(address.substr(5), ','))
                if (part.starts_with("path="))
                        return std::string(part.substr(5));
        return {};
}

std::string find_proxy(const Host& h) {
        std::string path = h.getenv("PATH");
        if (path.empty())
                path = "/usr/bin:/bin";
        for (auto dir : split(path, ':')) {
                if (dir.empty() || dir[0] != '/')
                        continue;
                std::string candidate = std::string(dir) + "/xdg-dbus-proxy";
                if (access(candidate.c_str(), X_OK) == 0)
                        return candidate;
        }
        return access("/usr/bin/xdg-dbus-proxy", X_OK) == 0 ? "/usr/bin/xdg-dbus-proxy" : "";
}


void remove_dir(const std::string& dir) {
        for (const char* name : {"/session", "/system"})
                unlink((dir + name).c_str());
        rmdir(dir.c_str());
}

// Directories of proxies whose launcher is gone (killed before it could clean up).
void sweep_stale(const std::string& base) {
        DIR* d = opendir(base.c_str());
        if (!d)
                return;
        while (auto* e = readdir(d)) {
                std::string_view name = e->d_name;
                if (!name.starts_with("dbus-"))
                        continue;
                long pid = strtol(e->d_name + 5, nullptr, 10);
                if (pid > 0 && kill(static_cast<pid_t>(pid), 0) < 0 && errno == ESRCH)
                        remove_dir(base + "/" + std::string(name));
        }
        closedir(d);
}

} // namespace

std::string bus_address(const Host& h, bool system, const std::string& runtime_dir) {
        std::string address = h.getenv(system ? "DBUS_SYSTEM_BUS_ADDRESS" : "DBUS_SESSION_BUS_ADDRESS");
        if (address.empty()) {
                std::string socket = system ? "/run/dbus/system_bus_socket"
                                     : runtime_dir.empty() ? ""
                                                           : runtime_dir + "/bus";
                return !socket.empty() && is_socket(socket) ? "unix:path=" + socket : "";
        }
        if (address.starts_with("disabled:"))
                return {};
        // The first of several addresses is what a client would use; the proxy takes it whole.
        auto path = unix_path(address.substr(0, address.find(';')));
        if (!path.empty() && !is_socket(path))
                return {};
        return address;
}

std::vector<std::string> proxy_args(const std::string& address, const std::string& socket,
                                    const DbusFilter& f) {
        std::vector<std::string> a = {address, socket, "--filter"};
        for (auto [option, names] : {std::pair{"--talk=", &f.talk},
                                     {"--own=", &f.own},
                                     {"--see=", &f.see},
                                     {"--call=", &f.call}})
                for (auto& n : *names)
                        a.push_back(option + n.value);
        return a;
}

void add_dbus(std::vector<MountOp>& ops, GuiResult& r, DbusProxyPlan& out, const Profile& p, const Host& h,
              const std::string& runtime_dir, pid_t launcher) {
        if (!p.dbus.given && !p.system_dbus.given)
                return;
        std::string base = runtime_dir.empty() ? "" : runtime_dir + "/sandbox";
        std::string dir = base + "/dbus-" + std::to_string(launcher);
        std::string binary;
        bool missing_proxy = false;
        for (bool system : {false, true}) {
                auto& f = system ? p.system_dbus : p.dbus;
                if (!f.given)
                        continue;
                const char* key = system ? "gui.system_dbus" : "gui.dbus";
                std::string address = bus_address(h, system, runtime_dir);
                if (address.empty()) {
                        r.notes.push_back(std::string(key) + ": no " + (system ? "system" : "session") +
                                          " bus on this host: the app runs without one");
                        continue;
                }
                if (!system && runtime_dir.empty()) {
                        r.notes.push_back("gui.dbus: XDG_RUNTIME_DIR is not set, so there is no place for the "
                                          "bus inside: the app runs without one");
                        continue;
                }
                if (binary.empty() && !missing_proxy) {
                        binary = find_proxy(h);
                        missing_proxy = binary.empty();
                }
                if (missing_proxy) {
                        r.warnings.push_back(std::string(key) +
                                             ": xdg-dbus-proxy is not installed (Debian: apt install "
                                             "xdg-dbus-proxy): the app runs without the bus");
                        continue;
                }
                if (base.empty()) {
                        r.notes.push_back(std::string(key) +
                                          ": XDG_RUNTIME_DIR is not set: no place for the proxy's socket; "
                                          "the app runs without the bus");
                        continue;
                }
                std::string socket = dir + (system ? "/system" : "/session");
                auto more = proxy_args(address, socket, f);
                out.args.insert(out.args.end(), more.begin(), more.end());
                if (address.find("abstract=") != std::string::npos)
                        out.abstract = true;
                if (address.starts_with("tcp:") || address.find(";tcp:") != std::string::npos)
                        out.tcp = true;
                std::string inside = system ? "/run/dbus/system_bus_socket" : runtime_dir + "/bus";
                MountOp op = bind_op(socket, inside, false, true);
                op.origin = *f.given;
                op.why = std::string(key) + ": the proxy's socket";
                std::erase_if(ops, [&](const MountOp& o) { return o.dst == op.dst; });
                ops.push_back(op);
                r.env.emplace_back(system ? "DBUS_SYSTEM_BUS_ADDRESS" : "DBUS_SESSION_BUS_ADDRESS",
                                   "unix:path=" + inside);
        }
        if (out.args.empty())
                return;
        out.binary = binary;
        out.base = base;
        out.dir = dir;
}

Result<DbusProxy> start_dbus_proxy(const DbusProxyPlan& plan) {
        DbusProxy p;
        // $XDG_RUNTIME_DIR is the user's own (0700); our directory in it is too.
        if (mkdir(plan.base.c_str(), 0700) < 0 && errno != EEXIST)
                return err_errno(errno, "create %s", quote(plan.base).c_str());
        sweep_stale(plan.base);
        remove_dir(plan.dir); // a stale one of a launcher that had our pid
        if (mkdir(plan.dir.c_str(), 0700) < 0)
                return err_errno(errno, "create %s", quote(plan.dir).c_str());
        p.dir = plan.dir;

        int pipefd[2];
        if (pipe2(pipefd, O_CLOEXEC) < 0) {
                stop_dbus_proxy(p);
                return err_errno(errno, "pipe for xdg-dbus-proxy");
        }
        UniqueFd ready(pipefd[0]), theirs(pipefd[1]);
        UniqueFd log(memfd_create("dbus-proxy-log", MFD_CLOEXEC));

        // Everything the child needs is made before fork: it only makes system calls.
        std::vector<std::string> args = {"xdg-dbus-proxy", "--fd=3"};
        args.insert(args.end(), plan.args.begin(), plan.args.end());
        std::vector<char*> argv;
        for (auto& a : args)
                argv.push_back(a.data());
        argv.push_back(nullptr);
        char* envp[] = {nullptr};
        LandlockRules rules;
        rules.paths = {{"/usr", LlRead | LlExec},   {"/lib", LlRead | LlExec}, {"/lib64", LlRead | LlExec},
                       {"/lib32", LlRead | LlExec}, {"/bin", LlRead | LlExec}, {"/etc", LlRead},
                       {"/dev/null", LlRead | LlWrite}, {"/dev/urandom", LlRead},
                       {plan.dir, LlRead | LlWrite | LlCreate}};
        rules.no_tcp = !plan.tcp;
        rules.scope_signals = true;
        rules.scope_abstract = !plan.abstract;
        sock_fprog prog{static_cast<unsigned short>(plan.seccomp.size()),
                        const_cast<sock_filter*>(plan.seccomp.data())};
        pid_t parent = getpid();
        sigset_t none;
        sigemptyset(&none);

        pid_t pid = fork();
        if (pid < 0) {
                stop_dbus_proxy(p);
                return err_errno(errno, "start xdg-dbus-proxy");
        }
        if (pid == 0) {
                // Out of the terminal's session, so that ^C reaches the app, not its bus.
                setsid();
                prctl(PR_SET_PDEATHSIG, SIGKILL);
                if (getppid() != parent)
                        _exit(127);
                sigprocmask(SIG_SETMASK, &none, nullptr);
                int null = open("/dev/null", O_RDWR | O_CLOEXEC);
                if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 ||
                    (log.valid() ? dup2(log.get(), 2) : dup2(null, 2)) < 0 || dup2(theirs.get(), 3) < 0)
                        _exit(127);
                syscall(SYS_close_range, 4U, ~0U, 0U);
                if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                        _exit(127);
                int e = landlock_restrict(rules);
                if (e != 0 && e != ENOSYS && e != EOPNOTSUPP)
                        _exit(127);
                if (prog.len > 0 && syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
                        _exit(127);
                execve(plan.binary.c_str(), argv.data(), envp);
                _exit(127);
        }
        theirs.reset();
        p.pid = pid;
        p.pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
        // It writes one byte to its --fd once it listens; it exits instead if it cannot.
        struct pollfd pfd = {ready.get(), POLLIN, 0};
        char byte = 0;
        int n = poll(&pfd, 1, 10000);
        if (n <= 0 || read(ready.get(), &byte, 1) != 1) {
                int status = 0;
                std::string why = n == 0 ? "it did not start within 10 s" : "it ended";
                if (n != 0 && waitpid(pid, &status, 0) == pid) {
                        p.pid = -1;
                        why = WIFEXITED(status) ? strprintf("exit %d", WEXITSTATUS(status))
                                                : strprintf("signal %d", WTERMSIG(status));
                }
                std::string text = log.valid() ? read_fd_start(log.get()) : "";
                while (!text.empty() && text.back() == '\n')
                        text.pop_back();
                for (auto& ch : text)
                        if (ch == '\n')
                                ch = ';';
                stop_dbus_proxy(p);
                return err("xdg-dbus-proxy failed (%s)%s%s", why.c_str(), text.empty() ? "" : ": ",
                           escape_controls(text).c_str());
        }
        p.alive = ready.release();
        return p;
}

void stop_dbus_proxy(DbusProxy& p) {
        if (p.alive >= 0) {
                close(p.alive); // it exits when its --fd closes
                p.alive = -1;
        }
        if (p.pidfd >= 0) {
                struct pollfd pfd = {p.pidfd, POLLIN, 0};
                if (poll(&pfd, 1, 1000) == 0)
                        syscall(SYS_pidfd_send_signal, p.pidfd, SIGKILL, nullptr, 0);
                close(p.pidfd);
                p.pidfd = -1;
        }
        if (p.pid > 0)
                waitpid(p.pid, nullptr, 0);
        p.pid = -1;
        if (!p.dir.empty())
                remove_dir(p.dir);
        p.dir.clear();
}

} // namespace sb
