// SPDX-License-Identifier: GPL-2.0-or-later
// argv -> cli -> profiles -> Plan -> runner::run(); errors become one line and 125/126/127.
#include "cli.h"
#include "config.h"
#include "desktop.h"
#include "doctor.h"
#include "explain.h"
#include "host.h"
#include "merge.h"
#include "plan.h"
#include "precompiled_bpf.h"
#include "profile_load.h"
#include "registry.h"
#include "runner.h"
#include "running.h"
#include "text.h"

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <string>
#include <sys/auxv.h>
#include <unistd.h>
#include <vector>

using namespace sb;

namespace {

constexpr int exit_setup_failed = 125;

int fail(const Error& e) {
        fprintf(stderr, "sandbox: %s\n", e.what().c_str());
        return exit_setup_failed;
}

std::string basename_of(const std::string& path) {
        return path.substr(path.rfind('/') + 1);
}

// Of a profile's alternative commands, the first that PATH has (the system inside is the
// host's), else the first, whose absence the run then reports.
std::string first_in_path(const std::vector<std::string>& names, const std::string& path_var) {
        // Named: split()'s views must not outlive the string (a temporary in a range-for
        // initializer dies before the loop runs, until C++23).
        const std::string path = path_var.empty() ? "/usr/bin:/bin" : path_var;
        for (auto& name : names) {
                if (name.find('/') != std::string::npos) {
                        if (access(name.c_str(), X_OK) == 0)
                                return name;
                        continue;
                }
                for (auto dir : split(path, ':'))
                        if (!dir.empty() && access((std::string(dir) + "/" + name).c_str(), X_OK) == 0)
                                return name;
        }
        return names.front();
}

// --profile, else the profile named after the command if there is one, else "default".
std::string choose_profile(const Cli& cli, const ProfileSearch& search) {
        if (cli.profile)
                return *cli.profile;
        if (!cli.command.empty()) {
                auto app = basename_of(cli.command[0]);
                if (!find_profile(app, search).empty())
                        return app;
        }
        return "default";
}

int list(const std::vector<ProfileListing>& profiles, bool json) {
        if (json) {
                std::string s = "[";
                for (size_t i = 0; i < profiles.size(); i++) {
                        auto& p = profiles[i];
                        s += strprintf(
                            "%s\n  {\"name\": %s, \"description\": %s, \"path\": %s, \"error\": %s, "
                            "\"shadowed\": [",
                            i ? "," : "", json_string(p.name).c_str(), json_string(p.description).c_str(),
                            json_string(p.path).c_str(),
                            p.error.empty() ? "null" : json_string(p.error).c_str());
                        for (size_t j = 0; j < p.shadowed.size(); j++)
                                s += (j ? ", " : "") + json_string(p.shadowed[j]);
                        s += "]}";
                }
                s += "\n]\n";
                fputs(s.c_str(), stdout);
                return 0;
        }
        for (auto& p : profiles) {
                std::string line = p.name;
                line.resize(std::max<size_t>(line.size() + 2, 18), ' ');
                line += p.error.empty() ? escape_controls(p.description)
                                        : "(does not load: " + escape_controls(p.error) + ")";
                printf("%s\n    %s\n", line.c_str(), escape_controls(p.path).c_str());
                for (auto& s : p.shadowed)
                        printf("    (hides %s)\n", escape_controls(s).c_str());
        }
        return 0;
}

} // namespace

int main(int argc, char** argv, char** envp) {
        // Started setuid, setgid or with file capabilities (AT_SECURE), sandbox would act with
        // more than the caller's privilege on what the caller names: it is made to need none.
        if (getauxval(AT_SECURE)) {
                fputs("sandbox: refusing to run setuid, setgid or with file capabilities: it needs no privilege "
                      "(remove them: chmod u-s,g-s; setcap -r)\n",
                      stderr);
                return exit_setup_failed;
        }
        // A caller may start us with 0, 1 or 2 closed; the next descriptor we open (the sync
        // socket, a signalfd) would then become the command's stdin or stdout.
        for (int fd = 0; fd < 3; fd++)
                if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) < 0)
                        return exit_setup_failed;
        auto host = read_host(envp);
        if (!host)
                return fail(host.error());
        std::vector<std::string_view> args(argv + 1, argv + argc);
        auto cli = parse_cli(args, host->cwd, host->home);
        if (!cli)
                return fail(cli.error());
        if (cli->help) {
                fputs(help_text().c_str(), stdout);
                return 0;
        }
        if (cli->version) {
                printf("sandbox %s\n", SB_VERSION);
                return 0;
        }

        if (cli->json && !cli->explain && !cli->list_profiles && !cli->list)
                return fail(err("--json goes with --explain, --list-profiles or --list"));
        if (cli->timeout && !cli->stop)
                return fail(err("--timeout goes with --stop"));
        if (int(cli->list) + int(cli->enter.has_value()) + int(cli->stop.has_value()) > 1)
                return fail(err("--list, --enter and --stop each act alone: give one of them"));
        if (cli->list || cli->stop) {
                if (!cli->command.empty())
                        return fail(err("%s takes no command", cli->list ? "--list" : "--stop"));
        }
        if (cli->doctor)
                return run_doctor();
        if (cli->list)
                return list_running(registry_dir(*host), cli->json);
        if (cli->enter || cli->stop) {
                auto entry = find_entry(registry_dir(*host), cli->enter ? *cli->enter : *cli->stop);
                if (!entry)
                        return fail(entry.error());
                return cli->enter ? enter_sandbox(*entry, cli->command) : stop_sandbox(*entry, cli->timeout.value_or(10));
        }

        if (cli->install_desktop || cli->uninstall_desktop || cli->list_desktop) {
                auto out = cli->install_desktop ? install_desktop(*host, *cli->install_desktop, cli->profile)
                           : cli->uninstall_desktop ? uninstall_desktop(*host, *cli->uninstall_desktop)
                                                    : list_desktop(*host);
                if (!out)
                        return fail(out.error());
                fputs(out->c_str(), stdout);
                return 0;
        }

        auto search = default_search(*host);
        if (cli->list_profiles)
                return list(list_profiles(search, *host), cli->json);

        auto profile_name = cli->check_profile ? *cli->check_profile : choose_profile(*cli, search);
        auto app = cli->command.empty() ? std::string() : basename_of(cli->command[0]);
        auto layers = load_profile(profile_name, search, *host, app);
        if (!layers)
                return fail(layers.error());
        auto top_name = layers->empty() ? profile_name : basename_of(profile_name);
        if (top_name.ends_with(".toml"))
                top_name.resize(top_name.size() - 5);
        if (!cli->check_profile)
                layers->push_back(cli->layer);
        Profile merged = merge_layers(*layers);
        merged.name = top_name;
        if (auto ok = check_merged(merged); !ok)
                return fail(ok.error());

        auto command = cli->command;
        if (command.empty() && merged.command)
                command.push_back(first_in_path(*merged.command, host->getenv("PATH")));
        // Checking and explaining need no command; a placeholder lets the plan be built whole.
        bool acting = cli->explain || cli->check_profile;
        if (command.empty() && acting)
                command.push_back("(no command)");
        if (command.empty())
                return fail(err("no command given (see 'sandbox --help')"));

        auto plan = build_plan(PlanInput{merged, *cli, *host, command, precompiled_bpf, precompiled_init_bpf});
        if (!plan)
                return fail(plan.error());
        if (cli->check_profile) {
                printf("%s: ok\n", escape_controls(profile_name).c_str());
                return 0;
        }
        if (cli->explain) {
                ExplainInput in{*layers, merged, *plan, *host};
                fputs((cli->json ? explain_json(in) : explain_text(in)).c_str(), stdout);
                return 0;
        }
        if (cli->verbosity > 0)
                fprintf(stderr, "sandbox: profile %s\n%s", quote(profile_name).c_str(),
                        describe_plan(*plan).c_str());
        if (cli->verbosity >= 0)
                for (auto& w : plan->warnings)
                        fprintf(stderr, "sandbox: warning: %s\n", w.c_str());

        // Limits where the cgroup cannot take them: ask the user's systemd for a scope of our
        // own, as rootless podman does, by running again inside one.
        if (auto runner = own_scope_runner(plan->limits); !runner.empty()) {
                char self[PATH_MAX];
                ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
                if (n > 0) {
                        self[n] = '\0';
                        std::string unit =
                            "sandbox-" + safe_name(plan->name) + "-" + std::to_string(getpid()) + ".scope";
                        std::vector<const char*> args = {
                            runner.c_str(), "--user", "--scope",    "--quiet", "--collect", "-p",
                            "Delegate=yes", "--unit", unit.c_str(), "--",      self};
                        for (int i = 1; i < argc; i++)
                                args.push_back(argv[i]);
                        args.push_back(nullptr);
                        setenv("SANDBOX_SCOPE", "1", 1);
                        if (cli->verbosity > 0)
                                fprintf(stderr, "sandbox: running in a scope of its own: %s\n", unit.c_str());
                        execv(runner.c_str(), const_cast<char* const*>(args.data()));
                        unsetenv("SANDBOX_SCOPE"); // not run: the limits fall back below
                }
        }
        auto result = run(*plan);
        if (!result)
                return fail(result.error());
        if (result->setup_failed)
                fprintf(stderr, "sandbox: %s\n", result->message.c_str());
        return result->exit_code;
}
