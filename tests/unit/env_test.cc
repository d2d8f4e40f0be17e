// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests of env.h: the keep-list, forced variables and profile settings.
#include "env.h"
#include "unit.h"

#include <algorithm>
#include <map>

using namespace sb;

namespace {

const EnvFacts facts{"/home/u", "u", ""};

const std::vector<std::string> host = {
    "PATH=/usr/bin:/bin",
    "LANG=de_DE.UTF-8",
    "LANGUAGE=de",
    "LC_ALL=C.UTF-8",
    "LC_TIME=en_GB.UTF-8",
    "TERM=xterm-256color",
    "COLORTERM=truecolor",
    "TZ=Europe/Berlin",
    "SHELL=/bin/bash",
    "NO_COLOR=1",
    "HOME=/host/home",
    "USER=hostuser",
    "LOGNAME=hostuser",
    "XDG_RUNTIME_DIR=/run/user/1000",
    "SSH_AUTH_SOCK=/tmp/ssh-x/agent.1",
    "DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/1000/bus",
    "LD_PRELOAD=/tmp/evil.so",
    "LD_LIBRARY_PATH=/tmp",
    "DISPLAY=:0",
    "WAYLAND_DISPLAY=wayland-0",
    "EDITOR=vim",
    "PAGER=less",
    "GPG_AGENT_INFO=/x",
    "LCX=not-a-locale",
};

std::map<std::string, std::string> as_map(const std::vector<std::string>& env) {
        std::map<std::string, std::string> m;
        for (auto& kv : env) {
                auto eq = kv.find('=');
                REQUIRE(eq != std::string::npos);
                CHECK_MESSAGE(m.count(kv.substr(0, eq)) == 0, "duplicate " << kv);
                m[kv.substr(0, eq)] = kv.substr(eq + 1);
        }
        return m;
}

std::map<std::string, std::string> build(const std::vector<std::string>& h, const Profile& p,
                                         const EnvFacts& f = facts) {
        return as_map(build_env(h, p, f));
}

EnvSetting set(std::string name, std::string value) {
        return EnvSetting{std::move(name), std::move(value), Origin{}};
}

EnvSetting unset(std::string name) {
        return EnvSetting{std::move(name), std::nullopt, Origin{}};
}

} // namespace

TEST_CASE("the default keep-list passes locale, terminal and time zone") {
        auto env = build(host, Profile{});
        CHECK(env["PATH"] == "/usr/bin:/bin");
        CHECK(env["LANG"] == "de_DE.UTF-8");
        CHECK(env["LANGUAGE"] == "de");
        CHECK(env["LC_ALL"] == "C.UTF-8");
        CHECK(env["LC_TIME"] == "en_GB.UTF-8");
        CHECK(env["TERM"] == "xterm-256color");
        CHECK(env["COLORTERM"] == "truecolor");
        CHECK(env["TZ"] == "Europe/Berlin");
        CHECK(env["SHELL"] == "/bin/bash");
        CHECK(env["NO_COLOR"] == "1");
}

TEST_CASE("everything else is dropped, above all what names a host resource") {
        auto env = build(host, Profile{});
        for (const char* name :
             {"SSH_AUTH_SOCK", "DBUS_SESSION_BUS_ADDRESS", "LD_PRELOAD", "LD_LIBRARY_PATH", "DISPLAY",
              "WAYLAND_DISPLAY", "EDITOR", "PAGER", "GPG_AGENT_INFO", "LCX", "XDG_RUNTIME_DIR"}) {
                CAPTURE(name);
                CHECK(env.count(name) == 0);
        }
        // Exactly the keep-list and the forced names.
        CHECK(env.size() == 13);
}

TEST_CASE("the result is sorted by name") {
        auto env = build_env(host, Profile{}, facts);
        CHECK(std::is_sorted(env.begin(), env.end()));
}

TEST_CASE("HOME, USER and LOGNAME describe the sandbox, not the host") {
        auto env = build(host, Profile{});
        CHECK(env["HOME"] == "/home/u");
        CHECK(env["USER"] == "u");
        CHECK(env["LOGNAME"] == "u");
        auto bare = build({}, Profile{});
        CHECK(bare["HOME"] == "/home/u");
        CHECK(bare["USER"] == "u");
        CHECK(bare["LOGNAME"] == "u");
}

TEST_CASE("XDG_RUNTIME_DIR only when the sandbox has one") {
        CHECK(build(host, Profile{}).count("XDG_RUNTIME_DIR") == 0);
        auto env = build(host, Profile{}, EnvFacts{"/home/u", "u", "/run/user/1000"});
        CHECK(env["XDG_RUNTIME_DIR"] == "/run/user/1000");
        auto other = build({}, Profile{}, EnvFacts{"/home/u", "u", "/run/sb"});
        CHECK(other["XDG_RUNTIME_DIR"] == "/run/sb");
}

TEST_CASE("PATH gets a default when the host has none") {
        auto env = build({"TERM=dumb"}, Profile{});
        CHECK(env["PATH"] == "/usr/local/bin:/usr/bin:/bin");
        CHECK(env["TERM"] == "dumb");
        CHECK(build({"PATH="}, Profile{})["PATH"] == ""); // set but empty is kept as it is
}

TEST_CASE("malformed host entries are skipped; the first of a repeated name wins") {
        auto env = build({"NOEQUALS", "=value", "TERM=first", "TERM=second"}, Profile{});
        CHECK(env["TERM"] == "first");
        CHECK(env.count("NOEQUALS") == 0);
        CHECK(env.count("") == 0);
        CHECK(build({"TERM=a=b"}, Profile{})["TERM"] == "a=b");
}

TEST_CASE("a profile keeps more names, and prefixes with '*'") {
        Profile p;
        p.env_keep = {"EDITOR", "XDG_*", "DISPLAY"};
        auto env = build(host, p);
        CHECK(env["EDITOR"] == "vim");
        CHECK(env["DISPLAY"] == ":0");
        CHECK(env["XDG_RUNTIME_DIR"] == "/run/user/1000"); // the host's, kept by the pattern
        CHECK(env.count("PAGER") == 0);
        CHECK(env.count("WAYLAND_DISPLAY") == 0); // a pattern is a prefix, not a substring

        Profile all;
        all.env_keep = {"*"};
        auto everything = build(host, all);
        CHECK(everything["SSH_AUTH_SOCK"] == "/tmp/ssh-x/agent.1");
        CHECK(everything["LD_PRELOAD"] == "/tmp/evil.so");
        CHECK(everything["HOME"] == "/home/u"); // still forced
        CHECK(everything["USER"] == "u");
}

TEST_CASE("a profile sets and unsets, in order, over everything else") {
        Profile p;
        p.env = {set("GREETING", "hi"),   unset("LANG"), set("TERM", "dumb"), unset("HOME"),
                 set("PATH", "/opt/bin"), set("X", "1"), unset("X"),          unset("NEVER_SET")};
        auto env = build(host, p);
        CHECK(env["GREETING"] == "hi");
        CHECK(env.count("LANG") == 0);
        CHECK(env["TERM"] == "dumb");
        CHECK(env.count("HOME") == 0);
        CHECK(env["PATH"] == "/opt/bin");
        CHECK(env.count("X") == 0);
        CHECK(env.count("NEVER_SET") == 0);
        CHECK(env["LC_ALL"] == "C.UTF-8");

        Profile q;
        q.env = {unset("Y"), set("Y", "2"), set("USER", "other")};
        auto env2 = build(host, q);
        CHECK(env2["Y"] == "2");
        CHECK(env2["USER"] == "other");
        CHECK(env2["LOGNAME"] == "u");
}

TEST_CASE("the default keep-list is the documented one") {
        CHECK(default_env_keep == std::vector<std::string_view>{"PATH", "LANG", "LANGUAGE", "LC_*", "TERM",
                                                                "COLORTERM", "TZ", "SHELL", "NO_COLOR"});
}
