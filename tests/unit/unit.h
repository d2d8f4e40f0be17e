// SPDX-License-Identifier: GPL-2.0-or-later
// Helpers shared by the unit tests: printing containers and checking Result values.
#pragma once

#include "profile.h"
#include "result.h"

#include <doctest/doctest.h>
#include <string>
#include <string_view>
#include <vector>

namespace doctest {
template <>
struct StringMaker<std::vector<std::string>> {
        static String convert(const std::vector<std::string>& v) {
                std::string s = "{";
                for (size_t i = 0; i < v.size(); i++)
                        s += (i ? ", \"" : "\"") + v[i] + "\"";
                s += "}";
                return String(s.c_str());
        }
};
} // namespace doctest

namespace sb::test {

// The error text of a failed Result, or a marker that cannot match an expected message.
template <typename T>
std::string error_of(const Result<T>& r) {
        return r ? std::string("<no error>") : r.error().what();
}

// Every field of a Profile as one line, so that two can be compared whole.
inline std::string summary(const Profile& p) {
        auto opt = [](const std::optional<std::string>& s) { return s ? "'" + *s + "'" : std::string("-"); };
        std::string s = "name=" + p.name + " path=" + p.path + " description=" + opt(p.description);
        for (auto& i : p.include)
                s += " include=" + i;
        std::optional<std::string> command;
        if (p.command)
                for (auto& c : *p.command)
                        command = command ? *command + "," + c : c;
        s += " command=" + opt(command) + " hostname=" + opt(p.hostname) + " store=" + opt(p.store);
        static const char* homes[] = {"ephemeral", "persistent", "host", "template"};
        s += " home=" + std::string(!p.home ? "-" : homes[static_cast<int>(*p.home)]);
        s += " template=" + opt(p.home_template) + " root_upper=" + opt(p.root_upper);
        for (auto& r : p.root)
                s += " root=" + r;
        s += " net=" + std::string(!p.net                     ? "-"
                                   : *p.net == NetMode::Host ? "host"
                                   : *p.net == NetMode::User ? "user"
                                                             : "none");
        for (auto& f : p.forwards)
                s += " forward=" + f.proto + ":" + std::to_string(f.host_port) + ":" + std::to_string(f.inside_port);
        for (auto& hp : p.host_ports)
                s += " host_port=" + std::to_string(hp.value);
        for (auto& d : p.dns)
                s += " dns=" + d.value;
        for (auto& a : p.allow_tcp)
                s += " allow_tcp=" + std::to_string(a.value);
        s += " uid0=" + std::string(!p.uid0 ? "-" : *p.uid0 ? "true" : "false");
        for (auto& m : p.mounts)
                s += " mount(" + std::string(m.type == MountType::Bind ? "bind" : "tmpfs") + " " + m.src +
                     " " + m.dst + (m.read_only ? " ro" : " rw") + (m.optional ? " optional" : "") + " @" +
                     m.origin.str() + ")";
        for (auto& k : p.env_keep)
                s += " keep=" + k;
        for (auto& e : p.env)
                s += " env(" + e.name + (e.value ? "=" + *e.value : " unset") + " @" + e.origin.str() + ")";
        auto flag = [](const std::optional<bool>& b) {
                return std::string(!b ? "-" : *b ? "true" : "false");
        };
        s += " seccomp=" + opt(p.seccomp) + " nested_userns=" + flag(p.nested_userns) +
             " multiarch=" + flag(p.multiarch) + " seccomp_log=" + flag(p.seccomp_log) +
             (p.landlock ? " landlock=" + flag(p.landlock) : "");
        if (p.wayland || p.x11 || p.audio || p.gpu)
                s += " wayland=" + flag(p.wayland) + " x11=" + flag(p.x11) + " audio=" + flag(p.audio) +
                     " gpu=" + flag(p.gpu);
        for (auto [label, bus] : {std::pair{" dbus", &p.dbus}, {" system_dbus", &p.system_dbus}}) {
                if (bus->given)
                        s += std::string(label) + "@" + bus->given->str();
                for (auto [kind, names] : {std::pair{".talk=", &bus->talk},
                                           {".own=", &bus->own},
                                           {".see=", &bus->see},
                                           {".call=", &bus->call}})
                        for (auto& n : *names)
                                s += label + std::string(kind) + n.value;
        }
        for (auto& ps : p.persist)
                s += " persist=" + ps.value;
        for (auto& o : p.overlays) {
                s += " overlay=" + o.dst + ":" + o.upper + (o.optional ? ":optional" : "");
                for (auto& l : o.lowers)
                        s += ":" + l;
        }
        for (auto& h : p.hide)
                s += " hide=" + h.value;
        auto num = [](const auto& v) { return v ? std::to_string(*v) : std::string("-"); };
        s += " memory=" + num(p.memory) + " memory_high=" + num(p.memory_high) + " memory_swap=" +
             num(p.memory_swap) + " pids=" + num(p.pids) + " cpu=" + num(p.cpu) + " io_weight=" + num(p.io_weight) +
             " on_unavailable=" +
             (!p.on_unavailable ? "-" : *p.on_unavailable == OnUnavailable::Fail ? "fail" : "warn");
        for (auto& d : p.syscall_deny)
                s += " deny=" + d.value;
        for (auto& a : p.syscall_allow)
                s += " allow=" + a.value;
        return s;
}

inline bool contains(std::string_view hay, std::string_view needle) {
        return hay.find(needle) != std::string_view::npos;
}

} // namespace sb::test

#define CHECK_CONTAINS(hay, needle)                                                                          \
        CHECK_MESSAGE(::sb::test::contains((hay), (needle)),                                                 \
                      "\"" << std::string(hay) << "\" does not contain \"" << std::string(needle) << "\"")

// Built without exceptions, a failed REQUIRE cannot leave the test case; these return
// instead, before the value of a failed Result is used.
#define REQUIRE_OK(r)                                                                                        \
        do {                                                                                                 \
                if (!(r)) {                                                                                  \
                        FAIL_CHECK(#r " failed: " << (r).error().what());                                    \
                        return;                                                                              \
                }                                                                                            \
        } while (0)

#define REQUIRE_HOLDS(cond)                                                                                  \
        do {                                                                                                 \
                if (!(cond)) {                                                                               \
                        FAIL_CHECK("required: " #cond);                                                      \
                        return;                                                                              \
                }                                                                                            \
        } while (0)
