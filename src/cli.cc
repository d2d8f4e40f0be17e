// SPDX-License-Identifier: GPL-2.0-or-later
// The command line: one option table feeds parsing, --help and the completion check (pure).
#include "cli.h"

#include "paths.h"
#include "registry.h"
#include "text.h"

#include <charconv>

namespace sb {

namespace {

struct Ctx {
        Cli& cli;
        std::string_view cwd;
        std::string_view home;
};

// "~/x" and relative paths are taken as a shell user means them.
Result<std::string> cli_path(const Ctx& c, std::string_view p) {
        std::string s(p);
        if (s == "~" || s.starts_with("~/"))
                s = std::string(c.home) + s.substr(1);
        if (!s.empty() && s[0] != '/' && c.cwd.empty())
                return err("relative path %s, but the working directory cannot be read", quote(p).c_str());
        return absolute_path(s, c.cwd);
}

Status add_bind(Ctx& c, std::string_view arg, bool read_only, bool optional) {
        auto [src, dst] = split_bind_spec(arg);
        auto s = cli_path(c, src);
        if (!s)
                return std::move(s).error();
        auto d = cli_path(c, dst);
        if (!d)
                return std::move(d).error();
        MountEntry m{};
        m.type = MountType::Bind;
        m.src = *s;
        m.dst = *d;
        m.read_only = read_only;
        m.optional = optional;
        c.cli.layer.mounts.push_back(std::move(m));
        return Ok{};
}

Status set_env(Ctx& c, std::string_view arg) {
        auto eq = arg.find('=');
        if (eq == std::string_view::npos)
                return err("expected NAME=VALUE, found %s", quote(arg).c_str());
        auto name = arg.substr(0, eq);
        if (!valid_env_name(name))
                return err("invalid variable name %s", quote(name).c_str());
        c.cli.layer.env.push_back(EnvSetting{std::string(name), std::string(arg.substr(eq + 1)), Origin{}});
        return Ok{};
}

Status env_name(std::string_view arg, bool allow_glob) {
        auto name = arg;
        if (allow_glob && name.ends_with('*'))
                name.remove_suffix(1);
        if (!valid_env_name(name) && !(allow_glob && arg == "*"))
                return err("invalid variable name %s", quote(arg).c_str());
        return Ok{};
}

using Apply = Status (*)(Ctx&, std::string_view);

struct OptionDef {
        OptionInfo info;
        Apply apply;
};

const std::vector<OptionDef>& option_defs() {
        static const std::vector<OptionDef> defs = {
            {{"profile", 0, "NAME|FILE", "use a profile by name or from a file"},
             [](Ctx& c, std::string_view a) -> Status {
                     if (a.empty())
                             return err("empty profile name");
                     c.cli.profile = std::string(a);
                     return Ok{};
             }},
            {{"ro-bind", 0, "SRC[:DST]", "make a host path visible read-only"},
             [](Ctx& c, std::string_view a) { return add_bind(c, a, true, false); }},
            {{"bind", 0, "SRC[:DST]", "make a host path visible read-write"},
             [](Ctx& c, std::string_view a) { return add_bind(c, a, false, false); }},
            {{"ro-bind-try", 0, "SRC[:DST]", "like --ro-bind, skipped when SRC does not exist"},
             [](Ctx& c, std::string_view a) { return add_bind(c, a, true, true); }},
            {{"bind-try", 0, "SRC[:DST]", "like --bind, skipped when SRC does not exist"},
             [](Ctx& c, std::string_view a) { return add_bind(c, a, false, true); }},
            {{"tmpfs", 0, "DIR", "mount an empty private directory"},
             [](Ctx& c, std::string_view a) -> Status {
                     auto d = cli_path(c, a);
                     if (!d)
                             return std::move(d).error();
                     MountEntry m{};
                     m.type = MountType::Tmpfs;
                     m.dst = *d;
                     m.read_only = false;
                     c.cli.layer.mounts.push_back(std::move(m));
                     return Ok{};
             }},
            {{"hide", 0, "PATH", "make a path an empty read-only directory or file"},
             [](Ctx& c, std::string_view a) -> Status {
                     auto d = cli_path(c, a);
                     if (!d)
                             return std::move(d).error();
                     c.cli.layer.hide.push_back({*d, Origin{}});
                     return Ok{};
             }},
            {{"net", 0, "none|user|host", "no network but loopback, outbound through pasta, or the host's"},
             [](Ctx& c, std::string_view a) -> Status {
                     if (a == "none")
                             c.cli.layer.net = NetMode::None;
                     else if (a == "user")
                             c.cli.layer.net = NetMode::User;
                     else if (a == "host")
                             c.cli.layer.net = NetMode::Host;
                     else
                             return err("expected 'none', 'user' or 'host', found %s", quote(a).c_str());
                     return Ok{};
             }},
            {{"forward", 0, "PROTO:PORT[:PORT]",
              "with --net user: forward a host port in (tcp:8080, udp:5353:53)"},
             [](Ctx& c, std::string_view a) -> Status {
                     auto f = parse_forward_spec(a);
                     if (!f)
                             return std::move(f).error();
                     c.cli.layer.forwards.push_back(*f);
                     return Ok{};
             }},
            {{"allow-host-port", 0, "PORT",
              "with --net user: let the sandbox reach this host loopback port (all: every listening one)"},
             [](Ctx& c, std::string_view a) -> Status {
                     if (a == "all") {
                             c.cli.layer.host_ports.push_back({0, Origin{}});
                             return Ok{};
                     }
                     unsigned port = 0;
                     auto [p, ec] = std::from_chars(a.data(), a.data() + a.size(), port);
                     if (ec != std::errc() || p != a.data() + a.size() || port < 1 || port > 65535)
                             return err("expected a port from 1 to 65535 or all, found %s", quote(a).c_str());
                     c.cli.layer.host_ports.push_back({port, Origin{}});
                     return Ok{};
             }},
            {{"allow-out", 0, "tcp:PORT", "allow TCP connections to this port only (with others like it)"},
             [](Ctx& c, std::string_view a) -> Status {
                     auto port = parse_allow_spec(a);
                     if (!port)
                             return std::move(port).error();
                     c.cli.layer.allow_tcp.push_back({*port, Origin{}});
                     return Ok{};
             }},
            {{"dns", 0, "ADDRESS", "use this DNS server inside instead of the host's"},
             [](Ctx& c, std::string_view a) -> Status {
                     if (!valid_ip_address(a))
                             return err("expected an IPv4 or IPv6 address, found %s", quote(a).c_str());
                     c.cli.layer.dns.push_back({std::string(a), Origin{}});
                     return Ok{};
             }},
            {{"setenv", 0, "NAME=VALUE", "set a variable inside"}, set_env},
            {{"unsetenv", 0, "NAME", "remove a variable inside"},
             [](Ctx& c, std::string_view a) -> Status {
                     SB_TRY(env_name(a, false));
                     c.cli.layer.env.push_back(EnvSetting{std::string(a), std::nullopt, Origin{}});
                     return Ok{};
             }},
            {{"keep-env", 0, "NAME", "pass a host variable in (NAME* for a prefix)"},
             [](Ctx& c, std::string_view a) -> Status {
                     SB_TRY(env_name(a, true));
                     c.cli.layer.env_keep.emplace_back(a);
                     return Ok{};
             }},
            {{"chdir", 0, "DIR", "start in DIR (default: the current directory if visible, else home)"},
             [](Ctx& c, std::string_view a) -> Status {
                     auto d = cli_path(c, a);
                     if (!d)
                             return std::move(d).error();
                     c.cli.chdir = *d;
                     return Ok{};
             }},
            {{"hostname", 0, "NAME", "set the host name inside"},
             [](Ctx& c, std::string_view a) -> Status {
                     if (!valid_hostname(a))
                             return err("expected 1 to 64 letters, digits, '-' or '.', found %s",
                                        quote(a).c_str());
                     c.cli.layer.hostname = std::string(a);
                     return Ok{};
             }},
            {{"uid0", 0, "", "appear as uid and gid 0 inside (no real privilege)"},
             [](Ctx& c, std::string_view) -> Status {
                     c.cli.layer.uid0 = true;
                     return Ok{};
             }},
            {{"memory", 0, "SIZE", "limit memory (512M, 2G): the app is OOM-killed above it"},
             [](Ctx& c, std::string_view a) -> Status {
                     auto v = parse_size(a, false);
                     if (!v)
                             return std::move(v).error();
                     if (*v < (1u << 20))
                             return err("a memory limit below 1 MiB cannot run anything");
                     c.cli.layer.memory = *v;
                     return Ok{};
             }},
            {{"pids", 0, "N", "limit processes and threads at once"},
             [](Ctx& c, std::string_view a) -> Status {
                     uint64_t n = 0;
                     auto [p, ec] = std::from_chars(a.data(), a.data() + a.size(), n);
                     if (ec != std::errc() || p != a.data() + a.size() || n < 1 || n > 4194304)
                             return err("expected a number of processes from 1 to 4194304, found %s",
                                        quote(a).c_str());
                     c.cli.layer.pids = n;
                     return Ok{};
             }},
            {{"cpu", 0, "CORES", "limit CPU time to this many cores (0.5, 2)"},
             [](Ctx& c, std::string_view a) -> Status {
                     double v = 0;
                     auto [p, ec] = std::from_chars(a.data(), a.data() + a.size(), v);
                     if (ec != std::errc() || p != a.data() + a.size() || !(v >= 0.01) || v > 4096)
                             return err("expected a number of cores from 0.01 to 4096, found %s",
                                        quote(a).c_str());
                     c.cli.layer.cpu = v;
                     return Ok{};
             }},
            {{"stats", 0, "", "at exit, print peak memory, cpu time, peak processes and OOM kills"},
             [](Ctx& c, std::string_view) -> Status {
                     c.cli.stats = true;
                     return Ok{};
             }},
            {{"keep-fd", 0, "FD", "pass an open file descriptor in"},
             [](Ctx& c, std::string_view a) -> Status {
                     int fd = -1;
                     auto [p, ec] = std::from_chars(a.data(), a.data() + a.size(), fd);
                     if (ec != std::errc() || p != a.data() + a.size() || fd < 3)
                             return err("expected a file descriptor number of 3 or more, found %s",
                                        quote(a).c_str());
                     c.cli.keep_fds.push_back(fd);
                     return Ok{};
             }},
            {{"explain", 0, "", "print the effective policy, with where each setting came from, and exit"},
             [](Ctx& c, std::string_view) -> Status {
                     c.cli.explain = true;
                     return Ok{};
             }},
            {{"json", 0, "", "with --explain, --list-profiles or --list: print JSON"},
             [](Ctx& c, std::string_view) -> Status {
                     c.cli.json = true;
                     return Ok{};
             }},
            {{"check-profile", 0, "NAME|FILE", "check a profile and what it includes, and exit"},
             [](Ctx& c, std::string_view a) -> Status {
                     if (a.empty())
                             return err("empty profile name");
                     c.cli.check_profile = std::string(a);
                     return Ok{};
             }},
            {{"name", 0, "NAME", "name this sandbox, for --list, --enter and --stop (default: the profile's)"},
             [](Ctx& c, std::string_view a) -> Status {
                     if (!valid_sandbox_name(a))
                             return err("expected up to 64 letters, digits, '-', '_', '.' or '+', found %s",
                                        quote(a).c_str());
                     c.cli.name = std::string(a);
                     return Ok{};
             }},
            {{"list", 0, "", "list the running sandboxes with their memory, cpu and pids, and exit"},
             [](Ctx& c, std::string_view) -> Status {
                     c.cli.list = true;
                     return Ok{};
             }},
            {{"enter", 0, "NAME", "run a command (default: a shell) inside the running sandbox NAME"},
             [](Ctx& c, std::string_view a) -> Status {
                     if (!valid_sandbox_name(a))
                             return err("%s is not a sandbox name", quote(a).c_str());
                     c.cli.enter = std::string(a);
                     return Ok{};
             }},
            {{"stop", 0, "NAME", "stop the running sandbox NAME: SIGTERM, then SIGKILL after --timeout"},
             [](Ctx& c, std::string_view a) -> Status {
                     if (!valid_sandbox_name(a))
                             return err("%s is not a sandbox name", quote(a).c_str());
                     c.cli.stop = std::string(a);
                     return Ok{};
             }},
            {{"timeout", 0, "SECONDS", "with --stop: how long the app may take to end (default 10)"},
             [](Ctx& c, std::string_view a) -> Status {
                     double v = 0;
                     auto [p, ec] = std::from_chars(a.data(), a.data() + a.size(), v);
                     if (ec != std::errc() || p != a.data() + a.size() || !(v >= 0) || v > 86400)
                             return err("expected seconds from 0 to 86400, found %s", quote(a).c_str());
                     c.cli.timeout = v;
                     return Ok{};
             }},
            {{"doctor", 0, "", "check what this machine allows a sandbox, say how to fix what it lacks, and exit"},
             [](Ctx& c, std::string_view) -> Status {
                     c.cli.doctor = true;
                     return Ok{};
             }},
            {{"list-profiles", 0, "", "list the profiles found, with their descriptions, and exit"},
             [](Ctx& c, std::string_view) -> Status {
                     c.cli.list_profiles = true;
                     return Ok{};
             }},
            {{"install-desktop", 0, "APP",
              "make APP's desktop launcher run it through sandbox (with --profile's profile), and exit"},
             [](Ctx& c, std::string_view a) -> Status {
                     c.cli.install_desktop = std::string(a);
                     return Ok{};
             }},
            {{"uninstall-desktop", 0, "APP", "remove a launcher --install-desktop wrote, and exit"},
             [](Ctx& c, std::string_view a) -> Status {
                     c.cli.uninstall_desktop = std::string(a);
                     return Ok{};
             }},
            {{"list-desktop", 0, "", "list the launchers --install-desktop wrote, and exit"},
             [](Ctx& c, std::string_view) -> Status {
                     c.cli.list_desktop = true;
                     return Ok{};
             }},
            {{"seccomp-log", 0, "", "report each syscall the filter refuses, with its pid and the action"},
             [](Ctx& c, std::string_view) -> Status {
                     c.cli.seccomp_log = true;
                     return Ok{};
             }},
            {{"verbose", 'v', "", "print each setup step on stderr"},
             [](Ctx& c, std::string_view) -> Status {
                     c.cli.verbosity = c.cli.verbosity < 0 ? 1 : c.cli.verbosity + 1;
                     return Ok{};
             }},
            {{"quiet", 'q', "", "print only errors"},
             [](Ctx& c, std::string_view) -> Status {
                     c.cli.verbosity = -1;
                     return Ok{};
             }},
            {{"help", 'h', "", "show this help and exit"},
             [](Ctx& c, std::string_view) -> Status {
                     c.cli.help = true;
                     return Ok{};
             }},
            {{"version", 0, "", "show the version and exit"},
             [](Ctx& c, std::string_view) -> Status {
                     c.cli.version = true;
                     return Ok{};
             }},
        };
        return defs;
}

const OptionDef* find_long(std::string_view name) {
        for (auto& d : option_defs())
                if (d.info.name == name)
                        return &d;
        return nullptr;
}

const OptionDef* find_short(char c) {
        for (auto& d : option_defs())
                if (d.info.short_name == c)
                        return &d;
        return nullptr;
}

Error unknown_option(std::string_view opt) {
        std::vector<std::string_view> names;
        for (auto& d : option_defs())
                names.push_back(d.info.name);
        auto hint = closest_match(opt, names);
        return err("unknown option %s%s", quote("--" + std::string(opt)).c_str(),
                   hint.empty() ? "" : (", did you mean '--" + hint + "'?").c_str());
}

} // namespace

std::vector<OptionInfo> cli_options() {
        std::vector<OptionInfo> out;
        for (auto& d : option_defs())
                out.push_back(d.info);
        return out;
}

Result<Cli> parse_cli(const std::vector<std::string_view>& args, std::string_view cwd,
                      std::string_view home) {
        Cli cli;
        cli.layer.name = "command line";
        Ctx c{cli, cwd, home};
        size_t i = 0;
        for (; i < args.size(); i++) {
                auto a = args[i];
                if (a == "--") {
                        i++;
                        break;
                }
                if (a.size() < 2 || a[0] != '-')
                        break; // the command: nothing after it is ours
                const OptionDef* def = nullptr;
                std::optional<std::string_view> value;
                std::string shown(a);
                if (a[1] == '-') {
                        auto body = a.substr(2);
                        auto eq = body.find('=');
                        if (eq != std::string_view::npos) {
                                value = body.substr(eq + 1);
                                body = body.substr(0, eq);
                                shown = "--" + std::string(body);
                        }
                        def = find_long(body);
                        if (!def)
                                return unknown_option(body);
                } else {
                        // Short flags may be bundled: -vv, -vq.
                        for (size_t k = 1; k < a.size(); k++) {
                                auto d = find_short(a[k]);
                                if (!d)
                                        return err("unknown option '-%c'", a[k]);
                                if (!d->info.arg.empty())
                                        return err("option '-%c' needs a value", a[k]);
                                SB_TRY(d->apply(c, {}));
                        }
                        continue;
                }
                if (def->info.arg.empty()) {
                        if (value)
                                return err("option %s takes no value", shown.c_str());
                } else if (!value) {
                        if (i + 1 >= args.size())
                                return err("option %s needs a value (%.*s)", shown.c_str(),
                                           static_cast<int>(def->info.arg.size()), def->info.arg.data());
                        value = args[++i];
                }
                auto r = def->apply(c, value.value_or(std::string_view()));
                if (!r)
                        return with_context(std::move(r).error(), shown + ": ");
        }
        for (; i < args.size(); i++)
                cli.command.emplace_back(args[i]);
        return cli;
}

std::string help_text() {
        std::string s = "Usage: sandbox [OPTIONS] [--] COMMAND [ARG...]\n"
                        "       sandbox [OPTIONS] --explain [--json] [COMMAND]\n"
                        "       sandbox --check-profile NAME|FILE\n"
                        "       sandbox --list-profiles [--json]\n"
                        "       sandbox --list [--json]\n"
                        "       sandbox --enter NAME [--] [COMMAND [ARG...]]\n"
                        "       sandbox --stop NAME [--timeout SECONDS]\n"
                        "       sandbox --doctor\n"
                        "Run COMMAND in a rootless sandbox described by a profile.\n\nOptions:\n";
        for (auto& d : option_defs()) {
                std::string left = "  ";
                left += d.info.short_name ? strprintf("-%c, ", d.info.short_name) : std::string("    ");
                left += "--" + std::string(d.info.name);
                if (!d.info.arg.empty())
                        left += " " + std::string(d.info.arg);
                // At least two spaces before the help text, so that tools can split the columns.
                constexpr size_t column = 32;
                if (left.size() + 2 <= column)
                        left.resize(column, ' ');
                else
                        left += "\n" + std::string(column, ' ');
                s += left + std::string(d.info.help) + "\n";
        }
        s += "\nWith no --profile, the profile named after COMMAND is used if there is one, else 'default'.\n"
             "Exit status: COMMAND's own; 128+N if it died of signal N; 125 if the sandbox could not be\n"
             "set up; 126 if COMMAND cannot be executed; 127 if it was not found.\n"
             "See sandbox(1) and sandbox-profile(5).\n";
        return s;
}

} // namespace sb
