// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer target: the command-line parser. The input is split on NUL bytes into arguments
// (argv without argv[0]); parse_cli() must give a Cli or an error, never a crash, a hang or
// undefined behaviour, and what it accepts keeps the promises the later stages rely on
// (checked below; a broken one aborts, which libFuzzer counts as a crash).
#include "cli.h"
#include "paths.h"
#include "promises.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

using sb::fuzz::is_normal;
using sb::fuzz::require;

void check(const sb::Cli& c) {
        // Every path taken from the command line is absolute and normalised.
        for (auto& m : c.layer.mounts) {
                require(is_normal(m.dst));
                if (m.type == sb::MountType::Bind)
                        require(is_normal(m.src));
        }
        for (auto& h : c.layer.hide)
                require(is_normal(h.value));
        if (c.chdir)
                require(is_normal(*c.chdir));
        for (int fd : c.keep_fds)
                require(fd >= 3);
        for (auto& e : c.layer.env)
                require(sb::valid_env_name(e.name));
        if (c.layer.hostname)
                require(sb::valid_hostname(*c.layer.hostname));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
        std::string_view input(reinterpret_cast<const char*>(data), size);
        std::vector<std::string_view> args;
        size_t pos = 0;
        while (pos <= input.size() && !input.empty()) {
                size_t end = input.find('\0', pos);
                if (end == std::string_view::npos)
                        end = input.size();
                args.push_back(input.substr(pos, end - pos));
                pos = end + 1;
        }
        // With a working directory, and as when it cannot be read.
        for (std::string_view cwd : {std::string_view("/home/fuzz/src"), std::string_view()}) {
                auto r = sb::parse_cli(args, cwd, "/home/fuzz");
                if (r)
                        check(*r);
                else
                        require(!r.error().msg.empty());
        }
        return 0;
}
