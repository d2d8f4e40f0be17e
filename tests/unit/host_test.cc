// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests of the pure parts of host.h (Host::getenv, make_vars) and profile_load.h (is_profile_path).
#include "host.h"
#include "profile_load.h"
#include "unit.h"

using namespace sb;

namespace {

Host make_host() {
        Host h;
        h.uid = 1000;
        h.gid = 1000;
        h.user = "u";
        h.home = "/home/u";
        h.cwd = "/work";
        h.env = {"PATHX=wrong",
                 "PATH=/usr/bin",
                 "EMPTY=",
                 "XDG_CONFIG_HOME=/cfg",
                 "XDG_DATA_HOME=relative",
                 "XDG_RUNTIME_DIR=/run/user/1000",
                 "A=first",
                 "A=second"};
        return h;
}

} // namespace

TEST_CASE("Host::getenv matches the whole name") {
        Host h = make_host();
        CHECK(h.getenv("PATH") == "/usr/bin");
        CHECK(h.getenv("PATHX") == "wrong");
        CHECK(h.getenv("PAT") == "");
        CHECK(h.getenv("EMPTY") == "");
        CHECK(h.getenv("MISSING") == "");
        CHECK(h.getenv("A") == "first");
}

TEST_CASE("make_vars: user facts, XDG directories with fallbacks, profile and app") {
        Host h = make_host();
        Vars v = make_vars(h, "firefox", "firefox-esr");
        CHECK(v["HOME"] == "/home/u");
        CHECK(v["UID"] == "1000");
        CHECK(v["USER"] == "u");
        CHECK(v["PWD"] == "/work");
        CHECK(v["XDG_CONFIG_HOME"] == "/cfg");
        CHECK(v["XDG_DATA_HOME"] == "/home/u/.local/share"); // relative values are ignored
        CHECK(v["XDG_CACHE_HOME"] == "/home/u/.cache");
        CHECK(v["XDG_RUNTIME_DIR"] == "/run/user/1000");
        CHECK(v["PROFILE"] == "firefox");
        CHECK(v["APP"] == "firefox-esr");
        CHECK(v["DOWNLOADS"] == "/home/u/Downloads");
        CHECK(v.size() == 18);

        Host bare;
        bare.uid = 42;
        bare.user = "x";
        bare.home = "/h";
        Vars b = make_vars(bare, "p", "");
        CHECK(b["PWD"] == "/h"); // no readable cwd
        CHECK(b["XDG_CONFIG_HOME"] == "/h/.config");
        CHECK(b["XDG_RUNTIME_DIR"] == "/run/user/42");
}

TEST_CASE("user directories: xdg-user-dirs defaults, then the lines of user-dirs.dirs") {
        Vars v;
        add_user_dirs(v, "/home/u", "");
        CHECK(v["DESKTOP"] == "/home/u/Desktop");
        CHECK(v["DOCUMENTS"] == "/home/u/Documents");
        CHECK(v["DOWNLOADS"] == "/home/u/Downloads");
        CHECK(v["MUSIC"] == "/home/u/Music");
        CHECK(v["PICTURES"] == "/home/u/Pictures");
        CHECK(v["PUBLICSHARE"] == "/home/u/Public");
        CHECK(v["TEMPLATES"] == "/home/u/Templates");
        CHECK(v["VIDEOS"] == "/home/u/Videos");
        CHECK(v.size() == 8);

        const char* file = "# written by xdg-user-dirs-update\n"
                           "XDG_DOWNLOAD_DIR=\"$HOME/T\u00e9l\u00e9chargements\"\n"
                           "XDG_MUSIC_DIR=\"/srv/music/\"\n"
                           "XDG_DESKTOP_DIR=\"$HOME/\"\n"
                           "XDG_VIDEOS_DIR=\"relative/videos\"\n"
                           "XDG_PICTURES_DIR=\"$HOME/$OTHER\"\n"
                           "XDG_DOCUMENTS_DIR=\"$HOME/../etc\"\n"
                           "XDG_UNKNOWN_DIR=\"$HOME/x\"\n"
                           "XDG_TEMPLATES_DIR=\"$HOME/Vorlagen\"";
        Vars w;
        add_user_dirs(w, "/home/u", file);
        CHECK(w["DOWNLOADS"] == "/home/u/T\u00e9l\u00e9chargements");
        CHECK(w["MUSIC"] == "/srv/music");
        CHECK(w["DESKTOP"] == "/home/u/Desktop"); // "$HOME": an unused directory, not the home
        CHECK(w["VIDEOS"] == "/home/u/Videos");       // relative: ignored
        CHECK(w["PICTURES"] == "/home/u/Pictures");   // another variable: ignored
        CHECK(w["DOCUMENTS"] == "/home/u/Documents"); // '..': ignored
        CHECK(w["TEMPLATES"] == "/home/u/Vorlagen");  // the last line, without a newline
        CHECK(w.count("UNKNOWN") == 0);
        CHECK(w.size() == 8);
}

TEST_CASE("is_profile_path tells a file from a profile name") {
        CHECK(is_profile_path("./x.toml"));
        CHECK(is_profile_path("/etc/x"));
        CHECK(is_profile_path("x.toml"));
        CHECK(is_profile_path("dir/x"));
        CHECK_FALSE(is_profile_path("firefox"));
        CHECK_FALSE(is_profile_path("x.local"));
}
