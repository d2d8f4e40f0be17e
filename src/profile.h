// SPDX-License-Identifier: GPL-2.0-or-later
// The profile schema as data, and TOML text -> one Profile layer (pure).
#pragma once

#include "result.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sb {

// Where a setting came from, for error messages and --explain: "firefox.toml:12:3" or "command line".
struct Origin {
        std::string file; // empty for the command line
        unsigned line = 0;
        unsigned column = 0;

        std::string str() const;
};

enum class MountType { Bind, Tmpfs, Overlay, File, Symlink };
enum class HomeMode { Ephemeral, Persistent, Host, Template };
enum class NetMode { None, User, Host };
enum class OnUnavailable { Warn, Fail };

// A list item with the place it was written.
template <typename T>
struct Sourced {
        T value;
        Origin origin{};
        bool operator==(const Sourced& o) const { return value == o.value; }
};

// A writable view of host directories: filesystem.overlay = [{ path }] or [[mount]] type = "overlay".
struct OverlayEntry {
        std::vector<std::string> lowers; // host directories, bottom first
        std::string dst;                 // absolute path inside
        std::string upper;               // "tmpfs", "persistent" or "none" (read-only)
        bool optional = false;           // a missing lower skips the mount
        Origin origin{};
};

struct PortForward {
        std::string proto; // "tcp" or "udp"
        unsigned host_port = 0;
        unsigned inside_port = 0;
        Origin origin{};
};

// A bus reached through xdg-dbus-proxy: only what these rules let through.
struct DbusFilter {
        std::optional<Origin> given; // the table is in some layer: the app gets this bus, filtered
        std::vector<Sourced<std::string>> talk, own, see, call;
};

struct MountEntry {
        MountType type = MountType::Bind;
        std::string src; // host path (bind)
        std::string dst; // absolute path inside
        bool read_only = true;
        bool optional = false; // a missing source is skipped instead of an error
        // Symlinks in src are followed wherever they are; without it only those in directories
        // that only root can write (a sandboxed app could swap any other).
        bool follow = false;
        bool create = false; // read_write: a missing directory in the home is made (~/Downloads)
        std::string content; // File: the text; Symlink: the target
        Origin origin{};
};

struct EnvSetting {
        std::string name;
        std::optional<std::string> value; // nullopt: unset
        Origin origin{};
};

// One layer: every scalar is optional so that "unset" differs from "false".
struct Profile {
        std::string name; // file stem, or "command line"
        std::string path; // the file it came from
        std::optional<std::string> description;
        std::vector<std::string> include;
        // The program run when none is given: the first of these found in PATH (else the first).
        std::optional<std::vector<std::string>> command;
        std::optional<std::string> hostname;
        // The name of the persistent stores (homes, overlays, roots) and of the cgroup leaf, when
        // not the profile's own: profiles of one app under two command names share one home.
        std::optional<std::string> store;
        std::optional<HomeMode> home;
        std::optional<std::string> home_template;
        // filesystem.root: the layers of a root of the user's own, bottom first, and where its
        // writes go ("tmpfs", "persistent" or "none"); empty: the host's directories.
        std::vector<std::string> root;
        std::optional<std::string> root_upper;
        std::vector<Sourced<std::string>> persist; // relative to the home
        std::vector<Sourced<std::string>> hide;
        std::vector<OverlayEntry> overlays;
        std::vector<MountEntry> mounts; // read_only, read_write, tmpfs and [[mount]] alike
        std::optional<NetMode> net;
        std::optional<bool> uid0;
        std::vector<std::string> env_keep; // names, or prefixes ending in '*'
        std::vector<EnvSetting> env;       // set and unset, in the order given

        std::vector<PortForward> forwards;
        std::vector<Sourced<unsigned>> host_ports; // 0: every port listening on the host's loopback
        std::vector<Sourced<std::string>> dns;    // addresses
        std::vector<Sourced<unsigned>> allow_tcp; // network.allow: the TCP ports the app may connect to
        // Parsed and validated now, refused as "not supported yet" until their issue lands.
        std::optional<bool> wayland, x11, audio, gpu;
        DbusFilter dbus, system_dbus; // [gui.dbus], [gui.system_dbus]
        std::optional<std::string> seccomp;
        std::vector<Sourced<std::string>> syscall_deny, syscall_allow, capabilities;
        std::optional<bool> nested_userns, multiarch, seccomp_log, landlock;
        std::optional<uint64_t> memory, memory_high, memory_swap; // bytes
        std::optional<uint64_t> pids;
        std::optional<double> cpu; // cores
        std::optional<unsigned> io_weight;
        std::optional<OnUnavailable> on_unavailable;

        // Where each scalar key was set ("network.mode" -> firefox.toml:12:8), for --explain.
        std::map<std::string, Origin, std::less<>> origins;

        // Where key was set; Origin{} (the command line, or not at all) otherwise.
        Origin origin(std::string_view key) const {
                auto o = origins.find(key);
                return o == origins.end() ? Origin{} : o->second;
        }
};

// Values for ${NAME} in profile strings; a name that is absent is an error.
using Vars = std::map<std::string, std::string, std::less<>>;

// ${NAME} and a leading "~/" expanded; "$$" is a literal '$'.
Result<std::string> expand_vars(std::string_view s, const Vars& vars);

// "tcp:8080" (the same port on both sides) or "udp:5353:53" (host port, then inside port).
Result<PortForward> parse_forward_spec(std::string_view s);
// "tcp:443": a port network.allow admits.
Result<unsigned> parse_allow_spec(std::string_view s);
// An IPv4 or IPv6 address in text.
bool valid_ip_address(std::string_view s);

// "512M", "1.5G", "4GiB", "1048576": bytes. Zero only when allowed (swap).
Result<uint64_t> parse_size(std::string_view s, bool allow_zero);

// Parses one profile file's text. display_name is used in messages ("firefox.toml").
Result<Profile> parse_profile(std::string_view text, const std::string& display_name, const Vars& vars);

// Every key of the schema with its type and documentation: drives parsing, the
// man page check and --explain.
struct KeyInfo {
        std::string_view key;  // dotted: "filesystem.read_only"
        std::string_view type; // as the man page writes it: "string", "array of paths", ...
        bool implemented;
        std::string_view cli; // the matching command-line option, or ""
        std::string_view doc;
};
const std::vector<KeyInfo>& profile_keys();

} // namespace sb
