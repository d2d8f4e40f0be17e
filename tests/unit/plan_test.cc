// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests of plan.h: the deterministic parts of the Plan (it stats host paths).
#include "paths.h"
#include "plan.h"
#include "unit.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace sb;
using sb::test::error_of;

namespace {

Host make_host() {
        Host h;
        h.uid = 1000;
        h.gid = 1001;
        h.user = "u";
        h.home = "/home/u";
        h.cwd = "/home/u/src";
        h.env = {"PATH=/usr/bin:/bin", "TERM=xterm", "SSH_AUTH_SOCK=/tmp/agent"};
        return h;
}

MountEntry bind(std::string src, std::string dst, bool ro = true, std::string file = "", unsigned line = 0,
                unsigned col = 0) {
        MountEntry m;
        m.type = MountType::Bind;
        m.src = std::move(src);
        m.dst = std::move(dst);
        m.read_only = ro;
        m.origin = Origin{std::move(file), line, col};
        return m;
}

MountEntry tmpfs(std::string dst, std::string file = "", unsigned line = 0, unsigned col = 0) {
        MountEntry m;
        m.type = MountType::Tmpfs;
        m.dst = std::move(dst);
        m.read_only = false;
        m.origin = Origin{std::move(file), line, col};
        return m;
}

Result<Plan> plan_for(const Profile& p, const Host& h = make_host(), const Cli& cli = Cli{},
                      std::vector<std::string> command = {"sh"}) {
        return build_plan(PlanInput{p, cli, h, std::move(command)});
}

std::vector<const MountOp*> ops_at(const Plan& plan, std::string_view dst) {
        std::vector<const MountOp*> out;
        for (auto& op : plan.mounts)
                if (op.dst == dst)
                        out.push_back(&op);
        return out;
}

// Each destination once: the child would otherwise mount twice or fail on an existing name.
void check_one_op_per_destination(const Plan& plan) {
        for (auto& op : plan.mounts) {
                CAPTURE(op.dst);
                CHECK(ops_at(plan, op.dst).size() == 1);
        }
}

void check_sorted(const Plan& plan) {
        for (size_t i = 1; i < plan.mounts.size(); i++) {
                CAPTURE(plan.mounts[i - 1].dst);
                CAPTURE(plan.mounts[i].dst);
                CHECK_FALSE(path_less(plan.mounts[i].dst, plan.mounts[i - 1].dst));
        }
}

// The usr-merge companions of /usr on this host: a symlink's target, or true for a directory.
struct Companion {
        std::string path;
        bool is_link;
        std::string target;
};

std::vector<Companion> host_companions() {
        std::vector<Companion> out;
        for (const char* top : {"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"}) {
                struct stat st;
                if (lstat(top, &st) < 0)
                        continue;
                if (S_ISLNK(st.st_mode)) {
                        char buf[PATH_MAX];
                        ssize_t n = readlink(top, buf, sizeof buf - 1);
                        if (n > 0)
                                out.push_back({top, true, std::string(buf, static_cast<size_t>(n))});
                } else if (S_ISDIR(st.st_mode)) {
                        out.push_back({top, false, ""});
                }
        }
        return out;
}

} // namespace

TEST_CASE("the built-in mounts: /proc, a minimal /dev, a private /tmp and home") {
        auto r = plan_for(Profile{});
        REQUIRE_OK(r);
        const Plan& plan = *r;
        auto one = [&](std::string_view dst) -> const MountOp* {
                auto v = ops_at(plan, dst);
                return v.size() == 1 ? v[0] : nullptr;
        };
        auto proc = one("/proc");
        REQUIRE_HOLDS(proc);
        CHECK(proc->kind == OpKind::Proc);
        auto dev = one("/dev");
        REQUIRE_HOLDS(dev);
        CHECK(dev->kind == OpKind::Tmpfs);
        for (const char* node :
             {"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty"}) {
                CAPTURE(node);
                auto op = one(node);
                REQUIRE_HOLDS(op);
                CHECK(op->kind == OpKind::Bind);
                CHECK(op->src == node);
                CHECK(op->device);
                CHECK_FALSE(op->src_is_dir);
        }
        auto pts = one("/dev/pts");
        REQUIRE_HOLDS(pts);
        CHECK(pts->kind == OpKind::Devpts);
        auto ptmx = one("/dev/ptmx");
        REQUIRE_HOLDS(ptmx);
        CHECK(ptmx->kind == OpKind::Symlink);
        CHECK(ptmx->src == "pts/ptmx");
        auto fd = one("/dev/fd");
        REQUIRE_HOLDS(fd);
        CHECK(fd->src == "/proc/self/fd");
        auto shm = one("/dev/shm");
        REQUIRE_HOLDS(shm);
        CHECK(shm->mode == 01777);
        auto tmp = one("/tmp");
        REQUIRE_HOLDS(tmp);
        CHECK(tmp->kind == OpKind::Tmpfs);
        CHECK(tmp->mode == 01777);
        CHECK(tmp->mode_str == "1777");
        CHECK(tmp->why == "built in");
        auto home = one("/home/u");
        REQUIRE_HOLDS(home);
        CHECK(home->kind == OpKind::Tmpfs);
        CHECK(home->mode_str == "0700");
        CHECK(plan.mounts.size() == 17);
        check_sorted(plan);
        check_one_op_per_destination(plan);
}

TEST_CASE("a home of '/' gets no tmpfs over the root") {
        Host h = make_host();
        h.home = "/";
        auto r = plan_for(Profile{}, h);
        REQUIRE_OK(r);
        CHECK(ops_at(*r, "/").empty());
}

TEST_CASE("XDG_RUNTIME_DIR: a private tmpfs and the variable, only for an absolute path") {
        Host h = make_host();
        h.env.push_back("XDG_RUNTIME_DIR=/run/user/1000/");
        auto r = plan_for(Profile{}, h);
        REQUIRE_OK(r);
        auto rt = ops_at(*r, "/run/user/1000");
        REQUIRE_HOLDS(rt.size() == 1);
        CHECK(rt[0]->kind == OpKind::Tmpfs);
        CHECK(rt[0]->mode == 0700);
        CHECK(std::count(r->envp.begin(), r->envp.end(), "XDG_RUNTIME_DIR=/run/user/1000") == 1);

        for (const char* bad : {"XDG_RUNTIME_DIR=relative", "XDG_RUNTIME_DIR=/", "XDG_RUNTIME_DIR=/a/../b"}) {
                CAPTURE(bad);
                Host b = make_host();
                b.env.push_back(bad);
                auto rb = plan_for(Profile{}, b);
                REQUIRE_OK(rb);
                CHECK(rb->mounts.size() == 17);
                for (auto& e : rb->envp)
                        CHECK_FALSE(e.starts_with("XDG_RUNTIME_DIR="));
        }
}

TEST_CASE("binding /usr brings the usr-merge companions") {
        auto companions = host_companions();
        REQUIRE_HOLDS(!companions.empty()); // every Linux system has /bin
        Profile p;
        p.mounts = {bind("/usr", "/usr", true, "p.toml", 3, 14)};
        auto r = plan_for(p);
        REQUIRE_OK(r);
        for (auto& c : companions) {
                CAPTURE(c.path);
                auto ops = ops_at(*r, c.path);
                REQUIRE_HOLDS(ops.size() == 1);
                auto op = ops[0];
                if (c.is_link) {
                        CHECK(op->kind == OpKind::Symlink);
                        CHECK(op->src == c.target);
                } else {
                        CHECK(op->kind == OpKind::Bind);
                        CHECK(op->src == c.path);
                        CHECK(op->read_only);
                }
                CHECK(op->why == "with /usr: p.toml:3:14");
                CHECK(op->origin.str() == "p.toml:3:14");
        }
        auto usr = ops_at(*r, "/usr");
        REQUIRE_HOLDS(usr.size() == 1);
        CHECK(usr[0]->kind == OpKind::Bind);
        CHECK(usr[0]->read_only);
        CHECK(usr[0]->src_is_dir);
        CHECK(usr[0]->why == "p.toml:3:14");
        check_sorted(*r);
        check_one_op_per_destination(*r);
}

TEST_CASE("no companions without /usr, or for /usr from another source") {
        auto companions = host_companions();
        Profile none;
        auto r = plan_for(none);
        REQUIRE_OK(r);
        Profile other;
        other.mounts = {bind("/etc", "/usr")};
        auto o = plan_for(other);
        REQUIRE_OK(o);
        for (auto& c : companions) {
                CAPTURE(c.path);
                CHECK(ops_at(*r, c.path).empty());
                CHECK(ops_at(*o, c.path).empty());
        }
}

TEST_CASE("an explicit entry for a companion's path beats the companion, before or after /usr") {
        auto companions = host_companions();
        REQUIRE_HOLDS(!companions.empty());
        const std::string top = companions[0].path;
        for (bool explicit_first : {false, true}) {
                CAPTURE(explicit_first);
                Profile p;
                MountEntry usr = bind("/usr", "/usr", true, "p.toml", 1, 1);
                MountEntry mine = tmpfs(top, "p.toml", 2, 1);
                p.mounts =
                    explicit_first ? std::vector<MountEntry>{mine, usr} : std::vector<MountEntry>{usr, mine};
                auto r = plan_for(p);
                REQUIRE_OK(r);
                auto ops = ops_at(*r, top);
                REQUIRE_HOLDS(ops.size() == 1);
                CHECK(ops[0]->kind == OpKind::Tmpfs);
                CHECK(ops[0]->why == "p.toml:2:1");
                check_one_op_per_destination(*r);
        }
}

TEST_CASE("/usr bound twice: the later layer's companions win, once") {
        auto companions = host_companions();
        Profile p;
        p.mounts = {bind("/usr", "/usr", true, "a.toml", 1, 1), bind("/usr", "/usr", false, "b.toml", 1, 1)};
        auto r = plan_for(p);
        REQUIRE_OK(r);
        check_one_op_per_destination(*r);
        for (auto& c : companions) {
                CAPTURE(c.path);
                auto ops = ops_at(*r, c.path);
                REQUIRE_HOLDS(ops.size() == 1);
                CHECK(ops[0]->why == "with /usr: b.toml:1:1");
        }
}

TEST_CASE("mounts are ordered parents before children, whatever the profile's order") {
        Profile p;
        p.mounts = {
            bind("/usr", "/home/u/a/b"),      tmpfs("/home/u/a"),  bind("/etc", "/etc"), tmpfs("/etc-x"),
            bind("/usr/share", "/usr/share"), bind("/usr", "/usr")};
        auto r = plan_for(p);
        REQUIRE_OK(r);
        check_sorted(*r);
        check_one_op_per_destination(*r);
        auto index = [&](std::string_view dst) {
                for (size_t i = 0; i < r->mounts.size(); i++)
                        if (r->mounts[i].dst == dst)
                                return static_cast<long>(i);
                return -1L;
        };
        CHECK(index("/home/u") < index("/home/u/a"));
        CHECK(index("/home/u/a") < index("/home/u/a/b"));
        CHECK(index("/usr") < index("/usr/share"));
        CHECK(index("/etc") < index("/etc-x"));
        CHECK(index("/dev") < index("/dev/null"));
        CHECK(index("/home/u/a/b") >= 0);
}

TEST_CASE("a profile tmpfs or bind replaces the built-in mount of the same destination") {
        Profile p;
        p.mounts = {tmpfs("/tmp", "p.toml", 5, 10)};
        auto r = plan_for(p);
        REQUIRE_OK(r);
        auto tmp = ops_at(*r, "/tmp");
        REQUIRE_HOLDS(tmp.size() == 1);
        CHECK(tmp[0]->kind == OpKind::Tmpfs);
        CHECK(tmp[0]->why == "p.toml:5:10");
        CHECK(r->mounts.size() == 17);

        Profile b;
        b.mounts = {bind("/etc", "/home/u", false)};
        auto rb = plan_for(b);
        REQUIRE_OK(rb);
        auto home = ops_at(*rb, "/home/u");
        REQUIRE_HOLDS(home.size() == 1);
        CHECK(home[0]->kind == OpKind::Bind);
        CHECK(home[0]->src == "/etc");
        CHECK_FALSE(home[0]->read_only);
        CHECK(home[0]->why == "command line");
        check_one_op_per_destination(*rb);
}

TEST_CASE("bind sources are stat'ed: file or directory") {
        Profile p;
        p.mounts = {bind("/etc/passwd", "/x/passwd"), bind("/etc", "/x/etc", false)};
        auto r = plan_for(p);
        REQUIRE_OK(r);
        auto f = ops_at(*r, "/x/passwd");
        auto d = ops_at(*r, "/x/etc");
        REQUIRE_HOLDS(f.size() == 1 && d.size() == 1);
        CHECK_FALSE(f[0]->src_is_dir);
        CHECK(f[0]->read_only);
        CHECK(d[0]->src_is_dir);
        CHECK_FALSE(d[0]->read_only);
}

TEST_CASE("a mount over '/' is refused") {
        Profile cli;
        cli.mounts = {bind("/", "/")};
        CHECK(error_of(plan_for(cli)) == "command line: cannot mount over the sandbox's root '/'");
        Profile file;
        file.mounts = {tmpfs("/", "p.toml", 4, 2)};
        CHECK(error_of(plan_for(file)) == "p.toml:4:2: cannot mount over the sandbox's root '/'");
        Profile elsewhere;
        elsewhere.mounts = {bind("/", "/host")}; // the host root somewhere else is allowed
        auto r = plan_for(elsewhere);
        REQUIRE_OK(r);
        CHECK(ops_at(*r, "/host").size() == 1);
}

TEST_CASE("a missing bind source: an error naming its origin, or skipped when optional") {
        const std::string missing = "/nonexistent-sandbox-test/x";
        Profile p;
        p.mounts = {bind(missing, missing, true, "p.toml", 3, 14)};
        auto r = plan_for(p);
        CHECK(error_of(r) == "p.toml:3:14: read-only bind '" + missing + "': No such file or directory");
        if (!r)
                CHECK(r.error().errnum == ENOENT);

        Profile c;
        c.mounts = {bind(missing, "/x", false)};
        CHECK(error_of(plan_for(c)) == "command line: bind '" + missing + "': No such file or directory");

        Profile opt;
        MountEntry m = bind(missing, "/x", true, "p.toml", 3, 14);
        m.optional = true;
        opt.mounts = {bind("/etc", "/y"), m};
        auto ro = plan_for(opt);
        REQUIRE_OK(ro);
        CHECK(ops_at(*ro, "/x").empty());
        CHECK(ops_at(*ro, "/y").size() == 1);
        CHECK(ro->mounts.size() == 18);

        // Optional only excuses a missing source: a mount over '/' is still refused.
        Profile root;
        MountEntry r2 = bind("/", "/", true, "p.toml", 7, 1);
        r2.optional = true;
        root.mounts = {r2};
        CHECK(error_of(plan_for(root)) == "p.toml:7:1: cannot mount over the sandbox's root '/'");
}

TEST_CASE("uid_map and gid_map") {
        auto r = plan_for(Profile{});
        REQUIRE_OK(r);
        CHECK(r->uid_map == "1000 1000 1\n");
        CHECK(r->gid_map == "1001 1001 1\n");
        CHECK(r->uid_outside == 1000);
        CHECK(r->uid_inside == 1000);
        CHECK(r->gid_outside == 1001);
        CHECK(r->gid_inside == 1001);

        Profile root;
        root.uid0 = true;
        auto r0 = plan_for(root);
        REQUIRE_OK(r0);
        CHECK(r0->uid_map == "0 1000 1\n");
        CHECK(r0->gid_map == "0 1001 1\n");
        CHECK(r0->uid_inside == 0);
        CHECK(r0->gid_inside == 0);
        CHECK(r0->uid_outside == 1000);

        Profile no;
        no.uid0 = false;
        auto rn = plan_for(no);
        REQUIRE_OK(rn);
        CHECK(rn->uid_map == "1000 1000 1\n");
}

TEST_CASE("a new network namespace unless the network is the host's") {
        Profile unset, none, host;
        none.net = NetMode::None;
        host.net = NetMode::Host;
        auto ru = plan_for(unset), rn = plan_for(none), rh = plan_for(host);
        REQUIRE_OK(ru);
        REQUIRE_OK(rn);
        REQUIRE_OK(rh);
        CHECK(ru->new_net);
        CHECK(rn->new_net);
        CHECK_FALSE(rh->new_net);
}

TEST_CASE("hostname, argv, envp and home") {
        Profile p{};
        p.hostname = "box";
        p.env = {EnvSetting{"A", "1", Origin{}}};
        auto r = plan_for(p, make_host(), Cli{}, {"ls", "-l"});
        REQUIRE_OK(r);
        CHECK(r->hostname == "box");
        CHECK(r->argv == std::vector<std::string>{"ls", "-l"});
        CHECK(r->home == "/home/u");
        CHECK(r->envp == std::vector<std::string>{"A=1", "HOME=/home/u", "LOGNAME=u", "PATH=/usr/bin:/bin",
                                                  "TERM=xterm", "USER=u"});
        auto none = plan_for(Profile{});
        REQUIRE_OK(none);
        CHECK(none->hostname == "");
}

TEST_CASE("no command is an error") {
        CHECK(error_of(plan_for(Profile{}, make_host(), Cli{}, {})) == "no command given");
        CHECK(error_of(plan_for(Profile{}, make_host(), Cli{}, {""})) == "no command given");
}

TEST_CASE("the working directory is kept only where the same host directory is visible") {
        auto cwd_for = [](std::string cwd, std::vector<MountEntry> mounts) {
                Host h = make_host();
                h.cwd = std::move(cwd);
                Profile p;
                p.mounts = std::move(mounts);
                auto r = plan_for(p, h);
                return r ? r->cwd : "ERROR: " + r.error().what();
        };
        // Under a same-path bind: kept.
        CHECK(cwd_for("/usr/share", {bind("/usr", "/usr")}) == "/usr/share");
        CHECK(cwd_for("/usr", {bind("/usr", "/usr")}) == "/usr");
        // Under a bind from elsewhere, a tmpfs, or nothing at all: home.
        CHECK(cwd_for("/usr/share", {bind("/etc", "/usr")}) == "/home/u");
        CHECK(cwd_for("/home/u/src", {}) == "/home/u");
        CHECK(cwd_for("/tmp/x", {}) == "/home/u");
        CHECK(cwd_for("/srv/x", {}) == "/home/u");
        CHECK(cwd_for("/", {}) == "/home/u");
        CHECK(cwd_for("", {bind("/usr", "/usr")}) == "/home/u");
        // The deepest mount decides.
        CHECK(cwd_for("/usr/share/doc", {bind("/usr", "/usr"), tmpfs("/usr/share")}) == "/home/u");
        CHECK(cwd_for("/usr/share/doc", {tmpfs("/usr"), bind("/usr/share", "/usr/share")}) ==
              "/usr/share/doc");
        // A component boundary, not a string prefix.
        CHECK(cwd_for("/usr-local", {bind("/usr", "/usr")}) == "/home/u");

        Host h = make_host();
        h.cwd = "/tmp";
        auto r = plan_for(Profile{}, h);
        REQUIRE_OK(r);
        CHECK_FALSE(r->cwd_required);
}

TEST_CASE("--chdir is taken as given, and required") {
        Cli cli;
        cli.chdir = "/somewhere/else";
        auto r = plan_for(Profile{}, make_host(), cli);
        REQUIRE_OK(r);
        CHECK(r->cwd == "/somewhere/else");
        CHECK(r->cwd_required);
}

TEST_CASE("--keep-fd: open descriptors are kept sorted and once, a closed one is an error") {
        int a = open("/dev/null", O_RDONLY | O_CLOEXEC);
        int b = open("/dev/null", O_RDONLY | O_CLOEXEC);
        REQUIRE_HOLDS(a >= 3 && b > a);
        Cli cli;
        cli.keep_fds = {b, a, b};
        auto r = plan_for(Profile{}, make_host(), cli);
        CHECK(r.has_value());
        if (r)
                CHECK(r->keep_fds == std::vector<int>{a, b});

        close(b);
        cli.keep_fds = {a, b};
        auto bad = plan_for(Profile{}, make_host(), cli);
        CHECK(error_of(bad) == "--keep-fd " + std::to_string(b) + ": Bad file descriptor");
        if (!bad)
                CHECK(bad.error().errnum == EBADF);
        close(a);
}

TEST_CASE("the seccomp filter and the capability count are filled in") {
        auto r = plan_for(Profile{});
        REQUIRE_OK(r);
        CHECK(!r->seccomp.empty());
        CHECK(r->last_cap >= 35); // CAP_CHECKPOINT_RESTORE is 40; 35 is older kernels' floor
}

TEST_CASE("describe_plan shows every step") {
        Profile p{};
        p.hostname = "box";
        p.net = NetMode::Host;
        p.mounts = {bind("/etc", "/etc", true, "p.toml", 2, 3)};
        auto r = plan_for(p, make_host(), Cli{}, {"ls", "-l"});
        REQUIRE_OK(r);
        std::string d = describe_plan(*r);
        CHECK_CONTAINS(d, "mount proc '/proc'  [built in]\n");
        CHECK_CONTAINS(d, "mount tmpfs '/tmp' (mode 1777)  [built in]\n");
        CHECK_CONTAINS(d, "mount dev-bind '/dev/null' -> '/dev/null'  [built in]\n");
        CHECK_CONTAINS(d, "mount ro-bind '/etc' -> '/etc'  [p.toml:2:3]\n");
        CHECK_CONTAINS(d, "symlink '/dev/ptmx' -> 'pts/ptmx'");
        CHECK_CONTAINS(d, "user: uid 1000 -> 1000, gid 1001 -> 1001 inside\n");
        CHECK_CONTAINS(d, "network: host\n");
        CHECK_CONTAINS(d, "hostname: 'box'\n");
        CHECK_CONTAINS(d, "env: 'TERM=xterm'\n");
        CHECK_CONTAINS(d, "exec 'ls' '-l'\n");
        CHECK_FALSE(sb::test::contains(d, "SSH_AUTH_SOCK"));
}
