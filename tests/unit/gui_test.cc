// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests of gui.h: the Xauthority the sandbox gets holds one display's cookie.
#include "gui.h"
#include "unit.h"

using namespace sb;

namespace {

std::string field(std::string_view s) {
        std::string out;
        out += static_cast<char>(s.size() >> 8);
        out += static_cast<char>(s.size() & 0xff);
        return out + std::string(s);
}

std::string entry(unsigned family, std::string_view addr, std::string_view display, std::string_view cookie) {
        std::string e;
        e += static_cast<char>(family >> 8);
        e += static_cast<char>(family & 0xff);
        return e + field(addr) + field(display) + field("MIT-MAGIC-COOKIE-1") + field(cookie);
}

} // namespace

TEST_CASE("xauth_for_display keeps this machine's entries for one display") {
        std::string local0 = entry(256, "box", "0", std::string("\x01\x02\0\xff", 4));
        std::string local1 = entry(256, "box", "1", "cookie-1");
        std::string wild0 = entry(65535, "", "0", "wild");
        std::string tcp0 = entry(0, std::string("\x0a\0\0\x01", 4), "0", "remote");
        std::string file = local1 + local0 + tcp0 + wild0;
        CHECK(xauth_for_display(file, "0") == local0 + wild0);
        CHECK(xauth_for_display(file, "1") == local1);
        CHECK(xauth_for_display(file, "2").empty());
        // A truncated file yields the entries before the damage, and no more.
        CHECK(xauth_for_display(local0 + local1.substr(0, 7), "0") == local0);
        CHECK(xauth_for_display("", "0").empty());
        CHECK(xauth_for_display(std::string("\x01"), "0").empty());
}
