#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The shipped per-app profiles: each one checks and explains and is the one chosen by its
# command's name; each app that is installed runs under it on a real file (headless, or on an
# Xvfb display of this test's own) and ends cleanly; and each kind of profile keeps out what
# it should: viewers and editors do not see ~/.ssh or the rest of the home, offline tools do
# not reach a service on the host, network tools write only where they are started, media
# players get the sound server and viewers do not. An app that is not installed is skipped.
. "$(dirname "$0")/lib.sh"

apps="audacious cargo curl eog evince feh ffmpeg file-roller gedit gimp git hexchat imv imv-wayland
imv-x11 inkscape keepassxc libreoffice make mpv mupdf node npm okular pandoc pidgin pip pip3
python3 qpdfview ristretto telegram-desktop thunderbird transmission-gtk vlc wget yt-dlp zathura"

# A home of this test's own, with the user's directories, a key in ~/.ssh and a directory no
# profile grants; the apps' stores land under it too.
H="$T/home"
W="$H/work"
mkdir -p "$H"/Documents "$H"/Downloads "$H"/Pictures "$H"/Music "$H"/Videos "$H"/Desktop \
	"$H"/.ssh "$H"/outside "$W" "$T/run/pulse" "$T/srv"
echo "ssh-secret-key" >"$H/.ssh/id_test"
echo "private" >"$H/outside/private.txt"
printf '[user]\n\tname = Sandbox Test\n\temail = test@example.org\n' >"$H/.gitconfig"
echo "//registry.example.org/:_authToken=npm-secret" >"$H/.npmrc"
# A sound server's socket, for gui.audio to find (nothing needs to answer).
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$T/run/pulse/native"

# Test files: a one-page PDF titled "sbtest document", a PNG, a WAV tone, a text file, an SVG,
# a Markdown page, a tar archive, a Makefile, a wheel, an npm package.
python3 - "$H" "$T/srv" <<'PY'
import io, math, os, struct, sys, tarfile, wave, zipfile, zlib
home, srv = sys.argv[1], sys.argv[2]
objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>", None,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", b"<< /Title (sbtest document) >>"]
text = b"BT /F1 18 Tf 20 40 Td (Hello sandbox) Tj ET"
objs[3] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text)
pdf, offsets = b"%PDF-1.4\n", []
for i, o in enumerate(objs, 1):
    offsets.append(len(pdf))
    pdf += b"%d 0 obj\n%s\nendobj\n" % (i, o)
xref = len(pdf)
pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
pdf += b"".join(b"%010d 00000 n \n" % o for o in offsets)
pdf += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
open(home + "/Documents/sbtest.pdf", "wb").write(pdf)

def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
w, h = 64, 48
rows = b"".join(b"\0" + b"".join(bytes(((x * 4) % 256, (y * 5) % 256, 128)) for x in range(w)) for y in range(h))
open(home + "/Pictures/sbtest.png", "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                                              + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
open(home + "/Pictures/sblogo.svg", "w").write(
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect width="40" height="30" fill="#36c"/></svg>\n')

for path in (home + "/Music/sbtone.wav", home + "/work/sbtone.wav", srv + "/sbtone.wav"):
    t = wave.open(path, "wb")
    t.setnchannels(1); t.setsampwidth(2); t.setframerate(8000)
    t.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(i * 0.2))) for i in range(4000)))
    t.close()

open(home + "/Documents/sbnotes.txt", "w").write("notes\n")
open(home + "/Documents/sbletter.txt", "w").write("Hello from LibreOffice\n")
open(home + "/work/page.md", "w").write("# Hello\n\nFrom *pandoc*.\n")
open(srv + "/payload.txt", "w").write("payload-from-host\n")
with tarfile.open(home + "/Downloads/sbarchive.tar.gz", "w:gz") as tar:
    data = b"extracted\n"
    info = tarfile.TarInfo("sbarchive/inside.txt"); info.size = len(data)
    tar.addfile(info, io.BytesIO(data))

os.makedirs(home + "/work/mk")
open(home + "/work/mk/Makefile", "w").write(
    "all:\n\tprintf built > built.txt\n\nsteal:\n\tcat $(HOME)/.ssh/id_test > stolen.txt\n")

with zipfile.ZipFile(srv + "/hello_sb-1.0-py3-none-any.whl", "w") as z:
    z.writestr("hello_sb.py", 'print("hello from a wheel")\n')
    z.writestr("hello_sb-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: hello-sb\nVersion: 1.0\n")
    z.writestr("hello_sb-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\nGenerator: apps.t\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
    z.writestr("hello_sb-1.0.dist-info/RECORD", "hello_sb.py,,\nhello_sb-1.0.dist-info/METADATA,,\n"
               "hello_sb-1.0.dist-info/WHEEL,,\nhello_sb-1.0.dist-info/RECORD,,\n")

os.makedirs(home + "/work/npmproj/dep")
open(home + "/work/npmproj/package.json", "w").write('{"name": "app", "version": "1.0.0"}\n')
open(home + "/work/npmproj/dep/package.json", "w").write('{"name": "dep", "version": "1.0.0", "main": "index.js"}\n')
open(home + "/work/npmproj/dep/index.js", "w").write('module.exports = "dep works";\n')
PY
chown -R "$TEST_UID:$TEST_GID" "$H" "$T/run"
chmod 700 "$T/run" "$H/.ssh"
export EXTRA_ENV="HOME=$H XDG_RUNTIME_DIR=$T/run"

# sb_in DIR ARGS...: the sandbox as the test user, started in DIR (its ${PWD}).
sb_in() {
	local dir=$1
	shift
	user_prefix
	(cd "$dir" && exec "${P[@]}" "$SB" "$@")
}
# have COMMAND: whether the test user's PATH has it.
have() { as_user sh -c 'command -v "$0"' "$1" >/dev/null 2>&1; }
absent() { [ -e "$1" ] && echo present || echo absent; }

# A web server on the host's loopback, serving $T/srv.
port=""
for p in $(seq 23100 23300); do
	(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { port=$p; break; }
done
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$T/srv" >/dev/null 2>&1 &
cleanup_pids="${cleanup_pids:-} $!"
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
url="http://127.0.0.1:$port"
# What a sandbox reaches of it: "open" or "refused".
tcp_probe="(exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && echo open || echo refused"

# network.mode = "user" needs pasta and a /dev/net/tun the user may open.
net_skip=""
command -v pasta >/dev/null || net_skip="pasta is not installed (passt)"
if [ -z "$net_skip" ]; then
	# Debian's udev rule makes /dev/net/tun 0666; lib.sh's use_device lends it for the run where not.
	command -v use_device >/dev/null && use_device /dev/net/tun
	as_user test -r /dev/net/tun -a -w /dev/net/tun || net_skip="/dev/net/tun cannot be opened by the test user"
fi
# Without it, checks of those profiles that are not about the network run with --net none.
netarg=()
[ -n "$net_skip" ] && netarg=(--net none)

# --- 1. Every profile checks, explains, and is the one chosen by its command's name.
for a in $apps; do
	out=$(sb --check-profile "$a" 2>&1)
	sb --explain --profile "$a" -- true >"$T/explain.out" 2>&1
	check "$a: the profile checks and explains" "$a: ok 0" "$out $?"
	check_match "$a: 'sandbox $a' chooses it" "profile '$a': *" "$(sb --explain -- "$a" 2>/dev/null | head -1)"
done

# --- 2 and 3. Command-line tools, run where they are started (${PWD}).

# python3: the current directory read-write, no network.
if have python3; then
	check "python3: a script writes its output in the current directory" "ok from python" \
		"$(sb_in "$W" -- python3 -c 'open("py-out.txt", "w").write("from python"); print("ok")') $(cat "$W/py-out.txt" 2>&1)"
	check "python3: no network: the host's web server is out of reach" "refused" \
		"$(sb_in "$W" -- python3 -c "
import urllib.request
try:
    urllib.request.urlopen('$url/payload.txt', timeout=5); print('reached')
except OSError:
    print('refused')")"
	sb_in "$W" -- python3 -c "open('$H/outside/py-planted', 'w')" 2>/dev/null
	check "python3: nothing lands outside the current directory" "absent" "$(absent "$H/outside/py-planted")"
else
	for n in 1 2 3; do skip "python3 check $n" "python3 is not installed"; done
fi

# node: the same for JavaScript.
if have node; then
	out=$(sb_in "$W" -- node -e 'require("fs").writeFileSync("node-out.txt", "from node"); console.log(process.version)' 2>&1)
	check_match "node: a program writes its output in the current directory" "v* from node" "$out $(cat "$W/node-out.txt" 2>&1)"
	check "node: no network: the host's web server is out of reach" "refused" \
		"$(sb_in "$W" -- node -e "require('net').connect($port, '127.0.0.1').on('connect', () => { console.log('open'); process.exit(0) }).on('error', () => console.log('refused'))")"
else
	for n in 1 2; do skip "node check $n" "node is not installed"; done
fi

# make: dev without network.
if have make; then
	sb_in "$W/mk" -- make -s >/dev/null 2>&1
	check "make: builds the Makefile of the current directory" "0 built" "$? $(cat "$W/mk/built.txt" 2>&1)"
	sb_in "$W/mk" -- make -s steal >/dev/null 2>&1
	check "make: a recipe cannot read ~/.ssh" "2 " "$? $(cat "$W/mk/stolen.txt" 2>/dev/null)"
	check "make: no network: the host's web server is out of reach" "refused" "$(sb_in "$W/mk" --profile make -- bash -c "$tcp_probe")"
else
	for n in 1 2 3; do skip "make check $n" "make is not installed"; done
fi

# git: the work tree read-write, ~/.gitconfig read-only, ~/.ssh hidden.
if have git; then
	mkdir -p "$W/repo" && echo "hello" >"$W/repo/README" && chown -R "$TEST_UID:$TEST_GID" "$W/repo"
	# (--net none where pasta cannot run: the profile's network is not what is checked here)
	sb_in "$W/repo" "${netarg[@]}" -- git init -q && sb_in "$W/repo" "${netarg[@]}" -- git add README &&
		sb_in "$W/repo" "${netarg[@]}" -- git commit -q -m first
	check "git: init and commit in the current directory, with ~/.gitconfig's identity" "0 Sandbox Test: first" \
		"$? $(sb_in "$W/repo" "${netarg[@]}" -- git log --format='%an: %s' 2>&1)"
	check "git: ~/.gitconfig cannot be changed" "fails" \
		"$(sb_in "$W/repo" "${netarg[@]}" -- git config --global user.name Evil >/dev/null 2>&1 && echo changed || echo fails)"
else
	for n in 1 2; do skip "git check $n" "git is not installed"; done
fi
check "git: started in the home, ~/.ssh stays hidden" "hidden" \
	"$(sb_in "$H" --profile git "${netarg[@]}" -- sh -c 'cat ~/.ssh/id_test 2>/dev/null || echo hidden')"

# The network tools: outbound only, so the host's loopback needs --allow-host-port.
if [ -n "$net_skip" ]; then
	for n in $(seq 14); do skip "network tool check $n" "$net_skip"; done
else
	if have curl; then
		sb_in "$W" --allow-host-port "$port" -- curl -sS -o curl.txt "$url/payload.txt"
		check "curl: fetches into the current directory" "0 payload-from-host" "$? $(cat "$W/curl.txt" 2>&1)"
		sb_in "$W" -- curl -sS -m 10 -o curl2.txt "$url/payload.txt" 2>/dev/null
		check "curl: the host's loopback is out of reach unless its port is named" "7" "$?"
		sb_in "$W" --allow-host-port "$port" -- curl -sS -o "$H/outside/curl.txt" "$url/payload.txt" 2>/dev/null
		check "curl: cannot write outside the current directory" "23 absent" "$? $(absent "$H/outside/curl.txt")"
	else
		for n in 1 2 3; do skip "curl check $n" "curl is not installed"; done
	fi
	if have wget; then
		sb_in "$W" --allow-host-port "$port" -- wget -q "$url/payload.txt"
		check "wget: fetches into the current directory" "0 payload-from-host" "$? $(cat "$W/payload.txt" 2>&1)"
		sb_in "$W" --allow-host-port "$port" -- wget -q -O "$H/outside/wget.txt" "$url/payload.txt" 2>/dev/null
		check "wget: cannot write outside the current directory" "1 absent" "$? $(absent "$H/outside/wget.txt")"
	else
		for n in 1 2; do skip "wget check $n" "wget is not installed"; done
	fi
	if have yt-dlp; then
		sb_in "$W" --allow-host-port "$port" -- yt-dlp -q --no-progress -o 'ytdl.%(ext)s' "$url/sbtone.wav" >/dev/null 2>&1
		check "yt-dlp: downloads a media file into the current directory" "0 RIFF" "$? $(head -c 4 "$W/ytdl.wav" 2>&1)"
		check "yt-dlp: the host's loopback is out of reach unless its port is named" "refused" \
			"$(sb_in "$W" --profile yt-dlp -- bash -c "$tcp_probe")"
	else
		for n in 1 2; do skip "yt-dlp check $n" "yt-dlp is not installed"; done
	fi
	check "yt-dlp: started in the home, ~/.ssh stays hidden" "hidden" \
		"$(sb_in "$H" --profile yt-dlp -- sh -c 'cat ~/.ssh/id_test 2>/dev/null || echo hidden')"
	if have pip; then
		sb_in "$W" --allow-host-port "$port" -- pip install -q --no-index --find-links "$url/" --target ./site hello-sb >/dev/null 2>&1
		check "pip: installs a package from an index into the current directory" "0 hello from a wheel" \
			"$? $(sb_in "$W" -- python3 -c 'import sys; sys.path.insert(0, "site"); import hello_sb' 2>&1)"
		sb_in "$W" -- pip install -q --no-index --find-links "$url/" --target ./site2 hello-sb >/dev/null 2>&1
		check "pip: the host's loopback is out of reach unless its port is named" "1 absent" "$? $(absent "$W/site2/hello_sb.py")"
	else
		for n in 1 2; do skip "pip check $n" "pip is not installed"; done
	fi
	if have pip3; then
		check_match "pip3: runs under the pip profile's store" "pip * 0" "$(sb_in "$W" -- pip3 --version 2>&1) $?"
	else
		skip "pip3 check" "pip3 is not installed"
	fi
	if have npm; then
		sb_in "$W/npmproj" -- npm install --offline --no-audit --no-fund ./dep >/dev/null 2>&1
		check "npm: installs a package into the current directory" "0 dep works" \
			"$? $(sb_in "$W/npmproj" --profile npm -- node -e 'console.log(require("dep"))' 2>&1)"
	else
		skip "npm check" "npm is not installed"
	fi
fi
check "npm: ~/.npmrc and its token are not there" "absent" \
	"$(sb_in "$W/npmproj" --profile npm "${netarg[@]}" -- sh -c 'test -e ~/.npmrc && echo present || echo absent')"

# cargo: dev with outbound network, its crates in a store of its own.
mkdir -p "$H/.cargo/registry" "$H/.cargo/bin"
echo "token = \"cargo-secret\"" >"$H/.cargo/credentials.toml"
echo host >"$H/.cargo/registry/host-marker"
chown -R "$TEST_UID:$TEST_GID" "$H/.cargo"
if [ -n "$net_skip" ]; then
	skip "cargo: a new crate builds and runs" "$net_skip"
elif have cargo; then
	sb_in "$W" -- cargo new -q --vcs none hello >/dev/null 2>&1
	check "cargo: a new crate builds and runs" "Hello, world! 0" "$(sb_in "$W/hello" -- cargo run -q --offline 2>/dev/null) $?"
else
	skip "cargo: a new crate builds and runs" "cargo is not installed"
fi
if [ -n "$net_skip" ]; then
	skip "cargo: ~/.cargo's token and registry are not there, its store is" "$net_skip"
else
	sb_in "$W" --profile cargo -- sh -c 'echo kept >~/.cargo/registry/store-marker'
	check "cargo: ~/.cargo's token and registry are not there, its store is" "absent absent kept" \
		"$(sb_in "$W" --profile cargo -- sh -c 'for f in credentials.toml registry/host-marker; do test -e ~/.cargo/$f && echo present || echo absent; done; cat ~/.cargo/registry/store-marker' | tr '\n' ' ' | sed 's/ $//')"
fi

# ffmpeg and pandoc: the current directory, no network.
if have ffmpeg; then
	sb_in "$W" -- ffmpeg -v error -y -i sbtone.wav sbtone.flac
	check "ffmpeg: transcodes a file in the current directory" "0 fLaC" "$? $(head -c 4 "$W/sbtone.flac" 2>&1)"
	if sb_in "$W" -- ffmpeg -v error -i "$url/sbtone.wav" -f null - 2>/dev/null; then got=reached; else got=fails; fi
	check "ffmpeg: no network: the host's web server is out of reach" "fails" "$got"
else
	for n in 1 2; do skip "ffmpeg check $n" "ffmpeg is not installed"; done
fi
if have pandoc; then
	sb_in "$W" -- pandoc page.md -o page.html
	check "pandoc: converts a document in the current directory" "0 <h1 id=\"hello\">Hello</h1>" "$? $(head -1 "$W/page.html" 2>&1)"
	out=$(sb_in "$W" -- pandoc -s -H "$H/.ssh/id_test" page.md 2>&1)
	check_match "pandoc: a document cannot pull in ~/.ssh" "*id_test*" "$out"
	check "pandoc: ...and the key is not in its output" "" "$(echo "$out" | grep ssh-secret-key)"
else
	for n in 1 2 3; do skip "pandoc check $n" "pandoc is not installed"; done
fi

# --- The graphical apps: containment first (no display needed).
viewers="evince okular zathura mupdf qpdfview eog ristretto feh imv imv-x11 imv-wayland"
editors="gimp inkscape libreoffice gedit file-roller"
players="mpv vlc audacious"
netapps="transmission-gtk thunderbird telegram-desktop hexchat pidgin"
for a in $viewers $editors $players keepassxc $netapps; do
	check "$a: started in the home, sees neither ~/.ssh nor the rest of the home" "absent absent" \
		"$(sb_in "$H" --profile "$a" "${netarg[@]}" -- sh -c 'for f in ~/.ssh/id_test ~/outside/private.txt; do test -e $f && echo present || echo absent; done' 2>/dev/null | tr '\n' ' ' | sed 's/ $//')"
	sb_in "$H" --profile "$a" "${netarg[@]}" -- sh -c 'mkdir -p ~/.config/autostart && echo x >~/.config/autostart/planted.desktop' 2>/dev/null
	check "$a: a file planted in ~/.config/autostart does not reach the home" "absent" "$(absent "$H/.config/autostart/planted.desktop")"
done
for a in $viewers; do
	check "$a: cannot change the documents and pictures" "read-only" \
		"$(sb --profile "$a" -- sh -c "touch '$H/Documents/x' '$H/Pictures/x' 2>/dev/null && echo writable || echo read-only" 2>/dev/null)"
done
for a in $viewers $editors keepassxc; do
	check "$a: no network, no sound" "refused absent" \
		"$(sb --profile "$a" -- bash -c "$tcp_probe; test -S '$T/run/pulse/native' && echo present || echo absent" 2>/dev/null | tr '\n' ' ' | sed 's/ $//')"
done
for a in $players; do
	check "$a: the sound server is there, the network is not" "present refused" \
		"$(sb --profile "$a" -- bash -c "test -S '$T/run/pulse/native' && echo present || echo absent; $tcp_probe" 2>/dev/null | tr '\n' ' ' | sed 's/ $//')"
done
if [ -n "$net_skip" ]; then
	for a in $netapps; do skip "$a: outbound network, but not the host's loopback" "$net_skip"; done
else
	for a in $netapps; do
		check "$a: outbound network, but not the host's loopback; Downloads writable" "yes refused writable" \
			"$(sb --profile "$a" -- bash -c "test \$(cut -d: -f1 /proc/net/dev | tail -n +3 | wc -l) -ge 2 && echo yes || echo no; $tcp_probe; touch '$H/Downloads/$a' && echo writable" 2>/dev/null | tr '\n' ' ' | sed 's/ $//')"
	done
fi
# What the persistent ones keep, and what they do not.
sb --profile keepassxc -- sh -c 'echo kept >~/kept.txt' 2>/dev/null
check "keepassxc: its home is kept between runs" "kept" "$(sb --profile keepassxc -- cat "$H/kept.txt" 2>/dev/null)"
for pair in hexchat:.config/hexchat pidgin:.purple zathura:.local/share/zathura gimp:.config/GIMP; do
	a=${pair%%:*} d=${pair#*:}
	sb --profile "$a" "${netarg[@]}" -- sh -c "echo kept >~/$d/kept.txt; echo gone >~/gone.txt" 2>/dev/null
	check "$a: ~/$d is kept between runs, the rest of its home is not" "kept absent" \
		"$(sb --profile "$a" "${netarg[@]}" -- sh -c "cat ~/$d/kept.txt; test -e ~/gone.txt && echo present || echo absent" 2>/dev/null | tr '\n' ' ' | sed 's/ $//')"
done

# Headless runs of graphical apps that have a way to work without a display.
if have inkscape; then
	sb --profile inkscape -- inkscape --export-type=png --export-filename="$H/Pictures/sblogo.png" "$H/Pictures/sblogo.svg" >/dev/null 2>&1
	check "inkscape: exports an SVG of Pictures to PNG there" "0 PNG" "$? $(head -c 4 "$H/Pictures/sblogo.png" 2>&1 | tail -c 3)"
else
	skip "inkscape: exports an SVG of Pictures to PNG there" "inkscape is not installed"
fi
if have libreoffice; then
	sb_in "$H/Documents" -- libreoffice --headless --convert-to pdf --outdir "$H/Documents" "$H/Documents/sbletter.txt" >/dev/null 2>&1
	check "libreoffice: converts a document of Documents to PDF there" "0 %PDF" "$? $(head -c 4 "$H/Documents/sbletter.pdf" 2>&1)"
else
	skip "libreoffice: converts a document of Documents to PDF there" "libreoffice is not installed"
fi
if have cvlc; then
	out=$(sb --profile vlc -- cvlc -vv --play-and-exit --aout dummy --vout dummy "$H/Music/sbtone.wav" 2>&1)
	check_match "vlc: plays a file of Music to its end" "*sbtone.wav' successfully opened*EOF reached*" "$out"
	out=$(sb --profile vlc -- cvlc --play-and-exit --aout dummy "$H/outside/private.txt" 2>&1)
	check_match "vlc: a file outside its directories cannot be opened" "*unable to open*" "$out"
else
	skip "vlc: plays a file of Music to its end" "vlc is not installed"
	skip "vlc: a file outside its directories cannot be opened" "vlc is not installed"
fi
if have keepassxc-cli; then
	printf 'pw\npw\n' | sb --profile keepassxc -- keepassxc-cli db-create -q -p "$H/sb.kdbx" >/dev/null 2>&1
	check "keepassxc: creates a database, kept in its own home" "0 present" \
		"$? $(absent "$H/.local/share/sandbox/homes/keepassxc/sb.kdbx")"
else
	skip "keepassxc: creates a database, kept in its own home" "keepassxc is not installed"
fi
if have imv-x11 && ! have imv; then
	check_match "imv: with no command it runs imv-x11 (Debian has no plain imv)" "*\[command\]*'imv-x11'*" \
		"$(sb --explain --profile imv 2>/dev/null | tr '\n' ' ')"
else
	skip "imv: with no command it runs imv-x11" "imv-x11 is not installed, or imv is"
fi
if have imv-wayland; then
	check_match "imv-wayland: runs (no compositor here: its version)" "Version: 4.*" "$(sb -- imv-wayland -v 2>/dev/null)"
else
	skip "imv-wayland: runs" "imv-wayland is not installed"
fi

# --- On a display: each app opens its file, shows it in a window, and ends when asked.
gui_apps="zathura evince okular mupdf qpdfview eog feh imv imv-x11 ristretto gedit gimp mpv audacious file-roller
keepassxc transmission-gtk thunderbird telegram-desktop hexchat pidgin"
gui_skip=""
for c in Xvfb xauth xdotool; do command -v $c >/dev/null || gui_skip="Xvfb, xauth and xdotool are needed"; done
if [ -n "$gui_skip" ]; then
	for a in $gui_apps; do skip "$a: shows its window (with the file named) and ends when asked" "$gui_skip"; done
	finish
fi
# A display of this test's own (not reset when its last client goes), with a cookie.
for d in $(seq 150 199); do [ -e "/tmp/.X11-unix/X$d" ] || [ -e "/tmp/.X$d-lock" ] || break; done
xa="$T/xauthority"
as_user xauth -f "$xa" add ":$d" . "$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')" 2>/dev/null
user_prefix
(cd "$T" && exec "${P[@]}" Xvfb ":$d" -auth "$xa" -nolisten tcp -noreset -screen 0 1024x768x24 >/dev/null 2>&1) &
cleanup_pids="$cleanup_pids $!"
for _ in $(seq 100); do [ -S "/tmp/.X11-unix/X$d" ] && break; sleep 0.1; done
export EXTRA_ENV="$EXTRA_ENV DISPLAY=:$d XAUTHORITY=$xa"
xdo() { as_user xdotool "$@"; }

# gui_app PATTERN KEY ARGS...: runs `sandbox ARGS` on the display from the home directory,
# waits (30 s at most) for a window whose name matches PATTERN, then presses KEY in it (with
# KEY "-": sends sandbox SIGTERM) and waits for it to end (15 s, then it is killed). Sets win to
# the window's name ("" if none came) and rc to sandbox's exit status.
gui_app() {
	local pat=$1 key=$2 pid w=""
	shift 2
	user_prefix
	(cd "$H" && exec "${P[@]}" "$SB" "$@") >"$T/gui.log" 2>&1 &
	pid=$!
	for _ in $(seq 300); do
		w=$(xdo search --onlyvisible --name "$pat" 2>/dev/null | head -1)
		[ -n "$w" ] && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	win=""
	[ -n "$w" ] && win=$(xdo getwindowname "$w" 2>/dev/null)
	sleep 1
	if [ -n "$w" ] && [ "$key" != - ]; then
		xdo windowfocus --sync "$w" key "$key" 2>/dev/null
	else
		kill -TERM "$pid" 2>/dev/null
	fi
	for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	if kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid" 2>/dev/null
		sleep 3
		kill -KILL "$pid" 2>/dev/null
	fi
	wait "$pid"
	rc=$?
}
# gui_check NAME COMMAND PATTERN KEY EXPECTED-STATUS ARGS...
gui_check() {
	local name=$1 cmd=$2 pat=$3 key=$4 want=$5
	shift 5
	if ! have "$cmd"; then
		skip "$name: shows its window (with the file named) and ends when asked" "$cmd is not installed"
		return
	fi
	gui_app "$pat" "$key" "$@"
	check_match "$name: shows its window (with the file named) and ends when asked" "* $want" "$win $rc"
	[ -n "$win" ] || printf '#   %s\n' "$(tail -5 "$T/gui.log")"
}
pdf="$H/Documents/sbtest.pdf"
png="$H/Pictures/sbtest.png"
gui_check zathura zathura "sbtest.pdf" q 0 zathura "$pdf"
gui_check evince evince "sbtest" ctrl+w 0 evince "$pdf"
gui_check okular okular "sbtest document" ctrl+q 0 okular "$pdf"
gui_check mupdf mupdf "sbtest.pdf" q 0 mupdf "$pdf"
gui_check qpdfview qpdfview "sbtest document" ctrl+q 0 qpdfview "$pdf"
gui_check eog eog "sbtest.png" ctrl+w 0 eog "$png"
gui_check feh feh "sbtest.png" q 0 feh "$png"
gui_check imv imv-x11 "sbtest.png" q 0 --profile imv -- imv-x11 "$png"
gui_check imv-x11 imv-x11 "sbtest.png" q 0 imv-x11 "$png"
gui_check ristretto ristretto "sbtest.png" ctrl+q 0 ristretto "$png"
gui_check gedit gedit "sbnotes.txt" ctrl+q 0 gedit "$H/Documents/sbnotes.txt"
gui_check gimp gimp "sbtest" ctrl+q 0 gimp "$png"
gui_check audacious audacious "sbtone.*Audacious" - "0" audacious "$H/Music/sbtone.wav"
gui_check keepassxc keepassxc "KeePassXC" ctrl+q 0 keepassxc
gui_check transmission-gtk transmission-gtk "^Transmission$" - 0 "${netarg[@]}" transmission-gtk
gui_check thunderbird thunderbird "Mozilla Thunderbird" - 143 "${netarg[@]}" thunderbird
gui_check telegram-desktop telegram-desktop "^Telegram$" ctrl+q 0 "${netarg[@]}" telegram-desktop
gui_check hexchat hexchat "HexChat" - 143 "${netarg[@]}" hexchat
gui_check pidgin pidgin "Buddy List" ctrl+q 0 "${netarg[@]}" pidgin
# Apps that end by themselves: mpv plays the tone to its end in a window, file-roller extracts.
if have mpv; then
	out=$(sb --profile mpv -- mpv --ao=null --force-window=yes "$H/Music/sbtone.wav" 2>&1)
	check_match "mpv: plays a file of Music to its end in a window" "*Exiting... (End of file)* 0" "$out $?"
else
	skip "mpv: plays a file of Music to its end in a window" "mpv is not installed"
fi
if have file-roller; then
	sb_in "$H" -- file-roller --extract-to "$H/Downloads" "$H/Downloads/sbarchive.tar.gz" >/dev/null 2>&1
	check "file-roller: extracts an archive of Downloads there" "0 extracted" "$? $(cat "$H/Downloads/sbarchive/inside.txt" 2>&1)"
else
	skip "file-roller: extracts an archive of Downloads there" "file-roller is not installed"
fi
finish
