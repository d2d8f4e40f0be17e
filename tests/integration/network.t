#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Network modes against real services this test starts on the host's loopback: none, host and
# user (pasta) with a granted host port, an inbound forward and DNS. No traffic leaves the machine.
. "$(dirname "$0")/lib.sh"

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() { # a free TCP port on the host's loopback
	local p
	for p in $(seq "$1" $(($1 + 200))); do
		port_free "$p" && { echo "$p"; return; }
	done
}
wait_port() { # PORT: until something listens there (5 s at most)
	local i
	for i in $(seq 50); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

granted=$(pick_port 21000)
other=$(pick_port $((granted + 1)))
forward=$(pick_port $((other + 1)))
python3 -m http.server "$granted" --bind 127.0.0.1 --directory "$T" >/dev/null 2>&1 &
srv1=$!
python3 -m http.server "$other" --bind 127.0.0.1 --directory "$T" >/dev/null 2>&1 &
srv2=$!
abstract="sandbox-test-$$"
python3 -c "
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind('\0' + sys.argv[1]); s.listen(8)
while True:
    c, _ = s.accept(); c.sendall(b'hello\n'); c.close()
" "$abstract" &
srv3=$!
cleanup_pids="$srv1 $srv2 $srv3"
wait_port "$granted" && wait_port "$other"

# What the sandbox can reach, seen from inside: "open" or "refused".
tcp_probe='(exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && echo open || echo refused'
abstract_probe="import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
try:
    s.connect('\0' + sys.argv[1]); print('open')
except OSError:
    print('refused')"

check "none: a host loopback TCP service is unreachable" "refused" "$(sb --net none -- bash -c "$tcp_probe" x "$granted")"
check "none: a host abstract unix socket is unreachable" "refused" "$(sb --net none -- python3 -c "$abstract_probe" "$abstract")"
check "none: only loopback" "lo" "$(sb --net none -- sh -c 'ls /sys/class/net 2>/dev/null || cut -d: -f1 /proc/net/dev | tail -n +3 | tr -d " "')"
check "host: the host loopback service is reachable" "open" "$(sb --net host -- bash -c "$tcp_probe" x "$granted")"
profile nolandlock '[security]' 'landlock = false'
check "host: without Landlock, so are abstract sockets (why it is not the default)" "open" \
	"$(sb --profile "$T/nolandlock.toml" --net host -- python3 -c "$abstract_probe" "$abstract")"
abi=$(python3 -c 'import ctypes; print(ctypes.CDLL(None, use_errno=True).syscall(444, None, 0, 1))')
if [ "$abi" -ge 6 ] 2>/dev/null; then
	check "host: with Landlock's scoping (ABI $abi), host abstract sockets are refused" "refused" \
		"$(sb --net host -- python3 -c "$abstract_probe" "$abstract")"
else
	skip "host: with Landlock's scoping, host abstract sockets are refused" "Landlock ABI $abi < 6 (Linux 6.12)"
fi
check_match "--explain warns of it" "*host's network namespace is shared*abstract sockets*" \
	"$(sb --net host --explain -- true 2>&1)"

# Egress rules: TCP connections to the listed ports only (Landlock, Linux 6.7 or later).
out=$(sb --net host --allow-out "tcp:$granted" -- bash -c "$tcp_probe; $(echo "$tcp_probe" | sed 's/\$1/$2/')" x "$granted" "$other" 2>&1)
if [[ "$out" == *"needs Landlock's TCP rules"* ]]; then
	check_match "network.allow on a kernel without Landlock TCP rules is refused, not ignored" \
		"*network.allow needs Landlock's TCP rules (Linux 6.7 or later*" "$out"
	skip "an allowed port is reachable" "this kernel has no Landlock TCP rules"
else
	check "network.allow: an allowed port is reachable" "open" "$(echo "$out" | grep -v '^bash' | sed -n 1p)"
	check "network.allow: another is not" "refused" "$(echo "$out" | grep -v '^bash' | sed -n 2p)"
fi

user_skip=""
command -v pasta >/dev/null || user_skip="pasta is not installed (passt)"
[ -c /dev/net/tun ] || user_skip="this machine has no /dev/net/tun"
if [ -n "$user_skip" ]; then
	for n in $(seq 11); do skip "user mode check $n" "$user_skip"; done
	finish
fi
use_device /dev/net/tun

out=$(sb --net user --allow-host-port "$granted" -- bash -c "$tcp_probe; $(echo "$tcp_probe" | sed 's/\$1/$2/')" x "$granted" "$other" 2>&1)
check "user: the granted host port is reachable" "open" "$(echo "$out" | sed -n 1p)"
check "user: other host loopback services are not" "refused" "$(echo "$out" | sed -n 2p)"
check "user: host abstract sockets are unreachable" "refused" \
	"$(sb --net user -- python3 -c "$abstract_probe" "$abstract")"
check "user: an interface besides loopback" "yes" \
	"$(sb --net user -- sh -c 'test $(cut -d: -f1 /proc/net/dev | tail -n +3 | wc -l) -ge 2 && echo yes || echo no')"

# Inbound: a server in the sandbox, reached from the host through the forward.
sb_bg --net user --forward "tcp:$forward" -- python3 -m http.server "$forward" --directory / >/dev/null 2>&1
launcher=$!
cleanup_pids="$cleanup_pids $launcher"
if wait_port "$forward"; then
	got=$(python3 -c "import urllib.request, sys; print(urllib.request.urlopen('http://127.0.0.1:' + sys.argv[1] + '/', timeout=5).status)" "$forward" 2>&1)
else
	got="nothing listens on $forward"
fi
check "user: a forward makes the sandbox's server reachable from the host" "200" "$got"
kill "$launcher"
wait "$launcher" 2>/dev/null

# DNS through pasta, to a server in a network namespace this test makes: a "host" namespace
# whose route leads over a veth pair to a second one where dnsmasq answers. No packet leaves them.
if [ "$(id -u)" = 0 ] && command -v dnsmasq >/dev/null && command -v ip >/dev/null; then
	user_prefix
	got=$(unshare -n bash -c '
		ip link set lo up
		unshare -n sleep 60 & peer=$!
		sleep 0.2
		ip link add v0 type veth peer name v1 && ip link set v1 netns $peer &&
			ip addr add 10.9.9.1/24 dev v0 && ip link set v0 up && ip route add default via 10.9.9.254 dev v0 &&
			nsenter -t $peer -n sh -c "ip link set lo up; ip addr add 10.9.9.2/24 dev v1; ip link set v1 up" ||
			{ echo "veth setup failed"; kill $peer; exit; }
		nsenter -t $peer -n dnsmasq --keep-in-foreground --no-resolv --no-hosts --conf-file=/dev/null \
			--listen-address=10.9.9.2 --bind-interfaces --port=53 --address=/sandbox-test.example/10.1.2.3 \
			--pid-file= --user=root 2>/dev/null & dns=$!
		sleep 0.5
		cd "$1" && shift && "$@" --net user --dns 10.9.9.2 -- getent hosts sandbox-test.example | cut -d" " -f1
		kill $dns $peer' x "$T" "${P[@]}" "$SB" 2>&1)
	check "user: a name resolves through pasta (--dns)" "10.1.2.3" "$got"
else
	skip "user: a name resolves through pasta (--dns)" "needs root, dnsmasq and ip to run a DNS server in a namespace"
fi
check "user: /etc/resolv.conf names the --dns server" "nameserver 10.9.9.2" \
	"$(sb --net user --dns 10.9.9.2 -- cat /etc/resolv.conf)"
sleep 0.5
# A pasta whose launcher is gone (other tests' sandboxes, running now, have theirs).
orphans() {
	for p in $(pgrep -u "$TEST_UID" -f '^pasta '); do
		[ "$(ps -o comm= -p "$(ps -o ppid= -p "$p" | tr -d ' ')" 2>/dev/null)" = sandbox ] || echo "$p"
	done
}
check "nothing is left running, no file is left behind" "" \
	"$(orphans; ls /tmp "${XDG_RUNTIME_DIR:-/tmp}" 2>/dev/null | grep '^sandbox-pasta')"
# A launcher killed outright takes pasta with it. (Its own pasta and command, by pid and tag:
# other tests run sandboxes of the same user meanwhile.)
sb_bg --net user -- sleep 60.25
launcher=$!
pasta=""
for _ in $(seq 50); do pasta=$(pgrep -u "$TEST_UID" -P "$launcher" -f '^pasta ') && break; sleep 0.1; done
kill -KILL "$launcher"
wait "$launcher" 2>/dev/null
# The kernel ends them at once; a loaded machine may take a moment to get there.
left() { [ -n "$pasta" ] && kill -0 "$pasta" 2>/dev/null && echo "pasta $pasta"; pgrep -u "$TEST_UID" -f '^sleep 60.25'; }
for _ in $(seq 50); do [ -z "$(left)" ] && break; sleep 0.1; done
check "after SIGKILL of the launcher, neither pasta nor its files are left" "" \
	"$(left; ls /tmp 2>/dev/null | grep '^sandbox-pasta')"
check_match "forwards need the user mode" "*port forwarding needs network.mode = \"user\"*" \
	"$(sb --net none --forward tcp:8080 -- true 2>&1)"
finish
