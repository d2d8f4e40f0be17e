// SPDX-License-Identifier: GPL-2.0-or-later
// argv -> cli -> profiles -> Plan -> runner::run(); errors become one line and 125/126/127.
#include "cli.h"
#include "config.h"
#include "host.h"
#include "merge.h"
#include "plan.h"
#include "profile_load.h"
#include "runner.h"
#include "text.h"

#include <cstdio>
#include <string>
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

} // namespace

int main(int argc, char** argv, char** envp) {
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

        auto search = default_search(*host);
        auto profile_name = choose_profile(*cli, search);
        auto app = cli->command.empty() ? std::string() : basename_of(cli->command[0]);
        auto layers = load_profile(profile_name, search, *host, app);
        if (!layers)
                return fail(layers.error());
        layers->push_back(cli->layer);
        Profile merged = merge_layers(*layers);

        auto command = cli->command;
        if (command.empty() && merged.command)
                command.push_back(*merged.command);
        if (command.empty())
                return fail(err("no command given (see 'sandbox --help')"));

        auto plan = build_plan(PlanInput{merged, *cli, *host, command});
        if (!plan)
                return fail(plan.error());
        if (cli->verbosity > 0)
                fprintf(stderr, "sandbox: profile %s\n%s", quote(profile_name).c_str(),
                        describe_plan(*plan).c_str());

        auto result = run(*plan);
        if (!result)
                return fail(result.error());
        if (result->setup_failed)
                fprintf(stderr, "sandbox: %s\n", result->message.c_str());
        return result->exit_code;
}
