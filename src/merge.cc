// SPDX-License-Identifier: GPL-2.0-or-later
// Layers -> one effective Profile, with explicit precedence (pure).
#include "merge.h"

#include <algorithm>

namespace sb {

template <typename T>
static void take(std::optional<T>& into, const std::optional<T>& from) {
        if (from)
                into = from;
}

Profile merge_layers(const std::vector<Profile>& layers) {
        Profile out;
        for (auto& l : layers) {
                out.name = l.name;
                out.path = l.path;
                take(out.description, l.description);
                take(out.command, l.command);
                take(out.hostname, l.hostname);
                take(out.home, l.home);
                take(out.net, l.net);
                take(out.uid0, l.uid0);
                for (auto& m : l.mounts) {
                        std::erase_if(out.mounts, [&](const MountEntry& e) { return e.dst == m.dst; });
                        out.mounts.push_back(m);
                }
                for (auto& k : l.env_keep)
                        if (std::find(out.env_keep.begin(), out.env_keep.end(), k) == out.env_keep.end())
                                out.env_keep.push_back(k);
                for (auto& e : l.env) {
                        std::erase_if(out.env, [&](const EnvSetting& s) { return s.name == e.name; });
                        out.env.push_back(e);
                }
        }
        return out;
}

} // namespace sb
