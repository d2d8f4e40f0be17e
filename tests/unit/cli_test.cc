// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests of cli.h: the option table, parsing, values and messages.
#include "cli.h"
#include "text.h"
#include "unit.h"

#include <map>
#include <set>

using namespace sb;
using sb::test::error_of;

namespace {

constexpr std::string_view cwd = "/work/dir";
constexpr std::string_view home = "/home/u";

Result<Cli> parse(std::vector<std::string_view> args, std::string_view dir = cwd) {
        return parse_cli(args, dir, home);
}

std::string err_of(std::vector<std::string_view> args) {
        return error_of(parse(std::move(args)));
}

// Every field of a Cli as text, so that two parses can be compared whole.
std::string summary(const Cli& c) {
        std::string s = "profile=" + c.profile.value_or("-") + " chdir=" + c.chdir.value_or("-");
        s += " v=" + std::to_string(c.verbosity) + " help=" + std::to_string(c.help) +
             " version=" + std::to_string(c.version) + " explain=" + std::to_string(c.explain) +
             " json=" + std::to_string(c.json) + " list=" + std::to_string(c.list_profiles) +
             " check=" + c.check_profile.value_or("-") + " seccomp_log=" + std::to_string(c.seccomp_log) +
             " stats=" + std::to_string(c.stats) + " install=" + c.install_desktop.value_or("-") +
             " uninstall=" + c.uninstall_desktop.value_or("-") + " list_desktop=" + std::to_string(c.list_desktop) +
             " name=" + c.name.value_or("-") + " running=" + std::to_string(c.list) + " enter=" + c.enter.value_or("-") +
             " stop=" + c.stop.value_or("-") + " timeout=" + (c.timeout ? std::to_string(*c.timeout) : "-") +
             " doctor=" + std::to_string(c.doctor);
        for (int fd : c.keep_fds)
                s += " fd=" + std::to_string(fd);
        for (auto& a : c.command)
                s += " cmd=" + a;
        return s + " " + sb::test::summary(c.layer);
}

// A valid value for every option that takes one.
const std::map<std::string_view, std::string_view> sample_values = {
    {"profile", "firefox"}, {"ro-bind", "/usr"},   {"bind", "/srv:/data"}, {"ro-bind-try", "/opt"},
    {"bind-try", "/var/x"}, {"tmpfs", "/scratch"}, {"net", "host"},        {"setenv", "A=1"},
    {"unsetenv", "B"},      {"keep-env", "LC_*"},  {"chdir", "/tmp"},      {"hostname", "box"},
    {"keep-fd", "7"},       {"check-profile", "./x.toml"}, {"hide", "~/.ssh"},
    {"memory", "1.5G"},     {"pids", "256"},       {"cpu", "0.5"},
    {"forward", "tcp:8080"}, {"allow-host-port", "5432"}, {"dns", "192.0.2.53"}, {"allow-out", "tcp:443"},
    {"install-desktop", "firefox"}, {"uninstall-desktop", "firefox"},
    {"name", "work-browser"}, {"enter", "work-browser"}, {"stop", "work-browser"}, {"timeout", "2.5"},
};

} // namespace

TEST_CASE("cli_options: names and short names are unique, every option is documented") {
        std::set<std::string_view> names;
        std::set<char> shorts;
        for (auto& o : cli_options()) {
                CAPTURE(o.name);
                CHECK(names.insert(o.name).second);
                CHECK(!o.help.empty());
                CHECK(!o.name.starts_with("-"));
                if (o.short_name)
                        CHECK(shorts.insert(o.short_name).second);
        }
        CHECK(names.size() >= 17);
}

TEST_CASE("every option with a value accepts both '--opt value' and '--opt=value'") {
        auto base = parse({"cmd"});
        REQUIRE_OK(base);
        for (auto& o : cli_options()) {
                if (o.arg.empty())
                        continue;
                CAPTURE(o.name);
                auto it = sample_values.find(o.name);
                if (it == sample_values.end()) {
                        FAIL_CHECK("no sample value for --" << std::string(o.name) << ": add a test");
                        continue;
                }
                std::string opt = "--" + std::string(o.name);
                std::string joined = opt + "=" + std::string(it->second);
                auto spaced = parse({opt, it->second, "cmd"});
                auto eq = parse({joined, "cmd"});
                REQUIRE_OK(spaced);
                REQUIRE_OK(eq);
                CHECK(summary(*spaced) == summary(*eq));
                CHECK(summary(*spaced) != summary(*base));
                CHECK(spaced->command == std::vector<std::string>{"cmd"});
        }
}

TEST_CASE("every flag works alone and refuses a value") {
        auto base = parse({"cmd"});
        REQUIRE_OK(base);
        for (auto& o : cli_options()) {
                if (!o.arg.empty())
                        continue;
                CAPTURE(o.name);
                std::string opt = "--" + std::string(o.name);
                auto r = parse({opt, "cmd"});
                REQUIRE_OK(r);
                CHECK(summary(*r) != summary(*base));
                CHECK(error_of(parse({opt + "=1", "cmd"})) == "option " + opt + " takes no value");
                if (o.short_name) {
                        std::string s = std::string("-") + o.short_name;
                        auto rs = parse({s, "cmd"});
                        REQUIRE_OK(rs);
                        CHECK(summary(*rs) == summary(*r));
                }
        }
}

TEST_CASE("defaults with no options") {
        auto r = parse({"ls"});
        REQUIRE_OK(r);
        CHECK(r->layer.name == "command line");
        CHECK(!r->profile);
        CHECK(!r->chdir);
        CHECK(r->verbosity == 0);
        CHECK(!r->help);
        CHECK(!r->version);
        CHECK(r->keep_fds.empty());
        CHECK(r->layer.mounts.empty());
        CHECK(r->layer.env.empty());
        CHECK(r->layer.env_keep.empty());
        CHECK(!r->layer.net);
        CHECK(!r->layer.uid0);
        CHECK(!r->layer.hostname);

        auto empty = parse({});
        REQUIRE_OK(empty);
        CHECK(empty->command.empty());
}

TEST_CASE("--profile") {
        auto r = parse({"--profile", "firefox", "--profile=./x.toml"});
        REQUIRE_OK(r);
        CHECK(r->profile == "./x.toml"); // kept as given: profile_load resolves it
        CHECK(err_of({"--profile="}) == "--profile: empty profile name");
}

TEST_CASE("bind options set type, source, destination, read-only and optional") {
        auto r = parse({"--ro-bind", "/usr", "--bind", "/srv:/data", "--ro-bind-try", "/opt/a:/a",
                        "--bind-try", "/var/x", "--tmpfs", "/scratch"});
        REQUIRE_OK(r);
        auto& m = r->layer.mounts;
        REQUIRE_HOLDS(m.size() == 5);
        CHECK(m[0].type == MountType::Bind);
        CHECK(m[0].src == "/usr");
        CHECK(m[0].dst == "/usr");
        CHECK(m[0].read_only);
        CHECK_FALSE(m[0].optional);

        CHECK(m[1].type == MountType::Bind);
        CHECK(m[1].src == "/srv");
        CHECK(m[1].dst == "/data");
        CHECK_FALSE(m[1].read_only);
        CHECK_FALSE(m[1].optional);

        CHECK(m[2].src == "/opt/a");
        CHECK(m[2].dst == "/a");
        CHECK(m[2].read_only);
        CHECK(m[2].optional);

        CHECK(m[3].src == "/var/x");
        CHECK_FALSE(m[3].read_only);
        CHECK(m[3].optional);

        CHECK(m[4].type == MountType::Tmpfs);
        CHECK(m[4].src.empty());
        CHECK(m[4].dst == "/scratch");
        CHECK_FALSE(m[4].read_only);

        for (auto& e : m)
                CHECK(e.origin.file.empty()); // "command line"
}

TEST_CASE("command-line paths: relative against cwd, ~/ against home, normalised") {
        auto r = parse({"--bind", "rel", "--ro-bind", "~/x", "--bind", "../up:/dst/", "--tmpfs", "~",
                        "--bind", "./a//b/.", "--bind", "~/src:~/dst"});
        REQUIRE_OK(r);
        auto& m = r->layer.mounts;
        REQUIRE_HOLDS(m.size() == 6);
        CHECK(m[0].src == "/work/dir/rel");
        CHECK(m[0].dst == "/work/dir/rel");
        CHECK(m[1].src == "/home/u/x");
        CHECK(m[1].dst == "/home/u/x");
        CHECK(m[2].src == "/work/up");
        CHECK(m[2].dst == "/dst");
        CHECK(m[3].dst == "/home/u");
        CHECK(m[4].src == "/work/dir/a/b");
        // A DST starts only at ":/", so "~/src:~/dst" is one relative-looking path.
        CHECK(m[5].src == "/home/u/src:~/dst");

        auto c = parse({"--chdir", "sub/../other", "--tmpfs", "t"});
        REQUIRE_OK(c);
        CHECK(c->chdir == "/work/dir/other");
        REQUIRE_HOLDS(c->layer.mounts.size() == 1);
        CHECK(c->layer.mounts[0].dst == "/work/dir/t");

        auto h = parse({"--chdir", "~"});
        REQUIRE_OK(h);
        CHECK(h->chdir == "/home/u");
}

TEST_CASE("relative paths need a readable working directory") {
        CHECK(error_of(parse({"--bind", "x"}, "")) ==
              "--bind: relative path 'x', but the working directory cannot be read");
        CHECK(error_of(parse({"--chdir", "x"}, "")) ==
              "--chdir: relative path 'x', but the working directory cannot be read");
        auto r = parse({"--bind", "/abs", "--tmpfs", "~/t"}, "");
        REQUIRE_OK(r);
        REQUIRE_HOLDS(r->layer.mounts.size() == 2);
        CHECK(r->layer.mounts[0].src == "/abs");
        CHECK(r->layer.mounts[1].dst == "/home/u/t");
}

TEST_CASE("bad paths are refused with the option named") {
        CHECK(err_of({"--bind="}) == "--bind: empty path");
        CHECK(err_of({"--bind", ":/dst"}) == "--bind: empty path");
        CHECK(err_of({"--ro-bind", "/a\x1b"}) == "--ro-bind: path '/a\\x1b' contains a control character");
        CHECK(err_of({"--tmpfs", "/a\nb"}) == "--tmpfs: path '/a\\nb' contains a control character");
}

TEST_CASE("--net") {
        auto n = parse({"--net", "none"});
        REQUIRE_OK(n);
        CHECK(n->layer.net == NetMode::None);
        auto h = parse({"--net=host"});
        REQUIRE_OK(h);
        CHECK(h->layer.net == NetMode::Host);
        auto last = parse({"--net=host", "--net=none"});
        REQUIRE_OK(last);
        CHECK(last->layer.net == NetMode::None);
        CHECK(parse({"--net", "user", "cmd"})->layer.net == NetMode::User);
        CHECK(err_of({"--net=wifi"}) == "--net: expected 'none', 'user' or 'host', found 'wifi'");
        CHECK(err_of({"--net="}) == "--net: expected 'none', 'user' or 'host', found ''");
}

TEST_CASE("--setenv, --unsetenv and --keep-env") {
        auto r = parse({"--setenv", "A=1", "--setenv=B=x=y", "--setenv", "C=", "--unsetenv", "A",
                        "--keep-env", "LC_*", "--keep-env=*", "--keep-env", "SSH_AUTH_SOCK"});
        REQUIRE_OK(r);
        auto& e = r->layer.env;
        REQUIRE_HOLDS(e.size() == 4);
        CHECK(e[0].name == "A");
        CHECK(e[0].value == "1");
        CHECK(e[1].name == "B");
        CHECK(e[1].value == "x=y");
        CHECK(e[2].name == "C");
        CHECK(e[2].value == "");
        CHECK(e[3].name == "A");
        CHECK(!e[3].value);
        CHECK(r->layer.env_keep == std::vector<std::string>{"LC_*", "*", "SSH_AUTH_SOCK"});
}

TEST_CASE("environment options refuse bad names and values") {
        CHECK(err_of({"--setenv", "FOO"}) == "--setenv: expected NAME=VALUE, found 'FOO'");
        CHECK(err_of({"--setenv", "1A=x"}) == "--setenv: invalid variable name '1A'");
        CHECK(err_of({"--setenv", "=x"}) == "--setenv: invalid variable name ''");
        CHECK(err_of({"--setenv", "A B=x"}) == "--setenv: invalid variable name 'A B'");
        CHECK(err_of({"--unsetenv", "A*"}) == "--unsetenv: invalid variable name 'A*'");
        CHECK(err_of({"--unsetenv", "A-B"}) == "--unsetenv: invalid variable name 'A-B'");
        CHECK(err_of({"--unsetenv="}) == "--unsetenv: invalid variable name ''");
        CHECK(err_of({"--keep-env", "A*B"}) == "--keep-env: invalid variable name 'A*B'");
        CHECK(err_of({"--keep-env", "**"}) == "--keep-env: invalid variable name '**'");
        CHECK(err_of({"--keep-env", ""}) == "--keep-env: invalid variable name ''");
}

TEST_CASE("--hostname") {
        auto r = parse({"--hostname", "my-box.example"});
        REQUIRE_OK(r);
        CHECK(r->layer.hostname == "my-box.example");
        auto longest = parse({"--hostname", std::string(64, 'a')});
        REQUIRE_OK(longest);
        CHECK(
            err_of({"--hostname", std::string(65, 'a')}).starts_with("--hostname: expected 1 to 64 letters"));
        CHECK(err_of({"--hostname", "bad_name"}) ==
              "--hostname: expected 1 to 64 letters, digits, '-' or '.', found 'bad_name'");
        CHECK(err_of({"--hostname="}) ==
              "--hostname: expected 1 to 64 letters, digits, '-' or '.', found ''");
        CHECK(err_of({"--hostname", "a b"}).starts_with("--hostname: expected"));
}

TEST_CASE("--uid0, --help, --version") {
        auto r = parse({"--uid0", "--help", "--version"});
        REQUIRE_OK(r);
        CHECK(r->layer.uid0 == true);
        CHECK(r->help);
        CHECK(r->version);
        auto h = parse({"-h"});
        REQUIRE_OK(h);
        CHECK(h->help);
}

TEST_CASE("--keep-fd takes numbers of 3 or more") {
        auto r = parse({"--keep-fd", "3", "--keep-fd=10", "--keep-fd", "3"});
        REQUIRE_OK(r);
        CHECK(r->keep_fds == std::vector<int>{3, 10, 3});
        for (std::string_view bad : {"0", "2", "-1", "abc", "3x", " 3", "", "99999999999", "+4"}) {
                CAPTURE(bad);
                CHECK(err_of({"--keep-fd", bad}) ==
                      "--keep-fd: expected a file descriptor number of 3 or more, found " + quote(bad));
        }
}

TEST_CASE("short flags, alone and bundled") {
        struct Case {
                std::vector<std::string_view> args;
                int verbosity;
        };
        for (auto& c : std::vector<Case>{{{"-v"}, 1},
                                         {{"-vv"}, 2},
                                         {{"-vvv"}, 3},
                                         {{"-v", "-v"}, 2},
                                         {{"--verbose", "-v"}, 2},
                                         {{"-q"}, -1},
                                         {{"--quiet"}, -1},
                                         {{"-vq"}, -1},
                                         {{"-qv"}, 1},
                                         {{"-vvq"}, -1}}) {
                auto r = parse(c.args);
                REQUIRE_OK(r);
                CHECK(r->verbosity == c.verbosity);
                CHECK(r->command.empty());
        }
        auto hv = parse({"-hv", "ls"});
        REQUIRE_OK(hv);
        CHECK(hv->help);
        CHECK(hv->verbosity == 1);
        CHECK(hv->command == std::vector<std::string>{"ls"});
}

TEST_CASE("unknown short flags") {
        CHECK(err_of({"-x"}) == "unknown option '-x'");
        CHECK(err_of({"-vx"}) == "unknown option '-x'");
        CHECK(err_of({"-V"}) == "unknown option '-V'");
}

TEST_CASE("unknown long options, with a did-you-mean hint when one is close") {
        auto e = err_of({"--bnd", "/x", "ls"});
        CHECK_CONTAINS(e, "unknown option");
        CHECK_CONTAINS(e, "bnd");
        CHECK_CONTAINS(e, "did you mean '--bind'?");
        CHECK_CONTAINS(err_of({"--ro-bnd=/x"}), "did you mean '--ro-bind'?");
        CHECK_CONTAINS(err_of({"--hostnme", "x"}), "did you mean '--hostname'?");
        CHECK_CONTAINS(err_of({"--verbos"}), "did you mean '--verbose'?");
        auto far = err_of({"--frobnicate"});
        CHECK_CONTAINS(far, "unknown option");
        CHECK_CONTAINS(far, "frobnicate");
        CHECK_FALSE(sb::test::contains(far, "did you mean"));
        // The name, not the value, is looked up.
        CHECK_CONTAINS(err_of({"--frob=bind"}), "frob");
        CHECK_FALSE(sb::test::contains(err_of({"--frob=bind"}), "did you mean"));
}

TEST_CASE("a missing value names the option and what it expects") {
        CHECK(err_of({"--bind"}) == "option --bind needs a value (SRC[:DST])");
        CHECK(err_of({"--keep-fd"}) == "option --keep-fd needs a value (FD)");
        CHECK(err_of({"--uid0", "--net"}) == "option --net needs a value (none|user|host)");
}

TEST_CASE("a value is taken even when it looks like an option") {
        auto r = parse({"--bind", "--uid0", "ls"});
        REQUIRE_OK(r);
        REQUIRE_HOLDS(r->layer.mounts.size() == 1);
        CHECK(r->layer.mounts[0].src == "/work/dir/--uid0");
        CHECK(!r->layer.uid0);
        CHECK(r->command == std::vector<std::string>{"ls"});
}

TEST_CASE("the first word that is not an option starts the command") {
        auto r = parse({"ls", "-l"});
        REQUIRE_OK(r);
        CHECK(r->command == std::vector<std::string>{"ls", "-l"});
        CHECK(r->verbosity == 0);

        // Nothing after the command is parsed, even what looks like our options.
        auto after = parse({"--uid0", "sh", "--bind", "/x", "-v", "--", "--net=host", "--bogus"});
        REQUIRE_OK(after);
        CHECK(after->command ==
              std::vector<std::string>{"sh", "--bind", "/x", "-v", "--", "--net=host", "--bogus"});
        CHECK(after->layer.uid0 == true);
        CHECK(after->layer.mounts.empty());
        CHECK(after->verbosity == 0);
        CHECK(!after->layer.net);

        // A lone '-' is a word, not an option.
        auto dash = parse({"-", "x"});
        REQUIRE_OK(dash);
        CHECK(dash->command == std::vector<std::string>{"-", "x"});
}

TEST_CASE("'--' ends the options; the next word is the command even if it looks like one") {
        auto r = parse({"--", "--bind"});
        REQUIRE_OK(r);
        CHECK(r->command == std::vector<std::string>{"--bind"});
        CHECK(r->layer.mounts.empty());

        auto opts = parse({"-v", "--uid0", "--", "ls", "--", "-x"});
        REQUIRE_OK(opts);
        CHECK(opts->command == std::vector<std::string>{"ls", "--", "-x"});
        CHECK(opts->verbosity == 1);
        CHECK(opts->layer.uid0 == true);

        auto only = parse({"--"});
        REQUIRE_OK(only);
        CHECK(only->command.empty());
}

TEST_CASE("help_text lists every option of the table") {
        std::string h = help_text();
        CHECK(h.starts_with("Usage: sandbox"));
        for (auto& o : cli_options()) {
                CAPTURE(o.name);
                std::string left = "--" + std::string(o.name);
                if (!o.arg.empty())
                        left += " " + std::string(o.arg);
                CHECK_CONTAINS(h, left);
                CHECK_CONTAINS(h, std::string(o.help));
                if (o.short_name)
                        CHECK_CONTAINS(h, std::string("-") + o.short_name + ", --" + std::string(o.name));
        }
}

TEST_CASE("limits on the command line: the profile's keys, checked as strictly") {
        auto r = parse({"--memory", "2G", "--pids", "256", "--cpu", "1.5", "--stats", "cmd"});
        REQUIRE_OK(r);
        CHECK(r->layer.memory == 2ull << 30);
        CHECK(r->layer.pids == 256u);
        CHECK(r->layer.cpu == 1.5);
        CHECK(r->stats);
        CHECK(err_of({"--memory", "64Q", "cmd"}) ==
              "--memory: expected a positive size such as \"512M\" or \"4G\", found '64Q'");
        CHECK(err_of({"--memory", "1000", "cmd"}) == "--memory: a memory limit below 1 MiB cannot run anything");
        CHECK(err_of({"--memory", "-1G", "cmd"}).starts_with("--memory: expected a positive size"));
        CHECK(err_of({"--pids", "0", "cmd"}) == "--pids: expected a number of processes from 1 to 4194304, found '0'");
        CHECK(err_of({"--pids", "5000000", "cmd"}).starts_with("--pids: expected a number of processes"));
        CHECK(err_of({"--pids", "12x", "cmd"}).starts_with("--pids: expected a number of processes"));
        CHECK(err_of({"--cpu", "0", "cmd"}) == "--cpu: expected a number of cores from 0.01 to 4096, found '0'");
        CHECK(err_of({"--cpu", "nan", "cmd"}).starts_with("--cpu: expected a number of cores"));
        CHECK(err_of({"--cpu", "5000", "cmd"}).starts_with("--cpu: expected a number of cores"));
}

TEST_CASE("network options: forwards, host ports and DNS servers, checked") {
        auto r = parse({"--net", "user", "--forward", "udp:5353:53", "--allow-host-port", "5432", "--dns", "2001:db8::53",
                        "cmd"});
        REQUIRE_OK(r);
        REQUIRE_HOLDS(r->layer.forwards.size() == 1);
        CHECK(r->layer.forwards[0].proto == "udp");
        CHECK(r->layer.forwards[0].host_port == 5353);
        CHECK(r->layer.forwards[0].inside_port == 53);
        REQUIRE_HOLDS(r->layer.host_ports.size() == 1);
        CHECK(r->layer.host_ports[0].value == 5432);
        REQUIRE_HOLDS(r->layer.dns.size() == 1);
        CHECK(r->layer.dns[0].value == "2001:db8::53");
        CHECK(err_of({"--forward", "sctp:80", "cmd"}).starts_with("--forward: expected \"tcp:PORT\""));
        CHECK(err_of({"--forward", "tcp:0", "cmd"}).ends_with("found 'tcp:0'"));
        CHECK(err_of({"--allow-host-port", "70000", "cmd"}) ==
              "--allow-host-port: expected a port from 1 to 65535 or all, found '70000'");
        CHECK(err_of({"--dns", "8.8.8", "cmd"}) == "--dns: expected an IPv4 or IPv6 address, found '8.8.8'");
        CHECK(err_of({"--dns", "example.org", "cmd"}) ==
              "--dns: expected an IPv4 or IPv6 address, found 'example.org'");
}

TEST_CASE("--allow-out: TCP ports only, said so for UDP and addresses") {
        auto r = parse({"--allow-out", "tcp:443", "--allow-out=tcp:80", "cmd"});
        REQUIRE_OK(r);
        REQUIRE_HOLDS(r->layer.allow_tcp.size() == 2);
        CHECK(r->layer.allow_tcp[0].value == 443);
        CHECK(r->layer.allow_tcp[1].value == 80);
        CHECK(err_of({"--allow-out", "udp:53", "cmd"}) ==
              "--allow-out: 'udp:53': Landlock restricts TCP connections only; UDP cannot be limited to ports");
        CHECK(err_of({"--allow-out", "10.0.0.0/8:443", "cmd"}) ==
              "--allow-out: expected \"tcp:PORT\" (destinations are ports; addresses cannot be limited), found "
              "'10.0.0.0/8:443'");
        CHECK(err_of({"--allow-out", "tcp:1:2", "cmd"}).starts_with("--allow-out: expected \"tcp:PORT\""));
        CHECK(err_of({"--allow-out", "tcp:0", "cmd"}) ==
              "--allow-out: expected \"tcp:PORT\" with a port from 1 to 65535, found 'tcp:0'");
}

TEST_CASE("running sandboxes: names and the grace period are checked") {
        CHECK(err_of({"--name", "a/b", "cmd"}) ==
              "--name: expected up to 64 letters, digits, '-', '_', '.' or '+', found 'a/b'");
        CHECK(err_of({"--name", std::string(65, 'a'), "cmd"}).starts_with("--name: expected up to 64"));
        CHECK(err_of({"--enter", ".."}) == "--enter: '..' is not a sandbox name");
        CHECK(err_of({"--stop", ""}) == "--stop: '' is not a sandbox name");
        CHECK(err_of({"--stop", "x", "--timeout", "-1"}) == "--timeout: expected seconds from 0 to 86400, found '-1'");
        CHECK(err_of({"--stop", "x", "--timeout", "nan"}) == "--timeout: expected seconds from 0 to 86400, found 'nan'");
        auto r = parse({"--enter", "work", "--", "ls", "-l"});
        REQUIRE_OK(r);
        CHECK(r->enter == "work");
        CHECK(r->command == std::vector<std::string>{"ls", "-l"});
}
