// SPDX-License-Identifier: GPL-2.0-or-later
// network.mode = "user": pasta, started by the launcher against the sandbox's namespaces.
#include "pasta.h"

#include "fd.h"
#include "paths.h"
#include "text.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace sb {

Result<Pasta> start_pasta(const Plan& plan, pid_t child) {
        Pasta p;
        // Its pid file and its log are memory files, handed over as fds 3 and 2: nothing on disk
        // that a killed launcher could leave behind.
        UniqueFd pidfile(memfd_create("pasta-pid", MFD_CLOEXEC));
        UniqueFd log(memfd_create("pasta-log", MFD_CLOEXEC));
        if (!pidfile.valid() || !log.valid())
                return err_errno(errno, "memory files for pasta");
        std::vector<std::string> args = {"pasta"};
        args.insert(args.end(), plan.pasta_args.begin(), plan.pasta_args.end());
        args.insert(args.end(), {"-P", "/proc/self/fd/3", std::to_string(child)});
        std::vector<char*> argv;
        for (auto& a : args)
                argv.push_back(a.data());
        argv.push_back(nullptr);
        sigset_t none;
        sigemptyset(&none);
        pid_t pid = fork();
        if (pid < 0)
                return err_errno(errno, "start pasta");
        if (pid == 0) {
                // In the foreground, as our child: it dies with the launcher, even by SIGKILL.
                prctl(PR_SET_PDEATHSIG, SIGKILL);
                sigprocmask(SIG_SETMASK, &none, nullptr);
                int null = open("/dev/null", O_RDWR);
                if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(log.get(), 2) < 0 ||
                    dup2(pidfile.get(), 3) < 0)
                        _exit(127);
                execv(plan.pasta.c_str(), argv.data());
                _exit(127);
        }
        p.pid = pid;
        p.pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
        // pasta writes its pid file once the namespace is configured.
        for (int waited = 0;; waited++) {
                int status = 0;
                pid_t r = waitpid(pid, &status, WNOHANG);
                if (r == pid) {
                        p.pid = -1;
                        std::string text;
                        // Without a syslog pasta notes each message it could not send there (with stray
                        // bytes around the note): noise.
                        std::string log_text = read_fd_start(log.get());
                        for (auto line : split(log_text, '\n'))
                                if (line.find("to syslog") == std::string_view::npos && !line.empty())
                                        text += std::string(text.empty() ? "" : "\n") + std::string(line);
                        for (auto& c : text)
                                if (c == '\n')
                                        c = ';';
                        stop_pasta(p);
                        if (access("/dev/net/tun", R_OK | W_OK) < 0)
                                text +=
                                    "; /dev/net/tun is not usable by you (udev makes it mode 0666 on Debian)";
                        return err("pasta failed (%s)%s%s",
                                   WIFEXITED(status) ? strprintf("exit %d", WEXITSTATUS(status)).c_str()
                                                     : strprintf("signal %d", WTERMSIG(status)).c_str(),
                                   text.empty() ? "" : ": ", escape_controls(text).c_str());
                }
                struct stat st;
                if (fstat(pidfile.get(), &st) == 0 && st.st_size > 0)
                        break;
                if (waited >= 10000) {
                        stop_pasta(p);
                        return err("pasta did not set up the network within 10 s");
                }
                usleep(1000);
        }
        return p;
}

void stop_pasta(Pasta& p) {
        if (p.pidfd >= 0) {
                syscall(SYS_pidfd_send_signal, p.pidfd, SIGTERM, nullptr, 0);
                struct pollfd pfd = {p.pidfd, POLLIN, 0};
                if (poll(&pfd, 1, 1000) == 0)
                        syscall(SYS_pidfd_send_signal, p.pidfd, SIGKILL, nullptr, 0);
                close(p.pidfd);
                p.pidfd = -1;
        }
        if (p.pid > 0)
                waitpid(p.pid, nullptr, 0);
        p.pid = -1;
}

} // namespace sb
