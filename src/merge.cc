// SPDX-License-Identifier: GPL-2.0-or-later
// Layers -> one effective Profile, with explicit precedence (pure).
#include "merge.h"

#include <algorithm>
#include <unordered_map>

namespace sb {

template <typename T>
static void take(std::optional<T>& into, const std::optional<T>& from) {
        if (from)
                into = from;
}

// Union by value: an entry already present stays where it was.
template <typename T>
static void unite(std::vector<T>& into, const std::vector<T>& from) {
        for (auto& x : from)
                if (std::find(into.begin(), into.end(), x) == into.end())
                        into.push_back(x);
}

Profile merge_layers(const std::vector<Profile>& layers) {
        Profile out;
        // One mount per destination: an index by destination keeps this linear.
        std::unordered_map<std::string, size_t> mount_at;
        for (auto& l : layers) {
                out.name = l.name;
                out.path = l.path;
                take(out.description, l.description);
                take(out.command, l.command);
                take(out.hostname, l.hostname);
                take(out.store, l.store);
                take(out.home, l.home);
                take(out.net, l.net);
                take(out.uid0, l.uid0);
                for (auto& m : l.mounts) {
                        auto [it, fresh] = mount_at.try_emplace(m.dst, out.mounts.size());
                        if (fresh)
                                out.mounts.push_back(m);
                        else
                                out.mounts[it->second] = m;
                }
                unite(out.env_keep, l.env_keep);
                for (auto& e : l.env) {
                        std::erase_if(out.env, [&](const EnvSetting& s) { return s.name == e.name; });
                        out.env.push_back(e);
                }
                for (auto& [k, o] : l.origins)
                        out.origins[k] = o;

                take(out.home_template, l.home_template);
                if (!l.root.empty())
                        out.root = l.root; // a stack of layers is replaced whole
                take(out.root_upper, l.root_upper);
                unite(out.persist, l.persist);
                unite(out.hide, l.hide);
                for (auto& o : l.overlays) {
                        std::erase_if(out.overlays, [&](const OverlayEntry& e) { return e.dst == o.dst; });
                        out.overlays.push_back(o);
                }
                for (auto& f : l.forwards) {
                        std::erase_if(out.forwards, [&](const PortForward& e) {
                                return e.proto == f.proto && e.host_port == f.host_port;
                        });
                        out.forwards.push_back(f);
                }
                unite(out.host_ports, l.host_ports);
                unite(out.dns, l.dns);
                unite(out.allow_tcp, l.allow_tcp);
                take(out.wayland, l.wayland);
                take(out.x11, l.x11);
                take(out.audio, l.audio);
                take(out.gpu, l.gpu);
                for (auto [to, from] : {std::pair{&out.dbus, &l.dbus}, {&out.system_dbus, &l.system_dbus}}) {
                        if (from->given)
                                to->given = from->given;
                        unite(to->talk, from->talk);
                        unite(to->own, from->own);
                        unite(to->see, from->see);
                        unite(to->call, from->call);
                }
                take(out.seccomp, l.seccomp);
                unite(out.syscall_deny, l.syscall_deny);
                unite(out.syscall_allow, l.syscall_allow);
                unite(out.capabilities, l.capabilities);
                take(out.nested_userns, l.nested_userns);
                take(out.multiarch, l.multiarch);
                take(out.landlock, l.landlock);
                take(out.seccomp_log, l.seccomp_log);
                take(out.memory, l.memory);
                take(out.memory_high, l.memory_high);
                take(out.memory_swap, l.memory_swap);
                take(out.pids, l.pids);
                take(out.cpu, l.cpu);
                take(out.io_weight, l.io_weight);
                take(out.on_unavailable, l.on_unavailable);
        }
        // A deny beats an allow from any layer, whatever the order.
        std::erase_if(out.syscall_allow, [&](const Sourced<std::string>& a) {
                return std::find(out.syscall_deny.begin(), out.syscall_deny.end(), a) !=
                       out.syscall_deny.end();
        });
        return out;
}

// "firefox.toml:12:3" for a key the merged profile set, for messages.
static std::string where(const Profile& p, std::string_view key) {
        return p.origin(key).str();
}

Status check_merged(const Profile& p) {
        bool forwarding = !p.forwards.empty() || !p.host_ports.empty();
        if (forwarding && p.net.value_or(NetMode::None) != NetMode::User) {
                const Origin& o =
                    !p.forwards.empty() ? p.forwards.front().origin : p.host_ports.front().origin;
                return err(
                    "%s: network.%s: port forwarding needs network.mode = \"user\", and the mode is \"%s\"",
                    o.str().c_str(), !p.forwards.empty() ? "forward" : "host_ports",
                    p.net.value_or(NetMode::None) == NetMode::Host ? "host" : "none");
        }
        if (!p.dns.empty() && p.net.value_or(NetMode::None) == NetMode::None)
                return err("%s: network.dns: a sandbox without network (mode \"none\") asks no DNS server",
                           p.dns.front().origin.file.empty() ? "command line"
                                                             : p.dns.front().origin.str().c_str());
        if (p.home_template && p.home.value_or(HomeMode::Ephemeral) != HomeMode::Template) {
                return err("%s: filesystem.template: needs filesystem.home = \"template\"",
                           where(p, "filesystem.template").c_str());
        }
        if (p.home == HomeMode::Template && !p.home_template) {
                return err("%s: filesystem.home: \"template\" needs filesystem.template, the directory to "
                           "seed the home from",
                           where(p, "filesystem.home").c_str());
        }
        if (p.root_upper && p.root.empty()) {
                return err("%s: filesystem.root_upper: there is no filesystem.root",
                           where(p, "filesystem.root_upper").c_str());
        }
        if (p.memory && p.memory_high && *p.memory_high > *p.memory) {
                return err("%s: limits.memory_high: above limits.memory, so it would never apply",
                           where(p, "limits.memory_high").c_str());
        }
        return Ok{};
}

} // namespace sb
