// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests of text.h and the Error helpers of result.h.
#include "result.h"
#include "text.h"
#include "unit.h"

#include <cerrno>
#include <string>

using namespace sb;

TEST_CASE("strprintf formats like printf, at any length") {
        CHECK(strprintf("%s=%d", "a", 1) == "a=1");
        CHECK(strprintf("%04o", 01777u) == "1777");
        CHECK(strprintf("%s", "") == "");
        std::string big(5000, 'x');
        CHECK(strprintf("<%s>", big.c_str()) == "<" + big + ">");
}

TEST_CASE("Error::what appends strerror only when there is an errno") {
        CHECK(err("bad %s", "thing").what() == "bad thing");
        CHECK(err("bad").errnum == 0);
        Error e = err_errno(ENOENT, "open '%s'", "/x");
        CHECK(e.errnum == ENOENT);
        CHECK(e.msg == "open '/x'");
        CHECK(e.what() == "open '/x': No such file or directory");
        Error c = with_context(e, "profile 'p': ");
        CHECK(c.msg == "profile 'p': open '/x'");
        CHECK(c.errnum == ENOENT);
}

TEST_CASE("quote: printable ASCII is kept between single quotes") {
        CHECK(quote("") == "''");
        CHECK(quote("abc") == "'abc'");
        CHECK(quote("/home/u/My Documents") == "'/home/u/My Documents'");
        CHECK(quote("~!@#$%^&*()\"") == "'~!@#$%^&*()\"'");
}

TEST_CASE("quote: quotes and backslashes are escaped") {
        CHECK(quote("it's") == "'it\\'s'");
        CHECK(quote("a\\b") == "'a\\\\b'");
        CHECK(quote("'") == "'\\''");
}

TEST_CASE("quote: control characters are escaped") {
        CHECK(quote("a\nb") == "'a\\nb'");
        CHECK(quote("a\tb") == "'a\\tb'");
        CHECK(quote(std::string_view("\0", 1)) == "'\\x00'");
        CHECK(quote("\x01") == "'\\x01'");
        CHECK(quote("\r") == "'\\x0d'");
        CHECK(quote("\x7f") == "'\\x7f'");
}

TEST_CASE("quote: a terminal escape cannot reach the screen") {
        std::string q = quote("\x1b[2J\x1b]0;title\x07");
        CHECK(q == "'\\x1b[2J\\x1b]0;title\\x07'");
        CHECK(q.find('\x1b') == std::string::npos);
}

TEST_CASE("quote: valid UTF-8 is kept") {
        CHECK(quote("h\xc3\xa9llo") == "'h\xc3\xa9llo'");                         // é, 2 bytes
        CHECK(quote("\xe6\x97\xa5\xe6\x9c\xac") == "'\xe6\x97\xa5\xe6\x9c\xac'"); // 日本, 3 bytes
        CHECK(quote("\xf0\x9f\x98\x80") == "'\xf0\x9f\x98\x80'");                 // U+1F600, 4 bytes
        CHECK(quote("\xc2\xa0") == "'\xc2\xa0'");                                 // U+00A0, just above C1
        CHECK(quote("\xf4\x8f\xbf\xbf") == "'\xf4\x8f\xbf\xbf'"); // U+10FFFF, the last code point
}

TEST_CASE("quote: C1 controls are escaped") {
        // U+009B is CSI on terminals that take C1 controls.
        CHECK(quote("\xc2\x9b"
                    "31m") == "'\\xc2\\x9b31m'");
        CHECK(quote("\xc2\x80") == "'\\xc2\\x80'");
        CHECK(quote("\xc2\x9f") == "'\\xc2\\x9f'");
}

TEST_CASE("quote: bytes that are not UTF-8 are escaped one by one") {
        CHECK(quote("\xff") == "'\\xff'");
        CHECK(quote("\x80") == "'\\x80'");          // a lone continuation byte
        CHECK(quote("a\xc3") == "'a\\xc3'");        // truncated at the end
        CHECK(quote("\xc3(") == "'\\xc3('");        // lead byte without continuation
        CHECK(quote("\xe6\x97") == "'\\xe6\\x97'"); // truncated 3-byte sequence
        CHECK(quote("\xc0\xaf") == "'\\xc0\\xaf'"); // overlong '/'
        CHECK(quote("\xc1\x9b") == "'\\xc1\\x9b'"); // overlong ESC-like
}

TEST_CASE("quote: lead bytes and sequences that UTF-8 forbids are escaped") {
        // 0xf5..0xff never start a sequence, whatever follows.
        CHECK(quote("\xf8\x80\x80\x80") == "'\\xf8\\x80\\x80\\x80'");
        CHECK(quote("\xff\x80\x80") == "'\\xff\\x80\\x80'");
        // Overlong 3- and 4-byte forms: U+009B (CSI) and '/' in disguise.
        CHECK(quote("\xe0\x82\x9b") == "'\\xe0\\x82\\x9b'");
        CHECK(quote("\xf0\x80\x80\xaf") == "'\\xf0\\x80\\x80\\xaf'");
        // A UTF-16 surrogate, and a code point above U+10FFFF.
        CHECK(quote("\xed\xa0\x80") == "'\\xed\\xa0\\x80'");
        CHECK(quote("\xf4\x90\x80\x80") == "'\\xf4\\x90\\x80\\x80'");
}

TEST_CASE("edit_distance is the optimal string alignment distance") {
        CHECK(edit_distance("", "") == 0);
        CHECK(edit_distance("abc", "abc") == 0);
        CHECK(edit_distance("abc", "") == 3);
        CHECK(edit_distance("", "abc") == 3);
        CHECK(edit_distance("kitten", "sitting") == 3);
        CHECK(edit_distance("sitting", "kitten") == 3);
        CHECK(edit_distance("flaw", "lawn") == 2);
        CHECK(edit_distance("nework", "network") == 1);
        CHECK(edit_distance("read_onyl", "read_only") == 1); // a swap is one edit
        CHECK(edit_distance("mdoe", "mode") == 1);
        CHECK(edit_distance("ab", "ba") == 1);
        CHECK(edit_distance("abc", "ca") == 3);
}

TEST_CASE("closest_match suggests only likely typos") {
        std::vector<std::string_view> c = {"home", "network", "filesystem"};
        CHECK(closest_match("nework", c) == "network");
        CHECK(closest_match("filesytem", c) == "filesystem");
        CHECK(closest_match("network", c) == "network");
        CHECK(closest_match("x", c) == "");
        CHECK(closest_match("completely-different", c) == "");
        CHECK(closest_match("anything", {}) == "");
}

TEST_CASE("closest_match allows a third of the word's length, at least one edit") {
        // 6 letters: 2 edits allowed, 3 not.
        CHECK(closest_match("abcdef", {"abcdXY"}) == "abcdXY");
        CHECK(closest_match("abcdef", {"abcXYZ"}) == "");
        // 2 letters: one edit.
        CHECK(closest_match("ab", {"ac"}) == "ac");
        CHECK(closest_match("ab", {"xy"}) == "");
        // The closest wins, wherever it is; on a tie, the first.
        CHECK(closest_match("bindd", {"bond", "bind"}) == "bind");
        CHECK(closest_match("bind", {"bond", "bin"}) == "bond");
        CHECK(closest_match("bind", {"bins", "bond"}) == "bins");
        CHECK(closest_match("ro-bnd", {"bind", "ro-bind", "ro-bind-try"}) == "ro-bind");
}

// Found by cli-fuzz: an unknown 128 KiB option took 1.8 s (and 5 million allocations) to be
// compared with every option name; a word far longer than every candidate is not compared.
TEST_CASE("closest_match on a very long word is quick" * doctest::timeout(1)) {
        std::string word(4 << 20, 'a');
        std::vector<std::string_view> c = {"aaaa", "network", "filesystem", "ro-bind-try"};
        CHECK(closest_match(word, c) == "");
        CHECK(closest_match(word.substr(0, 6), c) == "aaaa");
}
