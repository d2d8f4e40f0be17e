#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Landlock behind the mounts: a host path the mounts do not show stays closed even when a
# descriptor leads to it; what the mounts grant still works; host abstract sockets and host
# processes are out of reach; --enter gets the same rules.
. "$(dirname "$0")/lib.sh"

abi=$(python3 -c 'import ctypes; print(ctypes.CDLL(None, use_errno=True).syscall(444, None, 0, 1))' 2>/dev/null)
if ! [ "${abi:-0}" -ge 1 ] 2>/dev/null; then
	echo "1..0 # SKIP this kernel has no Landlock (ABI ${abi:-?})"
	exit 0
fi

secret="$T/host-dir"
mkdir -p "$secret"
echo top-secret >"$secret/key"
chown -R "$TEST_UID:$TEST_GID" "$secret"
profile off '[security]' 'landlock = false'

# A descriptor of a host directory handed in on purpose (--keep-fd): the mounts do not show
# the directory, but the descriptor reaches it; Landlock closes it all the same.
read_via_fd='cat /proc/self/fd/5/key 2>/dev/null || echo refused'
check "without Landlock a kept descriptor reaches the host directory (reference)" "top-secret" \
	"$(as_user bash -c 'exec 5<"$1"; shift; "$@"' x "$secret" "$SB" --profile "$T/off.toml" --keep-fd 5 -- sh -c "$read_via_fd")"
check "with Landlock (the default) it does not" "refused" \
	"$(as_user bash -c 'exec 5<"$1"; shift; "$@"' x "$secret" "$SB" --keep-fd 5 -- sh -c "$read_via_fd")"
check "nor can it write there" "refused" \
	"$(as_user bash -c 'exec 5<"$1"; shift; "$@"' x "$secret" "$SB" --keep-fd 5 -- sh -c 'echo x >/proc/self/fd/5/new 2>/dev/null && echo written || echo refused')"

# What the mounts grant works as before.
mkdir -p "$T/rw" "$T/ro"
echo ro-data >"$T/ro/file"
chown -R "$TEST_UID:$TEST_GID" "$T/rw" "$T/ro"
out=$(sb --ro-bind "$T/ro" --bind "$T/rw" -- sh -c '
	cat '"$T"'/ro/file
	echo written >'"$T"'/rw/f && cat '"$T"'/rw/f
	mkdir /tmp/a /tmp/b && echo x >/tmp/a/f && mv /tmp/a/f /tmp/b/f && echo renamed
	echo h >"$HOME/h" && cat "$HOME/h"
	/usr/bin/true && echo exec
	echo x >/dev/null && echo devnull
	ls / >/dev/null && echo listed
	(echo x >'"$T"'/ro/file) 2>/dev/null || echo ro-refused' 2>&1 | tr '\n' ' ')
check "granted reads, writes, renames across directories, execs and /dev work under Landlock" \
	"ro-data written renamed h exec devnull listed ro-refused " "$out"
check_match "--explain names what the kernel enforces" "*landlock   ABI $abi: * path rules*" \
	"$(sb --explain -- true)"
check_match "and says when it is off" "*landlock   off*off.toml*" "$(sb --profile "$T/off.toml" --explain -- true)"

# Scoping (ABI 6): host abstract sockets even in the host's network namespace.
if [ "$abi" -ge 6 ]; then
	abstract="sandbox-landlock-$$"
	python3 -c "
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind('\0' + sys.argv[1]); s.listen(8)
while True:
    c, _ = s.accept(); c.close()
" "$abstract" &
	cleanup_pids="${cleanup_pids:-} $!"
	probe='import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
try:
    s.connect("\0" + sys.argv[1]); print("open")
except OSError:
    print("refused")'
	for _ in $(seq 100); do [ "$(python3 -c "$probe" "$abstract")" = open ] && break; sleep 0.05; done
	check "--net host without Landlock reaches a host abstract socket (reference)" "open" \
		"$(sb --profile "$T/off.toml" --net host -- python3 -c "$probe" "$abstract")"
	check "with Landlock's scoping it does not" "refused" "$(sb --net host -- python3 -c "$probe" "$abstract")"
else
	skip "host abstract sockets are out of reach" "Landlock ABI $abi < 6 (Linux 6.12)"
fi

# --enter applies the sandbox's rules to what it runs (seen through the scoping of abstract
# sockets, in a sandbox that shares the host's network namespace).
export EXTRA_ENV="XDG_RUNTIME_DIR=$T/run"
mkdir -p "$T/run"
chown "$TEST_UID:$TEST_GID" "$T/run"
chmod 700 "$T/run"
sb_bg --name ll --net host --ro-bind "$T/ro" -- sleep 30.$$
launcher=$!
cleanup_pids="$cleanup_pids $launcher"
for _ in $(seq 100); do sb --list | grep -q '^ll ' && break; sleep 0.05; done
check "--enter reads what the sandbox grants" "ro-data" "$(sb --enter ll -- cat "$T/ro/file")"
if [ "$abi" -ge 6 ]; then
	check "and is under its Landlock rules too: no host abstract socket" "refused" \
		"$(sb --enter ll -- python3 -c "$probe" "$abstract")"
else
	skip "--enter is under the sandbox's Landlock rules" "Landlock ABI $abi < 6 (Linux 6.12)"
fi
kill "$launcher" 2>/dev/null
finish
