// SPDX-License-Identifier: GPL-2.0-or-later
// --explain: the effective policy, grouped by area, each entry with its origin (pure).
#include "explain.h"

#include "env.h"
#include "landlock.h"
#include "text.h"

#include <cstring>

namespace sb {

namespace {

std::string where(const Origin& o) {
        return o.str();
}

const Profile* cli_layer(const ExplainInput& in) {
        if (!in.layers.empty() && in.layers.back().name == "command line")
                return &in.layers.back();
        return nullptr;
}

// The origin of a scalar key: the command line if it set it, else the last layer that did.
template <typename T>
std::string key_origin(const ExplainInput& in, std::string_view key, std::optional<T> Profile::*field) {
        if (auto cli = cli_layer(in); cli && (cli->*field).has_value())
                return "command line";
        for (auto it = in.layers.rbegin(); it != in.layers.rend(); ++it) {
                auto o = it->origins.find(key);
                if (o != it->origins.end())
                        return where(o->second);
        }
        return "built in";
}

// The [gui] flags, by name.
std::vector<std::pair<const char*, std::optional<bool> Profile::*>> gui_flags() {
        return {{"wayland", &Profile::wayland}, {"x11", &Profile::x11}, {"audio", &Profile::audio},
                {"gpu", &Profile::gpu}};
}

// What a [gui] capability gives here: the mounts made for it, or that the host lacks it.
std::string gui_what(const Plan& plan, const std::string& key) {
        std::string what;
        for (auto& op : plan.mounts)
                if (op.why.starts_with(key))
                        what += (what.empty() ? "" : ", ") + op.dst;
        return what.empty() ? "asked for; not on this host" : what;
}

// "through xdg-dbus-proxy: talk a, b; own c" for a bus's rules.
std::string bus_rules(const DbusFilter& f) {
        std::string s = "through xdg-dbus-proxy:";
        bool any = false;
        for (auto [kind, names] : {std::pair{"talk", &f.talk}, {"own", &f.own}, {"see", &f.see}, {"call", &f.call}}) {
                if (names->empty())
                        continue;
                s += std::string(any ? ";" : "") + " " + kind;
                for (size_t i = 0; i < names->size(); i++)
                        s += (i ? ", " : " ") + (*names)[i].value;
                any = true;
        }
        return any ? s : s + " no names";
}

// Why a variable of the final environment is there.
std::string env_origin(const ExplainInput& in, std::string_view name) {
        for (auto& s : in.merged.env)
                if (s.name == name)
                        return where(s.origin);
        if (name == "HOME" || name == "USER" || name == "LOGNAME" || name == "XDG_RUNTIME_DIR")
                return "built in";
        if (in.host.getenv(name).empty() && name == "PATH")
                return "built in";
        for (auto pat : default_env_keep)
                if (env_keep_matches(pat, name))
                        return "host, kept by default";
        for (auto it = in.layers.rbegin(); it != in.layers.rend(); ++it) {
                for (auto& pat : it->env_keep) {
                        if (!env_keep_matches(pat, name))
                                continue;
                        auto o = it->origins.find("environment.keep");
                        return "host, kept by " +
                               (o == it->origins.end() ? std::string("command line") : where(o->second));
                }
        }
        return "host";
}

const char* op_name(const MountOp& op) {
        switch (op.kind) {
        case OpKind::Bind:
                return op.device ? "device" : op.read_only ? "read-only" : "read-write";
        case OpKind::Tmpfs:
                return "tmpfs";
        case OpKind::Proc:
                return "proc";
        case OpKind::Devpts:
                return "devpts";
        case OpKind::Symlink:
                return "symlink";
        case OpKind::File:
                return "file";
        case OpKind::Overlay:
                return "overlay";
        }
        return "?";
}

std::string op_text(const MountOp& op) {
        switch (op.kind) {
        case OpKind::Bind:
                return op.src == op.dst ? quote(op.dst) : quote(op.dst) + " from " + quote(op.src);
        case OpKind::Tmpfs:
                return quote(op.dst) + " (mode " + op.mode_str + ")";
        case OpKind::Symlink:
                return quote(op.dst) + " -> " + quote(op.src);
        case OpKind::Overlay:
                return quote(op.dst) + (op.upper_dir.empty() ? " (writes to a tmpfs)" : " (writes kept)");
        default:
                return quote(op.dst);
        }
}

// A rule as a profile would write it.
std::string rule_text(const SyscallRule& r) {
        std::string s = r.name;
        for (size_t i = 0; i < r.conds.size(); i++) {
                auto& c = r.conds[i];
                static const char* ops[] = {"==", "!=", "<", "<=", ">", ">="};
                s += i ? " && " : "(";
                if (c.op == ArgCond::MaskedEq)
                        s += strprintf("arg%u & 0x%llx == 0x%llx", c.arg,
                                       static_cast<unsigned long long>(c.mask),
                                       static_cast<unsigned long long>(c.value));
                else
                        s += strprintf("arg%u %s 0x%llx", c.arg, ops[c.op],
                                       static_cast<unsigned long long>(c.value));
        }
        if (!r.conds.empty())
                s += ")";
        switch (r.action) {
        case Action::Errno: {
                const char* n = strerrorname_np(r.errnum);
                s += strprintf(": errno(%s)", n ? n : std::to_string(r.errnum).c_str());
                break;
        }
        case Action::Kill:
                s += ": kill";
                break;
        case Action::Log:
                s += ": log";
                break;
        case Action::Allow:
                break;
        }
        return s;
}

std::vector<std::string> warnings(const ExplainInput& in) {
        std::vector<std::string> w;
        if (!in.plan.policy.enabled)
                w.push_back("security: no syscall filter (security.seccomp = \"none\"): the kernel's whole "
                            "interface is open, terminal injection with TIOCSTI included");
        for (auto& l : in.plan.policy.loosened)
                w.push_back("security: the default policy's refusal of " + l + " is lifted");
        if (in.plan.policy.nested_userns)
                w.push_back("security: the app may create user namespaces of its own");
        if (in.merged.x11.value_or(false))
                w.push_back(
                    "gui: X11 does not isolate apps from each other: through the display the app can read "
                    "other windows and send them input");
        for (auto& pw : in.plan.warnings)
                w.push_back(pw);
        for (auto& pn : in.plan.notes)
                w.push_back(pn);
        if (!in.plan.new_net)
                w.push_back(in.plan.use_landlock && landlock_abi() >= 6
                                ? "network: the host's network namespace is shared: host services on localhost are "
                                  "reachable (its abstract sockets are not: Landlock)"
                                : "network: the host's network namespace is shared: host services on localhost and "
                                  "abstract sockets (such as X11's @/tmp/.X11-unix) are reachable");
        for (auto& pat : in.merged.env_keep)
                if (pat == "*")
                        w.push_back(
                            "environment: every host variable is passed in (keep = \"*\"), secrets and "
                            "socket addresses included");
        for (auto& op : in.plan.mounts)
                if (op.kind == OpKind::Bind && !op.read_only && !op.device &&
                    (op.src == in.host.home || op.src == "/"))
                        w.push_back("filesystem: " + quote(op.src) + " is writable inside");
        return w;
}

std::string pad(std::string s, size_t width) {
        if (s.size() < width)
                s.resize(width, ' ');
        else
                s += "  ";
        return s;
}

} // namespace

std::string explain_text(const ExplainInput& in) {
        std::string s;
        s += "profile " + quote(in.merged.name);
        if (in.merged.description)
                s += ": " + escape_controls(*in.merged.description);
        s += "\nlayers, lowest precedence first:\n";
        for (auto& l : in.layers)
                s +=
                    "  " + pad(quote(l.name), 24) + (l.path.empty() ? std::string("") : quote(l.path)) + "\n";

        s += "\n[filesystem] in mount order\n";
        for (auto& op : in.plan.mounts)
                s += "  " + pad(op_name(op), 11) + pad(op_text(op), 48) + op.why + "\n";
        s += strprintf("  %s%s\n", pad("root", 11).c_str(),
                       pad(in.plan.root_read_only ? "'/' read-only after setup; /sys absent"
                                                  : "'/' takes writes in its upper; /sys absent",
                           48)
                           .c_str());
        s += "  " + pad("chdir", 11) +
             pad(quote(in.plan.cwd) + (in.plan.cwd_required ? "" : " (else home)"), 48) +
             (in.plan.cwd_required ? "command line" : "built in") + "\n";

        s += "\n[network]\n";
        s += "  " + pad("mode", 11) +
             pad(in.plan.net_user  ? "user: a private namespace, outbound through pasta"
                 : in.plan.new_net ? "none: a private namespace, loopback only"
                                   : "host: the host's network",
                 48) +
             key_origin(in, "network.mode", &Profile::net) + "\n";
        for (auto& f : in.merged.forwards)
                s += "  " + pad("forward", 11) +
                     pad(strprintf("%s host 127.0.0.1:%u -> inside :%u", f.proto.c_str(), f.host_port,
                                   f.inside_port),
                         48) +
                     (f.origin.file.empty() ? "command line" : f.origin.str()) + "\n";
        for (auto& hp : in.merged.host_ports)
                s += "  " + pad("host port", 11) +
                     pad(hp.value ? strprintf("127.0.0.1:%u of the host, tcp and udp", hp.value)
                                  : std::string("every port listening on the host's loopback"),
                         48) +
                     (hp.origin.file.empty() ? "command line" : hp.origin.str()) + "\n";
        for (auto& a : in.merged.allow_tcp)
                s += "  " + pad("allow out", 11) + pad(strprintf("tcp port %u (Landlock)", a.value), 48) +
                     (a.origin.file.empty() ? "command line" : a.origin.str()) + "\n";
        for (auto& d : in.merged.dns)
                s += "  " + pad("dns", 11) + pad(d.value, 48) +
                     (d.origin.file.empty() ? "command line" : d.origin.str()) + "\n";
        s += "  " + pad("hostname", 11) +
             pad(in.plan.hostname.empty() ? "the host's" : quote(in.plan.hostname), 48) +
             key_origin(in, "hostname", &Profile::hostname) + "\n";

        s += "\n[security]\n";
        s += "  " + pad("user", 11) +
             pad(strprintf("uid %u gid %u inside (%u %u outside)", in.plan.uid_inside, in.plan.gid_inside,
                           in.plan.uid_outside, in.plan.gid_outside),
                 48) +
             key_origin(in, "security.uid0", &Profile::uid0) + "\n";
        s += "  " + pad("caps", 11) + pad("none; securebits locked; no_new_privs", 48) + "built in\n";
        s += "  " + pad("landlock", 11) +
             pad(!in.merged.landlock.value_or(true) ? std::string("off")
                                                    : landlock_summary(in.plan.landlock, landlock_abi()),
                 48) +
             key_origin(in, "security.landlock", &Profile::landlock) + "\n";
        const auto& pol = in.plan.policy;
        if (!pol.enabled) {
                s += "  " + pad("seccomp", 11) + pad("none: no syscall filter", 48) +
                     key_origin(in, "security.seccomp", &Profile::seccomp) + "\n";
        } else {
                s += "  " + pad("seccomp", 11) +
                     pad(strprintf("%s policy, %zu rules, %zu BPF instructions",
                                   pol.strict ? "strict" : "default", pol.rules.size(),
                                   in.plan.seccomp.size()),
                         48) +
                     key_origin(in, "security.seccomp", &Profile::seccomp) + "\n";
                for (auto& l : pol.loosened)
                        s += "  " + pad("allowed", 11) + l + "\n";
                for (auto& r : pol.rules)
                        if (r.origin != "built in")
                                s += "  " + pad("denied", 11) + pad(rule_text(r), 48) + r.origin + "\n";
                s += "  " + pad("32-bit", 11) +
                     pad(pol.multiarch ? "i386 and x32 calls allowed, filtered alike"
                                       : "i386 and x32 calls kill",
                         48) +
                     key_origin(in, "security.multiarch", &Profile::multiarch) + "\n";
                s += "  " + pad("userns", 11) +
                     pad(pol.nested_userns
                             ? strprintf("the app may create %u user namespaces", pol.nested_userns)
                             : std::string("none may be created inside"),
                         48) +
                     key_origin(in, "security.nested_userns", &Profile::nested_userns) + "\n";
                if (pol.notify) {
                        bool log_rules = false;
                        for (auto& r : pol.rules)
                                log_rules = log_rules || r.action == Action::Log;
                        std::string why = in.merged.seccomp_log.value_or(false)
                                              ? key_origin(in, "security.seccomp_log", &Profile::seccomp_log)
                                          : log_rules ? std::string("log rules")
                                                      : std::string("command line");
                        s += "  " + pad("audit", 11) + pad("refused calls are reported on stderr", 48) + why +
                             "\n";
                }
        }
        s += "  " + pad("init", 11) + pad("pid 1: no caps, not dumpable, read/wait4/kill/exit only", 48) +
             "built in\n";
        s += "  " + pad("fds", 11) + pad("0, 1, 2", 48) + "built in\n";
        for (int fd : in.plan.keep_fds)
                s += "  " + pad("fds", 11) + pad(std::to_string(fd), 48) + "command line\n";

        s += "\n[limits]\n";
        auto limits = enforcement_plan(in.plan.limits);
        if (limits.empty())
                s += "  none\n";
        for (auto& e : limits) {
                auto w = in.plan.limits.where.find(e.key);
                s += "  " + pad(e.key.substr(7), 11) +
                     pad(e.value + ": " + (e.how.empty() ? "not enforced (" + e.why + ")" : e.how), 48) +
                     (w == in.plan.limits.where.end() ? "command line" : w->second) + "\n";
        }

        s += "\n[environment]\n";
        for (auto& kv : in.plan.envp) {
                auto eq = kv.find('=');
                s += "  " + pad(quote(kv), 59) + env_origin(in, kv.substr(0, eq)) + "\n";
        }

        s += "\n[gui]\n";
        bool any = false;
        for (auto [name, field] : gui_flags()) {
                if (!(in.merged.*field).value_or(false))
                        continue;
                any = true;
                std::string key = std::string("gui.") + name;
                s += "  " + pad(name, 11) + pad(gui_what(in.plan, key), 48) + key_origin(in, key, field) + "\n";
        }
        for (auto [name, bus] : {std::pair{"dbus", &in.merged.dbus}, {"system bus", &in.merged.system_dbus}}) {
                if (!bus->given)
                        continue;
                any = true;
                s += "  " + pad(name, 11) + pad(bus_rules(*bus), 48) + where(*bus->given) + "\n";
        }
        if (!any)
                s += "  none\n";

        s += "\n[command]\n  ";
        for (size_t i = 0; i < in.plan.argv.size(); i++)
                s += (i ? " " : "") + quote(in.plan.argv[i]);
        s += "\n";
        auto w = warnings(in);
        if (!w.empty()) {
                s += "\n";
                for (auto& x : w)
                        s += "warning: " + x + "\n";
        }
        return s;
}

std::string explain_json(const ExplainInput& in) {
        std::string s = "{\n  \"profile\": " + json_string(in.merged.name) + ",\n";
        s += "  \"description\": " + (in.merged.description ? json_string(*in.merged.description) : "null") +
             ",\n";
        s += "  \"layers\": [";
        for (size_t i = 0; i < in.layers.size(); i++)
                s += std::string(i ? ", " : "") + "{\"name\": " + json_string(in.layers[i].name) +
                     ", \"path\": " + (in.layers[i].path.empty() ? "null" : json_string(in.layers[i].path)) +
                     "}";
        s += "],\n  \"filesystem\": [\n";
        for (size_t i = 0; i < in.plan.mounts.size(); i++) {
                auto& op = in.plan.mounts[i];
                s += "    {\"type\": " + json_string(op_name(op)) + ", \"dst\": " + json_string(op.dst);
                if (op.kind == OpKind::Bind || op.kind == OpKind::Symlink)
                        s += std::string(", \"") + (op.kind == OpKind::Bind ? "src" : "target") +
                             "\": " + json_string(op.src);
                if (op.kind == OpKind::Tmpfs)
                        s += ", \"mode\": " + json_string(op.mode_str);
                s += ", \"origin\": " + json_string(op.why) + "}" +
                     (i + 1 < in.plan.mounts.size() ? ",\n" : "\n");
        }
        s += "  ],\n";
        s += "  \"cwd\": " + json_string(in.plan.cwd) + ",\n";
        s += "  \"network\": {\"mode\": " +
             json_string(in.plan.net_user  ? "user"
                         : in.plan.new_net ? "none"
                                           : "host") +
             ", \"origin\": " + json_string(key_origin(in, "network.mode", &Profile::net)) +
             ", \"hostname\": " + (in.plan.hostname.empty() ? "null" : json_string(in.plan.hostname)) +
             "},\n";
        const auto& pol = in.plan.policy;
        s += strprintf(
            "  \"security\": {\"uid\": %u, \"gid\": %u, \"capabilities\": [], \"no_new_privs\": true, "
            "\"seccomp\": {\"enabled\": %s, \"rules\": %zu, \"bpf_instructions\": %zu, "
            "\"multiarch\": %s, \"nested_userns\": %u, \"audit\": %s, \"allowed\": [",
            in.plan.uid_inside, in.plan.gid_inside, pol.enabled ? "true" : "false", pol.rules.size(),
            in.plan.seccomp.size(), pol.multiarch ? "true" : "false", pol.nested_userns,
            pol.notify ? "true" : "false");
        for (size_t i = 0; i < pol.loosened.size(); i++)
                s += (i ? ", " : "") + json_string(pol.loosened[i]);
        s += "], \"denied\": [";
        bool first = true;
        for (auto& r : pol.rules) {
                if (r.origin == "built in")
                        continue;
                s += (first ? "" : ", ") + std::string("{\"rule\": ") + json_string(rule_text(r)) +
                     ", \"origin\": " + json_string(r.origin) + "}";
                first = false;
        }
        s += "]}, \"keep_fds\": [";
        for (size_t i = 0; i < in.plan.keep_fds.size(); i++)
                s += (i ? ", " : "") + std::to_string(in.plan.keep_fds[i]);
        s += "]},\n  \"limits\": [";
        auto limits = enforcement_plan(in.plan.limits);
        for (size_t i = 0; i < limits.size(); i++) {
                auto& e = limits[i];
                auto w = in.plan.limits.where.find(e.key);
                s += std::string(i ? ", " : "") + "{\"key\": " + json_string(e.key) +
                     ", \"value\": " + json_string(e.value) + ", \"enforced_by\": " + json_string(e.how) +
                     ", \"why\": " + json_string(e.why) + ", \"origin\": " +
                     json_string(w == in.plan.limits.where.end() ? "command line" : w->second) + "}";
        }
        s += "],\n  \"environment\": [\n";
        for (size_t i = 0; i < in.plan.envp.size(); i++) {
                auto& kv = in.plan.envp[i];
                auto eq = kv.find('=');
                s += "    {\"name\": " + json_string(kv.substr(0, eq)) +
                     ", \"value\": " + json_string(kv.substr(eq + 1)) +
                     ", \"origin\": " + json_string(env_origin(in, kv.substr(0, eq))) + "}" +
                     (i + 1 < in.plan.envp.size() ? ",\n" : "\n");
        }
        s += "  ],\n  \"gui\": {";
        for (auto [name, field] : gui_flags())
                s += std::string("\"") + name + "\": " + ((in.merged.*field).value_or(false) ? "true" : "false") + ", ";
        for (auto [name, bus] : {std::pair{"dbus", &in.merged.dbus}, {"system_dbus", &in.merged.system_dbus}}) {
                s += std::string("\"") + name + "\": ";
                if (!bus->given) {
                        s += std::string("null") + (bus == &in.merged.dbus ? ", " : "");
                        continue;
                }
                s += "{";
                for (auto [kind, names] : {std::pair{"talk", &bus->talk},
                                           {"own", &bus->own},
                                           {"see", &bus->see},
                                           {"call", &bus->call}}) {
                        s += std::string(kind == std::string_view("talk") ? "" : ", ") + "\"" + kind + "\": [";
                        for (size_t i = 0; i < names->size(); i++)
                                s += (i ? ", " : "") + json_string((*names)[i].value);
                        s += "]";
                }
                s += std::string("}") + (bus == &in.merged.dbus ? ", " : "");
        }
        s += "},\n  \"command\": [";
        for (size_t i = 0; i < in.plan.argv.size(); i++)
                s += (i ? ", " : "") + json_string(in.plan.argv[i]);
        s += "],\n  \"warnings\": [";
        auto w = warnings(in);
        for (size_t i = 0; i < w.size(); i++)
                s += (i ? ", " : "") + json_string(w[i]);
        s += "]\n}\n";
        return s;
}

} // namespace sb
