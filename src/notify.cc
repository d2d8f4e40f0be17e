// SPDX-License-Identifier: GPL-2.0-or-later
// Launcher side of audit mode: answer each seccomp notification as the filter would have.
#include "notify.h"

#include "text.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <string>
#include <sys/ioctl.h>
#include <unistd.h>

namespace sb {

namespace {

// The pid as the sandbox sees it (the last NSpid field) and the command name, for the report.
std::string describe(pid_t pid) {
        std::string inside = std::to_string(pid), comm = "?";
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/status", pid);
        if (FILE* f = fopen(path, "re")) {
                char line[256];
                while (fgets(line, sizeof line, f)) {
                        if (strncmp(line, "Name:\t", 6) == 0) {
                                comm = line + 6;
                                if (!comm.empty() && comm.back() == '\n')
                                        comm.pop_back();
                        } else if (strncmp(line, "NSpid:", 6) == 0) {
                                std::string l(line);
                                auto last = l.find_last_of(" \t", l.size() - 2);
                                inside = l.substr(last + 1, l.size() - last - 2);
                        }
                }
                fclose(f);
        }
        return "pid " + inside + " (" + escape_controls(comm) + ")";
}

} // namespace

bool answer_notification(int listener, const SeccompPolicy& policy) noexcept {
        struct seccomp_notif* req = nullptr;
        struct seccomp_notif_resp* resp = nullptr;
        if (seccomp_notify_alloc(&req, &resp) != 0)
                return false;
        bool alive = true;
        if (seccomp_notify_receive(listener, req) != 0) {
                // ENOENT: the caller died before we read it; anything else: the listener is gone.
                alive = errno == ENOENT || errno == EINTR;
                seccomp_notify_free(req, resp);
                return alive;
        }
        char* name = seccomp_syscall_resolve_num_arch(req->data.arch, req->data.nr);
        std::string sys = name ? name : "#" + std::to_string(req->data.nr);
        free(name);
        uint64_t args[6];
        for (int i = 0; i < 6; i++)
                args[i] = req->data.args[i];
        const SyscallRule* rule = match_rule(policy, sys, args);
        std::string who = describe(static_cast<pid_t>(req->pid));

        resp->id = req->id;
        resp->val = 0;
        resp->error = 0;
        resp->flags = 0;
        std::string what;
        if (!rule) {
                // The filter refused it, but no rule here says how (a 32-bit socketcall whose
                // arguments the filter cannot see): refuse, never let it through.
                resp->error = -EPERM;
                what = "refused with EPERM";
        } else if (rule->action == Action::Log || rule->action == Action::Allow) {
                // A "log" rule lets the call proceed; the filter only asked us to see it.
                resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
                what = "allowed and logged";
        } else if (rule->action == Action::Kill) {
                resp->error = -EPERM;
                what = "refused: process killed";
                // The id check guards against the pid having been reused meanwhile.
                if (seccomp_notify_id_valid(listener, req->id) == 0)
                        kill(static_cast<pid_t>(req->pid), SIGKILL);
        } else {
                resp->error = -rule->errnum;
                const char* en = strerrorname_np(rule->errnum);
                what = std::string("refused with ") + (en ? en : std::to_string(rule->errnum).c_str());
        }
        fprintf(stderr, "sandbox: seccomp: %s: %s %s [%s]\n", who.c_str(), sys.c_str(), what.c_str(),
                rule ? rule->origin.c_str() : "no rule");
        seccomp_notify_respond(listener, resp);
        seccomp_notify_free(req, resp);
        return true;
}

} // namespace sb
