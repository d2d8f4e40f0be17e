#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# [gui.dbus] and [gui.system_dbus]: buses of the test's own (dbus-daemon), services on them
# (dbus-test-tool echo answers every call), reached from inside only through xdg-dbus-proxy
# and only by the names the profile grants.
. "$(dirname "$0")/lib.sh"

for tool in dbus-daemon dbus-send dbus-test-tool xdg-dbus-proxy; do
	if ! command -v "$tool" >/dev/null; then
		skip "gui.dbus" "$tool is not installed"
		finish
	fi
done

run="$T/run"
mkdir -p "$run"
chown "$TEST_UID:$TEST_GID" "$run"
chmod 700 "$run"
bus="$run/bus"
sysbus="$T/system_bus_socket"

# bg CMD...: CMD as the test user in the background, ended by lib.sh's cleanup.
bg() {
	user_prefix
	(cd "$T" && exec "${P[@]}" "$@") >/dev/null 2>&1 &
	cleanup_pids="${cleanup_pids:-} $!"
}
# A session bus at $XDG_RUNTIME_DIR/bus, as systemd makes it, and a second bus standing in
# for the system bus.
bg dbus-daemon --session --address="unix:path=$bus" --nofork --nopidfile
bg dbus-daemon --session --address="unix:path=$sysbus" --nofork --nopidfile
for _ in $(seq 100); do [ -S "$bus" ] && [ -S "$sysbus" ] && break; sleep 0.05; done

# serve NAME [ADDRESS]: a service owning NAME that answers every call.
serve() {
	EXTRA_ENV="DBUS_SESSION_BUS_ADDRESS=unix:path=${2:-$bus}" bg dbus-test-tool echo --name="$1"
}
serve org.sandbox.Granted
serve org.sandbox.Secret
serve org.sandbox.Wild.One
serve org.sandbox.Device "$sysbus"
serve org.sandbox.Hidden "$sysbus"
# has_owner NAME [ADDRESS]: whether the name is owned, asked from the host.
has_owner() {
	EXTRA_ENV="DBUS_SESSION_BUS_ADDRESS=unix:path=${2:-$bus}" as_user dbus-send --session --print-reply \
		--dest=org.freedesktop.DBus / org.freedesktop.DBus.NameHasOwner "string:$1" 2>/dev/null |
		grep -q 'boolean true'
}
for _ in $(seq 100); do
	has_owner org.sandbox.Granted && has_owner org.sandbox.Secret && has_owner org.sandbox.Wild.One &&
		has_owner org.sandbox.Device "$sysbus" && has_owner org.sandbox.Hidden "$sysbus" && break
	sleep 0.05
done

export EXTRA_ENV="XDG_RUNTIME_DIR=$run DBUS_SESSION_BUS_ADDRESS=unix:path=$bus"
call='dbus-send --session --print-reply --dest="$1" / org.example.Test.Ping >/dev/null 2>&1 && echo answers || echo unreachable'

profile bus '[gui.dbus]' 'talk = ["org.sandbox.Granted", "org.sandbox.Wild.*"]' 'own = ["org.sandbox.Mine"]'
check "gui.dbus: a name granted by talk answers through the proxy" "answers" \
	"$(sb --profile "$T/bus.toml" -- sh -c "$call" sh org.sandbox.Granted)"
check "a name under a granted prefix (org.sandbox.Wild.*) answers" "answers" \
	"$(sb --profile "$T/bus.toml" -- sh -c "$call" sh org.sandbox.Wild.One)"
check "a name not granted does not" "unreachable" \
	"$(sb --profile "$T/bus.toml" -- sh -c "$call" sh org.sandbox.Secret)"
secret_owner=$(EXTRA_ENV="DBUS_SESSION_BUS_ADDRESS=unix:path=$bus" as_user dbus-send --session --print-reply \
	--dest=org.freedesktop.DBus / org.freedesktop.DBus.GetNameOwner string:org.sandbox.Secret |
	sed -n 's/.*string "\(:[0-9.]*\)".*/\1/p')
check_match "nor by its unique name ($secret_owner)" "unreachable" \
	"$(sb --profile "$T/bus.toml" -- sh -c "$call" sh "$secret_owner")"
names=$(sb --profile "$T/bus.toml" -- dbus-send --session --print-reply --dest=org.freedesktop.DBus / \
	org.freedesktop.DBus.ListNames | sed -n 's/.*string "\([^:"][^"]*\)".*/\1/p' | sort | tr '\n' ' ')
check "the bus lists only the names granted" "org.freedesktop.DBus org.sandbox.Granted org.sandbox.Wild.One " "$names"
check "DBUS_SESSION_BUS_ADDRESS inside names the proxy's socket in the runtime directory" "unix:path=$run/bus" \
	"$(sb --profile "$T/bus.toml" -- printenv DBUS_SESSION_BUS_ADDRESS)"
check "nothing else of the host's runtime directory is there" "bus" \
	"$(sb --profile "$T/bus.toml" -- ls -A "$run" | tr '\n' ' ' | sed 's/ $//')"

# own: the app registers a granted name (seen from the host), not another.
out=$(sb --profile "$T/bus.toml" -- sh -c '
	dbus-test-tool echo --name=org.sandbox.Mine & e=$!
	dbus-test-tool echo --name=org.sandbox.NotMine 2>/dev/null & f=$!
	sleep 1; kill $e $f 2>/dev/null; wait $f; echo "other: $?"' &
	sleep 0.6
	has_owner org.sandbox.Mine && echo "mine: owned" || echo "mine: not owned"
	has_owner org.sandbox.NotMine && echo "notmine: owned" || echo "notmine: not owned"
	wait)
check_match "gui.dbus.own: the app owns a granted name on the host's bus" "*mine: owned*" "$out"
check_match "and cannot own one not granted" "*notmine: not owned*" "$out"

# Without [gui.dbus] the bus is not there, even with the host's address in the environment.
check "without gui.dbus: no bus address, no socket" "unset absent" \
	"$(sb -- sh -c 'echo ${DBUS_SESSION_BUS_ADDRESS:-unset} $(test -e "$XDG_RUNTIME_DIR/bus" && echo present || echo absent)')"

# The system bus, only when asked for: /run/dbus/system_bus_socket inside is its proxy.
profile sys '[gui.system_dbus]' 'talk = ["org.sandbox.Device"]'
syscall='dbus-send --system --print-reply --dest="$1" / org.example.Test.Ping >/dev/null 2>&1 && echo answers || echo unreachable'
check "gui.system_dbus: a granted name on the system bus answers" "answers" \
	"$(EXTRA_ENV="$EXTRA_ENV DBUS_SYSTEM_BUS_ADDRESS=unix:path=$sysbus" sb --profile "$T/sys.toml" -- sh -c "$syscall" sh org.sandbox.Device)"
check "one not granted does not" "unreachable" \
	"$(EXTRA_ENV="$EXTRA_ENV DBUS_SYSTEM_BUS_ADDRESS=unix:path=$sysbus" sb --profile "$T/sys.toml" -- sh -c "$syscall" sh org.sandbox.Hidden)"
check "the session bus is not given with the system bus alone" "absent" \
	"$(EXTRA_ENV="$EXTRA_ENV DBUS_SYSTEM_BUS_ADDRESS=unix:path=$sysbus" sb --profile "$T/sys.toml" -- sh -c 'test -e "$XDG_RUNTIME_DIR/bus" && echo present || echo absent')"

# No session bus on the host: the app starts anyway, without a word; --explain says why.
norun="$T/norun"
mkdir -p "$norun"
chown "$TEST_UID:$TEST_GID" "$norun"
chmod 700 "$norun"
check "no session bus on the host: the app starts, silently" "ran|" \
	"$(EXTRA_ENV="XDG_RUNTIME_DIR=$norun" sb --profile "$T/bus.toml" -- echo ran 2>&1 | tr '\n' '|')"
check_match "and --explain says there is none" "*gui.dbus: no session bus on this host*" \
	"$(EXTRA_ENV="XDG_RUNTIME_DIR=$norun" sb --profile "$T/bus.toml" --explain -- true 2>&1)"

# The proxy: confined, in a session of its own, gone with the sandbox, even a killed one.
sb_bg --profile "$T/bus.toml" -- sleep 30
launcher=$!
cleanup_pids="$cleanup_pids $launcher"
proxy=""
for _ in $(seq 100); do
	proxy=$(pgrep -u "$TEST_UID" -P "$launcher" -x xdg-dbus-proxy) && break
	sleep 0.05
done
if [ -z "$proxy" ]; then
	not_ok "the proxy runs as the launcher's child" "no xdg-dbus-proxy under launcher $launcher"
else
	check "the proxy runs with no_new_privs and a syscall filter" "1 2" \
		"$(awk '/^NoNewPrivs:/ {n=$2} /^Seccomp:/ {s=$2} END {print n, s}' "/proc/$proxy/status")"
	check "the proxy is in a session of its own (no terminal signals)" "$proxy" \
		"$(ps -o sid= -p "$proxy" | tr -d ' ')"
	check "its socket directory is the user's own, 0700" "700 $TEST_UID" \
		"$(stat -c '%a %u' "$run/sandbox/dbus-$launcher")"
	kill -KILL "$launcher"
	gone=no
	for _ in $(seq 100); do kill -0 "$proxy" 2>/dev/null || { gone=yes; break; }; sleep 0.05; done
	check "a SIGKILLed launcher's proxy ends too" "yes" "$gone"
	# The killed launcher left its directory; the next run with a bus sweeps it.
	sb --profile "$T/bus.toml" -- true
	check "the next run removes the directory the killed one left" "absent" \
		"$([ -e "$run/sandbox/dbus-$launcher" ] && echo present || echo absent)"
fi
# (Other tests may run proxies of this user now: only this bus's count.)
check "after a run, no proxy of this bus and no socket directory remain" "none|" \
	"$(sb --profile "$T/bus.toml" -- true; pgrep -u "$TEST_UID" -f "xdg-dbus-proxy --fd=3 unix:path=$bus"; ls -d "$run"/sandbox/dbus-* 2>/dev/null; echo "none|")"
finish
