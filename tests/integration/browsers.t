#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The real browsers and an X11 app through the shipped profiles: Firefox ESR and Chromium render
# a page from a development server on the host's loopback into the real ~/Downloads, keep their
# own sandboxes (content processes and renderers in namespaces of their own inside ours), keep
# their profiles in the sandbox's store, cannot read ~/.ssh or ~/Documents, and end with the
# launcher; xterm draws a window on an X server (Xvfb) through the gui profile. Each screenshot is
# decoded here (PNG, XWD) and its pixels compared with what the page or the window must show.
. "$(dirname "$0")/lib.sh"

# A store of the test's own (the profiles keep their homes in ${XDG_DATA_HOME}/sandbox/homes):
# every run starts from a new Firefox and Chromium profile and leaves nothing behind. A shared
# store would carry Firefox's startup-crash count from run to run (a headless Firefox ended by
# a signal never completes its startup), and after three such runs Firefox wants its safe mode,
# where a headless --screenshot exits 0 and writes nothing.
data="$T/data"
store="$data/sandbox/homes"
mkdir -p "$data"
chown "$TEST_UID:$TEST_GID" "$data"
# ${DOWNLOADS} is the real ~/Downloads: say so, whatever the defaults.
# shellcheck disable=SC2016 # the file's own syntax
printf 'XDG_DOWNLOAD_DIR="$HOME/Downloads"\n' >"$T/config/user-dirs.dirs"
chmod a+r "$T/config/user-dirs.dirs"
export EXTRA_ENV="XDG_DATA_HOME=$data"
dl="$TEST_HOME/Downloads"
tag="browsers-$$"
made_dirs=""
for d in "$dl" "$TEST_HOME/.ssh" "$TEST_HOME/Documents"; do
	[ -d "$d" ] && continue
	mkdir -p "$d" && chown "$TEST_UID:$TEST_GID" "$d" && chmod 700 "$d"
	made_dirs="$d $made_dirs"
done
secret_key="$TEST_HOME/.ssh/id_test"
secret_doc="$TEST_HOME/Documents/secret.txt"
# (never the user's own files, should they be there)
[ -e "$secret_key" ] && secret_key="$TEST_HOME/.ssh/id_test-$tag"
[ -e "$secret_doc" ] && secret_doc="$TEST_HOME/Documents/secret-$tag.txt"
# shellcheck disable=SC2317 # called by the trap
restore() {
	rm -f "$dl/$tag"-* "$secret_key" "$secret_doc" "$TEST_HOME/$tag"
	# shellcheck disable=SC2086
	[ -n "$made_dirs" ] && rmdir $made_dirs 2>/dev/null
	cleanup
}
trap restore EXIT

# The decoder of screenshots: pixels.py png|xwd FILE X,Y... prints, for each point, its colour
# with each channel rounded to 0 or f ("f00" is red), so that a colour-managed or dithered
# rendering still reads as the colour the page asked for.
cat >"$T/pixels.py" <<'EOF'
import struct, sys, zlib

def png(path):
    data = open(path, 'rb').read()
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        sys.exit('not a PNG')
    pos, idat, head = 8, b'', None
    while pos + 8 <= len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b'IHDR':
            head = struct.unpack('>IIBBBBB', body)
        elif kind == b'IDAT':
            idat += body
        elif kind == b'IEND':
            break
    w, h, depth, ctype, _, _, interlace = head
    if depth != 8 or ctype not in (2, 6) or interlace:
        sys.exit('unsupported PNG: bit depth %d, colour type %d, interlace %d' % (depth, ctype, interlace))
    bpp = 3 if ctype == 2 else 4
    raw, stride, rows, prev, i = zlib.decompress(idat), w * bpp, [], bytearray(w * bpp), 0
    for _ in range(h):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
            elif f != 0:
                sys.exit('bad PNG filter type %d' % f)
        rows.append(line)
        prev = line
    return w, h, lambda x, y: tuple(rows[y][x * bpp:x * bpp + 3])

def xwd(path):
    data = open(path, 'rb').read()
    (size, version, fmt, depth, w, h, _, byte_order, _, _, _, bits, line, _,
     masks_r, masks_g, masks_b, _, _, ncolors) = struct.unpack('>20I', data[:80])
    if version != 7 or fmt != 2 or bits not in (24, 32):
        sys.exit('unsupported XWD: version %d, format %d, %d bits per pixel' % (version, fmt, bits))
    off, step = size + 12 * ncolors, bits // 8
    shift = lambda m: (m & -m).bit_length() - 1
    def px(x, y):
        at = off + y * line + x * step
        v = int.from_bytes(data[at:at + step], 'big' if byte_order else 'little')
        return tuple(((v & m) >> shift(m)) * 255 // (m >> shift(m)) for m in (masks_r, masks_g, masks_b))
    return w, h, px

w, h, px = (png if sys.argv[1] == 'png' else xwd)(sys.argv[2])
out = []
for arg in sys.argv[3:]:
    x, y = map(int, arg.split(','))
    out.append(''.join('f' if c >= 128 else '0' for c in px(x, y)) if x < w and y < h else 'outside')
print(' '.join(out))
EOF
pixels() { python3 "$T/pixels.py" "$@" 2>&1 | tail -1; }

# The processes of a background sandbox, seen from the host: the launcher and all its descendants
# (the browsers' own namespaces are nested in the sandbox's, so they are all here).
descendants() {
	ps -e -o pid=,ppid= | awk -v root="$1" '
		{ kids[$2] = kids[$2] " " $1 }
		END { todo = root; while (todo != "") { split(todo, a, " "); todo = ""
			for (i in a) { print a[i]; n = split(kids[a[i]], k, " "); for (j = 1; j <= n; j++) todo = todo " " k[j] } } }'
}
# log FILE: its last lines that say something (not the gui warnings of a display-less host).
log() { grep -v -e '^sandbox: warning: gui' -e 'dbus' -e 'headless mode' "$1" | tail -4 | tr '\n' ' '; }
cmdline() { tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline"; }
ns() { readlink "/proc/$1/ns/$2" 2>/dev/null; }
alive() { local s; s=$(ps -o stat= -p "$1" 2>/dev/null) && [ "${s#Z}" = "$s" ]; }
# stop PID: SIGTERM to a background launcher (a child of this shell: not in a subshell); its
# exit status in $stopped, or "still running".
stop() {
	kill -TERM "$1" 2>/dev/null
	for _ in $(seq 100); do alive "$1" || break; sleep 0.1; done
	if alive "$1"; then
		kill -KILL "$1"; wait "$1" 2>/dev/null; stopped="still running 10 s after SIGTERM"
	else
		wait "$1"; stopped=$?
	fi
}
# left PIDS...: those still running 5 s on, with their command lines.
left() {
	local p out
	for _ in $(seq 50); do
		out=""
		for p in "$@"; do alive "$p" && out="$out $p:$(cmdline "$p" | cut -c1-60)"; done
		[ -z "$out" ] && return
		sleep 0.1
	done
	echo "$out"
}
# survey LAUNCHER EXE HELPER KIND NS...: among the descendants of LAUNCHER that run EXE (a suffix
# of the path), $main is the browser itself (no HELPER option), $kids those with the option KIND,
# $nested those of $kids in namespaces NS... (user, net, pid) other than the main process's, and
# $seen their namespaces, to show when a check fails.
survey() {
	local p n own
	main="" kids="" nested="" seen=""
	for p in $(descendants "$1"); do
		case "$(readlink "/proc/$p/exe")" in *"$2") ;; *) continue ;; esac
		if cmdline "$p" | grep -Eq -- "(^| )$4( |\$)"; then kids="$kids $p"
		elif ! cmdline "$p" | grep -Eq -- "(^| )$3"; then main=$p; fi
	done
	[ -n "$main" ] || return 0
	seen="main $main:$(for n in "${@:5}"; do printf ' %s' "$(ns "$main" "$n")"; done)"
	for p in $kids; do
		own=yes
		# (a process gone meanwhile has no namespaces: not one of its own)
		for n in "${@:5}"; do
			[ -n "$(ns "$p" "$n")" ] && [ "$(ns "$p" "$n")" != "$(ns "$main" "$n")" ] || own=""
		done
		[ -n "$own" ] && nested="$nested $p"
		seen="$seen; $p:$(for n in "${@:5}"; do printf ' %s' "$(ns "$p" "$n")"; done)"
	done
	return 0
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=""
for p in $(seq 23100 23300); do port_free "$p" && { port=$p; break; }; done
mkdir -p "$T/www"
cat >"$T/www/page.html" <<'EOF'
<!doctype html>
<html><head><style>
html, body { margin: 0; background: #0000ff; }
#box { position: absolute; left: 100px; top: 80px; width: 160px; height: 120px; background: #ff0000; }
</style></head><body><div id="box"></div></body></html>
EOF
chmod -R a+rX "$T/www"
user_prefix
(cd "$T" && exec "${P[@]}" python3 -m http.server "$port" --bind 127.0.0.1 --directory "$T/www" >/dev/null 2>&1) &
cleanup_pids="${cleanup_pids:-} $!"
for _ in $(seq 50); do port_free "$port" || break; sleep 0.1; done
url="http://127.0.0.1:$port/page.html"
# Background, box, and the background right of and below the box, in a 400x300 window.
page_points=("20,20" "180,140" "330,140" "180,250")
page_colours="00f f00 00f 00f"

# The browser profiles ask for network.mode = "user": pasta and a usable /dev/net/tun.
net_skip=""
command -v pasta >/dev/null || net_skip="pasta is not installed (passt)"
[ -z "$net_skip" ] && [ ! -c /dev/net/tun ] && net_skip="this machine has no /dev/net/tun"
if [ -z "$net_skip" ] && ! use_device /dev/net/tun; then
	net_skip="/dev/net/tun is not usable by $TEST_USER"
fi
[ -n "$port" ] || net_skip="no free port for the page's server"
host_user=$(ns $$ user)
host_net=$(ns $$ net)

# --- Firefox ESR.
ff_skip=$net_skip
command -v firefox-esr >/dev/null || ff_skip="firefox-esr is not installed"
if [ -n "$ff_skip" ]; then
	for n in $(seq 14); do skip "firefox-esr check $n" "$ff_skip"; done
else
	stamp="$T/stamp"
	touch "$stamp"
	shot="$dl/$tag-firefox.png"
	user_prefix
	(cd "$T" && exec timeout -k 5 60 "${P[@]}" "$SB" firefox-esr --headless --window-size 400,300 \
		--screenshot "$shot" "$url" >"$T/firefox.log" 2>&1)
	rc=$?
	check "firefox-esr --headless --screenshot, the profile chosen by the command's name: exit 0" "0" "$rc"
	if [ -f "$shot" ]; then
		check "it renders the page of a server on the host's loopback, into the real ~/Downloads" \
			"$page_colours" "$(pixels png "$shot" "${page_points[@]}")"
	else
		not_ok "it renders the page of a server on the host's loopback, into the real ~/Downloads" \
			"no $shot" "$(log "$T/firefox.log")"
	fi
	check_match "the command's name chose the firefox-esr profile, whose home is the firefox store" \
		"*'firefox-esr' *'$TEST_HOME' from '$store/firefox'*" "$(sb --explain firefox-esr 2>&1)"
	profiles=$(ls "$store"/firefox/.mozilla/firefox/profiles.ini "$store"/firefox/.config/mozilla/firefox/profiles.ini 2>/dev/null)
	check_match "Firefox made its profile in the sandbox's store" "$store/firefox/*/profiles.ini" "$profiles"
	check "and nothing in the real home's ~/.mozilla, ~/.config/mozilla or ~/.cache/mozilla" "" \
		"$(find "$TEST_HOME/.mozilla" "$TEST_HOME/.config/mozilla" "$TEST_HOME/.cache/mozilla" -newer "$stamp" 2>/dev/null | head -3)"

	# Firefox's own sandbox: its content processes in user and network namespaces of their own.
	sb_bg firefox-esr --headless --window-size 400,300 "$url" >"$T/firefox-bg.log" 2>&1
	launcher=$!
	cleanup_pids="$cleanup_pids $launcher"
	# Content processes start one after another (the fork server, sockets, then web content): 20 s
	# for one in namespaces of its own.
	end=$((SECONDS + 20))
	while [ "$SECONDS" -lt "$end" ]; do
		survey "$launcher" /firefox-esr -contentproc -contentproc user net
		[ -n "$nested" ] && break
		alive "$launcher" || break
		sleep 0.1
	done
	if [ -n "$kids" ] && [ -n "$main" ]; then
		ok "content processes start ($(wc -w <<<"$kids"))"
		check "the main Firefox process is in user and network namespaces other than the host's" "yes" \
			"$([ "$(ns "$main" user)" != "$host_user" ] && [ "$(ns "$main" net)" != "$host_net" ] && echo yes || echo no)"
		check "a content process has a user and a network namespace of its own inside the sandbox's" "yes" \
			"$([ -n "$nested" ] && echo yes || echo "no: $seen")"
	else
		not_ok "content processes start" "no -contentproc process within 20 s" "$(log "$T/firefox-bg.log")"
		skip "the main Firefox process is in user and network namespaces other than the host's" "Firefox did not start"
		skip "a content process has a user and a network namespace of its own" "Firefox did not start"
	fi
	procs=$(descendants "$launcher")
	# Firefox catches SIGTERM, shuts down and dies of it, as outside a sandbox: 128+15.
	stop "$launcher"
	check "SIGTERM to the launcher ends Firefox, and the launcher reports it (143)" "143" "$stopped"
	# shellcheck disable=SC2086
	check "no process of that sandbox is left (pasta, content processes)" "" "$(left $procs)"

	# Containment: the secrets of the real home, and writes outside Downloads.
	printf '<html><body style="background:#ff00ff">PRIVATE KEY</body></html>\n' >"$secret_key"
	echo "my secret" >"$secret_doc"
	cp "$secret_key" "$dl/$tag-control"
	chown "$TEST_UID:$TEST_GID" "$secret_key" "$secret_doc" "$dl/$tag-control"
	chmod 600 "$secret_key" "$secret_doc"
	check "with the firefox-esr profile, ~/.ssh and ~/Documents cannot be read inside" "fails fails absent" \
		"$(sb --profile firefox-esr -- sh -c "cat '$secret_key' >/dev/null 2>&1 && echo reads || echo fails
			cat '$secret_doc' >/dev/null 2>&1 && echo reads || echo fails
			test -e '$TEST_HOME/.ssh' && echo present || echo absent" 2>/dev/null | tr '\n' ' ' | sed 's/ $//')"
	sb --profile firefox-esr -- sh -c "touch '$TEST_HOME/$tag'; mkdir -p '$TEST_HOME/Documents'; echo x >'$secret_doc'" 2>/dev/null
	check "writes to the home inside do not reach the real home" "absent my secret" \
		"$(test -e "$TEST_HOME/$tag" && echo present || echo absent) $(cat "$secret_doc")"
	# A page in Downloads frames ~/.ssh/id_test (a page of its own colour, were it readable) and a
	# copy of it in Downloads, which must show: the browser itself cannot read the key either.
	cat >"$dl/$tag-probe.html" <<EOF
<!doctype html>
<html><body style="margin: 0; background: #ffff00">
<iframe src="file://$secret_key" style="position: absolute; left: 0; top: 0; width: 180px; height: 280px; border: 0"></iframe>
<iframe src="file://$dl/$tag-control" style="position: absolute; left: 200px; top: 0; width: 180px; height: 280px; border: 0"></iframe>
</body></html>
EOF
	chown "$TEST_UID:$TEST_GID" "$dl/$tag-probe.html"
	shot="$dl/$tag-probe.png"
	user_prefix
	(cd "$T" && exec timeout -k 5 60 "${P[@]}" "$SB" firefox-esr --headless --window-size 400,300 \
		--screenshot "$shot" "file://$dl/$tag-probe.html" >"$T/firefox-probe.log" 2>&1)
	got=$( [ -f "$shot" ] && pixels png "$shot" 290,140 90,140 || echo "no screenshot: $(log "$T/firefox-probe.log")")
	check "a page in Downloads shows a file of Downloads in a frame" "f0f" "${got%% *}"
	case "$got" in "f0f f0f") got="the key's page shows" ;; "f0f "???) got="not shown" ;; esac
	check "but not ~/.ssh/id_test" "not shown" "$got"
fi

# --- Chromium.
cr_skip=$net_skip
command -v chromium >/dev/null || cr_skip="chromium is not installed"
if [ -n "$cr_skip" ]; then
	for n in $(seq 7); do skip "chromium check $n" "$cr_skip"; done
else
	shot="$dl/$tag-chromium.png"
	user_prefix
	(cd "$T" && exec timeout -k 5 60 "${P[@]}" "$SB" chromium --headless --window-size=400,300 \
		--screenshot="$shot" "$url" >"$T/chromium.log" 2>&1)
	rc=$?
	check "chromium --headless --screenshot (its own sandbox on): exit 0" "0" "$rc"
	if [ -f "$shot" ]; then
		check "it renders the page of a server on the host's loopback, into the real ~/Downloads" \
			"$page_colours" "$(pixels png "$shot" "${page_points[@]}")"
	else
		not_ok "it renders the page of a server on the host's loopback, into the real ~/Downloads" \
			"no $shot" "$(log "$T/chromium.log")"
	fi

	sb_bg chromium --headless --window-size=400,300 "$url" >"$T/chromium-bg.log" 2>&1
	launcher=$!
	cleanup_pids="$cleanup_pids $launcher"
	# 20 s for the renderers (the page's, and headless Chromium's own) and all of them nested.
	end=$((SECONDS + 20))
	while [ "$SECONDS" -lt "$end" ]; do
		survey "$launcher" /chromium/chromium --type= --type=renderer user pid
		[ -n "$kids" ] && [ "$kids" = "$nested" ] && break
		alive "$launcher" || break
		sleep 0.1
	done
	flags=""
	for p in $(descendants "$launcher"); do
		cmdline "$p" | grep -Eq -- '(^| )--no-sandbox( |$)' && flags="$flags $p:$(cmdline "$p" | cut -c1-60)"
	done
	if [ -n "$kids" ] && [ -n "$main" ]; then
		ok "renderers start ($(wc -w <<<"$kids"))"
		check "every renderer has a user and a pid namespace of its own inside the sandbox's" "yes" \
			"$([ "$kids" = "$nested" ] && echo yes || echo "no: $seen")"
	else
		not_ok "renderers start" "no --type=renderer process within 20 s" "$(log "$T/chromium-bg.log")"
		skip "every renderer has a user and a pid namespace of its own" "Chromium did not start"
	fi
	check "no Chromium process runs with --no-sandbox" "" "$flags"
	procs=$(descendants "$launcher")
	# Chromium catches SIGTERM and shuts down cleanly: the launcher reports 0.
	stop "$launcher"
	check "SIGTERM to the launcher ends Chromium, and the launcher reports it (0)" "0" "$stopped"
	# shellcheck disable=SC2086
	check "no process of that sandbox is left (pasta, zygotes, renderers)" "" "$(left $procs)"
fi

# --- An X11 app: xterm on an X server of the test's own, with a cookie.
x_skip=""
for c in Xvfb xauth xwininfo xwd xterm; do
	command -v "$c" >/dev/null || { x_skip="$c is not installed"; break; }
done
xvfb=""
if [ -z "$x_skip" ]; then
	# Displays below gui.t's (70-99), which may run at the same time.
	for d in $(seq 40 69); do
		[ -e "/tmp/.X11-unix/X$d" ] || [ -e "/tmp/.X$d-lock" ] && continue
		xa="$T/xauthority"
		rm -f "$xa"
		as_user xauth -f "$xa" add ":$d" . "$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')" 2>/dev/null
		user_prefix
		(cd "$T" && exec "${P[@]}" Xvfb ":$d" -auth "$xa" -nolisten tcp -screen 0 320x240x24 >/dev/null 2>&1) &
		xvfb=$!
		cleanup_pids="$cleanup_pids $xvfb"
		for _ in $(seq 100); do [ -S "/tmp/.X11-unix/X$d" ] || ! alive "$xvfb" && break; sleep 0.1; done
		alive "$xvfb" && [ -S "/tmp/.X11-unix/X$d" ] && break
		xvfb=""
	done
	[ -n "$xvfb" ] || x_skip="no X server could be started (Xvfb)"
fi
if [ -n "$x_skip" ]; then
	for n in $(seq 5); do skip "x11 check $n" "$x_skip"; done
else
	export EXTRA_ENV="$EXTRA_ENV DISPLAY=:$d XAUTHORITY=$xa"
	sb_bg --profile gui -- xterm -bg '#00ff00' -geometry 20x5+10+20 -e sleep 30 >"$T/xterm.log" 2>&1
	launcher=$!
	cleanup_pids="$cleanup_pids $launcher"
	win=""
	for _ in $(seq 100); do
		# (created 1x1 at 0,0, then given its geometry)
		win=$(as_user xwininfo -root -tree 2>/dev/null | grep '("xterm" "XTerm")')
		case "$win" in *+10+20*) break ;; esac
		alive "$launcher" || break
		sleep 0.1
	done
	check_match "xterm through the gui profile maps its window on the display" '*("xterm" "XTerm")*+10+20*' "$win"
	# The window's background is drawn when it is mapped; a loaded machine may take a moment.
	for _ in $(seq 20); do
		as_user xwd -root -silent >"$T/screen.xwd" 2>/dev/null
		got=$(pixels xwd "$T/screen.xwd" 5,5 20,30 100,70 300,200)
		[ "$got" = "000 0f0 0f0 000" ] && break
		sleep 0.1
	done
	check "the screen shows its green window where it asked for it, the root black around it" "000 0f0 0f0 000" "$got"
	procs=$(descendants "$launcher")
	# xterm catches SIGTERM and exits with status 15, as outside a sandbox.
	stop "$launcher"
	check "SIGTERM to the launcher ends xterm, and the launcher reports its status (15)" "15" "$stopped"
	# shellcheck disable=SC2086
	check "no process of that sandbox is left" "" "$(left $procs)"
	check "and the window is gone" "" "$(as_user xwininfo -root -tree 2>/dev/null | grep '("xterm" "XTerm")')"
	kill "$xvfb"
	wait "$xvfb" 2>/dev/null
fi
finish
