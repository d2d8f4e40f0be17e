// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests of cgroup.h: what is read from the kernel's files, and the values written.
#include "cgroup.h"
#include "unit.h"

using namespace sb;

TEST_CASE("the cgroup v2 path from /proc/self/cgroup") {
        CHECK(cgroup_path_of("0::/user.slice/user-1000.slice/session-2.scope\n") ==
              "/user.slice/user-1000.slice/session-2.scope");
        // A hybrid host: v1 lines first, the v2 one last.
        CHECK(cgroup_path_of("12:pids:/user.slice\n4:memory:/user.slice\n0::/user.slice/x.scope\n") ==
              "/user.slice/x.scope");
        CHECK(cgroup_path_of("0::/\n") == "/");
        CHECK(cgroup_path_of("4:memory:/x\n") == "");
        CHECK(cgroup_path_of("") == "");
}

TEST_CASE("the cgroup2 mount point from mountinfo") {
        std::string v2 = "25 1 0:22 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n";
        CHECK(cgroup2_mount_of("22 1 0:21 / /proc rw - proc proc rw\n" + v2) == "/sys/fs/cgroup");
        // Hybrid: v1 on a tmpfs at /sys/fs/cgroup, v2 at unified.
        CHECK(cgroup2_mount_of("30 25 0:26 / /sys/fs/cgroup rw - tmpfs tmpfs ro\n"
                               "31 30 0:27 / /sys/fs/cgroup/unified rw shared:9 - cgroup2 cgroup2 rw\n"
                               "32 30 0:28 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n") ==
              "/sys/fs/cgroup/unified");
        // Optional fields before the separator, and an octal escape in the mount point.
        CHECK(cgroup2_mount_of("40 1 0:30 / /mnt/my\\040cg rw shared:1 master:2 - cgroup2 none rw\n") == "/mnt/my cg");
        // A bind of a subtree names paths that are not /proc/self/cgroup's: skipped.
        CHECK(cgroup2_mount_of("41 1 0:30 /user.slice /mnt/u rw - cgroup2 none rw\n" + v2) == "/sys/fs/cgroup");
        CHECK(cgroup2_mount_of("30 25 0:26 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n") == "");
        CHECK(cgroup2_mount_of("") == "");
}

TEST_CASE("cpu.max from cores, at the kernel's 100 ms period") {
        CHECK(cpu_max_of(1.5) == "150000 100000");
        CHECK(cpu_max_of(0.2) == "20000 100000");
        CHECK(cpu_max_of(2) == "200000 100000");
        CHECK(cpu_max_of(0.001) == "1000 100000"); // the kernel's minimum quota
}

TEST_CASE("sizes as a profile writes them") {
        CHECK(size_text(64ull << 20) == "64M");
        CHECK(size_text(2ull << 30) == "2G");
        CHECK(size_text(3ull << 29) == "1.5G");
        CHECK(size_text(1000) == "1000");
        CHECK(size_text(1024) == "1K");
        CHECK(size_text(1617920) == "1.5M"); // the largest unit, one decimal
        CHECK(size_text(1617921) == "1.5M");
}

TEST_CASE("limits from a merged profile, with where each was set") {
        Profile p;
        CHECK(!limits_of(p).any());
        p.pids = 50;
        p.on_unavailable = OnUnavailable::Fail;
        p.origins["limits.pids"] = Origin{"app.toml", 4, 8};
        p.origins["network.mode"] = Origin{"app.toml", 9, 1};
        auto l = limits_of(p);
        CHECK(l.any());
        CHECK(l.pids == 50u);
        CHECK(l.fail);
        CHECK(l.where.size() == 1);
        CHECK(l.where["limits.pids"] == "app.toml:4:8");
        CHECK(safe_name("/tmp/my app.toml") == "_tmp_my_app.toml");
}
