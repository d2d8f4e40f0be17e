// SPDX-License-Identifier: GPL-2.0-or-later
// The command's environment: a short documented keep-list plus what the profile says (pure).
#include "env.h"

#include <algorithm>
#include <map>

namespace sb {

// Only what a program needs to behave as the user expects (locale, terminal, time zone);
// nothing that names a host resource (sockets, session buses, agent paths).
const std::vector<std::string_view> default_env_keep = {
    "PATH", "LANG", "LANGUAGE", "LC_*", "TERM", "COLORTERM", "TZ", "SHELL", "NO_COLOR",
};

bool env_keep_matches(std::string_view pattern, std::string_view name) {
        if (pattern.ends_with('*'))
                return name.starts_with(pattern.substr(0, pattern.size() - 1));
        return name == pattern;
}

std::vector<std::string> build_env(const std::vector<std::string>& host, const Profile& p,
                                   const EnvFacts& facts) {
        std::map<std::string, std::string> env;
        for (auto& kv : host) {
                auto eq = kv.find('=');
                if (eq == std::string::npos || eq == 0)
                        continue;
                auto name = kv.substr(0, eq);
                bool keep = false;
                for (auto pat : default_env_keep)
                        keep = keep || env_keep_matches(pat, name);
                for (auto& pat : p.env_keep)
                        keep = keep || env_keep_matches(pat, name);
                if (keep && !env.count(name))
                        env[name] = kv.substr(eq + 1);
        }
        // These describe the sandbox, not the host, so they are always ours.
        env["HOME"] = facts.home;
        env["USER"] = facts.user;
        env["LOGNAME"] = facts.user;
        if (!facts.runtime_dir.empty())
                env["XDG_RUNTIME_DIR"] = facts.runtime_dir;
        if (!env.count("PATH"))
                env["PATH"] = "/usr/local/bin:/usr/bin:/bin";
        for (auto& s : p.env) {
                if (s.value)
                        env[s.name] = *s.value;
                else
                        env.erase(s.name);
        }
        std::vector<std::string> out;
        for (auto& [k, v] : env)
                out.push_back(k + "=" + v);
        return out;
}

} // namespace sb
