# SPDX-License-Identifier: GPL-2.0-or-later
# TAP helpers for the integration tests: run the built sandbox as an unprivileged user.
#
# Environment (set by meson): SANDBOX (the binary), PROBE (tests/helpers/probe), SRCDIR.
# As root, the tests drop to the user "sandbox-test", created on first use; the binary, the
# probe and the shipped profiles are copied to a world-readable scratch directory, since the
# build tree may sit where that user cannot reach (/root).

set -u
: "${SANDBOX:?}" "${PROBE:?}" "${SRCDIR:?}"

tap_n=0
tap_failed=0
ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1"; }
not_ok() {
	tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1)); echo "not ok $tap_n - $1"
	shift; for line in "$@"; do printf '#   %s\n' "$line"; done
}
skip() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1 # SKIP $2"; }
finish() { echo "1..$tap_n"; exit 0; }

# check NAME EXPECTED ACTUAL
check() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "expected: $2" "actual:   $3"; fi
}
# check_match NAME GLOB ACTUAL
check_match() {
	# shellcheck disable=SC2254
	case "$3" in $2) ok "$1" ;; *) not_ok "$1" "expected to match: $2" "actual: $3" ;; esac
}

T=$(mktemp -d /tmp/sandbox-test.XXXXXX)
chmod 755 "$T"
cleanup() {
	[ -n "${cleanup_pids:-}" ] && kill -KILL $cleanup_pids 2>/dev/null
	release_devices
	rm -rf "$T"
}

# use_device PATH: makes a device node (/dev/fuse, /dev/net/tun) usable by the test user for
# the test's run, when root: Debian's udev rule makes them 0666, a machine without udev may
# not. Tests running in parallel share the change: the first records the mode, the last
# to release it puts it back. Returns 1 when the node stays unusable.
devices_held=""
device_state() { echo "/tmp/sandbox-test-device$(echo "$1" | tr / _)"; }
use_device() {
	local state count
	as_user test -r "$1" -a -w "$1" && [ "$(id -u)" != 0 ] && return 0
	[ "$(id -u)" = 0 ] || return 1
	state=$(device_state "$1")
	(
		flock 8
		count=$(cat "$state.count" 2>/dev/null || echo 0)
		[ "$count" = 0 ] && stat -c %a "$1" >"$state.mode"
		echo $((count + 1)) >"$state.count"
		chmod 0666 "$1"
	) 8>>"$state.lock"
	devices_held="$devices_held $1"
}
release_devices() {
	local dev state count
	for dev in $devices_held; do
		state=$(device_state "$dev")
		(
			flock 8
			count=$(($(cat "$state.count" 2>/dev/null || echo 1) - 1))
			if [ "$count" -le 0 ]; then
				chmod "$(cat "$state.mode")" "$dev"
				rm -f "$state.count" "$state.mode"
			else
				echo "$count" >"$state.count"
			fi
		) 8>>"$state.lock"
	done
	devices_held=""
}
trap cleanup EXIT

cp "$SANDBOX" "$T/sandbox"
cp "$PROBE" "$T/probe"
mkdir -p "$T/config/sandbox/profiles"
cp "$SRCDIR"/profiles/*.toml "$T/config/sandbox/profiles/"
chmod -R a+rX "$T"
SB="$T/sandbox"
PR="$T/probe"

if [ "$(id -u)" = 0 ]; then
	TEST_USER=sandbox-test
	# The tests run in parallel: useradd checks for the user before it takes its own lock,
	# so two of them could both create it, the second with another uid.
	exec 9<"$SRCDIR/tests/integration/lib.sh"
	flock 9
	if ! id "$TEST_USER" >/dev/null 2>&1; then
		useradd --create-home --shell /bin/sh "$TEST_USER" >/dev/null 2>&1 ||
			{ echo "Bail out! cannot create user $TEST_USER"; exit 1; }
	fi
	exec 9<&-
	TEST_UID=$(id -u "$TEST_USER")
	TEST_GID=$(id -g "$TEST_USER")
	TEST_HOME=$(getent passwd "$TEST_USER" | cut -d: -f6)
	[ -d "$TEST_HOME" ] || { mkdir -p "$TEST_HOME"; chown "$TEST_UID:$TEST_GID" "$TEST_HOME"; }
	chown "$TEST_UID:$TEST_GID" "$T"
else
	TEST_USER=$(id -un)
	TEST_UID=$(id -u)
	TEST_GID=$(id -g)
	TEST_HOME=$HOME
fi

# Set when the tests themselves run under no_new_privs (inside bwrap, or a container that sets
# it): setuid bits and file capabilities cannot take effect, so checks that need them skip.
nnp_around=""
grep -q '^NoNewPrivs:[[:space:]]*1' /proc/self/status &&
	nnp_around="the tests run under no_new_privs (a container or bwrap around them): setuid and file capabilities cannot take effect"

# The command prefix that runs as the unprivileged test user with a small clean environment.
user_prefix() {
	P=()
	[ "$(id -u)" = 0 ] && P=(setpriv --reuid="$TEST_UID" --regid="$TEST_GID" --init-groups --)
	# shellcheck disable=SC2206
	P+=(env -i "HOME=$TEST_HOME" "USER=$TEST_USER" "LOGNAME=$TEST_USER" "PATH=/usr/local/bin:/usr/bin:/bin"
		"LANG=C.UTF-8" "XDG_CONFIG_HOME=$T/config" ${EXTRA_ENV:-})
	# A sanitizer build (scripts/sanitize): its options reach the launcher; the sandboxed
	# command's environment is built by the sandbox as always.
	local v
	for v in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
		if [ -n "${!v:-}" ]; then P+=("$v=${!v}"); fi
	done
}

# as_user CMD...: runs CMD as the test user.
as_user() { user_prefix; (cd "$T" && exec "${P[@]}" "$@"); }

# profile NAME BODY...: $T/NAME.toml, including minimal, readable by the test user.
profile() {
	{ printf 'schema = 1\ninclude = ["minimal"]\n'; printf '%s\n' "${@:2}"; } >"$T/$1.toml"
	chmod a+r "$T/$1.toml"
}

# sb ARGS...: the sandbox as the test user.
sb() { as_user "$SB" "$@"; }

# sb_bg ARGS...: the sandbox in the background; $! is the launcher itself.
sb_bg() { user_prefix; (cd "$T" && exec "${P[@]}" "$SB" "$@") & }

# Whether the machine lets an unprivileged user create namespaces at all. Only that is a
# reason to skip; any other failure of a trivial sandbox is a failure.
if ! sb -- true 2>"$T/preflight.err"; then
	if grep -q "create namespaces" "$T/preflight.err"; then
		echo "1..0 # SKIP unprivileged user namespaces unavailable: $(head -c 200 "$T/preflight.err")"
		exit 0
	fi
	echo "Bail out! the simplest sandbox fails: $(head -c 300 "$T/preflight.err")"
	exit 1
fi
