// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests of merge.h: precedence of layers.
#include "merge.h"
#include "unit.h"

#include <algorithm>

using namespace sb;
using sb::test::summary;

namespace {

MountEntry bind(std::string src, std::string dst, bool ro, std::string file = "") {
        MountEntry m;
        m.type = MountType::Bind;
        m.src = std::move(src);
        m.dst = std::move(dst);
        m.read_only = ro;
        m.origin.file = std::move(file);
        return m;
}

MountEntry tmpfs(std::string dst, std::string file = "") {
        MountEntry m;
        m.type = MountType::Tmpfs;
        m.dst = std::move(dst);
        m.read_only = false;
        m.origin.file = std::move(file);
        return m;
}

EnvSetting set(std::string name, std::string value) {
        return EnvSetting{std::move(name), std::move(value), Origin{}};
}

EnvSetting unset(std::string name) {
        return EnvSetting{std::move(name), std::nullopt, Origin{}};
}

Profile layer(std::string name) {
        Profile p;
        p.name = name;
        p.path = name + ".toml";
        return p;
}

const MountEntry* mount_at(const Profile& p, std::string_view dst) {
        const MountEntry* found = nullptr;
        for (auto& m : p.mounts)
                if (m.dst == dst)
                        found = &m;
        return found;
}

const EnvSetting* env_of(const Profile& p, std::string_view name) {
        for (auto& e : p.env)
                if (e.name == name)
                        return &e;
        return nullptr;
}

// The merged profile with mounts, env and env_keep sorted: what the plan depends on.
std::string canonical(Profile p) {
        std::sort(p.mounts.begin(), p.mounts.end(), [](auto& a, auto& b) { return a.dst < b.dst; });
        std::sort(p.env.begin(), p.env.end(), [](auto& a, auto& b) { return a.name < b.name; });
        std::sort(p.env_keep.begin(), p.env_keep.end());
        return summary(p);
}

} // namespace

TEST_CASE("no layers give an empty profile; one layer is itself") {
        Profile none = merge_layers({});
        CHECK(summary(none) == summary(Profile{}));

        Profile a = layer("a");
        a.description = "d";
        a.hostname = "h";
        a.net = NetMode::Host;
        a.uid0 = false;
        a.mounts = {bind("/usr", "/usr", true), tmpfs("/t")};
        a.env_keep = {"EDITOR", "LC_*"};
        a.env = {set("A", "1"), unset("B")};
        CHECK(summary(merge_layers({a})) == summary(a));
}

TEST_CASE("scalars: the later layer wins, an unset one does not override") {
        Profile a = layer("a");
        a.description = "from a";
        a.command = "cmd-a";
        a.hostname = "host-a";
        a.home = HomeMode::Ephemeral;
        a.net = NetMode::Host;
        a.uid0 = true;

        Profile b = layer("b");
        b.hostname = "host-b";
        b.uid0 = false; // set to false: overrides a's true

        Profile c = layer("c"); // sets nothing

        Profile m = merge_layers({a, b, c});
        CHECK(m.description == "from a");
        CHECK(m.command == "cmd-a");
        CHECK(m.hostname == "host-b");
        CHECK(m.home == HomeMode::Ephemeral);
        CHECK(m.net == NetMode::Host);
        CHECK(m.uid0 == false);
        // Name and path describe the top layer.
        CHECK(m.name == "c");
        CHECK(m.path == "c.toml");

        Profile d = layer("d");
        d.net = NetMode::None;
        d.description = "from d";
        Profile m2 = merge_layers({a, d});
        CHECK(m2.net == NetMode::None);
        CHECK(m2.description == "from d");
        CHECK(m2.command == "cmd-a");
}

TEST_CASE("mounts: one per destination, the later layer's wins") {
        Profile a = layer("a");
        a.mounts = {bind("/usr", "/usr", true, "a"), bind("/data", "/data", true, "a"), tmpfs("/cache", "a")};
        Profile b = layer("b");
        b.mounts = {bind("/srv/data", "/data", false, "b"), bind("/opt", "/opt", true, "b")};
        Profile c = layer("c");
        c.mounts = {bind("/cache", "/cache", false, "c")};

        Profile m = merge_layers({a, b, c});
        CHECK(m.mounts.size() == 4);
        for (std::string_view dst : {"/usr", "/data", "/cache", "/opt"}) {
                CAPTURE(dst);
                CHECK(std::count_if(m.mounts.begin(), m.mounts.end(),
                                    [&](auto& e) { return e.dst == dst; }) == 1);
        }
        auto data = mount_at(m, "/data");
        REQUIRE_HOLDS(data);
        CHECK(data->src == "/srv/data");
        CHECK_FALSE(data->read_only);
        CHECK(data->origin.file == "b");
        auto cache = mount_at(m, "/cache");
        REQUIRE_HOLDS(cache);
        CHECK(cache->type == MountType::Bind); // a bind replaces a tmpfs
        CHECK(cache->origin.file == "c");
        auto usr = mount_at(m, "/usr");
        REQUIRE_HOLDS(usr);
        CHECK(usr->origin.file == "a");

        // Reversed precedence: the other one wins.
        Profile r = merge_layers({b, a});
        auto rdata = mount_at(r, "/data");
        REQUIRE_HOLDS(rdata);
        CHECK(rdata->src == "/data");
        CHECK(rdata->read_only);
        CHECK(rdata->origin.file == "a");
}

TEST_CASE("mounts: a repeated destination within one layer keeps the last") {
        Profile a = layer("a");
        a.mounts = {bind("/x", "/d", true), bind("/y", "/d", false)};
        Profile m = merge_layers({a});
        REQUIRE_HOLDS(m.mounts.size() == 1);
        CHECK(m.mounts[0].src == "/y");
}

TEST_CASE("env keep: union without duplicates, in first-seen order") {
        Profile a = layer("a");
        a.env_keep = {"EDITOR", "LC_*"};
        Profile b = layer("b");
        b.env_keep = {"LC_*", "PAGER", "EDITOR"};
        Profile c = layer("c");
        c.env_keep = {"PAGER", "XDG_*"};
        CHECK(merge_layers({a, b, c}).env_keep ==
              std::vector<std::string>{"EDITOR", "LC_*", "PAGER", "XDG_*"});
}

TEST_CASE("env set and unset: the later layer wins per name") {
        Profile a = layer("a");
        a.env = {set("A", "a"), set("B", "a"), unset("C"), set("D", "a")};
        Profile b = layer("b");
        b.env = {unset("A"), set("B", "b"), set("C", "b")};

        Profile m = merge_layers({a, b});
        CHECK(m.env.size() == 4);
        auto A = env_of(m, "A");
        auto B = env_of(m, "B");
        auto C = env_of(m, "C");
        auto D = env_of(m, "D");
        REQUIRE_HOLDS(A && B && C && D);
        CHECK(!A->value);
        CHECK(B->value == "b");
        CHECK(C->value == "b");
        CHECK(D->value == "a");

        Profile r = merge_layers({b, a});
        auto rA = env_of(r, "A");
        auto rC = env_of(r, "C");
        REQUIRE_HOLDS(rA && rC);
        CHECK(rA->value == "a");
        CHECK(!rC->value);
}

TEST_CASE("env: within one layer the last setting of a name wins") {
        Profile a = layer("a");
        a.env = {set("A", "1"), unset("A"), set("B", "1")};
        Profile m = merge_layers({a});
        auto A = env_of(m, "A");
        REQUIRE_HOLDS(A);
        CHECK(!A->value);
        CHECK(m.env.size() == 2);
}

TEST_CASE("the result does not depend on the order of unrelated entries") {
        Profile a1 = layer("a"), a2 = layer("a");
        a1.mounts = {bind("/usr", "/usr", true), tmpfs("/t"), bind("/srv", "/data", false)};
        a2.mounts = {bind("/srv", "/data", false), bind("/usr", "/usr", true), tmpfs("/t")};
        a1.env = {set("A", "1"), unset("B"), set("C", "3")};
        a2.env = {set("C", "3"), set("A", "1"), unset("B")};
        a1.env_keep = {"X", "Y"};
        a2.env_keep = {"Y", "X"};

        Profile b1 = layer("b"), b2 = layer("b");
        b1.mounts = {tmpfs("/data"), bind("/opt", "/opt", true)};
        b2.mounts = {bind("/opt", "/opt", true), tmpfs("/data")};
        b1.env = {set("B", "2"), unset("C")};
        b2.env = {unset("C"), set("B", "2")};

        std::string want = canonical(merge_layers({a1, b1}));
        CHECK(canonical(merge_layers({a2, b1})) == want);
        CHECK(canonical(merge_layers({a1, b2})) == want);
        CHECK(canonical(merge_layers({a2, b2})) == want);

        Profile m = merge_layers({a2, b2});
        auto data = mount_at(m, "/data");
        REQUIRE_HOLDS(data);
        CHECK(data->type == MountType::Tmpfs);
        auto B = env_of(m, "B");
        auto C = env_of(m, "C");
        REQUIRE_HOLDS(B && C);
        CHECK(B->value == "2");
        CHECK(!C->value);
}
