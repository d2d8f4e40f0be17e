// SPDX-License-Identifier: GPL-2.0-or-later
// String helpers shared by the pure modules.
#include "text.h"

#include "result.h"

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstring>

namespace sb {

static std::string vstrprintf(const char* fmt, va_list ap) {
        va_list copy;
        va_copy(copy, ap);
        int n = vsnprintf(nullptr, 0, fmt, copy);
        va_end(copy);
        if (n <= 0)
                return {};
        std::string s(static_cast<size_t>(n), '\0');
        vsnprintf(s.data(), s.size() + 1, fmt, ap);
        return s;
}

std::string strprintf(const char* fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        std::string s = vstrprintf(fmt, ap);
        va_end(ap);
        return s;
}

std::string Error::what() const {
        if (errnum == 0)
                return msg;
        return msg + ": " + strerror(errnum);
}

Error err_errno(int errnum, const char* fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        Error e{errnum, vstrprintf(fmt, ap)};
        va_end(ap);
        return e;
}

Error err(const char* fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        Error e{0, vstrprintf(fmt, ap)};
        va_end(ap);
        return e;
}

Error with_context(Error e, const std::string& prefix) {
        e.msg = prefix + e.msg;
        return e;
}

// Length of the valid UTF-8 sequence at s[i], or 0 when it is not one.
static size_t utf8_len(std::string_view s, size_t i) {
        auto c = static_cast<unsigned char>(s[i]);
        size_t n = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
        if (n == 0 || i + n > s.size())
                return 0;
        // The second byte's range rules out overlong forms (a disguised C1 control),
        // surrogates and code points above U+10FFFF (RFC 3629).
        auto c1 = static_cast<unsigned char>(s[i + 1]);
        if (c1 < (c == 0xe0   ? 0xa0
                  : c == 0xf0 ? 0x90
                              : 0x80) ||
            c1 > (c == 0xed   ? 0x9f
                  : c == 0xf4 ? 0x8f
                              : 0xbf))
                return 0;
        for (size_t k = 2; k < n; k++)
                if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80)
                        return 0;
        return n;
}

std::string quote(std::string_view s) {
        std::string out = "'";
        for (size_t i = 0; i < s.size(); i++) {
                auto c = static_cast<unsigned char>(s[i]);
                if (c >= 0x80) {
                        size_t n = utf8_len(s, i);
                        // C1 controls (U+0080..U+009F) are escapes on some terminals too.
                        bool c1 = n == 2 && c == 0xc2 && static_cast<unsigned char>(s[i + 1]) < 0xa0;
                        if (n > 0 && !c1) {
                                out.append(s.substr(i, n));
                                i += n - 1;
                                continue;
                        }
                        out += strprintf("\\x%02x", c);
                } else if (c == '\'' || c == '\\') {
                        out += '\\';
                        out += static_cast<char>(c);
                } else if (c == '\n') {
                        out += "\\n";
                } else if (c == '\t') {
                        out += "\\t";
                } else if (c < 0x20 || c == 0x7f) {
                        out += strprintf("\\x%02x", c);
                } else {
                        out += static_cast<char>(c);
                }
        }
        out += '\'';
        return out;
}

std::string escape_controls(std::string_view s) {
        std::string out;
        for (size_t i = 0; i < s.size();) {
                size_t j = i;
                while (j < s.size() &&
                       (static_cast<unsigned char>(s[j]) < 0x20 || static_cast<unsigned char>(s[j]) >= 0x7f))
                        j++;
                if (j == i) {
                        out += s[i++];
                        continue;
                }
                std::string q = quote(s.substr(i, j - i));
                out.append(q, 1, q.size() - 2);
                i = j;
        }
        return out;
}

std::string json_string(std::string_view s) {
        std::string out = "\"";
        for (unsigned char c : s) {
                if (c == '"' || c == '\\') {
                        out += '\\';
                        out += static_cast<char>(c);
                } else if (c < 0x20 || c >= 0x7f) {
                        out += strprintf("\\u%04x", c);
                } else {
                        out += static_cast<char>(c);
                }
        }
        return out + "\"";
}

// Optimal string alignment distance: Levenshtein plus the swap of two neighbours as one
// edit, the commonest typo ("mdoe", "read_onyl").
size_t edit_distance(std::string_view a, std::string_view b) {
        std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
        for (size_t i = 0; i <= a.size(); i++)
                d[i][0] = i;
        for (size_t j = 0; j <= b.size(); j++)
                d[0][j] = j;
        for (size_t i = 1; i <= a.size(); i++) {
                for (size_t j = 1; j <= b.size(); j++) {
                        size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
                        d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
                        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
                }
        }
        return d[a.size()][b.size()];
}

std::string closest_match(std::string_view word, const std::vector<std::string_view>& candidates) {
        // A third of the word's length, at least one edit: "nework" -> "network", not "x" -> "home".
        size_t limit = std::max<size_t>(1, word.size() / 3);
        std::string best;
        size_t best_d = SIZE_MAX;
        for (auto c : candidates) {
                // The distance is at least the difference in length: a long word is not compared
                // (in time and memory proportional to its length) with names it cannot be near.
                if (std::max(word.size(), c.size()) - std::min(word.size(), c.size()) > limit)
                        continue;
                size_t d = edit_distance(word, c);
                if (d < best_d) {
                        best_d = d;
                        best = c;
                }
        }
        return best_d <= limit ? best : std::string();
}

std::vector<std::string_view> split(std::string_view s, char sep) {
        std::vector<std::string_view> out;
        size_t pos = 0;
        while (pos < s.size()) {
                size_t end = s.find(sep, pos);
                if (end == std::string_view::npos)
                        end = s.size();
                out.push_back(s.substr(pos, end - pos));
                pos = end + 1;
        }
        return out;
}

} // namespace sb
