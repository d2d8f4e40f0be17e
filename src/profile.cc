// SPDX-License-Identifier: GPL-2.0-or-later
// TOML text -> one Profile layer, driven by one key table (pure).
#include "profile.h"

#include "paths.h"
#include "syscall_rules.h"
#include "text.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstdlib>
#include <seccomp.h>
#include <sys/capability.h>
#include <unordered_map>

#define TOML_HEADER_ONLY 1
#define TOML_EXCEPTIONS 0
#define TOML_ENABLE_FORMATTERS 0
// toml++ 3.3 asserts, instead of reporting an error, on some malformed table headers
// ("[[=]]"); with its asserts off, as in a release build, it returns the parse error.
#define TOML_ASSERT(expr) static_assert(true)
#include <toml++/toml.h>

namespace sb {

std::string Origin::str() const {
        if (file.empty())
                return "command line";
        return strprintf("%s:%u:%u", file.c_str(), line, column);
}

Result<PortForward> parse_forward_spec(std::string_view s) {
        PortForward f{};
        auto bad = [&] {
                return err(
                    "expected \"tcp:PORT\", \"udp:PORT\" or \"tcp:HOSTPORT:PORT\" with ports 1 to 65535, "
                    "found %s",
                    quote(s).c_str());
        };
        auto colon = s.find(':');
        if (colon == std::string_view::npos)
                return bad();
        f.proto = std::string(s.substr(0, colon));
        if (f.proto != "tcp" && f.proto != "udp")
                return bad();
        auto parse_port = [](std::string_view p, unsigned& out) {
                if (p.empty() || p.size() > 5)
                        return false;
                unsigned v = 0;
                for (char ch : p) {
                        if (ch < '0' || ch > '9')
                                return false;
                        v = v * 10 + static_cast<unsigned>(ch - '0');
                }
                out = v;
                return v >= 1 && v <= 65535;
        };
        std::string_view rest = s.substr(colon + 1);
        auto second = rest.find(':');
        if (second == std::string_view::npos) {
                if (!parse_port(rest, f.host_port))
                        return bad();
                f.inside_port = f.host_port;
        } else if (!parse_port(rest.substr(0, second), f.host_port) ||
                   !parse_port(rest.substr(second + 1), f.inside_port)) {
                return bad();
        }
        return f;
}

Result<unsigned> parse_allow_spec(std::string_view s) {
        if (s.starts_with("udp:"))
                return err("%s: Landlock restricts TCP connections only; UDP cannot be limited to ports",
                           quote(s).c_str());
        if (s.find('/') != std::string_view::npos || std::count(s.begin(), s.end(), ':') != 1)
                return err(
                    "expected \"tcp:PORT\" (destinations are ports; addresses cannot be limited), found %s",
                    quote(s).c_str());
        auto f = parse_forward_spec(s);
        if (!f || f->proto != "tcp")
                return err("expected \"tcp:PORT\" with a port from 1 to 65535, found %s", quote(s).c_str());
        return f->host_port;
}

bool valid_ip_address(std::string_view s) {
        unsigned char buf[16];
        std::string z(s);
        return !s.empty() && s.size() < 64 &&
               (inet_pton(AF_INET, z.c_str(), buf) == 1 || inet_pton(AF_INET6, z.c_str(), buf) == 1);
}

Result<uint64_t> parse_size(std::string_view s, bool allow_zero) {
        // Digits with at most one '.', then the unit: no sign, space, exponent or hex.
        size_t digits = 0;
        bool dot = false;
        while (digits < s.size() && ((s[digits] >= '0' && s[digits] <= '9') || (s[digits] == '.' && !dot))) {
                dot = dot || s[digits] == '.';
                digits++;
        }
        bool number = digits > 0 && s.substr(0, digits) != ".";
        double v = number ? strtod(std::string(s.substr(0, digits)).c_str(), nullptr) : 0;
        static const std::pair<const char*, double> units[] = {{"", 1},
                                                               {"K", 1024.0},
                                                               {"KiB", 1024.0},
                                                               {"M", 1048576.0},
                                                               {"MiB", 1048576.0},
                                                               {"G", 1073741824.0},
                                                               {"GiB", 1073741824.0},
                                                               {"T", 1099511627776.0},
                                                               {"TiB", 1099511627776.0}};
        double mult = 0;
        for (auto& [u, m] : units)
                if (s.substr(digits) == u)
                        mult = m;
        if (!number || mult == 0 || !(v > 0 || (v == 0 && allow_zero)))
                return err("expected a positive size such as \"512M\" or \"4G\", found %s", quote(s).c_str());
        double bytes = v * mult;
        if (bytes >= 18446744073709551615.0)
                return err("%s is larger than any machine", quote(s).c_str());
        return static_cast<uint64_t>(bytes);
}

Result<std::string> expand_vars(std::string_view s, const Vars& vars) {
        std::string out;
        size_t i = 0;
        if (s.substr(0, 2) == "~/" || s == "~") {
                auto home = vars.find("HOME");
                if (home == vars.end())
                        return err("'~' used but HOME is not known");
                out = home->second;
                i = 1;
        }
        while (i < s.size()) {
                if (s[i] != '$') {
                        out += s[i++];
                        continue;
                }
                if (s.substr(i, 2) == "$$") {
                        out += '$';
                        i += 2;
                        continue;
                }
                size_t close = s.find('}', i);
                if (s.substr(i, 2) != "${" || close == std::string_view::npos)
                        return err("a '$' must start ${NAME} (write $$ for a literal '$')");
                auto name = s.substr(i + 2, close - i - 2);
                auto it = vars.find(name);
                if (it == vars.end()) {
                        std::vector<std::string_view> names;
                        for (auto& [k, v] : vars)
                                names.push_back(k);
                        auto hint = closest_match(name, names);
                        return err("unknown variable ${%.*s}%s", static_cast<int>(name.size()), name.data(),
                                   hint.empty() ? "" : (", did you mean ${" + hint + "}?").c_str());
                }
                out += it->second;
                i = close + 1;
        }
        return out;
}

namespace {

struct Ctx {
        const std::string& file;
        const Vars& vars;
        Profile& p;
};

Origin origin_of(const Ctx& c, const toml::source_region& r) {
        return Origin{c.file, static_cast<unsigned>(r.begin.line), static_cast<unsigned>(r.begin.column)};
}

Error located(const Ctx& c, const toml::source_region& r, std::string_view key, const std::string& msg) {
        return err("%s: %.*s: %s", origin_of(c, r).str().c_str(), static_cast<int>(key.size()), key.data(),
                   msg.c_str());
}

const char* type_name(const toml::node& n) {
        switch (n.type()) {
        case toml::node_type::string:
                return "a string";
        case toml::node_type::integer:
                return "an integer";
        case toml::node_type::floating_point:
                return "a float";
        case toml::node_type::boolean:
                return "a boolean";
        case toml::node_type::array:
                return "an array";
        case toml::node_type::table:
                return "a table";
        default:
                return "a date or time";
        }
}

Error wrong_type(const Ctx& c, const toml::node& n, std::string_view key, const char* want) {
        return located(c, n.source(), key, strprintf("expected %s, found %s", want, type_name(n)));
}

Result<std::string> get_string(const Ctx& c, const toml::node& n, std::string_view key) {
        auto s = n.value<std::string>();
        if (!n.is_string() || !s)
                return wrong_type(c, n, key, "a string");
        if (has_control(*s))
                return located(c, n.source(), key, "control characters are not allowed");
        return *s;
}

Result<bool> get_bool(const Ctx& c, const toml::node& n, std::string_view key) {
        if (!n.is_boolean())
                return wrong_type(c, n, key, "a boolean (true or false)");
        return *n.value<bool>();
}

Result<int64_t> get_int(const Ctx& c, const toml::node& n, std::string_view key, int64_t lo, int64_t hi) {
        if (!n.is_integer())
                return wrong_type(c, n, key, "an integer");
        int64_t v = *n.value<int64_t>();
        if (v < lo || v > hi)
                return located(c, n.source(), key,
                               strprintf("%lld is out of range (%lld to %lld)", static_cast<long long>(v),
                                         static_cast<long long>(lo), static_cast<long long>(hi)));
        return v;
}

// One of a fixed set of words; the message lists them.
Result<std::string> get_enum(const Ctx& c, const toml::node& n, std::string_view key,
                             const std::vector<std::string_view>& allowed) {
        auto s = get_string(c, n, key);
        if (!s)
                return std::move(s).error();
        for (auto a : allowed)
                if (*s == a)
                        return s;
        std::string list;
        for (size_t i = 0; i < allowed.size(); i++)
                list += (i == 0                    ? ""
                         : i + 1 == allowed.size() ? " or "
                                                   : ", ") +
                        std::string("\"") + std::string(allowed[i]) + "\"";
        auto hint = closest_match(*s, allowed);
        return located(c, n.source(), key,
                       "expected " + list + ", found " + quote(*s) +
                           (hint.empty() ? std::string() : ", did you mean \"" + hint + "\"?"));
}

// A size in bytes: an integer, or a string with a binary suffix ("512M", "1.5G", "4GiB").
Result<uint64_t> get_size(const Ctx& c, const toml::node& n, std::string_view key, bool allow_zero) {
        if (n.is_integer()) {
                int64_t v = *n.value<int64_t>();
                if (v < 0 || (v == 0 && !allow_zero))
                        return located(c, n.source(), key, "a size must be positive");
                return static_cast<uint64_t>(v);
        }
        if (!n.is_string())
                return wrong_type(c, n, key, "a size such as \"512M\" or \"4G\"");
        auto v = parse_size(*n.value<std::string>(), allow_zero);
        if (!v)
                return located(c, n.source(), key, v.error().msg);
        return v;
}

// An array whose items each pass item(): the common shape of list keys.
template <typename F>
Status each_item(const Ctx& c, const toml::node& n, std::string_view key, F item) {
        auto arr = n.as_array();
        if (!arr)
                return wrong_type(c, n, key, "an array");
        for (auto& it : *arr)
                SB_TRY(item(it));
        return Ok{};
}

Status sourced_strings(Ctx& c, const toml::node& n, std::string_view key,
                       std::vector<Sourced<std::string>>& out, bool (*valid)(std::string_view),
                       const char* what) {
        return each_item(c, n, key, [&](const toml::node& it) -> Status {
                auto s = get_string(c, it, key);
                if (!s)
                        return std::move(s).error();
                if (!valid(*s))
                        return located(c, it.source(), key,
                                       std::string("expected ") + what + ", found " + quote(*s));
                out.push_back({*s, origin_of(c, it.source())});
                return Ok{};
        });
}

// A path value: variables expanded, absolute, normalised.
Result<std::string> get_path(const Ctx& c, const toml::node& n, std::string_view key) {
        auto s = get_string(c, n, key);
        if (!s)
                return std::move(s).error();
        auto expanded = expand_vars(*s, c.vars);
        if (!expanded)
                return located(c, n.source(), key, expanded.error().msg);
        auto norm = normalize_path(*expanded);
        if (!norm)
                return located(c, n.source(), key, norm.error().msg);
        return norm;
}

const toml::array* get_array(const Ctx& c, const toml::node& n, std::string_view key, Error& e) {
        if (!n.is_array()) {
                e = wrong_type(c, n, key, "an array");
                return nullptr;
        }
        return n.as_array();
}

// Unknown keys inside an inline table are as fatal as unknown top-level keys.
Status check_keys(const Ctx& c, const toml::table& t, std::string_view key,
                  const std::vector<std::string_view>& allowed) {
        for (auto&& [k, v] : t) {
                bool ok = false;
                for (auto a : allowed)
                        ok = ok || k.str() == a;
                if (!ok) {
                        auto hint = closest_match(k.str(), allowed);
                        std::string msg = "unknown key " + quote(k.str());
                        if (!hint.empty())
                                msg += ", did you mean '" + hint + "'?";
                        return located(c, k.source(), key, msg);
                }
        }
        return Ok{};
}

Status parse_schema(Ctx& c, std::string_view key, const toml::node& n) {
        if (!n.is_integer())
                return wrong_type(c, n, key, "an integer");
        if (*n.value<int64_t>() != 1)
                return located(c, n.source(), key, "only schema 1 is known to this version of sandbox");
        return Ok{};
}

Status parse_description(Ctx& c, std::string_view key, const toml::node& n) {
        auto s = get_string(c, n, key);
        if (!s)
                return std::move(s).error();
        c.p.description = *s;
        return Ok{};
}

Status parse_include(Ctx& c, std::string_view key, const toml::node& n) {
        Error e;
        auto arr = get_array(c, n, key, e);
        if (!arr)
                return e;
        for (auto& item : *arr) {
                auto s = get_string(c, item, key);
                if (!s)
                        return std::move(s).error();
                if (s->empty() || s->find('/') != std::string::npos || (*s)[0] == '.')
                        return located(c, item.source(), key,
                                       "expected a profile name such as \"gui\", found " + quote(*s));
                c.p.include.push_back(*s);
        }
        return Ok{};
}

// "firefox", or alternatives: ["firefox", "firefox-esr"].
Status parse_command(Ctx& c, std::string_view key, const toml::node& n) {
        std::vector<std::string> names;
        auto one = [&](const toml::node& it) -> Status {
                auto s = get_string(c, it, key);
                if (!s)
                        return std::move(s).error();
                if (s->empty())
                        return located(c, it.source(), key, "the command is empty");
                names.push_back(*s);
                return Ok{};
        };
        if (n.is_array()) {
                SB_TRY(each_item(c, n, key, one));
                if (names.empty())
                        return located(c, n.source(), key, "the list of commands is empty");
        } else {
                SB_TRY(one(n));
        }
        c.p.command = std::move(names);
        return Ok{};
}

Status parse_hostname(Ctx& c, std::string_view key, const toml::node& n) {
        auto s = get_string(c, n, key);
        if (!s)
                return std::move(s).error();
        if (!valid_hostname(*s))
                return located(c, n.source(), key,
                               "expected 1 to 64 letters, digits, '-' or '.', found " + quote(*s));
        c.p.hostname = *s;
        return Ok{};
}

Status parse_store(Ctx& c, std::string_view key, const toml::node& n) {
        auto s = get_string(c, n, key);
        if (!s)
                return std::move(s).error();
        if (!valid_profile_name(*s))
                return located(c, n.source(), key,
                               "expected a profile name (letters, digits, '-', '_', '.'), found " + quote(*s));
        c.p.store = *s;
        return Ok{};
}

Status parse_home(Ctx& c, std::string_view key, const toml::node& n) {
        auto s = get_enum(c, n, key, {"ephemeral", "persistent", "host", "template"});
        if (!s)
                return std::move(s).error();
        c.p.home = *s == "ephemeral"    ? HomeMode::Ephemeral
                   : *s == "persistent" ? HomeMode::Persistent
                   : *s == "host"       ? HomeMode::Host
                                        : HomeMode::Template;
        return Ok{};
}

// read_only / read_write: "PATH" or { path = "PATH", optional = true, follow = true }, and for
// read_write also create = true.
Status parse_bind_list(Ctx& c, std::string_view key, const toml::node& n, bool read_only) {
        Error e;
        auto arr = get_array(c, n, key, e);
        if (!arr)
                return e;
        for (auto& item : *arr) {
                MountEntry m{};
                m.type = MountType::Bind;
                m.read_only = read_only;
                m.origin = origin_of(c, item.source());
                const toml::node* path = &item;
                if (auto t = item.as_table()) {
                        if (read_only)
                                SB_TRY(check_keys(c, *t, key, {"path", "optional", "follow"}));
                        else
                                SB_TRY(check_keys(c, *t, key, {"path", "optional", "follow", "create"}));
                        path = t->get("path");
                        if (!path)
                                return located(c, item.source(), key, "the table needs a 'path'");
                        for (auto [name, flag] : {std::pair{"optional", &m.optional},
                                                  {"follow", &m.follow},
                                                  {"create", &m.create}})
                                if (auto v = t->get(name)) {
                                        auto b = get_bool(c, *v, key);
                                        if (!b)
                                                return std::move(b).error();
                                        *flag = *b;
                                }
                } else if (!item.is_string()) {
                        return wrong_type(c, item, key, "a path or { path = ..., optional = true }");
                }
                auto p = get_path(c, *path, key);
                if (!p)
                        return std::move(p).error();
                m.src = m.dst = *p;
                c.p.mounts.push_back(std::move(m));
        }
        return Ok{};
}

Status parse_read_only(Ctx& c, std::string_view key, const toml::node& n) {
        return parse_bind_list(c, key, n, true);
}
Status parse_read_write(Ctx& c, std::string_view key, const toml::node& n) {
        return parse_bind_list(c, key, n, false);
}

Status parse_tmpfs(Ctx& c, std::string_view key, const toml::node& n) {
        Error e;
        auto arr = get_array(c, n, key, e);
        if (!arr)
                return e;
        for (auto& item : *arr) {
                auto p = get_path(c, item, key);
                if (!p)
                        return std::move(p).error();
                MountEntry m{};
                m.type = MountType::Tmpfs;
                m.dst = *p;
                m.read_only = false;
                m.origin = origin_of(c, item.source());
                c.p.mounts.push_back(std::move(m));
        }
        return Ok{};
}

// A path or an array of paths (bottom first): the lower layers of an overlay or a root.
Status get_layers(Ctx& c, const toml::node& n, std::string_view key, std::vector<std::string>& out) {
        out.clear();
        if (n.is_string()) {
                auto p = get_path(c, n, key);
                if (!p)
                        return std::move(p).error();
                out.push_back(*p);
                return Ok{};
        }
        auto arr = n.as_array();
        if (!arr)
                return wrong_type(c, n, key, "a path or an array of paths");
        if (arr->empty())
                return located(c, n.source(), key, "no layer given");
        // The kernel stacks at most 500 lower layers; fewer keep the option string in one page.
        if (arr->size() > 64)
                return located(c, n.source(), key, "more than 64 layers");
        for (auto& item : *arr) {
                auto p = get_path(c, item, key);
                if (!p)
                        return std::move(p).error();
                if (std::find(out.begin(), out.end(), *p) != out.end())
                        return located(c, item.source(), key, "layer " + quote(*p) + " is given twice");
                out.push_back(*p);
        }
        return Ok{};
}

Result<std::string> get_upper(Ctx& c, const toml::node& n, std::string_view key) {
        return get_enum(c, n, key, {"tmpfs", "persistent", "none"});
}

// [[mount]] type = "overlay": src (one directory or several, bottom first), dst, upper.
Status parse_overlay_mount(Ctx& c, const toml::table& t, const toml::node& item, const Origin& origin) {
        OverlayEntry o{{}, "", "tmpfs", false, origin};
        for (const char* k : {"content", "target", "read_only", "follow"})
                if (auto v = t.get(k))
                        return located(c, v->source(), std::string("mount.") + k,
                                       std::string_view(k) == "read_only"
                                           ? "an overlay is made read-only with upper = \"none\""
                                       : std::string_view(k) == "follow"
                                           ? "the layers of an overlay are never reached through symlinks"
                                           : "an overlay has no " + std::string(k));
        auto src = t.get("src");
        if (!src)
                return located(c, item.source(), "mount", "an overlay needs its lower directories in 'src'");
        SB_TRY(get_layers(c, *src, "mount.src", o.lowers));
        auto dst = t.get("dst");
        if (!dst)
                return located(c, item.source(), "mount", "a mount needs a 'dst'");
        auto d = get_path(c, *dst, "mount.dst");
        if (!d)
                return std::move(d).error();
        o.dst = *d;
        if (auto up = t.get("upper")) {
                auto u = get_upper(c, *up, "mount.upper");
                if (!u)
                        return std::move(u).error();
                o.upper = *u;
        }
        if (auto opt = t.get("optional")) {
                auto b = get_bool(c, *opt, "mount.optional");
                if (!b)
                        return std::move(b).error();
                o.optional = *b;
        }
        c.p.overlays.push_back(std::move(o));
        return Ok{};
}

Status parse_mount(Ctx& c, std::string_view key, const toml::node& n) {
        Error e;
        auto arr = get_array(c, n, key, e);
        if (!arr)
                return e;
        for (auto& item : *arr) {
                auto t = item.as_table();
                if (!t)
                        return wrong_type(c, item, key, "a table ([[mount]])");
                SB_TRY(check_keys(
                    c, *t, key,
                    {"type", "src", "dst", "read_only", "optional", "follow", "content", "target", "upper"}));
                MountEntry m{};
                m.origin = origin_of(c, item.source());
                auto type = t->get("type");
                if (!type)
                        return located(c, item.source(), key, "a mount needs a 'type'");
                auto ts = get_string(c, *type, "mount.type");
                if (!ts)
                        return std::move(ts).error();
                if (*ts == "bind")
                        m.type = MountType::Bind;
                else if (*ts == "tmpfs")
                        m.type = MountType::Tmpfs;
                else if (*ts == "file")
                        m.type = MountType::File;
                else if (*ts == "symlink")
                        m.type = MountType::Symlink;
                else if (*ts == "overlay")
                        m.type = MountType::Overlay;
                else
                        return located(c, type->source(), "mount.type",
                                       "expected \"bind\", \"tmpfs\", \"overlay\", \"file\" or \"symlink\", "
                                       "found " +
                                           quote(*ts));
                if (m.type == MountType::Overlay) {
                        SB_TRY(parse_overlay_mount(c, *t, item, m.origin));
                        continue;
                }
                if (auto up = t->get("upper"))
                        return located(c, up->source(), "mount.upper",
                                       "only an \"overlay\" mount has an upper");
                // Each type takes its own keys: content for a file, target for a symlink.
                auto content = t->get("content");
                auto target = t->get("target");
                if (content && m.type != MountType::File)
                        return located(c, content->source(), "mount.content",
                                       "only a \"file\" mount has content");
                if (target && m.type != MountType::Symlink)
                        return located(c, target->source(), "mount.target",
                                       "only a \"symlink\" has a target");
                if (m.type == MountType::File) {
                        if (!content)
                                return located(c, item.source(), key, "a file mount needs its 'content'");
                        auto text = content->value<std::string>();
                        if (!content->is_string() || !text)
                                return wrong_type(c, *content, "mount.content", "a string");
                        // Text with lines and tabs; no other control character, NUL included.
                        for (char ch : *text)
                                if ((static_cast<unsigned char>(ch) < 0x20 && ch != '\n' && ch != '\t') ||
                                    ch == 0x7f)
                                        return located(
                                            c, content->source(), "mount.content",
                                            "control characters other than newline and tab are not allowed");
                        if (text->size() > (1u << 16))
                                return located(c, content->source(), "mount.content",
                                               "more than 64 KiB of content");
                        m.content = *text;
                }
                if (m.type == MountType::Symlink) {
                        if (!target)
                                return located(c, item.source(), key, "a symlink mount needs its 'target'");
                        auto tg = get_string(c, *target, "mount.target");
                        if (!tg)
                                return std::move(tg).error();
                        if (tg->empty())
                                return located(c, target->source(), "mount.target", "the target is empty");
                        m.content = *tg;
                }
                auto dst = t->get("dst");
                if (!dst)
                        return located(c, item.source(), key, "a mount needs a 'dst'");
                auto d = get_path(c, *dst, "mount.dst");
                if (!d)
                        return std::move(d).error();
                m.dst = *d;
                auto src = t->get("src");
                if (m.type == MountType::Bind) {
                        if (!src)
                                m.src = m.dst;
                        else if (auto s = get_path(c, *src, "mount.src"))
                                m.src = *s;
                        else
                                return std::move(s).error();
                } else if (src) {
                        return located(c, src->source(), "mount.src",
                                       m.type == MountType::Tmpfs ? "a tmpfs mount has no source"
                                                                  : "this type of mount has no source");
                }
                m.read_only = m.type == MountType::Bind || m.type == MountType::File;
                if (auto ro = t->get("read_only")) {
                        auto b = get_bool(c, *ro, "mount.read_only");
                        if (!b)
                                return std::move(b).error();
                        m.read_only = *b;
                }
                if (auto opt = t->get("optional")) {
                        auto b = get_bool(c, *opt, "mount.optional");
                        if (!b)
                                return std::move(b).error();
                        m.optional = *b;
                }
                if (auto f = t->get("follow")) {
                        if (m.type != MountType::Bind)
                                return located(c, f->source(), "mount.follow",
                                               "only a \"bind\" follows symlinks");
                        auto b = get_bool(c, *f, "mount.follow");
                        if (!b)
                                return std::move(b).error();
                        m.follow = *b;
                }
                c.p.mounts.push_back(std::move(m));
        }
        return Ok{};
}

Status parse_net_mode(Ctx& c, std::string_view key, const toml::node& n) {
        auto s = get_enum(c, n, key, {"none", "user", "host"});
        if (!s)
                return std::move(s).error();
        c.p.net = *s == "none" ? NetMode::None : *s == "user" ? NetMode::User : NetMode::Host;
        return Ok{};
}

Status parse_env_names(Ctx& c, std::string_view key, const toml::node& n, bool allow_glob,
                       std::vector<std::string>* names, bool unset) {
        Error e;
        auto arr = get_array(c, n, key, e);
        if (!arr)
                return e;
        for (auto& item : *arr) {
                auto s = get_string(c, item, key);
                if (!s)
                        return std::move(s).error();
                std::string_view name = *s;
                if (allow_glob && !name.empty() && name.back() == '*')
                        name.remove_suffix(1);
                if (!valid_env_name(name) && !(allow_glob && name.empty() && s->size() == 1))
                        return located(c, item.source(), key, "invalid variable name " + quote(*s));
                if (names)
                        names->push_back(*s);
                if (unset)
                        c.p.env.push_back(EnvSetting{*s, std::nullopt, origin_of(c, item.source())});
        }
        return Ok{};
}

Status parse_env_keep(Ctx& c, std::string_view key, const toml::node& n) {
        return parse_env_names(c, key, n, true, &c.p.env_keep, false);
}
Status parse_env_unset(Ctx& c, std::string_view key, const toml::node& n) {
        return parse_env_names(c, key, n, false, nullptr, true);
}

Status parse_env_set(Ctx& c, std::string_view key, const toml::node& n) {
        auto t = n.as_table();
        if (!t)
                return wrong_type(c, n, key, "a table of NAME = \"value\"");
        for (auto&& [k, v] : *t) {
                if (!valid_env_name(k.str()))
                        return located(c, k.source(), key, "invalid variable name " + quote(k.str()));
                auto s = get_string(c, v, key);
                if (!s)
                        return std::move(s).error();
                auto expanded = expand_vars(*s, c.vars);
                if (!expanded)
                        return located(c, v.source(), key, expanded.error().msg);
                c.p.env.push_back(EnvSetting{std::string(k.str()), *expanded, origin_of(c, k.source())});
        }
        return Ok{};
}

Status parse_uid0(Ctx& c, std::string_view key, const toml::node& n) {
        auto b = get_bool(c, n, key);
        if (!b)
                return std::move(b).error();
        c.p.uid0 = *b;
        return Ok{};
}

Status parse_template(Ctx& c, std::string_view key, const toml::node& n) {
        auto p = get_path(c, n, key);
        if (!p)
                return std::move(p).error();
        c.p.home_template = *p;
        return Ok{};
}

// Paths inside the home: relative, normalised, never leaving it.
Status parse_persist(Ctx& c, std::string_view key, const toml::node& n) {
        return each_item(c, n, key, [&](const toml::node& it) -> Status {
                auto s = get_string(c, it, key);
                if (!s)
                        return std::move(s).error();
                if (s->empty() || (*s)[0] == '/' || (*s)[0] == '~' || s->find('$') != std::string::npos)
                        return located(c, it.source(), key,
                                       "expected a path relative to the home such as \".mozilla\", found " +
                                           quote(*s));
                auto norm = normalize_path("/" + *s);
                if (!norm)
                        return located(c, it.source(), key, "path " + quote(*s) + " has a '..' component");
                if (*norm == "/")
                        return located(c, it.source(), key,
                                       "the home itself cannot be persisted: use home = \"persistent\"");
                c.p.persist.push_back({norm->substr(1), origin_of(c, it.source())});
                return Ok{};
        });
}

Status parse_hide(Ctx& c, std::string_view key, const toml::node& n) {
        return each_item(c, n, key, [&](const toml::node& it) -> Status {
                auto p = get_path(c, it, key);
                if (!p)
                        return std::move(p).error();
                c.p.hide.push_back({*p, origin_of(c, it.source())});
                return Ok{};
        });
}

Status parse_overlay(Ctx& c, std::string_view key, const toml::node& n) {
        return each_item(c, n, key, [&](const toml::node& it) -> Status {
                auto t = it.as_table();
                if (!t)
                        return wrong_type(c, it, key,
                                          "a table such as { path = \"/opt/x\", upper = \"tmpfs\" }");
                SB_TRY(check_keys(c, *t, key, {"path", "upper", "optional"}));
                auto path = t->get("path");
                if (!path)
                        return located(c, it.source(), key, "the table needs a 'path'");
                auto p = get_path(c, *path, key);
                if (!p)
                        return std::move(p).error();
                OverlayEntry o{{*p}, *p, "tmpfs", false, origin_of(c, it.source())};
                if (auto up = t->get("upper")) {
                        auto u = get_upper(c, *up, key);
                        if (!u)
                                return std::move(u).error();
                        o.upper = *u;
                }
                if (auto opt = t->get("optional")) {
                        auto b = get_bool(c, *opt, key);
                        if (!b)
                                return std::move(b).error();
                        o.optional = *b;
                }
                c.p.overlays.push_back(o);
                return Ok{};
        });
}

Status parse_root(Ctx& c, std::string_view key, const toml::node& n) {
        return get_layers(c, n, key, c.p.root);
}

Status parse_root_upper(Ctx& c, std::string_view key, const toml::node& n) {
        auto u = get_upper(c, n, key);
        if (!u)
                return std::move(u).error();
        c.p.root_upper = *u;
        return Ok{};
}

Status parse_forward(Ctx& c, std::string_view key, const toml::node& n) {
        return each_item(c, n, key, [&](const toml::node& it) -> Status {
                auto s = get_string(c, it, key);
                if (!s)
                        return std::move(s).error();
                auto f = parse_forward_spec(*s);
                if (!f)
                        return located(c, it.source(), key, f.error().msg);
                f->origin = origin_of(c, it.source());
                c.p.forwards.push_back(*f);
                return Ok{};
        });
}

Status parse_host_ports(Ctx& c, std::string_view key, const toml::node& n) {
        return each_item(c, n, key, [&](const toml::node& it) -> Status {
                if (it.is_string()) {
                        if (it.value_or(std::string_view()) != "all")
                                return located(c, it.source(), key,
                                               "expected a port from 1 to 65535 or \"all\", found " +
                                                   quote(it.value_or(std::string_view())));
                        c.p.host_ports.push_back({0, origin_of(c, it.source())});
                        return Ok{};
                }
                auto v = get_int(c, it, key, 1, 65535);
                if (!v)
                        return std::move(v).error();
                c.p.host_ports.push_back({static_cast<unsigned>(*v), origin_of(c, it.source())});
                return Ok{};
        });
}

Status parse_dns(Ctx& c, std::string_view key, const toml::node& n) {
        return each_item(c, n, key, [&](const toml::node& it) -> Status {
                auto s = get_string(c, it, key);
                if (!s)
                        return std::move(s).error();
                if (!valid_ip_address(*s))
                        return located(c, it.source(), key,
                                       "expected an IPv4 or IPv6 address, found " + quote(*s));
                c.p.dns.push_back({*s, origin_of(c, it.source())});
                return Ok{};
        });
}

Status parse_allow(Ctx& c, std::string_view key, const toml::node& n) {
        return each_item(c, n, key, [&](const toml::node& it) -> Status {
                auto s = get_string(c, it, key);
                if (!s)
                        return std::move(s).error();
                auto port = parse_allow_spec(*s);
                if (!port)
                        return located(c, it.source(), key, port.error().msg);
                c.p.allow_tcp.push_back({*port, origin_of(c, it.source())});
                return Ok{};
        });
}

Status parse_gui_flag(Ctx& c, std::string_view key, const toml::node& n) {
        auto b = get_bool(c, n, key);
        if (!b)
                return std::move(b).error();
        auto name = key.substr(key.rfind('.') + 1);
        (name == "wayland" ? c.p.wayland
         : name == "x11"   ? c.p.x11
         : name == "audio" ? c.p.audio
                           : c.p.gpu) = *b;
        return Ok{};
}

// A D-Bus well-known name, or a prefix of one ending in ".*".
bool valid_bus_name(std::string_view s) {
        if (s.ends_with(".*"))
                s.remove_suffix(2);
        if (s.empty() || s.size() > 255 || s.find('.') == std::string_view::npos || s.front() == '.' ||
            s.back() == '.')
                return false;
        for (char ch : s)
                if (!(ch == '.' || ch == '_' || ch == '-' || (ch >= '0' && ch <= '9') ||
                      (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')))
                        return false;
        return s.find("..") == std::string_view::npos;
}

// A call rule as xdg-dbus-proxy takes it: NAME=[INTERFACE.METHOD][@/OBJECT/PATH].
bool valid_call_rule(std::string_view s) {
        auto eq = s.find('=');
        if (eq == std::string_view::npos || !valid_bus_name(s.substr(0, eq)))
                return false;
        auto rule = s.substr(eq + 1);
        if (rule.empty())
                return false;
        auto at = rule.find('@');
        auto method = rule.substr(0, at);
        if (!method.empty() && !valid_bus_name(method))
                return false;
        if (at == std::string_view::npos)
                return true;
        auto path = rule.substr(at + 1);
        if (!path.starts_with("/"))
                return false;
        for (char ch : path)
                if (!(ch == '/' || ch == '_' || ch == '*' || (ch >= '0' && ch <= '9') ||
                      (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')))
                        return false;
        return true;
}

Status parse_dbus(Ctx& c, std::string_view key, const toml::node& n) {
        auto name = key.substr(key.rfind('.') + 1);
        auto& bus = key.starts_with("gui.system_dbus.") ? c.p.system_dbus : c.p.dbus;
        auto& out = name == "talk"  ? bus.talk
                    : name == "own" ? bus.own
                    : name == "see" ? bus.see
                                    : bus.call;
        if (name == "call")
                return sourced_strings(c, n, key, out, valid_call_rule,
                                       "NAME=INTERFACE.METHOD@/PATH such as "
                                       "\"org.freedesktop.portal.*=org.freedesktop.portal.Settings.Read@/org/"
                                       "freedesktop/portal/desktop\"");
        return sourced_strings(c, n, key, out, valid_bus_name,
                               "a D-Bus name such as \"org.freedesktop.Notifications\"");
}

Status parse_seccomp(Ctx& c, std::string_view key, const toml::node& n) {
        auto s = get_enum(c, n, key, {"default", "strict", "none"});
        if (!s)
                return std::move(s).error();
        c.p.seccomp = *s;
        return Ok{};
}

// Rules in words, checked by the same parser the policy is built with: a misspelt name in
// a deny list must not pass as a no-op.
Status parse_syscalls(Ctx& c, std::string_view key, const toml::node& n) {
        bool allow = key.ends_with("allow");
        auto& out = allow ? c.p.syscall_allow : c.p.syscall_deny;
        return each_item(c, n, key, [&](const toml::node& it) -> Status {
                auto s = get_string(c, it, key);
                if (!s)
                        return std::move(s).error();
                auto r = parse_rule(*s, allow);
                if (!r)
                        return located(c, it.source(), key, r.error().msg);
                out.push_back({*s, origin_of(c, it.source())});
                return Ok{};
        });
}

bool valid_capability(std::string_view s) {
        // By name only ("CAP_NET_RAW" or "cap_net_raw"): libcap would also take a bare number.
        if (!s.starts_with("CAP_") && !s.starts_with("cap_"))
                return false;
        cap_value_t v;
        std::string name(s);
        return cap_from_name(name.c_str(), &v) == 0;
}

Status parse_capabilities(Ctx& c, std::string_view key, const toml::node& n) {
        return sourced_strings(c, n, key, c.p.capabilities, valid_capability,
                               "a capability such as \"CAP_NET_RAW\"");
}

Status parse_security_flag(Ctx& c, std::string_view key, const toml::node& n) {
        auto b = get_bool(c, n, key);
        if (!b)
                return std::move(b).error();
        auto& field = key.ends_with("multiarch")     ? c.p.multiarch
                      : key.ends_with("seccomp_log") ? c.p.seccomp_log
                      : key.ends_with("landlock")    ? c.p.landlock
                                                     : c.p.nested_userns;
        field = *b;
        return Ok{};
}

Status parse_memory(Ctx& c, std::string_view key, const toml::node& n) {
        auto v = get_size(c, n, key, key.ends_with("swap"));
        if (!v)
                return std::move(v).error();
        // Nothing runs in less; a smaller limit is a typo ("4" for "4G"), not a policy.
        if (*v < (1u << 20) && !key.ends_with("swap"))
                return located(c, n.source(), key, "a memory limit below 1 MiB cannot run anything");
        (key.ends_with("high") ? c.p.memory_high : key.ends_with("swap") ? c.p.memory_swap : c.p.memory) = *v;
        return Ok{};
}

Status parse_pids(Ctx& c, std::string_view key, const toml::node& n) {
        // 4194304 is the kernel's PID_MAX_LIMIT.
        auto v = get_int(c, n, key, 1, 4194304);
        if (!v)
                return std::move(v).error();
        c.p.pids = static_cast<uint64_t>(*v);
        return Ok{};
}

Status parse_cpu(Ctx& c, std::string_view key, const toml::node& n) {
        if (!n.is_integer() && !n.is_floating_point())
                return wrong_type(c, n, key, "a number of cores such as 1.5");
        double v = n.is_integer() ? static_cast<double>(*n.value<int64_t>()) : *n.value<double>();
        // Below 0.01 core the kernel's minimum quota (1 ms per 100 ms) is not met.
        if (!(v >= 0.01) || v > 4096)
                return located(c, n.source(), key, strprintf("%g cores is out of range (0.01 to 4096)", v));
        c.p.cpu = v;
        return Ok{};
}

Status parse_io_weight(Ctx& c, std::string_view key, const toml::node& n) {
        auto v = get_int(c, n, key, 1, 10000);
        if (!v)
                return std::move(v).error();
        c.p.io_weight = static_cast<unsigned>(*v);
        return Ok{};
}

Status parse_on_unavailable(Ctx& c, std::string_view key, const toml::node& n) {
        auto s = get_enum(c, n, key, {"warn", "fail"});
        if (!s)
                return std::move(s).error();
        c.p.on_unavailable = *s == "warn" ? OnUnavailable::Warn : OnUnavailable::Fail;
        return Ok{};
}

using Handler = Status (*)(Ctx&, std::string_view, const toml::node&);

struct KeyDef {
        KeyInfo info;
        Handler handler; // nullptr: a table whose keys are listed separately
};

// ORDER: the man page and --explain follow this order.
const std::vector<KeyDef>& key_defs() {
        static const std::vector<KeyDef> defs = {
            {{"schema", "integer", true, "", "Version of the profile format; 1."}, parse_schema},
            {{"description", "string", true, "", "One line saying what the profile is for."},
             parse_description},
            {{"include", "array of profile names", true, "", "Profiles whose settings this one starts from."},
             parse_include},
            {{"command", "string or array of strings", true, "",
              "The program run when none is given on the command line; of a list, the first found in PATH."},
             parse_command},
            {{"hostname", "string", true, "--hostname", "The host name inside the sandbox."}, parse_hostname},
            {{"store", "string", true, "",
              "The name the persistent home and stores are kept under, when not the profile's own (so "
              "that firefox-esr and firefox share one)."},
             parse_store},
            {{"filesystem", "table", true, "", "What the sandbox sees."}, nullptr},
            {{"filesystem.home", "string", true, "",
              "\"ephemeral\": an empty private home that vanishes with the sandbox; \"persistent\": the "
              "profile's own home under $XDG_DATA_HOME/sandbox/homes; \"template\": an ephemeral home "
              "seeded from filesystem.template; \"host\": the real home, with the places that start "
              "programs (shell rc files, autostart, ~/.ssh, sandbox's own configuration) read-only."},
             parse_home},
            {{"filesystem.template", "path", true, "",
              "The directory a \"template\" home is seeded from, through an overlay: it is never changed."},
             parse_template},
            {{"filesystem.root", "path or array of paths", true, "",
              "A root of the user's own instead of the host's directories: one directory, or read-only "
              "layers stacked bottom first."},
             parse_root},
            {{"filesystem.root_upper", "string", true, "",
              "Where writes to a filesystem.root go: \"tmpfs\" (default, they vanish), \"persistent\" "
              "(the profile's store under $XDG_DATA_HOME/sandbox/roots) or \"none\" (read-only)."},
             parse_root_upper},
            {{"filesystem.read_only", "array of paths", true, "--ro-bind",
              "Host paths visible read-only at the same place."},
             parse_read_only},
            {{"filesystem.read_write", "array of paths", true, "--bind",
              "Host paths visible read-write at the same place."},
             parse_read_write},
            {{"filesystem.tmpfs", "array of paths", true, "--tmpfs", "Empty private directories."},
             parse_tmpfs},
            {{"filesystem.persist", "array of relative paths", true, "",
              "Paths inside the home kept in the profile's own store while the rest of the home is "
              "ephemeral."},
             parse_persist},
            {{"filesystem.hide", "array of paths", true, "--hide",
              "Paths made an empty read-only directory or file, whatever any layer grants there."},
             parse_hide},
            {{"filesystem.overlay", "array of tables", true, "",
              "Host directories seen through a writable layer: { path, upper = \"tmpfs\" | \"persistent\" | "
              "\"none\", optional }; the host directory is never changed."},
             parse_overlay},
            {{"mount", "array of tables", true, "",
              "Raw mounts: type (\"bind\", \"tmpfs\", \"overlay\", \"file\", \"symlink\"), src (for an "
              "overlay one directory or several, bottom first), dst, upper, content, target, read_only, "
              "optional."},
             parse_mount},
            {{"network", "table", true, "", "Network access."}, nullptr},
            {{"network.mode", "string", true, "--net",
              "\"none\": a private namespace with only loopback; \"user\": a private namespace with outbound "
              "access through pasta; \"host\": the host's network."},
             parse_net_mode},
            {{"network.forward", "array of strings", true, "--forward",
              "Inbound port forwards: \"tcp:8080\", \"udp:5353:53\"."},
             parse_forward},
            {{"network.host_ports", "array of integers", true, "--allow-host-port",
              "Host loopback ports reachable inside (TCP and UDP), in \"user\" mode; no other host loopback "
              "service is. \"all\": every port listening on the host's loopback, as found while the sandbox "
              "runs (local development servers)."},
             parse_host_ports},
            {{"network.dns", "array of addresses", true, "--dns",
              "The DNS servers the sandbox uses instead of the host's, in a generated /etc/resolv.conf "
              "(\"user\" and \"host\" modes)."},
             parse_dns},
            {{"network.allow", "array of strings", true, "--allow-out",
              "When given, the only TCP ports the app may connect to (\"tcp:443\"), anywhere; enforced by "
              "Landlock (Linux 6.7 or later). UDP is not restricted."},
             parse_allow},
            {{"gui", "table", true, "", "Desktop access."}, nullptr},
            {{"gui.wayland", "boolean", true, "",
              "The Wayland compositor's socket, and nothing else of the runtime directory."},
             parse_gui_flag},
            {{"gui.x11", "boolean", true, "",
              "The X11 display's socket and an Xauthority holding only its cookie; X11 does not isolate apps "
              "from each other."},
             parse_gui_flag},
            {{"gui.audio", "boolean", true, "",
              "PipeWire's and PulseAudio's sockets, and PulseAudio's cookie."},
             parse_gui_flag},
            {{"gui.gpu", "boolean", true, "",
              "GPU device nodes (/dev/dri, NVIDIA's) and the sysfs Mesa reads."},
             parse_gui_flag},
            {{"gui.dbus", "table", true, "",
              "The session bus, through xdg-dbus-proxy: only the names the keys below grant (an empty "
              "table: the bus itself and nothing on it)."},
             nullptr},
            {{"gui.dbus.talk", "array of bus names", true, "", "Names the app may call and hear from."},
             parse_dbus},
            {{"gui.dbus.own", "array of bus names", true, "", "Names the app may own."}, parse_dbus},
            {{"gui.dbus.see", "array of bus names", true, "", "Names the app may see, not call."},
             parse_dbus},
            {{"gui.dbus.call", "array of call rules", true, "",
              "Single methods the app may call: NAME=INTERFACE.METHOD@/PATH."},
             parse_dbus},
            {{"gui.system_dbus", "table", true, "",
              "The system bus, through xdg-dbus-proxy, filtered the same way; off unless given."},
             nullptr},
            {{"gui.system_dbus.talk", "array of bus names", true, "", "Names the app may call and hear from."},
             parse_dbus},
            {{"gui.system_dbus.own", "array of bus names", true, "", "Names the app may own."}, parse_dbus},
            {{"gui.system_dbus.see", "array of bus names", true, "", "Names the app may see, not call."},
             parse_dbus},
            {{"gui.system_dbus.call", "array of call rules", true, "",
              "Single methods the app may call: NAME=INTERFACE.METHOD@/PATH."},
             parse_dbus},
            {{"security", "table", true, "", "Identity, capabilities and the syscall policy."}, nullptr},
            {{"security.uid0", "boolean", true, "--uid0",
              "Map the user to uid and gid 0 inside, for tools that expect root."},
             parse_uid0},
            {{"security.seccomp", "string", true, "",
              "The base syscall policy: \"default\", \"strict\" (an allow-list), or \"none\" for no filter."},
             parse_seccomp},
            {{"security.deny", "array of rules", true, "",
              "Syscalls or @groups refused, with optional argument conditions and action."},
             parse_syscalls},
            {{"security.allow", "array of names", true, "",
              "Syscalls or @groups the default policy refuses that this profile allows."},
             parse_syscalls},
            {{"security.nested_userns", "boolean", true, "",
              "Let the app create its own user namespaces (browsers' own sandboxes)."},
             parse_security_flag},
            {{"security.capabilities", "array of strings", false, "", "Capabilities kept inside."},
             parse_capabilities},
            {{"security.multiarch", "boolean", true, "", "Allow 32-bit and x32 syscalls, filtered alike."},
             parse_security_flag},
            {{"security.seccomp_log", "boolean", true, "--seccomp-log",
              "Report each refused syscall with its pid and the action taken."},
             parse_security_flag},
            {{"security.landlock", "boolean", true, "",
              "Landlock behind the mounts: only the granted paths, with the granted access; no host "
              "abstract sockets or signals. On by default where the kernel has it."},
             parse_security_flag},
            {{"limits", "table", true, "", "Resource limits."}, nullptr},
            {{"limits.memory", "size", true, "--memory", "Memory limit (\"4G\")."}, parse_memory},
            {{"limits.memory_high", "size", true, "", "Memory above which the app is throttled."},
             parse_memory},
            {{"limits.memory_swap", "size", true, "", "Swap limit."}, parse_memory},
            {{"limits.pids", "integer", true, "--pids", "Most processes and threads at once."}, parse_pids},
            {{"limits.cpu", "number", true, "--cpu", "CPU time in cores (1.5)."}, parse_cpu},
            {{"limits.io_weight", "integer", true, "", "Relative IO weight, 1 to 10000."}, parse_io_weight},
            {{"limits.on_unavailable", "string", true, "",
              "\"warn\" or \"fail\" when limits cannot be enforced."},
             parse_on_unavailable},
            {{"environment", "table", true, "", "The environment of the command."}, nullptr},
            {{"environment.keep", "array of names", true, "--keep-env",
              "Host variables passed in besides the default list; NAME* keeps a prefix."},
             parse_env_keep},
            {{"environment.set", "table of strings", true, "--setenv", "Variables set inside."},
             parse_env_set},
            {{"environment.unset", "array of names", true, "--unsetenv", "Variables removed."},
             parse_env_unset},
        };
        return defs;
}

const KeyDef* find_key(std::string_view key) {
        for (auto& d : key_defs())
                if (d.info.key == key)
                        return &d;
        return nullptr;
}

Error unknown_key(const Ctx& c, const toml::key& k, const std::string& full, std::string_view prefix) {
        std::vector<std::string_view> siblings;
        for (auto& d : key_defs()) {
                auto dot = d.info.key.rfind('.');
                auto parent = dot == std::string_view::npos ? std::string_view() : d.info.key.substr(0, dot);
                if (parent == prefix)
                        siblings.push_back(d.info.key.substr(dot == std::string_view::npos ? 0 : dot + 1));
        }
        auto hint = closest_match(k.str(), siblings);
        std::string msg = "unknown key";
        if (!hint.empty())
                msg += ", did you mean '" + hint + "'?";
        return located(c, k.source(), escape_controls(full), msg);
}

Status walk(Ctx& c, const toml::table& t, const std::string& prefix) {
        for (auto&& [k, v] : t) {
                std::string key = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
                const KeyDef* def = find_key(key);
                if (!def)
                        return unknown_key(c, k, key, prefix);
                if (def->handler) {
                        // Validated first, so that a reserved key with a bad value says what is bad.
                        SB_TRY(def->handler(c, key, v));
                        if (!def->info.implemented)
                                return located(c, k.source(), key,
                                               "not supported yet by this version of sandbox");
                        c.p.origins[key] = origin_of(c, v.source());
                        continue;
                }
                auto sub = v.as_table();
                if (!sub)
                        return wrong_type(c, v, key, "a table");
                // A bus is given by its table, even an empty one.
                if (key == "gui.dbus" || key == "gui.system_dbus")
                        (key == "gui.dbus" ? c.p.dbus : c.p.system_dbus).given = origin_of(c, v.source());
                SB_TRY(walk(c, *sub, key));
        }
        return Ok{};
}

// Within one file, two entries for one destination (or a variable both set and unset) would
// be settled by the order toml++ walks keys in, which is not the file's: refuse them.
constexpr size_t max_mounts_per_file = 1024;

Status check_duplicates(const Ctx& c) {
        auto& m = c.p.mounts;
        // No real profile comes near this; a file that does is a mistake or an attack.
        if (m.size() > max_mounts_per_file)
                return err("%s: more than %zu mounts in one profile", c.file.c_str(), max_mounts_per_file);
        // One pass with an index by destination.
        std::unordered_map<std::string_view, size_t> seen;
        std::vector<MountEntry> kept;
        kept.reserve(m.size());
        for (auto& e : m) {
                auto [it, fresh] = seen.try_emplace(e.dst, kept.size());
                if (fresh) {
                        kept.push_back(e);
                        continue;
                }
                auto& first = kept[it->second];
                // The same host path twice (often through a variable such as ${PWD} that
                // lands on another entry) is one bind, as strict as the stricter of the two.
                if (first.type == MountType::Bind && e.type == MountType::Bind && first.src == e.src) {
                        first.read_only = first.read_only || e.read_only;
                        first.optional = first.optional && e.optional;
                        continue;
                }
                auto& earlier = first.origin.line <= e.origin.line ? first : e;
                auto& later = &earlier == &first ? e : first;
                return err("%s: %s is already mounted by the entry at line %u", later.origin.str().c_str(),
                           quote(later.dst).c_str(), earlier.origin.line);
        }
        // An overlay is a mount like the others: one per destination. (Before m is replaced:
        // the keys of seen are views of its entries' destinations.)
        std::unordered_map<std::string_view, unsigned> overlay_lines;
        for (auto& o : c.p.overlays) {
                auto bind = seen.find(o.dst);
                auto [it, fresh] = overlay_lines.try_emplace(o.dst, o.origin.line);
                if (bind != seen.end() || !fresh)
                        return err("%s: %s is already mounted by the entry at line %u",
                                   o.origin.str().c_str(), quote(o.dst).c_str(),
                                   bind != seen.end() ? kept[bind->second].origin.line : it->second);
        }
        m = std::move(kept);
        std::unordered_map<std::string_view, const EnvSetting*> names;
        for (auto& e : c.p.env) {
                auto [it, fresh] = names.try_emplace(e.name, &e);
                if (!fresh)
                        return err("%s: environment: %s is %s", e.origin.str().c_str(), quote(e.name).c_str(),
                                   e.value.has_value() != it->second->value.has_value() ? "both set and unset"
                                                                                        : "listed twice");
        }
        return Ok{};
}

// TOML allows non-ASCII text only in strings and comments. toml++ 3.3 asks whether a
// character is whitespace in many places outside strings (between tokens, at the end of a bare
// value, after a line-ending backslash) and, for most non-ASCII characters, that question is
// undefined behaviour (toml++ issue 295). So this scanner follows the document as toml++ would,
// as far as telling strings from the rest goes, and refuses a non-ASCII byte anywhere toml++
// could ask, before toml++ sees the text. Where the scanner is unsure (after a syntax error)
// it takes a quote for an ordinary character: that refuses only documents toml++ would refuse.
Result<Ok> check_non_ascii(std::string_view t, const std::string& file) {
        unsigned line = 1, col = 1;
        size_t i = 0;
        auto advance = [&](size_t n) {
                for (size_t k = 0; k < n && i < t.size(); k++, i++) {
                        if (t[i] == '\n') {
                                line++;
                                col = 1;
                        } else if ((static_cast<unsigned char>(t[i]) & 0xc0) != 0x80) {
                                col++;
                        }
                }
        };
        auto outside = [&] {
                return err("%s:%u:%u: a non-ASCII character outside a string (quote keys and values)",
                           file.c_str(), line, col);
        };
        auto high = [&](size_t k) { return k < t.size() && static_cast<unsigned char>(t[k]) >= 0x80; };
        auto blank = [](char c) { return c == ' ' || c == '\t'; };
        // What may come next: a key, a value, or (after either) only punctuation. `key_side`: the
        // last thing was a key (so '=' and '.' continue it).
        enum class Want { Key, Value, After } want = Want::Key;
        bool key_side = false;
        // The open arrays '[', inline tables '{' and the table header 'h' at this point.
        std::string nest;
        // toml++ recurses once per dotted part of a key; a few hundred thousand overflow the
        // stack, so a line with more dots outside strings than any real key has is refused.
        constexpr unsigned max_dots = 256;
        unsigned dots = 0;
        while (i < t.size()) {
                char ch = t[i];
                if (ch == '\n') {
                        dots = 0;
                        if (nest.empty() || nest.back() == 'h') {
                                nest.clear();
                                want = Want::Key;
                                key_side = false;
                        }
                        advance(1);
                } else if (blank(ch) || ch == '\r') {
                        advance(1);
                } else if (ch == '#') {
                        while (i < t.size() && t[i] != '\n')
                                advance(1);
                } else if (high(i)) {
                        return outside();
                } else if ((ch == '"' || ch == '\'') && want != Want::After) {
                        bool multi = t.substr(i, 3) == std::string(3, ch);
                        advance(multi ? 3 : 1);
                        while (i < t.size()) {
                                if (ch == '"' && t[i] == '\\') {
                                        // In a """ string toml++ asks whether what follows a backslash
                                        // is whitespace, and trims a line-ending backslash's blanks
                                        // and line breaks asking the same of each character.
                                        size_t k = i + 1;
                                        while (multi && k < t.size() && blank(t[k]))
                                                k++;
                                        bool line_end =
                                            multi && k < t.size() && (t[k] == '\n' || t[k] == '\r');
                                        while (line_end && k < t.size() &&
                                               (blank(t[k]) || t[k] == '\n' || t[k] == '\r'))
                                                k++;
                                        if (multi && high(k)) {
                                                advance(k - i);
                                                if (!line_end)
                                                        return err("%s:%u:%u: a non-ASCII character after a "
                                                                   "backslash "
                                                                   "(escape it as \\uXXXX)",
                                                                   file.c_str(), line, col);
                                                return err(
                                                    "%s:%u:%u: a non-ASCII character right after a "
                                                    "line-ending backslash (start the line with an ASCII "
                                                    "character)",
                                                    file.c_str(), line, col);
                                        }
                                        advance(2);
                                } else if (multi ? t.substr(i, 3) == std::string(3, ch) : t[i] == ch) {
                                        advance(multi ? 3 : 1);
                                        break;
                                } else if (!multi && t[i] == '\n') {
                                        break; // toml++ reports the unterminated string
                                } else {
                                        advance(1);
                                }
                        }
                        key_side = want == Want::Key;
                        want = Want::After;
                } else if (ch == '[' && want == Want::Key && nest.empty()) {
                        nest.push_back('h'); // a table header, "[[" an array of tables
                        advance(t.substr(i, 2) == "[[" ? 2 : 1);
                } else if (ch == '[' && want == Want::Value) {
                        nest.push_back('[');
                        advance(1);
                } else if (ch == '{' && want == Want::Value) {
                        nest.push_back('{');
                        want = Want::Key;
                        advance(1);
                } else if ((ch == ']' && !nest.empty() && nest.back() != '{') ||
                           (ch == '}' && !nest.empty() && nest.back() == '{')) {
                        bool header = nest.back() == 'h';
                        nest.pop_back();
                        want = Want::After;
                        key_side = false;
                        advance(header && t.substr(i, 2) == "]]" ? 2 : 1);
                } else if (ch == ',' && !nest.empty() && nest.back() != 'h') {
                        want = nest.back() == '[' ? Want::Value : Want::Key;
                        advance(1);
                } else if (ch == '=' && want == Want::After && key_side) {
                        want = Want::Value;
                        advance(1);
                } else if (ch == '.' && want == Want::After && key_side) {
                        if (++dots > max_dots)
                                return err(
                                    "%s:%u:%u: more than %u dots in one line: keys do not nest that deep",
                                    file.c_str(), line, col, max_dots);
                        want = Want::Key;
                        advance(1);
                } else if (want == Want::Key) {
                        // A bare key, up to the first character that cannot be in one ('.', '=',
                        // a blank...): toml++ asks whether that one is whitespace.
                        while (i < t.size() &&
                               (isalnum(static_cast<unsigned char>(t[i])) || t[i] == '_' || t[i] == '-'))
                                advance(1);
                        if (high(i))
                                return outside();
                        if (i < t.size() && t[i] == ch) // not a key character at all: toml++ stops here
                                advance(1);
                        key_side = true;
                        want = Want::After;
                } else if (want == Want::Value) {
                        // A bare value (a number, a boolean, a date): toml++ reads it up to a blank,
                        // a line break, ']', '}', ',' or '#', asking of each character whether it
                        // is one of those.
                        while (i < t.size() && !blank(t[i]) && t[i] != '\n' && t[i] != '\r' && t[i] != ']' &&
                               t[i] != '}' && t[i] != ',' && t[i] != '#') {
                                if (high(i))
                                        return outside();
                                advance(1);
                        }
                        key_side = false;
                        want = Want::After;
                } else {
                        advance(1); // a syntax error toml++ reports
                }
        }
        return Ok{};
}

} // namespace

const std::vector<KeyInfo>& profile_keys() {
        static const std::vector<KeyInfo> keys = [] {
                std::vector<KeyInfo> out;
                for (auto& d : key_defs())
                        out.push_back(d.info);
                return out;
        }();
        return keys;
}

Result<Profile> parse_profile(std::string_view text, const std::string& display_name, const Vars& vars) {
        Profile p;
        auto name = display_name.substr(display_name.rfind('/') + 1);
        if (name.size() > 5 && name.ends_with(".toml"))
                name.resize(name.size() - 5);
        p.name = name;
        p.path = display_name;
        if (text.find('\0') != std::string_view::npos)
                return err("%s: the file contains a NUL byte", display_name.c_str());
        SB_TRY(check_non_ascii(text, display_name));
        auto parsed = toml::parse(text, display_name);
        if (!parsed) {
                auto& e = parsed.error();
                return err("%s:%u:%u: %s", display_name.c_str(), static_cast<unsigned>(e.source().begin.line),
                           static_cast<unsigned>(e.source().begin.column),
                           escape_controls(e.description()).c_str());
        }
        Ctx c{display_name, vars, p};
        SB_TRY(walk(c, parsed.table(), ""));
        SB_TRY(check_duplicates(c));
        return p;
}

} // namespace sb
