// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests of the filesystem planning of plan.h and protect.h: host and template homes,
// protected paths, filesystem.root, overlays, symlinks in sources and the fuse-overlayfs
// fallback. Everything they touch on disk is made under a fresh directory in /tmp, removed at
// the end; they hold whether they run as root or not.
#include "paths.h"
#include "plan.h"
#include "protect.h"
#include "unit.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace sb;
using sb::test::error_of;

namespace {

// --- Small helpers, as in plan_test.cc -------------------------------------------------------

Host make_host() {
        Host h;
        h.uid = 1000;
        h.gid = 1001;
        h.user = "u";
        h.home = "/home/u";
        h.cwd = "/home/u/src";
        h.env = {"PATH=/usr/bin:/bin", "TERM=xterm"};
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

MountEntry file_entry(std::string dst, std::string content) {
        MountEntry m;
        m.type = MountType::File;
        m.dst = std::move(dst);
        m.content = std::move(content);
        return m;
}

OverlayEntry overlay(std::vector<std::string> lowers, std::string dst, std::string upper = "tmpfs",
                     bool optional = false, std::string file = "", unsigned line = 0, unsigned col = 0) {
        OverlayEntry o;
        o.lowers = std::move(lowers);
        o.dst = std::move(dst);
        o.upper = std::move(upper);
        o.optional = optional;
        o.origin = Origin{std::move(file), line, col};
        return o;
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

// The one op at dst, or null.
const MountOp* one_at(const Plan& plan, std::string_view dst) {
        auto v = ops_at(plan, dst);
        return v.size() == 1 ? v[0] : nullptr;
}

std::vector<const MountOp*> protected_ops(const Plan& plan) {
        std::vector<const MountOp*> out;
        for (auto& op : plan.mounts)
                if (op.why == "protected")
                        out.push_back(&op);
        return out;
}

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

// --- The disk ---------------------------------------------------------------------------------

// A fresh directory under /tmp (its real path), removed with everything in it at the end.
struct TempDir {
        std::string path;
        TempDir() {
                char tmpl[] = "/tmp/sb-fs-plan-XXXXXX";
                if (!mkdtemp(tmpl))
                        return;
                char real[PATH_MAX];
                path = realpath(tmpl, real) ? real : tmpl;
        }
        ~TempDir() {
                if (path.empty())
                        return;
                nftw(
                    path.c_str(),
                    [](const char* p, const struct stat*, int, struct FTW*) {
                            return remove(p) < 0 ? -1 : 0;
                    },
                    64, FTW_DEPTH | FTW_PHYS);
        }
        TempDir(const TempDir&) = delete;
        TempDir& operator=(const TempDir&) = delete;
        std::string operator/(std::string_view rel) const { return path + "/" + std::string(rel); }
};

bool make_dir(const std::string& path, mode_t mode = 0755) {
        if (mkdir(path.c_str(), mode) < 0)
                return false;
        return chmod(path.c_str(), mode) == 0; // whatever the umask
}

bool make_file(const std::string& path, std::string_view content = "") {
        int fd = open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
        if (fd < 0)
                return false;
        bool ok = write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
        close(fd);
        return ok;
}

bool make_link(const std::string& target, const std::string& path) {
        return symlink(target.c_str(), path.c_str()) == 0;
}

bool exists(const std::string& path) {
        struct stat st;
        return lstat(path.c_str(), &st) == 0;
}

// The file type and permission bits, or 0 when missing.
mode_t mode_of(const std::string& path) {
        struct stat st;
        return lstat(path.c_str(), &st) == 0 ? st.st_mode : 0;
}

std::string link_of(const std::string& path) {
        char buf[PATH_MAX];
        ssize_t n = readlink(path.c_str(), buf, sizeof buf - 1);
        return n < 0 ? std::string() : std::string(buf, static_cast<size_t>(n));
}

std::string content_of(const std::string& path) {
        std::string s;
        int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return "<missing>";
        char buf[256];
        ssize_t n;
        while ((n = read(fd, buf, sizeof buf)) > 0)
                s.append(buf, static_cast<size_t>(n));
        close(fd);
        return s;
}

// Every path below dir, relative, sorted.
std::vector<std::string> tree_of(const std::string& dir) {
        static std::vector<std::string>* out;
        static size_t skip;
        std::vector<std::string> v;
        out = &v;
        skip = dir.size() + 1;
        nftw(
            dir.c_str(),
            [](const char* p, const struct stat*, int, struct FTW*) {
                    std::string s(p);
                    if (s.size() > skip)
                            out->push_back(s.substr(skip));
                    return 0;
            },
            64, FTW_PHYS);
        std::sort(v.begin(), v.end());
        return v;
}

// A directory that a symlink in it is trusted in: root's and writable by root only. Only root
// can make one; others get "" and skip what needs it.
std::string trusted_dir(const TempDir& t, const char* name) {
        if (geteuid() != 0)
                return {};
        std::string d = t / name;
        if (!make_dir(d, 0755) || chown(d.c_str(), 0, 0) < 0)
                return {};
        return d;
}

// A directory that a symlink in it is not trusted in, with mode; as root one of another owner
// when mode alone would trust it.
std::string untrusted_dir(const TempDir& t, const char* name, mode_t mode) {
        std::string d = t / name;
        if (!make_dir(d, mode))
                return {};
        if (geteuid() == 0 && !(mode & 022) && chown(d.c_str(), 65534, 65534) < 0)
                return {};
        return d;
}

// As protect.cc decides whether a shell is installed.
bool shell_installed(std::string_view shell) {
        if (shell.empty())
                return true;
        for (const char* dir : {"/usr/bin/", "/bin/", "/usr/local/bin/"})
                if (access((dir + std::string(shell)).c_str(), X_OK) == 0)
                        return true;
        return false;
}

// Where plan_fuse looks for fuse-overlayfs.
std::string installed_fuse_overlayfs() {
        for (const char* dir : {"/usr/bin/", "/usr/local/bin/", "/bin/"}) {
                std::string path = std::string(dir) + "fuse-overlayfs";
                if (access(path.c_str(), X_OK) == 0)
                        return path;
        }
        return {};
}

// A host whose home is t/home (made here), with no XDG variables: the defaults below the home.
Host fake_host(const TempDir& t) {
        Host h = make_host();
        h.home = t / "home";
        h.cwd = h.home;
        h.env = {"PATH=/usr/bin:/bin"};
        make_dir(h.home, 0700);
        return h;
}

Profile host_home() {
        Profile p;
        p.home = HomeMode::Host;
        return p;
}

const std::string symlink_refusal =
    " is a symlink in a directory that not only root can write, where a sandboxed "
    "app could have planted it; name what it points to, or add follow = true in "
    "a profile";

const std::string own_config_refusal =
    ": sandbox's own configuration cannot be made writable inside a sandbox (an app could change its own "
    "profile)";

} // namespace

// --- filesystem.home = "host" and the protected paths ----------------------------------------

TEST_CASE("home = host: a read-write bind of the home, at the home") {
        TempDir t;
        REQUIRE_HOLDS(!t.path.empty());
        Host h = fake_host(t);
        Profile p = host_home();
        auto r = plan_for(p, h);
        REQUIRE_OK(r);
        auto home = one_at(*r, h.home);
        REQUIRE_HOLDS(home);
        CHECK(home->kind == OpKind::Bind);
        CHECK(home->src == h.home);
        CHECK_FALSE(home->read_only);
        CHECK(home->src_is_dir);
        CHECK_FALSE(home->own_store);
        CHECK_FALSE(home->nofollow_dst);
        CHECK(home->why == "home: command line");
        CHECK(r->cwd == h.home); // the same host directory is visible
        check_sorted(*r);
        check_one_op_per_destination(*r);

        p.origins["filesystem.home"] = Origin{"p.toml", 2, 8};
        auto o = plan_for(p, h);
        REQUIRE_OK(o);
        auto oh = one_at(*o, h.home);
        REQUIRE_HOLDS(oh);
        CHECK(oh->why == "home: p.toml:2:8");

        // A home of '/' gets nothing.
        Host slash = make_host();
        slash.home = "/";
        auto rs = plan_for(p, slash);
        REQUIRE_OK(rs);
        CHECK(ops_at(*rs, "/").empty());
        CHECK(protected_ops(*rs).empty());
}

TEST_CASE("home = host: the home is resolved, a symlink only where no one but root can write") {
        TempDir t;
        REQUIRE_HOLDS(!t.path.empty());
        Host real = fake_host(t);

        // A link in a directory others can write: refused, naming the home.
        std::string open_dir = untrusted_dir(t, "open", 0777);
        REQUIRE_HOLDS(!open_dir.empty());
        REQUIRE_HOLDS(make_link(real.home, open_dir + "/home"));
        Host h = real;
        h.home = open_dir + "/home";
        Profile p = host_home();
        p.origins["filesystem.home"] = Origin{"p.toml", 2, 8};
        CHECK(error_of(plan_for(p, h)) == "p.toml:2:8: the home '" + h.home + "'" + symlink_refusal);

        // In root's own directory: followed, the op's source is the real home.
        std::string trusted = trusted_dir(t, "trusted");
        if (trusted.empty()) {
                MESSAGE("not root: a home through a link in a directory of root's is not tested");
                return;
        }
        REQUIRE_HOLDS(make_link(real.home, trusted + "/home"));
        h.home = trusted + "/home";
        auto r = plan_for(p, h);
        REQUIRE_OK(r);
        auto home = one_at(*r, h.home);
        REQUIRE_HOLDS(home);
        CHECK(home->kind == OpKind::Bind);
        CHECK(home->src == real.home);
        CHECK_FALSE(home->read_only);
        // The protected paths are found through the link too.
        auto bashrc = one_at(*r, h.home + "/.bashrc");
        REQUIRE_HOLDS(bashrc);
        CHECK(bashrc->src == real.home + "/.bashrc");
        CHECK(bashrc->why == "protected");
}

TEST_CASE("home = host: every protected path is read-only, a missing one gets a stand-in") {
        TempDir t;
        REQUIRE_HOLDS(!t.path.empty());
        Host h = fake_host(t);
        REQUIRE_HOLDS(make_file(h.home + "/.profile", "PATH=x\n"));
        REQUIRE_HOLDS(make_file(h.home + "/.bashrc", "alias l=ls\n"));
        REQUIRE_HOLDS(make_file(h.home + "/notes.txt", "mine"));
        auto r = plan_for(host_home(), h);
        REQUIRE_OK(r);
        check_sorted(*r);
        check_one_op_per_destination(*r);

        size_t expected = 0;
        for (auto& pp : protected_paths()) {
                std::string path = h.home + "/" + pp.rel;
                CAPTURE(path);
                bool stand_in = pp.placeholder && shell_installed(pp.reader);
                bool present = pp.rel == std::string(".profile") || pp.rel == std::string(".bashrc");
                if (!present && !stand_in) {
                        // ~/.xsession, ~/.xinitrc, the files of a shell not installed: nothing.
                        CHECK_FALSE(exists(path));
                        CHECK(ops_at(*r, path).empty());
                        continue;
                }
                expected++;
                auto op = one_at(*r, path);
                REQUIRE_HOLDS(op);
                CHECK(op->kind == OpKind::Bind);
                CHECK(op->read_only);
                CHECK(op->nofollow_dst);
                CHECK(op->why == "protected");
                CHECK_FALSE(op->device);
                CHECK_FALSE(op->own_store);
                if (pp.rel == std::string(".bash_profile")) {
                        // Missing, with ~/.profile present: a link to it, covered as a link to a file.
                        CHECK(S_ISLNK(mode_of(path)));
                        CHECK(link_of(path) == ".profile");
                        CHECK(op->src == h.home + "/.profile");
                        CHECK_FALSE(op->src_is_dir);
                        continue;
                }
                CHECK(op->src == path);
                CHECK(op->src_is_dir == pp.dir);
                if (present)
                        continue;
                if (pp.dir)
                        CHECK(mode_of(path) == (S_IFDIR | 0700));
                else
                        CHECK(mode_of(path) == (S_IFREG | 0600));
                if (!pp.dir)
                        CHECK(content_of(path) == "");
        }
        // Explicit, whatever the table says.
        CHECK(ops_at(*r, h.home + "/.xsession").empty());
        CHECK_FALSE(exists(h.home + "/.xsession"));
        CHECK_FALSE(exists(h.home + "/.xinitrc"));
        CHECK(one_at(*r, h.home + "/.ssh"));
        CHECK(one_at(*r, h.home + "/.config/autostart"));
        CHECK(mode_of(h.home + "/.ssh") == (S_IFDIR | 0700));
        CHECK(mode_of(h.home + "/.bash_logout") == (S_IFREG | 0600));
        // What existed is left as it was.
        CHECK(content_of(h.home + "/.profile") == "PATH=x\n");
        CHECK(content_of(h.home + "/.bashrc") == "alias l=ls\n");
        CHECK(ops_at(*r, h.home + "/notes.txt").empty());

        // sandbox's own directories, where the XDG defaults put them: made 0700 with their parents.
        for (const char* own : {"/.config/sandbox", "/.local/share/sandbox"}) {
                CAPTURE(own);
                expected++;
                auto op = one_at(*r, h.home + own);
                REQUIRE_HOLDS(op);
                CHECK(op->kind == OpKind::Bind);
                CHECK(op->src == h.home + own);
                CHECK(op->src_is_dir);
                CHECK(op->read_only);
                CHECK(op->nofollow_dst);
                CHECK(op->why == "protected");
                CHECK(mode_of(h.home + own) == (S_IFDIR | 0700));
        }
        // The directories that hold protected paths are mount points of their own, so that they
        // cannot be renamed away and made again with new contents.
        for (const char* parent : {"/.config", "/.local", "/.local/share"}) {
                CAPTURE(parent);
                CHECK(mode_of(h.home + parent) == (S_IFDIR | 0700));
                auto holder = ops_at(*r, h.home + parent);
                REQUIRE_HOLDS(holder.size() == 1);
                CHECK(holder[0]->kind == OpKind::Bind);
                CHECK(holder[0]->src == h.home + parent);
                CHECK_FALSE(holder[0]->read_only);
                CHECK(holder[0]->why == "protected: holds a protected path in place");
        }
        CHECK(protected_ops(*r).size() == expected);

        // A second plan finds the stand-ins there and plans the same.
        auto again = plan_for(host_home(), h);
        REQUIRE_OK(again);
        CHECK(protected_ops(*again).size() == expected);
        CHECK(link_of(h.home + "/.bash_profile") == ".profile");
}

TEST_CASE("home = host: a missing ~/.bash_profile links to ~/.bash_login first, else is an empty file") {
        TempDir t;
        REQUIRE_HOLDS(!t.path.empty());
        Host h = fake_host(t);
        REQUIRE_HOLDS(make_file(h.home + "/.bash_login"));
        REQUIRE_HOLDS(make_file(h.home + "/.profile"));
        auto r = plan_for(host_home(), h);
        REQUIRE_OK(r);
        CHECK(link_of(h.home + "/.bash_profile") == ".bash_login");
        auto op = one_at(*r, h.home + "/.bash_profile");
        REQUIRE_HOLDS(op);
        CHECK(op->src == h.home + "/.bash_login");
        CHECK(one_at(*r, h.home + "/.bash_login"));
        check_one_op_per_destination(*r);

        TempDir t2;
        REQUIRE_HOLDS(!t2.path.empty());
        Host h2 = fake_host(t2);
        auto r2 = plan_for(host_home(), h2);
        REQUIRE_OK(r2);
        CHECK(mode_of(h2.home + "/.bash_profile") == (S_IFREG | 0600));
        auto op2 = one_at(*r2, h2.home + "/.bash_profile");
        REQUIRE_HOLDS(op2);
        CHECK(op2->src == h2.home + "/.bash_profile");
        // The others got their own empty files.
        CHECK(mode_of(h2.home + "/.profile") == (S_IFREG | 0600));
        CHECK(mode_of(h2.home + "/.bash_login") == (S_IFREG | 0600));
}

TEST_CASE("home = host: an existing ~/.xsession is protected; a missing one is not made") {
        TempDir t;
        REQUIRE_HOLDS(!t.path.empty());
        Host h = fake_host(t);
        REQUIRE_HOLDS(make_file(h.home + "/.xsession", "exec xterm\n"));
        auto r = plan_for(host_home(), h);
        REQUIRE_OK(r);
        auto x = one_at(*r, h.home + "/.xsession");
        REQUIRE_HOLDS(x);
        CHECK(x->why == "protected");
        CHECK(x->read_only);
        CHECK(x->src == h.home + "/.xsession");
        CHECK(ops_at(*r, h.home + "/.xinitrc").empty());
        CHECK_FALSE(exists(h.home + "/.xinitrc"));
}

TEST_CASE("a grant by name of a protected path leaves it as granted; the others stay protected") {
        TempDir t;
        REQUIRE_HOLDS(!t.path.empty());
        Host h = fake_host(t);
        REQUIRE_HOLDS(make_dir(h.home + "/.ssh", 0700));
        REQUIRE_HOLDS(make_file(h.home + "/.ssh/known_hosts"));
        Profile p = host_home();
        p.mounts = {bind(h.home + "/.ssh", h.home + "/.ssh", false, "p.toml", 4, 1)};
        auto r = plan_for(p, h);
        REQUIRE_OK(r);
        auto ssh = one_at(*r, h.home + "/.ssh");
        REQUIRE_HOLDS(ssh);
        CHECK(ssh->kind == OpKind::Bind);
        CHECK_FALSE(ssh->read_only);
        CHECK_FALSE(ssh->nofollow_dst);
        CHECK(ssh->why == "p.toml:4:1");
        CHECK(ssh->src == h.home + "/.ssh");
        for (auto* op : protected_ops(*r))
                CHECK_FALSE(path_within(op->dst, h.home + "/.ssh"));
        auto gnupg = one_at(*r, h.home + "/.gnupg");
        REQUIRE_HOLDS(gnupg);
        CHECK(gnupg->why == "protected");
        CHECK(gnupg->read_only);
        auto bashrc = one_at(*r, h.home + "/.bashrc");
        REQUIRE_HOLDS(bashrc);
        CHECK(bashrc->why == "protected");
        check_one_op_per_destination(*r);

        // A grant somewhere else is no grant by name: ~/.ssh is still protected where the home shows it.
        Profile elsewhere = host_home();
        elsewhere.mounts = {bind(h.home + "/.ssh", "/ssh", false)};
        auto re = plan_for(elsewhere, h);
        REQUIRE_OK(re);
        auto in_home = one_at(*re, h.home + "/.ssh");
        REQUIRE_HOLDS(in_home);
        CHECK(in_home->why == "protected");
        auto at_ssh = one_at(*re, "/ssh");
        REQUIRE_HOLDS(at_ssh);
        CHECK_FALSE(at_ssh->read_only);
        CHECK(at_ssh->why == "command line");
}

TEST_CASE("a writable bind of the home elsewhere is protected where it shows the home") {
        TempDir t;
        REQUIRE_HOLDS(!t.path.empty());
        Host h = fake_host(t);
        REQUIRE_HOLDS(make_file(h.home + "/.bashrc"));
        Profile p;
        p.mounts = {bind(h.home, "/data", false)};
        auto r = plan_for(p, h);
        REQUIRE_OK(r);
        auto bashrc = one_at(*r, "/data/.bashrc");
        REQUIRE_HOLDS(bashrc);
        CHECK(bashrc->src == h.home + "/.bashrc");
        CHECK(bashrc->why == "protected");
        CHECK(bashrc->read_only);
        CHECK(bashrc->nofollow_dst);
        auto config = one_at(*r, "/data/.config/sandbox");
        REQUIRE_HOLDS(config);
        CHECK(config->src == h.home + "/.config/sandbox");
        for (auto* op : protected_ops(*r))
                CHECK(path_within(op->dst, "/data"));
}

TEST_CASE("sandbox's own configuration cannot be made writable") {
        TempDir t;
        REQUIRE_HOLDS(!t.path.empty());
        Host h = fake_host(t);
        std::string config = h.home + "/cfg";
        h.env.push_back("XDG_CONFIG_HOME=" + config);
        REQUIRE_HOLDS(make_dir(config, 0700));
        REQUIRE_HOLDS(make_dir(config + "/sandbox", 0700));
        REQUIRE_HOLDS(make_dir(config + "/sandbox/sub", 0700));

        for (std::string src : {config + "/sandbox", config + "/sandbox/sub"}) {
                CAPTURE(src);
                Profile p;
                p.mounts = {bind(src, "/x", false, "p.toml", 5, 2)};
                auto r = plan_for(p, h);
                CHECK(error_of(r) == "p.toml:5:2" + own_config_refusal);
                // With the home writable too.
                Profile ph = host_home();
                ph.mounts = p.mounts;
                CHECK(error_of(plan_for(ph, h)) == "p.toml:5:2" + own_config_refusal);
        }
        // By name, at its own place, too.
        Profile by_name;
        by_name.mounts = {bind(config + "/sandbox", config + "/sandbox", false)};
        CHECK(error_of(plan_for(by_name, h)) == "command line" + own_config_refusal);

        // Read-only is fine.
        Profile ro;
        ro.mounts = {bind(config + "/sandbox", "/x", true)};
        auto r = plan_for(ro, h);
        REQUIRE_OK(r);
        CHECK(protected_ops(*r).empty());

        // The writable home protects it where $XDG_CONFIG_HOME says, not at ~/.config/sandbox.
        auto rh = plan_for(host_home(), h);
        REQUIRE_OK(rh);
        auto own = one_at(*rh, config + "/sandbox");
        REQUIRE_HOLDS(own);
        CHECK(own->why == "protected");
        CHECK(own->read_only);
        CHECK(ops_at(*rh, h.home + "/.config/sandbox").empty());
        CHECK_FALSE(exists(h.home + "/.config/sandbox"));
}

TEST_CASE("read_write = ['~/.config'] in an ephemeral home protects only what is below it") {
        TempDir t;
        REQUIRE_HOLDS(!t.path.empty());
        Host h = fake_host(t);
        REQUIRE_HOLDS(make_dir(h.home + "/.config", 0700));
        REQUIRE_HOLDS(make_file(h.home + "/.bashrc"));
        Profile p;
        p.mounts = {bind(h.home + "/.config", h.home + "/.config", false)};
        auto r = plan_for(p, h);
        REQUIRE_OK(r);
        auto home = one_at(*r, h.home);
        REQUIRE_HOLDS(home);
        CHECK(home->kind == OpKind::Tmpfs);
        auto autostart = one_at(*r, h.home + "/.config/autostart");
        REQUIRE_HOLDS(autostart);
        CHECK(autostart->kind == OpKind::Bind);
        CHECK(autostart->read_only);
        CHECK(autostart->nofollow_dst);
        CHECK(autostart->why == "protected");
        CHECK(mode_of(h.home + "/.config/autostart") == (S_IFDIR | 0700));
        auto own = one_at(*r, h.home + "/.config/sandbox");
        REQUIRE_HOLDS(own);
        CHECK(own->why == "protected");
        auto prot = protected_ops(*r);
        CHECK_FALSE(prot.empty());
        for (auto* op : prot) {
                CAPTURE(op->dst);
                CHECK(path_within(op->dst, h.home + "/.config"));
        }
        CHECK(ops_at(*r, h.home + "/.bashrc").empty());
        // Nothing was made outside ~/.config.
        for (auto& path : tree_of(h.home)) {
                CAPTURE(path);
                CHECK((path == ".bashrc" || path_within("/" + path, "/.config")));
        }
        check_one_op_per_destination(*r);
}

TEST_CASE("without a writable bind of the host, nothing is protected and nothing made") {
        TempDir t;
        REQUIRE_HOLDS(!t.path.empty());
        Host h = fake_host(t);
        REQUIRE_HOLDS(make_file(h.home + "/.bashrc"));
        REQUIRE_HOLDS(make_dir(t / "other", 0755));
        auto before = tree_of(t.path);

        Profile ephemeral;
        Profile read_only;
        read_only.mounts = {bind(h.home, h.home, true)};
        Profile unrelated; // writable, but of nothing protected
        unrelated.mounts = {bind(t / "other", "/other", false)};
        Profile tpl;
        tpl.home = HomeMode::Template;
        tpl.home_template = t / "other";
        for (auto* p : {&ephemeral, &read_only, &unrelated, &tpl}) {
                auto r = plan_for(*p, h);
                REQUIRE_OK(r);
                CHECK(protected_ops(*r).empty());
                for (auto& op : r->mounts)
                        CHECK_FALSE(op.nofollow_dst);
        }
        CHECK(tree_of(t.path) == before);
}

TEST_CASE("a protected path that is a symlink: the link is covered and its target protected") {
        TempDir t;
        REQUIRE_HOLDS(!t.path.empty());
        Host h = fake_host(t);
        REQUIRE_HOLDS(make_dir(h.home + "/dotfiles", 0700));
        REQUIRE_HOLDS(make_file(h.home + "/dotfiles/bashrc", "x"));
        REQUIRE_HOLDS(make_dir(h.home + "/dotfiles/ssh", 0700));
        REQUIRE_HOLDS(make_link("dotfiles/bashrc", h.home + "/.bashrc"));
        REQUIRE_HOLDS(make_link(h.home + "/dotfiles/ssh", h.home + "/.ssh"));
        REQUIRE_HOLDS(make_link("dotfiles/gone", h.home + "/.bash_aliases"));
        auto r = plan_for(host_home(), h);
        REQUIRE_OK(r);
        check_one_op_per_destination(*r);

        // A file: the link itself gets the resolved target, mounted on the link.
        auto link = one_at(*r, h.home + "/.bashrc");
        REQUIRE_HOLDS(link);
        CHECK(link->kind == OpKind::Bind);
        CHECK(link->src == h.home + "/dotfiles/bashrc");
        CHECK_FALSE(link->src_is_dir);
        CHECK(link->read_only);
        CHECK(link->nofollow_dst);
        CHECK(link->why == "protected");
        auto target = one_at(*r, h.home + "/dotfiles/bashrc");
        REQUIRE_HOLDS(target);
        CHECK(target->kind == OpKind::Bind);
        CHECK(target->src == h.home + "/dotfiles/bashrc");
        CHECK_FALSE(target->src_is_dir);
        CHECK(target->read_only);
        CHECK(target->nofollow_dst);
        CHECK(target->why == "protected");

        // A directory: protected where it points; a directory cannot be mounted on the link.
        CHECK(ops_at(*r, h.home + "/.ssh").empty());
        auto ssh = one_at(*r, h.home + "/dotfiles/ssh");
        REQUIRE_HOLDS(ssh);
        CHECK(ssh->src == h.home + "/dotfiles/ssh");
        CHECK(ssh->src_is_dir);
        CHECK(ssh->why == "protected");

        // Dangling: an empty read-only file on the link; nothing is made where it points.
        auto dangling = one_at(*r, h.home + "/.bash_aliases");
        REQUIRE_HOLDS(dangling);
        CHECK(dangling->kind == OpKind::File);
        CHECK(dangling->src == "");
        CHECK_FALSE(dangling->src_is_dir);
        CHECK(dangling->read_only);
        CHECK(dangling->nofollow_dst);
        CHECK(dangling->why == "protected");
        CHECK_FALSE(exists(h.home + "/dotfiles/gone"));
        CHECK(S_ISLNK(mode_of(h.home + "/.bash_aliases")));
}

TEST_CASE("a writable bind of the host root elsewhere: protected below the place it shows") {
        TempDir t;
        REQUIRE_HOLDS(!t.path.empty());
        Host h = fake_host(t);
        REQUIRE_HOLDS(make_file(h.home + "/.bashrc"));
        Profile p;
        p.mounts = {bind("/", "/host", false)};
        auto r = plan_for(p, h);
        REQUIRE_OK(r);
        auto bashrc = one_at(*r, "/host" + h.home + "/.bashrc");
        REQUIRE_HOLDS(bashrc);
        CHECK(bashrc->src == h.home + "/.bashrc");
        CHECK(bashrc->why == "protected");
        CHECK(bashrc->read_only);
        CHECK(ops_at(*r, h.home + "/.bashrc").empty()); // the home itself is a tmpfs
        for (auto* op : protected_ops(*r))
                CHECK(path_within(op->dst, "/host" + h.home));
}

TEST_CASE("sandbox's own configuration reached through a symlink, with the home writable") {
        TempDir t;
        REQUIRE_HOLDS(!t.path.empty());
        Host h = fake_host(t);
        REQUIRE_HOLDS(make_dir(h.home + "/.config", 0700));
        REQUIRE_HOLDS(make_dir(h.home + "/dotfiles", 0700) && make_dir(h.home + "/dotfiles/sandbox", 0700));
        REQUIRE_HOLDS(make_link("../dotfiles/sandbox", h.home + "/.config/sandbox"));
        // Protected where it points (a directory cannot be mounted on the link).
        auto r = plan_for(host_home(), h);
        REQUIRE_OK(r);
        auto own = one_at(*r, h.home + "/dotfiles/sandbox");
        REQUIRE_HOLDS(own);
        CHECK(own->why == "protected");
        CHECK(own->read_only);
        CHECK(own->src_is_dir);
        CHECK(ops_at(*r, h.home + "/.config/sandbox").empty());
        // And where it points cannot be made writable either.
        Profile p = host_home();
        p.mounts = {bind(h.home + "/dotfiles/sandbox", "/x", false, "p.toml", 5, 2)};
        CHECK(error_of(plan_for(p, h)) == "p.toml:5:2" + own_config_refusal);
}

// With the home a tmpfs too: when $XDG_CONFIG_HOME/sandbox is a symlink (a dotfiles
// repository), a writable bind of the directory it points to is refused, as with a host home.
TEST_CASE("sandbox's own configuration through a symlink cannot be made writable in an ephemeral home") {
        TempDir t;
        REQUIRE_HOLDS(!t.path.empty());
        Host h = fake_host(t);
        REQUIRE_HOLDS(make_dir(h.home + "/.config", 0700));
        REQUIRE_HOLDS(make_dir(h.home + "/dotfiles", 0700) && make_dir(h.home + "/dotfiles/sandbox", 0700));
        REQUIRE_HOLDS(make_link("../dotfiles/sandbox", h.home + "/.config/sandbox"));
        Profile p;
        p.mounts = {bind(h.home + "/dotfiles/sandbox", "/x", false, "p.toml", 5, 2)};
        CHECK(error_of(plan_for(p, h)) == "p.toml:5:2" + own_config_refusal);
        // Through the link itself, followed on request: the same directory.
        MountEntry via_link = bind(h.home + "/.config/sandbox", "/x", false, "p.toml", 6, 2);
        via_link.follow = true;
        p.mounts = {via_link};
        CHECK(error_of(plan_for(p, h)) == "p.toml:6:2" + own_config_refusal);
}

// A protected file that links elsewhere is protected where it points even when only that is
// exposed (read_write = ["~/dotfiles"] in an ephemeral home): host shells read it there.
TEST_CASE("where a protected link points is protected when only that is bound writable") {
        TempDir t;
        REQUIRE_HOLDS(!t.path.empty());
        Host h = fake_host(t);
        REQUIRE_HOLDS(make_dir(h.home + "/dotfiles", 0700));
        REQUIRE_HOLDS(make_file(h.home + "/dotfiles/bashrc", "x"));
        REQUIRE_HOLDS(make_link("dotfiles/bashrc", h.home + "/.bashrc"));
        Profile p;
        p.mounts = {bind(h.home + "/dotfiles", h.home + "/dotfiles", false)};
        auto r = plan_for(p, h);
        REQUIRE_OK(r);
        auto target = one_at(*r, h.home + "/dotfiles/bashrc");
        REQUIRE_HOLDS(target);
        CHECK(target->why == "protected");
        CHECK(target->read_only);
}

// --- filesystem.home = "template" ------------------------------------------------------------

TEST_CASE("home = template: an overlay of the template at the home, with a tmpfs upper") {
        TempDir t;
        REQUIRE_HOLDS(!t.path.empty());
        REQUIRE_HOLDS(make_dir(t / "tpl", 0755));
        Profile p;
        p.home = HomeMode::Template;
        p.home_template = t / "tpl";
        auto r = plan_for(p);
        REQUIRE_OK(r);
        auto home = one_at(*r, "/home/u");
        REQUIRE_HOLDS(home);
        CHECK(home->kind == OpKind::Overlay);
        CHECK(home->lowers == std::vector<std::string>{t / "tpl"});
        CHECK(home->upper_dir == "");
        CHECK(home->work_dir == "");
        CHECK_FALSE(home->read_only);
        CHECK(home->why == "home: command line");
        CHECK(r->root_read_only);
        check_one_op_per_destination(*r);
        CHECK(tree_of(t / "tpl").empty()); // the template itself is left alone

        p.origins["filesystem.home"] = Origin{"p.toml", 2, 8};
        auto o = plan_for(p);
        REQUIRE_OK(o);
        auto oh = one_at(*o, "/home/u");
        REQUIRE_HOLDS(oh);
        CHECK(oh->why == "home: p.toml:2:8");
}

TEST_CASE("home = template: a missing template or a file is an error naming it") {
        TempDir t;
        REQUIRE_HOLDS(!t.path.empty());
        Profile p;
        p.home = HomeMode::Template;
        p.home_template = t / "missing";
        auto r = plan_for(p);
        CHECK(error_of(r) ==
              "command line: overlay layer '" + t / "missing" + "': No such file or directory");
        if (!r)
                CHECK(r.error().errnum == ENOENT);

        p.origins["filesystem.home"] = Origin{"p.toml", 2, 8};
        p.origins["filesystem.template"] = Origin{"p.toml", 3, 12};
        CHECK(error_of(plan_for(p)) ==
              "p.toml:3:12: overlay layer '" + t / "missing" + "': No such file or directory");

        REQUIRE_HOLDS(make_file(t / "file"));
        p.home_template = t / "file";
        CHECK(error_of(plan_for(p)) == "p.toml:3:12: overlay layer '" + t / "file" + "': not a directory");
}

// --- filesystem.root ------------------------------------------------------------------------

TEST_CASE("filesystem.root: an overlay at '/' first, layers bottom first") {
        TempDir t;
        REQUIRE_HOLDS(!t.path.empty());
        REQUIRE_HOLDS(make_dir(t / "a") && make_dir(t / "b"));
        REQUIRE_HOLDS(make_dir(t / "a/proc") && make_dir(t / "a/dev") && make_dir(t / "a/sys"));
        Profile p;
        p.root = {t / "a", t / "b"};
        auto r = plan_for(p);
        REQUIRE_OK(r);
        REQUIRE_HOLDS(!r->mounts.empty());
        const MountOp& root = r->mounts[0];
        CHECK(root.dst == "/");
        CHECK(root.kind == OpKind::Overlay);
        CHECK(root.lowers == std::vector<std::string>{t / "a", t / "b"});
        CHECK(root.upper_dir == "");
        CHECK(root.work_dir == "");
        CHECK_FALSE(root.read_only);
        CHECK_FALSE(r->root_read_only);
        CHECK(root.why == "root: command line");
        CHECK(ops_at(*r, "/").size() == 1);
        check_sorted(*r);
        check_one_op_per_destination(*r);

        p.origins["filesystem.root"] = Origin{"p.toml", 3, 8};
        p.root_upper = "tmpfs";
        auto tmpfs = plan_for(p);
        REQUIRE_OK(tmpfs);
        CHECK_FALSE(tmpfs->root_read_only);
        CHECK_FALSE(tmpfs->mounts[0].read_only);
        CHECK(tmpfs->mounts[0].why == "root: p.toml:3:8");

        // "none": still an overlay (its tmpfs upper holds the mount points), read-only.
        p.root_upper = "none";
        auto none = plan_for(p);
        REQUIRE_OK(none);
        CHECK(none->root_read_only);
        CHECK(none->mounts[0].kind == OpKind::Overlay);
        CHECK(none->mounts[0].read_only);
        CHECK(none->mounts[0].upper_dir == "");

        // One layer and "none": an overlay all the same, not a bind of the layer.
        p.root = {t / "b"};
        auto single = plan_for(p);
        REQUIRE_OK(single);
        CHECK(single->mounts[0].dst == "/");
        CHECK(single->mounts[0].kind == OpKind::Overlay);
        CHECK(single->mounts[0].lowers == std::vector<std::string>{t / "b"});
        CHECK(single->root_read_only);

        // Without a root: no overlay at '/', and the root is read-only.
        auto plain = plan_for(Profile{});
        REQUIRE_OK(plain);
        CHECK(ops_at(*plain, "/").empty());
        CHECK(plain->root_read_only);
}

TEST_CASE("filesystem.root_upper = persistent: the profile's store, made 0700") {
        TempDir t;
        REQUIRE_HOLDS(!t.path.empty());
        REQUIRE_HOLDS(make_dir(t / "a"));
        Host h = make_host();
        h.uid = geteuid(); // the store must be the user's
        h.env.push_back("XDG_DATA_HOME=" + t / "data");
        Profile p;
        p.name = "t";
        p.root = {t / "a"};
        p.root_upper = "persistent";
        auto r = plan_for(p, h);
        REQUIRE_OK(r);
        const MountOp& root = r->mounts[0];
        CHECK(root.dst == "/");
        CHECK(root.upper_dir == t / "data/sandbox/roots/t/upper");
        CHECK(root.work_dir == t / "data/sandbox/roots/t/work");
        CHECK_FALSE(r->root_read_only);
        CHECK(mode_of(root.upper_dir) == (S_IFDIR | 0700));
        CHECK(mode_of(root.work_dir) == (S_IFDIR | 0700));
}

TEST_CASE("filesystem.root: a layer whose /proc, /dev or /sys is not a directory is refused") {
        TempDir t;
        REQUIRE_HOLDS(!t.path.empty());
        REQUIRE_HOLDS(make_dir(t / "good") && make_dir(t / "elsewhere"));
        int n = 0;
        for (const char* top : {"proc", "dev", "sys"}) {
                for (bool link : {true, false}) {
                        CAPTURE(top);
                        CAPTURE(link);
                        std::string layer = t / ("bad" + std::to_string(n++));
                        REQUIRE_HOLDS(make_dir(layer));
                        std::string path = layer + "/" + top;
                        REQUIRE_HOLDS(link ? make_link(t / "elsewhere", path) : make_file(path));
                        Profile p;
                        p.root = {t / "good", layer}; // every layer is checked, not only the first
                        p.origins["filesystem.root"] = Origin{"p.toml", 3, 8};
                        CHECK(error_of(plan_for(p)) == "p.toml:3:8: filesystem.root: '" + path + "' is " +
                                                           (link ? "a symlink" : "a file") +
                                                           ", not a directory; refusing a root whose /" +
                                                           top + " is not a plain directory");
                        Profile c;
                        c.root = {layer};
                        CHECK_CONTAINS(error_of(plan_for(c)),
                                       link ? "is a symlink, not a directory" : "is a file");
                }
        }
}

TEST_CASE("filesystem.root: a missing layer is an error with ENOENT naming it") {
        TempDir t;
        REQUIRE_HOLDS(!t.path.empty());
        Profile p;
        p.root = {t / "missing"};
        auto r = plan_for(p);
        CHECK_CONTAINS(error_of(r), "overlay layer '" + t / "missing" + "': No such file or directory");
        if (!r)
                CHECK(r.error().errnum == ENOENT);
}

// Errors about filesystem.root begin with the origin of the key ("p.toml:3:8:
// filesystem.root: ..."), as do those of the profile loader, a missing layer's included.
TEST_CASE("filesystem.root: a missing layer's error begins with the origin of the key") {
        TempDir t;
        REQUIRE_HOLDS(!t.path.empty());
        Profile p;
        p.root = {t / "missing"};
        p.origins["filesystem.root"] = Origin{"p.toml", 3, 8};
        auto e = error_of(plan_for(p));
        CHECK(e == "p.toml:3:8: filesystem.root: overlay layer '" + t / "missing" +
                       "': No such file or directory");
}

TEST_CASE("filesystem.root: /usr bound from the host brings no usr-merge companions") {
        TempDir t;
        REQUIRE_HOLDS(!t.path.empty());
        REQUIRE_HOLDS(make_dir(t / "a"));
        Profile p;
        p.root = {t / "a"};
        p.mounts = {bind("/usr", "/usr")};
        auto r = plan_for(p);
        REQUIRE_OK(r);
        CHECK(one_at(*r, "/usr"));
        for (const char* top : {"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"}) {
                CAPTURE(top);
                CHECK(ops_at(*r, top).empty());
        }
}

// --- Mount points made in an overlay's upper --------------------------------------------------

TEST_CASE("precreate: the mount points below an overlay, stopped by a non-directory of a layer") {
        TempDir t;
        REQUIRE_HOLDS(!t.path.empty());
        std::string layer = t / "layer";
        REQUIRE_HOLDS(make_dir(layer) && make_dir(layer + "/home") && make_dir(layer + "/etc"));
        REQUIRE_HOLDS(make_link(t / "elsewhere", layer + "/run"));
        REQUIRE_HOLDS(make_file(layer + "/srv"));
        Host h = make_host();
        h.env.push_back("XDG_RUNTIME_DIR=/run/user/1000");
        Profile p;
        p.root = {layer};
        p.mounts = {file_entry("/etc/motd", "hello\n"), bind("/etc/passwd", "/x/y/passwd"),
                    bind("/usr", "/srv/usr"), bind("/etc", "/opt/etc")};
        auto r = plan_for(p, h);
        REQUIRE_OK(r);
        REQUIRE_HOLDS(!r->mounts.empty());
        const MountOp& root = r->mounts[0];
        REQUIRE_HOLDS(root.dst == "/");
        // The home tmpfs at /home/u: "home" and "home/u"; a file's mount point only its parents;
        // nothing at or below the link /run or the file /srv; /dev/null is below /dev's tmpfs.
        CHECK(root.precreate == std::vector<std::string>{"dev", "etc", "home", "home/u", "opt", "opt/etc",
                                                         "proc", "tmp", "x", "x/y"});
        for (auto& d : root.precreate) {
                CAPTURE(d);
                CHECK_FALSE(path_within("/" + d, "/run"));
                CHECK_FALSE(path_within("/" + d, "/srv"));
        }
        // Only overlays get any.
        for (auto& op : r->mounts)
                if (op.kind != OpKind::Overlay)
                        CHECK(op.precreate.empty());
        CHECK(ops_at(*r, "/run/user/1000").size() == 1);
}

TEST_CASE("precreate: the topmost layer that has a path decides what it is") {
        TempDir t;
        REQUIRE_HOLDS(!t.path.empty());
        std::string dirs = t / "dirs", links = t / "links";
        REQUIRE_HOLDS(make_dir(dirs) && make_dir(dirs + "/run") && make_dir(links));
        REQUIRE_HOLDS(make_link(t / "elsewhere", links + "/run"));
        Host h = make_host();
        h.env.push_back("XDG_RUNTIME_DIR=/run/user/1000");
        auto precreate_of = [&](std::vector<std::string> layers) {
                Profile p;
                p.root = std::move(layers);
                auto r = plan_for(p, h);
                return r && !r->mounts.empty() ? r->mounts[0].precreate
                                               : std::vector<std::string>{"<" + error_of(r) + ">"};
        };
        auto link_on_top = precreate_of({dirs, links});
        CHECK(std::none_of(link_on_top.begin(), link_on_top.end(),
                           [](const std::string& d) { return path_within("/" + d, "/run"); }));
        auto dir_on_top = precreate_of({links, dirs});
        for (const char* d : {"run", "run/user", "run/user/1000"}) {
                CAPTURE(d);
                CHECK(std::count(dir_on_top.begin(), dir_on_top.end(), d) == 1);
        }
}

TEST_CASE("precreate: mount points below an overlay of filesystem.overlay") {
        TempDir t;
        REQUIRE_HOLDS(!t.path.empty());
        REQUIRE_HOLDS(make_dir(t / "lower") && make_dir(t / "lower/sub"));
        Profile p;
        p.overlays = {overlay({t / "lower"}, "/srv/o")};
        p.mounts = {bind("/usr", "/srv/o/sub/usr"), bind("/etc", "/srv/o/new")};
        auto r = plan_for(p);
        REQUIRE_OK(r);
        auto o = one_at(*r, "/srv/o");
        REQUIRE_HOLDS(o);
        CHECK(o->kind == OpKind::Overlay);
        CHECK(o->precreate == std::vector<std::string>{"new", "sub", "sub/usr"});
}

// --- filesystem.overlay and [[mount]] type = "overlay" ---------------------------------------

TEST_CASE("overlays: layers bottom first, a tmpfs upper") {
        TempDir t;
        REQUIRE_HOLDS(!t.path.empty());
        REQUIRE_HOLDS(make_dir(t / "a") && make_dir(t / "b"));
        Profile p;
        p.mounts = {bind("/usr", "/srv/x")}; // replaced by the overlay of the same destination
        p.overlays = {overlay({t / "a", t / "b"}, "/srv/x", "tmpfs", false, "p.toml", 7, 3)};
        auto r = plan_for(p);
        REQUIRE_OK(r);
        auto o = one_at(*r, "/srv/x");
        REQUIRE_HOLDS(o);
        CHECK(o->kind == OpKind::Overlay);
        CHECK(o->lowers == std::vector<std::string>{t / "a", t / "b"});
        CHECK(o->upper_dir == "");
        CHECK(o->work_dir == "");
        CHECK_FALSE(o->read_only);
        CHECK(o->why == "p.toml:7:3");
        CHECK(o->origin.str() == "p.toml:7:3");
        CHECK(protected_ops(*r).empty()); // an overlay is no writable bind of the host
        check_one_op_per_destination(*r);
        CHECK(describe_plan(*r).find("overlay '/srv/x' of '" + t / "a" + "', '" + t / "b" +
                                     "', upper tmpfs  [p.toml:7:3]\n") != std::string::npos);
}

TEST_CASE("overlays: upper = none is a read-only bind of one layer, a read-only overlay of two") {
        TempDir t;
        REQUIRE_HOLDS(!t.path.empty());
        REQUIRE_HOLDS(make_dir(t / "a") && make_dir(t / "b"));
        Profile one;
        one.overlays = {overlay({t / "a"}, "/srv/x", "none", false, "p.toml", 7, 3)};
        auto r1 = plan_for(one);
        REQUIRE_OK(r1);
        auto b = one_at(*r1, "/srv/x");
        REQUIRE_HOLDS(b);
        CHECK(b->kind == OpKind::Bind);
        CHECK(b->src == t / "a");
        CHECK(b->src_is_dir);
        CHECK(b->read_only);
        CHECK(b->why == "p.toml:7:3");
        CHECK(b->lowers.empty());

        Profile two;
        two.overlays = {overlay({t / "a", t / "b"}, "/srv/x", "none")};
        auto r2 = plan_for(two);
        REQUIRE_OK(r2);
        auto o = one_at(*r2, "/srv/x");
        REQUIRE_HOLDS(o);
        CHECK(o->kind == OpKind::Overlay);
        CHECK(o->lowers == std::vector<std::string>{t / "a", t / "b"});
        CHECK(o->read_only);
        CHECK(o->upper_dir == "");
}

TEST_CASE("overlays: a missing layer is skipped when optional, else an error with ENOENT") {
        TempDir t;
        REQUIRE_HOLDS(!t.path.empty());
        REQUIRE_HOLDS(make_dir(t / "a"));
        Profile opt;
        opt.overlays = {overlay({t / "a", t / "missing"}, "/srv/x", "tmpfs", true),
                        overlay({t / "a"}, "/srv/y")};
        auto r = plan_for(opt);
        REQUIRE_OK(r);
        CHECK(ops_at(*r, "/srv/x").empty());
        CHECK(one_at(*r, "/srv/y"));

        Profile req;
        req.overlays = {overlay({t / "a", t / "missing"}, "/srv/x", "tmpfs", false, "p.toml", 7, 3)};
        auto e = plan_for(req);
        CHECK(error_of(e) == "p.toml:7:3: overlay layer '" + t / "missing" + "': No such file or directory");
        if (!e)
                CHECK(e.error().errnum == ENOENT);

        // optional excuses only a missing layer.
        REQUIRE_HOLDS(make_file(t / "file"));
        Profile file;
        file.overlays = {overlay({t / "file"}, "/srv/x", "tmpfs", true, "p.toml", 7, 3)};
        CHECK(error_of(plan_for(file)) == "p.toml:7:3: overlay layer '" + t / "file" + "': not a directory");
        file.overlays[0].optional = false;
        file.overlays[0].origin = Origin{};
        CHECK(error_of(plan_for(file)) ==
              "command line: overlay layer '" + t / "file" + "': not a directory");
}

TEST_CASE("overlays: one at '/' is refused") {
        TempDir t;
        REQUIRE_HOLDS(!t.path.empty());
        REQUIRE_HOLDS(make_dir(t / "a"));
        Profile p;
        p.overlays = {overlay({t / "a"}, "/", "tmpfs", false, "p.toml", 7, 3)};
        CHECK(error_of(plan_for(p)) == "p.toml:7:3: an overlay at '/' is filesystem.root");
}

TEST_CASE("overlays: a persistent upper is the profile's store, made 0700") {
        TempDir t;
        REQUIRE_HOLDS(!t.path.empty());
        REQUIRE_HOLDS(make_dir(t / "a"));
        Host h = make_host();
        h.uid = geteuid(); // the store must be the user's
        h.env.push_back("XDG_DATA_HOME=" + t / "data");
        Profile p;
        p.name = "t";
        p.overlays = {overlay({t / "a"}, "/srv/x", "persistent"),
                      overlay({t / "a"}, "/srv/50%", "persistent")};
        auto r = plan_for(p, h);
        REQUIRE_OK(r);
        auto o = one_at(*r, "/srv/x");
        REQUIRE_HOLDS(o);
        CHECK(o->kind == OpKind::Overlay);
        CHECK(o->lowers == std::vector<std::string>{t / "a"});
        CHECK_FALSE(o->read_only);
        std::string store = t / "data/sandbox/overlays/t/%2Fsrv%2Fx";
        CHECK(o->upper_dir == store + "/upper");
        CHECK(o->work_dir == store + "/work");
        for (std::string d : {t / "data", t / "data/sandbox", t / "data/sandbox/overlays",
                              t / "data/sandbox/overlays/t", store, store + "/upper", store + "/work"}) {
                CAPTURE(d);
                CHECK(mode_of(d) == (S_IFDIR | 0700));
        }
        auto pct = one_at(*r, "/srv/50%");
        REQUIRE_HOLDS(pct);
        CHECK(pct->upper_dir == t / "data/sandbox/overlays/t/%2Fsrv%2F50%25/upper");
        CHECK(describe_plan(*r).find("overlay '/srv/x' of '" + t / "a" + "', upper '" + store + "/upper'") !=
              std::string::npos);

        // A profile name that cannot name a store.
        Profile bad = p;
        bad.name = "command line";
        CHECK(error_of(plan_for(bad, h)) ==
              "command line: the profile name 'command line' cannot name a store for a persistent upper");
}

// --- Symlinks in sources ----------------------------------------------------------------------

TEST_CASE("sources: a symlink in a directory only root can write is followed") {
        TempDir t;
        REQUIRE_HOLDS(!t.path.empty());
        REQUIRE_HOLDS(make_dir(t / "target"));
        std::string trusted = trusted_dir(t, "trusted");
        if (!trusted.empty()) {
                REQUIRE_HOLDS(make_link(t / "target", trusted + "/abs"));
                REQUIRE_HOLDS(make_link("../target", trusted + "/rel"));
                for (std::string link : {trusted + "/abs", trusted + "/rel"}) {
                        CAPTURE(link);
                        Profile p;
                        p.mounts = {bind(link, "/x")};
                        auto r = plan_for(p);
                        REQUIRE_OK(r);
                        auto op = one_at(*r, "/x");
                        REQUIRE_HOLDS(op);
                        CHECK(op->kind == OpKind::Bind);
                        CHECK(op->src == t / "target");
                        CHECK(op->src_is_dir);
                }
        } else {
                MESSAGE("not root: no directory of root's can be made for a symlink");
        }

        // A system link, where there is one in a directory of root's that only root can write.
        std::string sys_link, sys_real;
        for (const char* cand : {"/bin", "/sbin", "/lib", "/lib64", "/etc/mtab", "/etc/localtime"}) {
                struct stat ls, ps;
                char real[PATH_MAX];
                if (lstat(cand, &ls) < 0 || !S_ISLNK(ls.st_mode) || !realpath(cand, real))
                        continue;
                if (stat(parent_dir(cand).c_str(), &ps) < 0 || ps.st_uid != 0 || (ps.st_mode & 022))
                        continue;
                sys_link = cand;
                sys_real = real;
                break;
        }
        if (sys_link.empty()) {
                MESSAGE("no system symlink in a directory of root's (not a merged-usr system)");
                return;
        }
        CAPTURE(sys_link);
        Profile p;
        p.mounts = {bind(sys_link, "/x")};
        auto r = plan_for(p);
        REQUIRE_OK(r);
        auto op = one_at(*r, "/x");
        REQUIRE_HOLDS(op);
        CHECK(op->src == sys_real);
}

TEST_CASE("sources: a symlink in a directory others can write is refused; follow = true follows it") {
        TempDir t;
        REQUIRE_HOLDS(!t.path.empty());
        REQUIRE_HOLDS(make_dir(t / "target") && make_file(t / "target/file", "x"));
        struct Case {
                const char* name;
                mode_t mode;
        };
        for (Case c : {Case{"world", 0777}, Case{"group", 0775}, Case{"other-owner", 0755}}) {
                CAPTURE(c.name);
                std::string dir = untrusted_dir(t, c.name, c.mode);
                REQUIRE_HOLDS(!dir.empty());
                std::string link = dir + "/l";
                REQUIRE_HOLDS(make_link(t / "target", link));

                Profile p;
                p.mounts = {bind(link, "/x", true, "p.toml", 3, 14)};
                auto r = plan_for(p);
                CHECK(error_of(r) == "p.toml:3:14: read-only bind '" + link + "'" + symlink_refusal);
                CHECK_CONTAINS(error_of(r), "is a symlink in a directory that not only root can write");
                // optional excuses only a missing source.
                p.mounts[0].optional = true;
                CHECK(error_of(plan_for(p)) ==
                      "p.toml:3:14: read-only bind '" + link + "'" + symlink_refusal);

                Profile rw;
                rw.mounts = {bind(link, "/x", false)};
                CHECK(error_of(plan_for(rw)) == "command line: bind '" + link + "'" + symlink_refusal);

                // A symlinked parent: the message names the path and the link.
                std::string below = link + "/file";
                Profile parent;
                parent.mounts = {bind(below, "/x", true, "p.toml", 3, 14)};
                CHECK(error_of(plan_for(parent)) ==
                      "p.toml:3:14: read-only bind '" + below + "': '" + link + "'" + symlink_refusal);

                // follow = true: followed, to the resolved target.
                Profile f;
                f.mounts = {bind(link, "/x"), bind(below, "/y")};
                f.mounts[0].follow = true;
                f.mounts[1].follow = true;
                auto rf = plan_for(f);
                REQUIRE_OK(rf);
                auto x = one_at(*rf, "/x");
                auto y = one_at(*rf, "/y");
                REQUIRE_HOLDS(x && y);
                CHECK(x->src == t / "target");
                CHECK(x->src_is_dir);
                CHECK(y->src == t / "target/file");
                CHECK_FALSE(y->src_is_dir);
        }
}

TEST_CASE("sources: followed links that lead nowhere, or round in circles") {
        TempDir t;
        REQUIRE_HOLDS(!t.path.empty());
        std::string dir = untrusted_dir(t, "w", 0777);
        REQUIRE_HOLDS(!dir.empty());
        REQUIRE_HOLDS(make_link(dir + "/gone", dir + "/dangling"));
        REQUIRE_HOLDS(make_link("loop2", dir + "/loop1") && make_link("loop1", dir + "/loop2"));

        MountEntry dangling = bind(dir + "/dangling", "/x");
        dangling.follow = true;
        Profile p;
        p.mounts = {dangling};
        auto r = plan_for(p);
        CHECK(error_of(r) ==
              "command line: read-only bind '" + dir + "/dangling': No such file or directory");
        if (!r)
                CHECK(r.error().errnum == ENOENT);
        // Optional and missing at the end of the link: skipped.
        p.mounts[0].optional = true;
        auto ro = plan_for(p);
        REQUIRE_OK(ro);
        CHECK(ops_at(*ro, "/x").empty());

        MountEntry loop = bind(dir + "/loop1", "/x");
        loop.follow = true;
        Profile l;
        l.mounts = {loop};
        auto rl = plan_for(l);
        CHECK_CONTAINS(error_of(rl), "'" + dir + "/loop1'");
        if (!rl)
                CHECK(rl.error().errnum == ELOOP);
}

TEST_CASE("sources: overlay layers and the template are checked for symlinks too") {
        TempDir t;
        REQUIRE_HOLDS(!t.path.empty());
        REQUIRE_HOLDS(make_dir(t / "target"));
        std::string dir = untrusted_dir(t, "w", 0777);
        REQUIRE_HOLDS(!dir.empty());
        std::string link = dir + "/l";
        REQUIRE_HOLDS(make_link(t / "target", link));

        Profile ov;
        ov.overlays = {overlay({link}, "/srv/x", "tmpfs", false, "p.toml", 7, 3)};
        CHECK(error_of(plan_for(ov)) == "p.toml:7:3: overlay layer '" + link + "'" + symlink_refusal);

        Profile tpl;
        tpl.home = HomeMode::Template;
        tpl.home_template = link;
        CHECK(error_of(plan_for(tpl)) == "command line: overlay layer '" + link + "'" + symlink_refusal);

        Profile root;
        root.root = {link};
        CHECK_CONTAINS(error_of(plan_for(root)), "overlay layer '" + link + "'" + symlink_refusal);
}

// --- The fuse-overlayfs fallback ------------------------------------------------------------

TEST_CASE("fuse-overlayfs: looked for only when an overlay is planned") {
        TempDir t;
        REQUIRE_HOLDS(!t.path.empty());
        REQUIRE_HOLDS(make_dir(t / "a"));
        const std::string fuse = installed_fuse_overlayfs();
        CAPTURE(fuse);

        Host h = make_host();
        h.env.push_back("SANDBOX_OVERLAY=fuse");
        auto none = plan_for(Profile{}, h);
        REQUIRE_OK(none);
        CHECK(none->fuse_overlayfs == "");
        CHECK_FALSE(none->force_fuse);

        // upper = none of one layer is a bind: no overlay either.
        Profile bind_only;
        bind_only.overlays = {overlay({t / "a"}, "/srv/x", "none")};
        auto rb = plan_for(bind_only, h);
        REQUIRE_OK(rb);
        CHECK(rb->fuse_overlayfs == "");
        CHECK_FALSE(rb->force_fuse);

        Profile p;
        p.overlays = {overlay({t / "a"}, "/srv/x")};
        auto r = plan_for(p, h);
        REQUIRE_OK(r);
        CHECK(r->fuse_overlayfs == fuse);
        CHECK(r->force_fuse);
        CHECK(r->scratch_dir == "/tmp");

        // The root, the template home: overlays too.
        Profile root;
        root.root = {t / "a"};
        auto rr = plan_for(root);
        REQUIRE_OK(rr);
        CHECK(rr->fuse_overlayfs == fuse);
        CHECK(rr->mounts[0].fuse_ok);
        Profile tpl;
        tpl.home = HomeMode::Template;
        tpl.home_template = t / "a";
        auto rt = plan_for(tpl);
        REQUIRE_OK(rt);
        CHECK(rt->fuse_overlayfs == fuse);
}

TEST_CASE("fuse-overlayfs: SANDBOX_OVERLAY=fuse asks for it first; the scratch directory") {
        TempDir t;
        REQUIRE_HOLDS(!t.path.empty());
        REQUIRE_HOLDS(make_dir(t / "a"));
        Profile p;
        p.overlays = {overlay({t / "a"}, "/srv/x")};
        auto force_with = [&](const char* env) {
                Host h = make_host();
                if (env)
                        h.env.push_back(env);
                auto r = plan_for(p, h);
                return r && r->force_fuse;
        };
        CHECK(force_with("SANDBOX_OVERLAY=fuse"));
        CHECK_FALSE(force_with(nullptr));
        CHECK_FALSE(force_with("SANDBOX_OVERLAY=kernel"));
        CHECK_FALSE(force_with("SANDBOX_OVERLAY="));
        CHECK_FALSE(force_with("SANDBOX_OVERLAY=FUSE"));

        Host h = make_host();
        h.env.push_back("XDG_RUNTIME_DIR=/run/user/1000/");
        auto r = plan_for(p, h);
        REQUIRE_OK(r);
        CHECK(r->scratch_dir == "/run/user/1000");
}

TEST_CASE(
    "fuse-overlayfs: an overlay whose paths hold a comma, a colon or a backslash cannot be given to it") {
        TempDir t;
        REQUIRE_HOLDS(!t.path.empty());
        REQUIRE_HOLDS(make_dir(t / "plain"));
        for (const char* name : {"a,b", "a:b", "a\\b"}) {
                CAPTURE(name);
                REQUIRE_HOLDS(make_dir(t / name));
                Profile p;
                p.overlays = {overlay({t / "plain", t / name}, "/srv/bad"),
                              overlay({t / "plain"}, "/srv/good")};
                auto r = plan_for(p);
                REQUIRE_OK(r);
                auto bad = one_at(*r, "/srv/bad");
                auto good = one_at(*r, "/srv/good");
                REQUIRE_HOLDS(bad && good);
                CHECK(bad->lowers.back() == t / name);
                CHECK_FALSE(bad->fuse_ok);
                CHECK(good->fuse_ok);
        }
        // The persistent upper's path counts too: the destination names the store.
        Host h = make_host();
        h.uid = geteuid();
        h.env.push_back("XDG_DATA_HOME=" + t / "data");
        Profile p;
        p.name = "t";
        p.overlays = {overlay({t / "plain"}, "/srv/a:b", "persistent"),
                      overlay({t / "plain"}, "/srv/c", "persistent")};
        auto r = plan_for(p, h);
        REQUIRE_OK(r);
        auto colon = one_at(*r, "/srv/a:b");
        auto plain = one_at(*r, "/srv/c");
        REQUIRE_HOLDS(colon && plain);
        CHECK(colon->upper_dir == t / "data/sandbox/overlays/t/%2Fsrv%2Fa:b/upper");
        CHECK_FALSE(colon->fuse_ok);
        CHECK(plain->fuse_ok);
}
