#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# [gui]: an X11 display (Xvfb) with only its cookie, and Wayland and audio sockets (listeners
# this test makes), each visible only when asked for.
. "$(dirname "$0")/lib.sh"

run="$T/run"
mkdir -p "$run/pulse" "$T/config/pulse"
echo secret >"$run/other-app-socket"
echo cookie >"$T/config/pulse/cookie"
chown -R "$TEST_UID:$TEST_GID" "$run" "$T/config/pulse"
chmod 700 "$run"
# Listening sockets that answer "hello", standing in for a compositor and a sound server.
listen() { # PATH
	python3 -c "
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); os.chmod(sys.argv[1], 0o777); s.listen(8)
while True:
    c, _ = s.accept(); c.sendall(b'hello'); c.close()
" "$1" &
	cleanup_pids="${cleanup_pids:-} $!"
	for _ in $(seq 50); do [ -S "$1" ] && return; sleep 0.1; done
}
listen "$run/wayland-t"
listen "$run/pulse/native"
connect='import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
try:
    s.connect(sys.argv[1]); print(s.recv(5).decode())
except OSError as e:
    print(type(e).__name__)'
export EXTRA_ENV="XDG_RUNTIME_DIR=$run WAYLAND_DISPLAY=wayland-t"

profile all '[gui]' 'wayland = true' 'audio = true'
check "gui.wayland: the compositor's socket answers inside" "hello" \
	"$(sb --profile "$T/all.toml" -- python3 -c "$connect" "$run/wayland-t")"
check "and WAYLAND_DISPLAY names it" "wayland-t" "$(sb --profile "$T/all.toml" -- printenv WAYLAND_DISPLAY)"
check "nothing else of the runtime directory is visible" "absent" \
	"$(sb --profile "$T/all.toml" -- sh -c "test -e '$run/other-app-socket' && echo present || echo absent")"
check "gui.audio: the PulseAudio socket answers inside" "hello" \
	"$(sb --profile "$T/all.toml" -- python3 -c "$connect" "$run/pulse/native")"
check "and its cookie is there, read-only" "cookie write: EROFS" \
	"$(sb --profile "$T/all.toml" --ro-bind "$PR:/probe" -- sh -c "cat '$T/config/pulse/cookie'; /probe write '$T/config/pulse/cookie'" | tr '\n' ' ' | sed 's/ $//')"
check "without [gui], neither socket is there" "FileNotFoundError FileNotFoundError" \
	"$(sb -- sh -c "python3 -c '$connect' '$run/wayland-t'; python3 -c '$connect' '$run/pulse/native'" | tr '\n' ' ' | sed 's/ $//')"
profile gpu '[gui]' 'gpu = true'
if [ -d /dev/dri ]; then
	check "gui.gpu: /dev/dri is there" "present" "$(sb --profile "$T/gpu.toml" -- sh -c 'test -d /dev/dri && echo present')"
else
	check_match "gui.gpu without a GPU: --explain says so" "*gui.gpu: no GPU device (/dev/dri) on this host*" \
		"$(sb --profile "$T/gpu.toml" --explain -- true 2>&1)"
	check "and the app starts without a word (it renders in software)" "" "$(sb --profile "$T/gpu.toml" -- true 2>&1)"
fi
# Asked for both displays, the app needs only one: a missing one is no warning, none at all is.
profile both '[gui]' 'wayland = true' 'x11 = true'
check "gui.wayland and gui.x11, the compositor there, no X server: no warning" "" \
	"$(EXTRA_ENV="$EXTRA_ENV DISPLAY=:98" sb --profile "$T/both.toml" -- true 2>&1)"
check_match "neither display there: a warning names both" "*gui.wayland: no Wayland*gui.x11: the display ':98'*" \
	"$(EXTRA_ENV="XDG_RUNTIME_DIR=$run WAYLAND_DISPLAY=nowhere DISPLAY=:98" sb --profile "$T/both.toml" -- true 2>&1 | tr '\n' ' ')"

if ! command -v Xvfb >/dev/null || ! command -v xauth >/dev/null || ! command -v xdpyinfo >/dev/null; then
	for n in 1 2 3 4 5; do skip "gui.x11 check $n" "Xvfb, xauth and xdpyinfo are not installed"; done
	finish
fi
# A display of its own, with a cookie, and a second cookie for another display.
for d in $(seq 70 99); do [ -e "/tmp/.X11-unix/X$d" ] || [ -e "/tmp/.X$d-lock" ] || break; done
xa="$T/xauthority"
as_user xauth -f "$xa" add ":$d" . "$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')" 2>/dev/null
as_user xauth -f "$xa" add ":$((d + 1))" . "$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')" 2>/dev/null
user_prefix
(cd "$T" && exec "${P[@]}" Xvfb ":$d" -auth "$xa" -nolisten tcp -noreset -screen 0 320x240x24 >/dev/null 2>&1) &
xvfb=$!
cleanup_pids="$cleanup_pids $xvfb"
for _ in $(seq 100); do [ -S "/tmp/.X11-unix/X$d" ] && break; sleep 0.1; done
export EXTRA_ENV="$EXTRA_ENV DISPLAY=:$d XAUTHORITY=$xa"
profile x11 '[gui]' 'x11 = true'
check_match "gui.x11: an X11 client reaches the display" "*name of display:*:$d*" \
	"$(sb --profile "$T/x11.toml" -- xdpyinfo 2>&1 | head -3)"
check "the Xauthority inside holds this display's cookie only" "1 :$d" \
	"$(sb --profile "$T/x11.toml" -- sh -c 'xauth -f "$XAUTHORITY" list | wc -l; xauth -f "$XAUTHORITY" list | sed "s/.*\(:[0-9]*\).*/\1/"' 2>/dev/null | tr '\n' ' ' | sed 's/ $//')"
check "the host's Xauthority itself is not visible" "absent" \
	"$(sb --profile "$T/x11.toml" -- sh -c "test -e '$xa' && echo present || echo absent")"
check "without gui.x11 the display is out of reach" "fails" \
	"$(sb -- sh -c 'xdpyinfo >/dev/null 2>&1 && echo reaches || echo fails')"
check_match "--explain says X11 does not isolate apps" "*X11 does not isolate apps from each other*" \
	"$(sb --profile "$T/x11.toml" --explain -- true 2>&1)"
# SIGTERM, so that Xvfb removes its socket and lock file (SIGKILL would leave the display taken).
kill "$xvfb" 2>/dev/null
wait "$xvfb" 2>/dev/null
finish
