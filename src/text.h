// SPDX-License-Identifier: GPL-2.0-or-later
// String helpers shared by the pure modules: printf-style formatting and safe quoting.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sb {

std::string strprintf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

// 'value' with control characters and non-UTF-8 bytes escaped, so that nothing a
// profile or a path holds can put terminal escapes on the screen.
std::string quote(std::string_view s);

// s unquoted, but with everything quote() escapes escaped: for text shown bare (a key, a
// description) that must not put terminal escapes on the screen.
std::string escape_controls(std::string_view s);

// s as a JSON string literal; control characters and bytes above 0x7f are \u-escaped,
// so the output is ASCII whatever a profile or path holds.
std::string json_string(std::string_view s);

// The edit distance used for "did you mean" hints.
size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to word, or "" when none is close enough to be a likely typo.
std::string closest_match(std::string_view word, const std::vector<std::string_view>& candidates);

// The pieces of s between separators, empty ones included ("a\n\nb" -> "a", "", "b"); a final
// separator ends the last piece rather than starting an empty one.
std::vector<std::string_view> split(std::string_view s, char sep);

} // namespace sb
