// SPDX-License-Identifier: GPL-2.0-or-later
// [gui.dbus] and [gui.system_dbus]: the buses, reached only through xdg-dbus-proxy, which the
// launcher runs outside the sandbox, confined, for as long as the sandbox lives.
#pragma once

#include "gui.h"
#include "host.h"
#include "plan.h"
#include "profile.h"
#include "result.h"

#include <string>
#include <sys/types.h>
#include <vector>

namespace sb {

// The host's bus address that a filter asks for, or "" when the host has no such bus. The
// session bus: DBUS_SESSION_BUS_ADDRESS, else $XDG_RUNTIME_DIR/bus; the system bus:
// DBUS_SYSTEM_BUS_ADDRESS, else /run/dbus/system_bus_socket. A unix:path= address whose
// socket does not exist counts as none.
std::string bus_address(const Host& h, bool system, const std::string& runtime_dir);

// xdg-dbus-proxy's arguments for one bus: ADDRESS SOCKET --filter and one option per rule.
std::vector<std::string> proxy_args(const std::string& address, const std::string& socket,
                                    const DbusFilter& f);

// The mounts, variables and proxy for the buses the profile asks for; what the host lacks
// goes to r.warnings (no xdg-dbus-proxy) or r.notes (no bus: apps that can do without one
// start anyway). launcher is the pid whose directory holds the proxy's sockets.
void add_dbus(std::vector<MountOp>& ops, GuiResult& r, DbusProxyPlan& out, const Profile& p, const Host& h,
              const std::string& runtime_dir, pid_t launcher);

struct DbusProxy {
        pid_t pid = -1;
        int pidfd = -1; // readable when it ends
        int alive = -1; // our end of its --fd pipe: it exits when this closes
        std::string dir;
};

// Makes the directory of the sockets and starts the proxy; returns once it listens.
Result<DbusProxy> start_dbus_proxy(const DbusProxyPlan& plan);

// Ends the proxy and removes its directory.
void stop_dbus_proxy(DbusProxy& p);

} // namespace sb
