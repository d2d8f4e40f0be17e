// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests of merge.h: precedence of layers.
#include "merge.h"
#include "unit.h"

#include <algorithm>

using namespace sb;
using sb::test::error_of;
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
        a.command = std::vector<std::string>{"cmd-a"};
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
        CHECK(m.command == std::vector<std::string>{"cmd-a"});
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
        CHECK(m2.command == std::vector<std::string>{"cmd-a"});
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

TEST_CASE("reserved keys merge by the same rules: scalars later, lists united, deny beats allow") {
        Profile a = layer("a"), b = layer("b");
        a.memory = 1u << 30;
        a.pids = 100;
        b.pids = 200;
        a.hide = {{"/home/u/.ssh", {}}};
        b.hide = {{"/home/u/.gnupg", {}}, {"/home/u/.ssh", {}}};
        a.syscall_allow = {{"ptrace", {}}, {"personality", {}}};
        b.syscall_deny = {{"ptrace", {}}};
        a.dbus.talk = {{"org.a.B", {}}};
        b.dbus.talk = {{"org.c.D", {}}};
        b.system_dbus.given = Origin{};
        a.wayland = true;
        b.wayland = false;
        for (auto order : {std::vector<Profile>{a, b}, std::vector<Profile>{b, a}}) {
                auto m = merge_layers(order);
                CHECK(m.memory == (1u << 30));
                CHECK(m.hide.size() == 2);
                CHECK(m.dbus.talk.size() == 2);
                CHECK(!m.dbus.given);
                CHECK(m.system_dbus.given); // given by one layer: the bus is there
                // ptrace is denied by one layer and allowed by the other: denied, in either order.
                CHECK(m.syscall_deny.size() == 1);
                REQUIRE_HOLDS(m.syscall_allow.size() == 1);
                CHECK(m.syscall_allow[0].value == "personality");
        }
        CHECK(merge_layers({a, b}).pids == 200u);
        CHECK(merge_layers({b, a}).pids == 100u);
        CHECK(merge_layers({a, b}).wayland == false);
        CHECK(merge_layers({b, a}).wayland == true);
}

TEST_CASE("scalar origins follow the layer that won") {
        Profile a = layer("a"), b = layer("b");
        a.net = NetMode::None;
        a.origins["network.mode"] = Origin{"a.toml", 3, 8};
        b.net = NetMode::Host;
        b.origins["network.mode"] = Origin{"b.toml", 5, 8};
        CHECK(merge_layers({a, b}).origins["network.mode"].str() == "b.toml:5:8");
        CHECK(merge_layers({b, a}).origins["network.mode"].str() == "a.toml:3:8");
}

TEST_CASE("check_merged: contradictions between layers are located errors") {
        Profile p = layer("p");
        CHECK(check_merged(p).has_value());

        Profile fwd = layer("fwd");
        fwd.forwards = {PortForward{"tcp", 8080, 8080, Origin{"f.toml", 4, 12}}};
        CHECK(error_of(check_merged(fwd)) ==
              "f.toml:4:12: network.forward: port forwarding needs network.mode = \"user\", and the mode is \"none\"");
        fwd.net = NetMode::Host;
        CHECK(sb::test::contains(error_of(check_merged(fwd)), "and the mode is \"host\""));
        fwd.net = NetMode::User;
        CHECK(check_merged(fwd).has_value());

        Profile ports = layer("ports");
        ports.host_ports = {{5432, Origin{"h.toml", 2, 15}}};
        CHECK(sb::test::contains(error_of(check_merged(ports)), "h.toml:2:15: network.host_ports:"));

        Profile tpl = layer("tpl");
        tpl.home_template = "/srv/skel";
        tpl.origins["filesystem.template"] = Origin{"t.toml", 6, 12};
        CHECK(error_of(check_merged(tpl)) == "t.toml:6:12: filesystem.template: needs filesystem.home = \"template\"");
        tpl.home = HomeMode::Template;
        CHECK(check_merged(tpl).has_value());

        Profile mem = layer("mem");
        mem.memory = 1u << 30;
        mem.memory_high = 2u << 30;
        mem.origins["limits.memory_high"] = Origin{"m.toml", 9, 15};
        CHECK(error_of(check_merged(mem)) == "m.toml:9:15: limits.memory_high: above limits.memory, so it would never apply");
        mem.memory_high = 1u << 29;
        CHECK(check_merged(mem).has_value());
}
