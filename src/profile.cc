// SPDX-License-Identifier: GPL-2.0-or-later
// TOML text -> one Profile layer, driven by one key table (pure).
#include "profile.h"

#include "paths.h"
#include "text.h"

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

// Text from the profile shown unquoted (a key, a parser message), but with everything
// quote() escapes escaped, so that it cannot put terminal escapes on the screen.
std::string sanitize(std::string_view s) {
        std::string out;
        for (size_t i = 0; i < s.size();) {
                size_t j = i;
                while (j < s.size() &&
                       (static_cast<unsigned char>(s[j]) < 0x20 || static_cast<unsigned char>(s[j]) >= 0x7f))
                        j++;
                if (j == i) {
                        out += s[i++];
                        continue;
                }
                std::string q = quote(s.substr(i, j - i));
                out.append(q, 1, q.size() - 2);
                i = j;
        }
        return out;
}

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

bool has_control(std::string_view s) {
        for (char ch : s)
                if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f)
                        return true;
        return false;
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

Status parse_command(Ctx& c, std::string_view key, const toml::node& n) {
        auto s = get_string(c, n, key);
        if (!s)
                return std::move(s).error();
        if (s->empty())
                return located(c, n.source(), key, "the command is empty");
        c.p.command = *s;
        return Ok{};
}

Status parse_hostname(Ctx& c, std::string_view key, const toml::node& n) {
        auto s = get_string(c, n, key);
        if (!s)
                return std::move(s).error();
        bool ok = !s->empty() && s->size() <= 64;
        for (char ch : *s)
                ok = ok && (ch == '-' || ch == '.' || (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
                            (ch >= 'A' && ch <= 'Z'));
        if (!ok)
                return located(c, n.source(), key,
                               "expected 1 to 64 letters, digits, '-' or '.', found " + quote(*s));
        c.p.hostname = *s;
        return Ok{};
}

Status parse_home(Ctx& c, std::string_view key, const toml::node& n) {
        auto s = get_string(c, n, key);
        if (!s)
                return std::move(s).error();
        if (*s == "ephemeral") {
                c.p.home = HomeMode::Ephemeral;
                return Ok{};
        }
        if (*s == "persistent" || *s == "host" || *s == "template")
                return located(c, n.source(), key, quote(*s) + " is not supported yet");
        return located(c, n.source(), key,
                       "expected \"ephemeral\", \"persistent\" or \"host\", found " + quote(*s));
}

// read_only / read_write: "PATH" or { path = "PATH", optional = true }.
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
                        SB_TRY(check_keys(c, *t, key, {"path", "optional"}));
                        path = t->get("path");
                        if (!path)
                                return located(c, item.source(), key, "the table needs a 'path'");
                        if (auto opt = t->get("optional")) {
                                auto b = get_bool(c, *opt, key);
                                if (!b)
                                        return std::move(b).error();
                                m.optional = *b;
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

Status parse_mount(Ctx& c, std::string_view key, const toml::node& n) {
        Error e;
        auto arr = get_array(c, n, key, e);
        if (!arr)
                return e;
        for (auto& item : *arr) {
                auto t = item.as_table();
                if (!t)
                        return wrong_type(c, item, key, "a table ([[mount]])");
                SB_TRY(check_keys(c, *t, key, {"type", "src", "dst", "read_only", "optional"}));
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
                else if (*ts == "overlay" || *ts == "file" || *ts == "symlink")
                        return located(c, type->source(), "mount.type", quote(*ts) + " is not supported yet");
                else
                        return located(c, type->source(), "mount.type",
                                       "expected \"bind\" or \"tmpfs\", found " + quote(*ts));
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
                        return located(c, src->source(), "mount.src", "a tmpfs mount has no source");
                }
                m.read_only = m.type == MountType::Bind;
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
                c.p.mounts.push_back(std::move(m));
        }
        return Ok{};
}

Status parse_net_mode(Ctx& c, std::string_view key, const toml::node& n) {
        auto s = get_string(c, n, key);
        if (!s)
                return std::move(s).error();
        if (*s == "none")
                c.p.net = NetMode::None;
        else if (*s == "host")
                c.p.net = NetMode::Host;
        else if (*s == "user" || *s == "loopback")
                return located(c, n.source(), key, quote(*s) + " is not supported yet");
        else
                return located(c, n.source(), key, "expected \"none\" or \"host\", found " + quote(*s));
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
            {{"command", "string", true, "", "The program run when none is given on the command line."},
             parse_command},
            {{"hostname", "string", true, "--hostname", "The host name inside the sandbox."}, parse_hostname},
            {{"filesystem", "table", true, "", "What the sandbox sees."}, nullptr},
            {{"filesystem.home", "string", true, "",
              "\"ephemeral\": an empty private home at $HOME that vanishes with the sandbox."},
             parse_home},
            {{"filesystem.read_only", "array of paths", true, "--ro-bind",
              "Host paths visible read-only at the same place."},
             parse_read_only},
            {{"filesystem.read_write", "array of paths", true, "--bind",
              "Host paths visible read-write at the same place."},
             parse_read_write},
            {{"filesystem.tmpfs", "array of paths", true, "--tmpfs", "Empty private directories."},
             parse_tmpfs},
            {{"filesystem.persist", "array of paths", false, "", "Paths kept in a persistent home."},
             nullptr},
            {{"filesystem.hide", "array of paths", false, "", "Paths made invisible."}, nullptr},
            {{"filesystem.overlay", "array of tables", false, "", "Overlay mounts."}, nullptr},
            {{"mount", "array of tables", true, "",
              "Raw mounts: type (\"bind\" or \"tmpfs\"), src, dst, read_only, optional."},
             parse_mount},
            {{"network", "table", true, "", "Network access."}, nullptr},
            {{"network.mode", "string", true, "--net",
              "\"none\": a private namespace with only loopback; \"host\": the host's network."},
             parse_net_mode},
            {{"network.forward", "array of strings", false, "", "Inbound port forwards."}, nullptr},
            {{"network.host_ports", "array of integers", false, "", "Host loopback ports reachable."},
             nullptr},
            {{"gui", "table", false, "", "Desktop access."}, nullptr},
            {{"security", "table", true, "", "Identity, capabilities and the syscall policy."}, nullptr},
            {{"security.uid0", "boolean", true, "--uid0",
              "Map the user to uid and gid 0 inside, for tools that expect root."},
             parse_uid0},
            {{"security.seccomp", "string", false, "", "The base syscall policy."}, nullptr},
            {{"security.deny", "array of strings", false, "", "Syscalls refused."}, nullptr},
            {{"security.allow", "array of strings", false, "", "Syscalls allowed."}, nullptr},
            {{"security.nested_userns", "boolean", false, "", "Allow user namespaces inside."}, nullptr},
            {{"security.capabilities", "array of strings", false, "", "Capabilities kept."}, nullptr},
            {{"security.multiarch", "boolean", false, "", "Allow 32-bit syscalls."}, nullptr},
            {{"limits", "table", false, "", "Resource limits."}, nullptr},
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
        return located(c, k.source(), sanitize(full), msg);
}

Status walk(Ctx& c, const toml::table& t, const std::string& prefix) {
        for (auto&& [k, v] : t) {
                std::string key = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
                const KeyDef* def = find_key(key);
                if (!def)
                        return unknown_key(c, k, key, prefix);
                if (!def->info.implemented)
                        return located(c, k.source(), key, "not supported yet by this version of sandbox");
                if (def->handler) {
                        SB_TRY(def->handler(c, key, v));
                        continue;
                }
                auto sub = v.as_table();
                if (!sub)
                        return wrong_type(c, v, key, "a table");
                SB_TRY(walk(c, *sub, key));
        }
        return Ok{};
}

// Within one file, two entries for one destination (or a variable both set and unset) would
// be settled by the order toml++ walks keys in, which is not the file's: refuse them.
Status check_duplicates(const Ctx& c) {
        auto& m = c.p.mounts;
        for (size_t i = 0; i < m.size(); i++) {
                for (size_t j = 0; j < i; j++) {
                        if (m[i].dst != m[j].dst)
                                continue;
                        auto& first = m[i].origin.line < m[j].origin.line ? m[i] : m[j];
                        auto& second = &first == &m[i] ? m[j] : m[i];
                        return err("%s: %s is already mounted by the entry at line %u",
                                   second.origin.str().c_str(), quote(second.dst).c_str(), first.origin.line);
                }
        }
        auto& e = c.p.env;
        for (size_t i = 0; i < e.size(); i++)
                for (size_t j = 0; j < i; j++)
                        if (e[i].name == e[j].name)
                                return err("%s: environment: %s is both set and unset",
                                           e[i].origin.str().c_str(), quote(e[i].name).c_str());
        return Ok{};
}

// TOML allows non-ASCII text only in strings and comments; toml++ 3.3 misbehaves (undefined
// behaviour) on it elsewhere, so such a byte is reported here, before toml++ sees it.
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
        while (i < t.size()) {
                char ch = t[i];
                if (ch == '#') {
                        while (i < t.size() && t[i] != '\n')
                                advance(1);
                } else if (ch == '"' || ch == '\'') {
                        bool multi = t.substr(i, 3) == std::string(3, ch);
                        advance(multi ? 3 : 1);
                        while (i < t.size()) {
                                if (ch == '"' && t[i] == '\\') {
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
                } else if (static_cast<unsigned char>(ch) >= 0x80) {
                        return err("%s:%u:%u: a non-ASCII character outside a string (quote keys and values)",
                                   file.c_str(), line, col);
                } else {
                        advance(1);
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
                           static_cast<unsigned>(e.source().begin.column), sanitize(e.description()).c_str());
        }
        Ctx c{display_name, vars, p};
        SB_TRY(walk(c, parsed.table(), ""));
        SB_TRY(check_duplicates(c));
        return p;
}

} // namespace sb
