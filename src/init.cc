// SPDX-License-Identifier: GPL-2.0-or-later
// pid 1 inside: reaps every orphan, relays signals to the command, exits with its status.
#include "init.h"

#include <cerrno>
#include <csignal>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

namespace sb {

const int forwarded_signals[7] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH};

int exit_code_of(int status) noexcept {
        if (WIFSIGNALED(status))
                return 128 + WTERMSIG(status);
        return WEXITSTATUS(status);
}

void run_init(pid_t app, int signal_fd) noexcept {
        for (;;) {
                struct signalfd_siginfo si;
                ssize_t n = read(signal_fd, &si, sizeof si);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n != sizeof si)
                        _exit(125);
                if (si.ssi_signo == SIGCHLD) {
                        int status;
                        pid_t pid;
                        while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
                                if (pid == app)
                                        _exit(exit_code_of(status));
                        continue;
                }
                // A signal from the terminal (SI_KERNEL) already reached the command's
                // process group directly; relaying it would deliver it twice.
                if (si.ssi_code != SI_KERNEL)
                        kill(app, static_cast<int>(si.ssi_signo));
        }
}

} // namespace sb
