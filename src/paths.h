// SPDX-License-Identifier: GPL-2.0-or-later
// Pure path handling: normalisation, containment and the SRC[:DST] syntax.
#pragma once

#include "result.h"

#include <string>
#include <string_view>
#include <utility>

namespace sb {

// An absolute path with "//", "/./" and a trailing '/' collapsed. Relative paths, ".."
// components and control characters are errors: a profile must say exactly what it means.
Result<std::string> normalize_path(std::string_view p);

// p made absolute against base (used for command-line paths only), then normalised.
// ".." is resolved lexically here, as a shell user would expect of "--bind ../x".
Result<std::string> absolute_path(std::string_view p, std::string_view base);

// True when path is base or lies below it ("/home/u" contains "/home/u/x", not "/home/uv").
bool path_within(std::string_view path, std::string_view base);

// Components compared one by one, so that a parent sorts before its children.
bool path_less(std::string_view a, std::string_view b);

// "SRC" or "SRC:DST": DST starts at the first ':' that is followed by '/'.
std::pair<std::string, std::string> split_bind_spec(std::string_view spec);

// A portable environment variable name.
bool valid_env_name(std::string_view name);

// A C0 control character or DEL anywhere in s.
bool has_control(std::string_view s);

// 1 to 64 letters, digits, '-' or '.': what --hostname and the hostname key accept.
bool valid_hostname(std::string_view s);

// A profile name that can name a file and a store: letters, digits, '-', '_', '.', '+'.
bool valid_profile_name(std::string_view name);

// The parent directory of an absolute normalised path ("/" for "/x").
std::string parent_dir(std::string_view path);

// mkdir -p: each missing directory of path made with mode.
Status make_dirs(const std::string& path, unsigned mode);

// The start of a small file (at most limit bytes): a config or kernel file. "" when it cannot
// be read, with the errno in *err when err is given (0 on success).
std::string read_small_file(const std::string& path, size_t limit = 1 << 20, int* err = nullptr);

// What a file descriptor holds from its start (a memory file), at most limit bytes.
std::string read_fd_start(int fd, size_t limit = 4096);

} // namespace sb
