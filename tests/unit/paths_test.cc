// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests of paths.h.
#include "paths.h"
#include "unit.h"

#include <algorithm>

using namespace sb;
using sb::test::error_of;

namespace {

std::string norm(std::string_view p) {
        auto r = normalize_path(p);
        return r ? *r : "ERROR: " + r.error().what();
}

std::string abs_(std::string_view p, std::string_view base) {
        auto r = absolute_path(p, base);
        return r ? *r : "ERROR: " + r.error().what();
}

} // namespace

TEST_CASE("normalize_path collapses //, /./ and a trailing slash") {
        CHECK(norm("/") == "/");
        CHECK(norm("//") == "/");
        CHECK(norm("/.") == "/");
        CHECK(norm("/usr") == "/usr");
        CHECK(norm("/usr/") == "/usr");
        CHECK(norm("//usr//lib///") == "/usr/lib");
        CHECK(norm("/usr/./lib/.") == "/usr/lib");
        CHECK(norm("/a/.b/..c/c..") == "/a/.b/..c/c..");
        CHECK(norm("/with space/\xc3\xa9") == "/with space/\xc3\xa9");
}

TEST_CASE("normalize_path requires an absolute path") {
        CHECK(error_of(normalize_path("")) == "empty path");
        CHECK(error_of(normalize_path("usr")) == "path 'usr' is not absolute");
        CHECK(error_of(normalize_path("./usr")) == "path './usr' is not absolute");
        CHECK(error_of(normalize_path("~/x")) == "path '~/x' is not absolute");
}

TEST_CASE("normalize_path rejects '..' components") {
        CHECK(error_of(normalize_path("/usr/../etc")) == "path '/usr/../etc' has a '..' component");
        CHECK(error_of(normalize_path("/..")) == "path '/..' has a '..' component");
        CHECK(error_of(normalize_path("/a/..")) == "path '/a/..' has a '..' component");
}

TEST_CASE("normalize_path rejects control characters and quotes them in the message") {
        CHECK(error_of(normalize_path("/a\nb")) == "path '/a\\nb' contains a control character");
        CHECK(error_of(normalize_path("/a\x1b[0m")) == "path '/a\\x1b[0m' contains a control character");
        CHECK(error_of(normalize_path("/a\x7f")) == "path '/a\\x7f' contains a control character");
        CHECK(error_of(normalize_path(std::string_view("/a\0b", 4))) ==
              "path '/a\\x00b' contains a control character");
}

TEST_CASE("absolute_path resolves relative paths against the base, lexically") {
        CHECK(abs_("x", "/home/u") == "/home/u/x");
        CHECK(abs_(".", "/home/u") == "/home/u");
        CHECK(abs_("./x/", "/home/u") == "/home/u/x");
        CHECK(abs_("../x", "/home/u") == "/home/x");
        CHECK(abs_("../../../..", "/home/u") == "/");
        CHECK(abs_("a/../b", "/") == "/b");
        CHECK(abs_("/etc//passwd", "/home/u") == "/etc/passwd");
        CHECK(abs_("/usr/../etc", "/home/u") == "/etc");
}

TEST_CASE("absolute_path rejects empty paths and control characters") {
        CHECK(error_of(absolute_path("", "/home/u")) == "empty path");
        CHECK(error_of(absolute_path("a\tb", "/home/u")) == "path 'a\\tb' contains a control character");
}

TEST_CASE("path_within compares whole components") {
        CHECK(path_within("/home/u", "/home/u"));
        CHECK(path_within("/home/u/x", "/home/u"));
        CHECK(path_within("/home/u/x/y", "/home/u"));
        CHECK_FALSE(path_within("/home/uv", "/home/u"));
        CHECK_FALSE(path_within("/home", "/home/u"));
        CHECK_FALSE(path_within("/etc", "/home/u"));
        CHECK(path_within("/", "/"));
        CHECK(path_within("/anything", "/"));
        CHECK_FALSE(path_within("", "/"));
}

TEST_CASE("path_less puts a parent before its children, component by component") {
        CHECK(path_less("/a", "/a/b"));
        CHECK_FALSE(path_less("/a/b", "/a"));
        CHECK(path_less("/", "/a"));
        CHECK_FALSE(path_less("/a", "/a"));
        // '/' sorts after '-' as a byte, but /a/b must stay next to /a.
        CHECK(path_less("/a/b", "/a-b"));
        CHECK_FALSE(path_less("/a-b", "/a/b"));
        CHECK(path_less("/a", "/a-b"));
        CHECK(path_less("/dev/pts", "/dev/shm"));
        CHECK(path_less("/dev/shm", "/home"));

        std::vector<std::string> v = {"/home/u/x", "/a-b", "/home/u", "/a/b/c", "/", "/a", "/home"};
        std::stable_sort(v.begin(), v.end(), [](auto& a, auto& b) { return path_less(a, b); });
        CHECK(v == std::vector<std::string>{"/", "/a", "/a/b/c", "/a-b", "/home", "/home/u", "/home/u/x"});
}

TEST_CASE("split_bind_spec: DST starts at the first ':' followed by '/'") {
        using P = std::pair<std::string, std::string>;
        CHECK(split_bind_spec("a") == P{"a", "a"});
        CHECK(split_bind_spec("/x") == P{"/x", "/x"});
        CHECK(split_bind_spec("a:/b") == P{"a", "/b"});
        CHECK(split_bind_spec("/x:y:/z") == P{"/x:y", "/z"});
        CHECK(split_bind_spec("/x:/y:/z") == P{"/x", "/y:/z"});
        CHECK(split_bind_spec("/x:y") == P{"/x:y", "/x:y"});
        CHECK(split_bind_spec("/x:") == P{"/x:", "/x:"});
        CHECK(split_bind_spec("") == P{"", ""});
}

TEST_CASE("valid_env_name accepts portable names only") {
        CHECK(valid_env_name("PATH"));
        CHECK(valid_env_name("_"));
        CHECK(valid_env_name("lower_case9"));
        CHECK(valid_env_name("LC_ALL"));
        CHECK_FALSE(valid_env_name(""));
        CHECK_FALSE(valid_env_name("9LIVES"));
        CHECK_FALSE(valid_env_name("A-B"));
        CHECK_FALSE(valid_env_name("A=B"));
        CHECK_FALSE(valid_env_name("A B"));
        CHECK_FALSE(valid_env_name("LC_*"));
        CHECK_FALSE(valid_env_name("\xc3\xa9"));
}

TEST_CASE("parent_dir of a normalised path") {
        CHECK(parent_dir("/x") == "/");
        CHECK(parent_dir("/") == "/");
        CHECK(parent_dir("/a/b") == "/a");
        CHECK(parent_dir("/a/b/c") == "/a/b");
}
