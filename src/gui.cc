// SPDX-License-Identifier: GPL-2.0-or-later
// Desktop access by name ([gui]): the Wayland or X11 display, sound, the GPU.
#include "gui.h"

#include "paths.h"
#include "text.h"

#include <dirent.h>
#include <sys/stat.h>

namespace sb {

namespace {

bool is_socket(const std::string& path) {
        struct stat st;
        return stat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
}

MountOp bind(const std::string& path, bool dir, bool device, const char* why) {
        MountOp op = bind_op(path, path, dir, !device);
        op.device = device;
        op.why = why;
        return op;
}

void put(std::vector<MountOp>& ops, MountOp op) {
        std::erase_if(ops, [&](const MountOp& o) { return o.dst == op.dst; });
        ops.push_back(std::move(op));
}

// ":0", ":0.1", "unix:0": the display number; "" for a display over TCP (host:0).
std::string display_number(std::string_view d) {
        if (d.starts_with("unix:"))
                d.remove_prefix(4);
        if (d.empty() || d[0] != ':')
                return {};
        d.remove_prefix(1);
        auto dot = d.find('.');
        auto num = d.substr(0, dot);
        if (num.empty() || num.find_first_not_of("0123456789") != std::string_view::npos)
                return {};
        return std::string(num);
}

} // namespace

std::string xauth_for_display(const std::string& data, const std::string& display) {
        // Each entry: family (2 bytes, big endian), then address, number, name and data, each as
        // a 2-byte big-endian length and its bytes.
        std::string out;
        size_t pos = 0;
        auto u16 = [&](size_t at) {
                return static_cast<size_t>(static_cast<unsigned char>(data[at])) << 8 |
                       static_cast<unsigned char>(data[at + 1]);
        };
        while (pos + 2 <= data.size()) {
                size_t start = pos;
                unsigned family = static_cast<unsigned>(u16(pos));
                pos += 2;
                std::string fields[4];
                bool ok = true;
                for (auto& f : fields) {
                        if (pos + 2 > data.size()) {
                                ok = false;
                                break;
                        }
                        size_t len = u16(pos);
                        pos += 2;
                        if (pos + len > data.size()) {
                                ok = false;
                                break;
                        }
                        f = data.substr(pos, len);
                        pos += len;
                }
                if (!ok)
                        break;
                // FamilyLocal (256) and FamilyWild (65535): this machine's displays.
                if ((family == 256 || family == 65535) && fields[1] == display)
                        out += data.substr(start, pos - start);
        }
        return out;
}

GuiResult add_gui(std::vector<MountOp>& ops, const Profile& p, const Host& h,
                  const std::string& runtime_dir) {
        GuiResult r;
        // A display asked for and missing is worth a word at the start, but only when the app gets
        // none at all: a Wayland session with no X server (or the reverse) is not a problem for a
        // profile that asks for both. Sound and a GPU are not needed to start: --explain says it.
        std::vector<std::string> missing_display;
        if (p.wayland.value_or(false)) {
                std::string name =
                    h.getenv("WAYLAND_DISPLAY").empty() ? "wayland-0" : h.getenv("WAYLAND_DISPLAY");
                std::string path = name[0] == '/'        ? name
                                   : runtime_dir.empty() ? ""
                                                         : runtime_dir + "/" + name;
                if (!path.empty() && is_socket(path)) {
                        put(ops, bind(path, false, false, "gui.wayland"));
                        r.env.emplace_back("WAYLAND_DISPLAY", name);
                } else {
                        missing_display.push_back("gui.wayland: no Wayland compositor socket " +
                                                  quote(path.empty() ? name : path) + " on this host");
                }
        }
        if (p.x11.value_or(false)) {
                std::string display = h.getenv("DISPLAY");
                std::string num = display_number(display);
                std::string socket = "/tmp/.X11-unix/X" + num;
                if (num.empty() || !is_socket(socket)) {
                        missing_display.push_back(display.empty() ? std::string("gui.x11: DISPLAY is not set")
                                                                  : "gui.x11: the display " + quote(display) +
                                                                        " has no local socket (" + socket + ")");
                } else {
                        put(ops, bind(socket, false, false, "gui.x11"));
                        r.env.emplace_back("DISPLAY", ":" + num);
                        // An Xauthority with this display's cookie only.
                        std::string file =
                            h.getenv("XAUTHORITY").empty() ? h.home + "/.Xauthority" : h.getenv("XAUTHORITY");
                        std::string cookie = xauth_for_display(read_small_file(file), num);
                        if (!cookie.empty()) {
                                std::string inside =
                                    (runtime_dir.empty() ? std::string("/tmp") : runtime_dir) +
                                    "/.sandbox-Xauthority";
                                MountOp op = file_op(inside, cookie);
                                op.why = "gui.x11: this display's cookie only";
                                put(ops, op);
                                r.env.emplace_back("XAUTHORITY", inside);
                        }
                }
        }
        if (p.audio.value_or(false)) {
                bool any = false;
                for (const char* rel : {"/pulse/native", "/pipewire-0"}) {
                        std::string path = runtime_dir + rel;
                        if (!runtime_dir.empty() && is_socket(path)) {
                                put(ops, bind(path, false, false, "gui.audio"));
                                any = true;
                        }
                }
                std::string cookie = xdg_dir(h, "XDG_CONFIG_HOME", ".config") + "/pulse/cookie";
                struct stat st;
                if (any && stat(cookie.c_str(), &st) == 0 && S_ISREG(st.st_mode))
                        put(ops, bind(cookie, false, false, "gui.audio: PulseAudio's cookie"));
                if (!any)
                        r.notes.push_back("gui.audio: no PipeWire or PulseAudio socket in " +
                                             quote(runtime_dir.empty() ? "$XDG_RUNTIME_DIR" : runtime_dir));
        }
        if (p.gpu.value_or(false)) {
                struct stat st;
                bool any = false;
                if (stat("/dev/dri", &st) == 0 && S_ISDIR(st.st_mode)) {
                        put(ops, bind("/dev/dri", true, true, "gui.gpu"));
                        any = true;
                }
                if (DIR* d = opendir("/dev")) {
                        while (auto* e = readdir(d))
                                if (std::string_view(e->d_name).starts_with("nvidia")) {
                                        put(ops,
                                            bind(std::string("/dev/") + e->d_name, false, true, "gui.gpu"));
                                        any = true;
                                }
                        closedir(d);
                }
                // Mesa and libdrm find the device's driver through sysfs.
                if (any)
                        for (const char* sys : {"/sys/dev", "/sys/devices"})
                                if (stat(sys, &st) == 0)
                                        put(ops, bind(sys, true, false, "gui.gpu: what Mesa reads"));
                if (!any)
                        r.notes.push_back("gui.gpu: no GPU device (/dev/dri) on this host: software rendering");
        }
        bool no_display = static_cast<int>(missing_display.size()) ==
                          int(p.wayland.value_or(false)) + int(p.x11.value_or(false));
        auto& to = no_display ? r.warnings : r.notes;
        to.insert(to.end(), missing_display.begin(), missing_display.end());
        return r;
}

} // namespace sb
