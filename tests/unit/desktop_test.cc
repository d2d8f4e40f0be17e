// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests of desktop.h: the rewritten launcher entry.
#include "desktop.h"
#include "unit.h"

using namespace sb;
using sb::test::error_of;

TEST_CASE("desktop_quote: quoted and escaped as the Desktop Entry Specification wants") {
        CHECK(desktop_quote("/usr/bin/sandbox") == "/usr/bin/sandbox");
        CHECK(desktop_quote("/opt/my apps/sandbox") == "\"/opt/my apps/sandbox\"");
        // Quoting escapes ", `, $ and \ with a backslash; the string level doubles backslashes.
        CHECK(desktop_quote("a\"b") == "\"a\\\\\"b\"");
        CHECK(desktop_quote("a$b") == "\"a\\\\$b\"");
        CHECK(desktop_quote("a\\b") == "\"a\\\\\\\\b\"");
        CHECK(desktop_quote("100%") == "\"100%%\"");
        CHECK(desktop_quote("") == "\"\"");
}

TEST_CASE("rewrite_desktop_entry runs every Exec through sandbox and turns D-Bus activation off") {
        std::string in = "# a comment\n[Desktop Entry]\nName=Web\nExec = web %U\nDBusActivatable=true\n"
                         "X-Sandbox-Original=forged\n\n[Desktop Action new]\nExec=web --new %u\n";
        auto r = rewrite_desktop_entry(in, "/usr/bin/sandbox", std::string("browser"), "/usr/share/applications/web.desktop");
        REQUIRE_OK(r);
        CHECK(*r == "# a comment\n[Desktop Entry]\nX-Sandbox-Original=/usr/share/applications/web.desktop\nName=Web\n"
                    "Exec=/usr/bin/sandbox --profile browser -- web %U\n\n[Desktop Action new]\n"
                    "Exec=/usr/bin/sandbox --profile browser -- web --new %u\n");
        auto plain = rewrite_desktop_entry("[Desktop Entry]\nExec=x\n", "/s", std::nullopt, "/o");
        REQUIRE_OK(plain);
        CHECK(*plain == "[Desktop Entry]\nX-Sandbox-Original=/o\nExec=/s -- x\n");
        CHECK(error_of(rewrite_desktop_entry("[Desktop Entry]\nName=x\nDBusActivatable=true\n", "/s", std::nullopt,
                                             "/o")) == "'/o': no Exec line to run through sandbox (a D-Bus-activated app only?)");
        CHECK(error_of(rewrite_desktop_entry("Exec=x\n", "/s", std::nullopt, "/o")) == "'/o': no [Desktop Entry] group");
        CHECK(error_of(rewrite_desktop_entry("[Desktop Entry]\nExec=\n", "/s", std::nullopt, "/o")) ==
              "'/o': an empty Exec line");
}
