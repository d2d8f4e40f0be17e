#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Filesystem views: overlays of several layers, template and host homes, roots of the user's
# own, and sources that cannot be swapped for symlinks.
. "$(dirname "$0")/lib.sh"

data="$T/data" # the user's $XDG_DATA_HOME for these tests
mkdir -p "$data"
chown "$TEST_UID:$TEST_GID" "$data"
export EXTRA_ENV="XDG_DATA_HOME=$data"
bare_profile() { # NAME BODY...: a profile that includes nothing
	{ printf 'schema = 1\n'; printf '%s\n' "${@:2}"; } >"$T/$1.toml"
	chmod a+r "$T/$1.toml"
}
# A hash of everything in a tree: names, sizes, modes, owners, link targets and contents.
tree_hash() {
	(cd "$1" && find . -printf '%p %s %m %u %l\n' | sort && find . -type f -exec md5sum {} + | sort) | md5sum
}
mine() { chown -R "$TEST_UID:$TEST_GID" "$@"; }
present() { echo "test -e '$1' && echo present || echo absent"; }

# --- An overlay of several layers: the upper one wins, both are seen, neither changes.
mkdir -p "$T/l1/d" "$T/l2/d"
echo one >"$T/l1/d/a"
echo two >"$T/l2/d/b"
echo low >"$T/l1/x"
echo high >"$T/l2/x"
mine "$T/l1" "$T/l2"
h1=$(tree_hash "$T/l1")
h2=$(tree_hash "$T/l2")
profile layers '[[mount]]' 'type = "overlay"' "src = [\"$T/l1\", \"$T/l2\"]" 'dst = "/data"'
check "the later layer wins, the earlier still shows" "high one two" \
	"$(sb --profile "$T/layers.toml" -- sh -c 'echo $(cat /data/x /data/d/a /data/d/b)')"
check "writes, new files and deletions take effect inside" "w n absent" \
	"$(sb --profile "$T/layers.toml" -- sh -c 'echo w >/data/d/a; echo n >/data/new; rm /data/x; echo $(cat /data/d/a /data/new) $(test -e /data/x && echo present || echo absent)')"
check "the lower layer is unchanged" "$h1" "$(tree_hash "$T/l1")"
check "the upper layer is unchanged" "$h2" "$(tree_hash "$T/l2")"
profile layersp '[[mount]]' 'type = "overlay"' "src = [\"$T/l1\", \"$T/l2\"]" 'dst = "/data"' 'upper = "persistent"'
sb --profile "$T/layersp.toml" -- sh -c 'echo kept >/data/new'
check "a persistent upper keeps writes between runs" "kept" "$(sb --profile "$T/layersp.toml" -- cat /data/new)"
check "in the profile's overlay store" "kept" "$(cat "$data/sandbox/overlays/layersp/%2Fdata/upper/new" 2>&1)"
check "the layers are still unchanged" "$h1 $h2" "$(tree_hash "$T/l1") $(tree_hash "$T/l2")"
check "a tmpfs upper forgets" "absent" "$(sb --profile "$T/layers.toml" -- sh -c "$(present /data/new)")"
profile layersn '[[mount]]' 'type = "overlay"' "src = [\"$T/l1\", \"$T/l2\"]" 'dst = "/data"' 'upper = "none"'
check "upper = none over several layers is read-only" "write: EROFS" \
	"$(sb --profile "$T/layersn.toml" --ro-bind "$PR:/probe" -- /probe write /data/new)"
profile layerso '[[mount]]' 'type = "overlay"' "src = [\"$T/l1\", \"$T/missing\"]" 'dst = "/data"' 'optional = true'
check "an optional overlay with a missing layer is skipped" "absent" \
	"$(sb --profile "$T/layerso.toml" -- sh -c "$(present /data)")"
profile layersm '[[mount]]' 'type = "overlay"' "src = [\"$T/l1\", \"$T/missing\"]" 'dst = "/data"'
out=$(sb --profile "$T/layersm.toml" -- true 2>&1)
check_match "a missing layer is an error naming it" "*layersm.toml:3:1: overlay layer '$T/missing': No such file*" "$out"

# --- A home seeded from a template: the template is read through an overlay, never changed.
mkdir -p "$T/skel/.config/app"
echo seeded >"$T/skel/.config/app/rc"
echo hello >"$T/skel/notes"
mine "$T/skel"
hs=$(tree_hash "$T/skel")
profile tmpl '[filesystem]' 'home = "template"' "template = \"$T/skel\""
check "a template home starts with the template's files" "seeded hello" \
	"$(sb --profile "$T/tmpl.toml" -- sh -c 'echo $(cat ~/.config/app/rc ~/notes)')"
check "and takes writes" "hello more gone" \
	"$(sb --profile "$T/tmpl.toml" -- sh -c 'echo more >>~/notes; rm ~/.config/app/rc; echo $(cat ~/notes) $(test -e ~/.config/app/rc && echo kept || echo gone)')"
check "which vanish with the sandbox" "hello" "$(sb --profile "$T/tmpl.toml" -- cat "$TEST_HOME/notes")"
check "the template is unchanged" "$hs" "$(tree_hash "$T/skel")"
profile tmplp '[filesystem]' 'home = "template"' "template = \"$T/skel\"" 'persist = [".cache"]'
sb --profile "$T/tmplp.toml" -- sh -c 'echo c >~/.cache/x'
check "persist paths work inside a template home" "c hello" \
	"$(sb --profile "$T/tmplp.toml" -- sh -c 'echo $(cat ~/.cache/x ~/notes)')"

# --- The host's home, with the places that start programs read-only. A home of its own for
# these tests, so that the test user's real home is not touched.
fh="$T/fakehome"
mkdir -p "$fh/.config/app" "$fh/dotfiles" "$fh/.ssh"
echo 'echo original' >"$fh/.bashrc"
echo 'PATH=$PATH' >"$fh/.profile"
echo conf >"$fh/.config/app/conf"
echo 'alias x=y' >"$fh/dotfiles/zshrc"
ln -s dotfiles/zshrc "$fh/.zshrc"
echo key >"$fh/.ssh/known_hosts"
mine "$fh"
hb=$(md5sum <"$fh/.bashrc")
hsh() { EXTRA_ENV="XDG_DATA_HOME=$data HOME=$fh" sb "$@"; }
profile hosthome '[filesystem]' 'home = "host"'
check "a host home shows the real home" "conf" "$(hsh --profile "$T/hosthome.toml" -- cat "$fh/.config/app/conf")"
hsh --profile "$T/hosthome.toml" -- sh -c 'echo made >~/made; echo changed >~/.config/app/conf' 2>/dev/null
check "and writes reach it" "made changed" "$(echo $(cat "$fh/made" "$fh/.config/app/conf"))"
check "~/.bashrc cannot be changed" "write: EROFS" \
	"$(hsh --profile "$T/hosthome.toml" --ro-bind "$PR:/probe" -- /probe write "$fh/.bashrc")"
check "nor replaced" "rename: EBUSY" \
	"$(hsh --profile "$T/hosthome.toml" --ro-bind "$PR:/probe" -- /probe rename "$fh/.profile" "$fh/old")"
check "~/.bashrc is unchanged on the host" "$hb" "$(md5sum <"$fh/.bashrc")"
check "autostart entries cannot be added" "write: EROFS" \
	"$(hsh --profile "$T/hosthome.toml" --ro-bind "$PR:/probe" -- /probe write "$fh/.config/autostart/evil.desktop")"
check "nor by renaming ~/.config away and making a new one" "rename: EBUSY" \
	"$(hsh --profile "$T/hosthome.toml" --ro-bind "$PR:/probe" -- /probe rename "$fh/.config" "$fh/.config-old")"
check "~/.config itself stays writable" "changed" \
	"$(hsh --profile "$T/hosthome.toml" -- sh -c 'echo changed >~/.config/app/conf; cat ~/.config/app/conf')"
check "nor programs in ~/.local/bin" "write: EROFS" \
	"$(hsh --profile "$T/hosthome.toml" --ro-bind "$PR:/probe" -- /probe write "$fh/.local/bin/ls")"
check "a missing ~/.bash_profile cannot be created" "write: EROFS" \
	"$(hsh --profile "$T/hosthome.toml" --ro-bind "$PR:/probe" -- /probe write "$fh/.bash_profile")"
check "its stand-in on the host leads where login shells read before" ".profile" "$(readlink "$fh/.bash_profile")"
check "~/.xsession gets no stand-in" "absent" "$(test -e "$fh/.xsession" && echo present || echo absent)"
check "a protected dotfile that links elsewhere cannot be changed through the link" "write: EROFS" \
	"$(hsh --profile "$T/hosthome.toml" --ro-bind "$PR:/probe" -- /probe write "$fh/.zshrc")"
check "nor where it points" "write: EROFS" \
	"$(hsh --profile "$T/hosthome.toml" --ro-bind "$PR:/probe" -- /probe write "$fh/dotfiles/zshrc")"
check "~/.ssh is read-only" "write: EROFS" \
	"$(hsh --profile "$T/hosthome.toml" --ro-bind "$PR:/probe" -- /probe write "$fh/.ssh/authorized_keys")"
profile grant '[filesystem]' 'home = "host"' 'read_write = ["~/.ssh"]'
check "unless the profile grants it by name" "key more" \
	"$(hsh --profile "$T/grant.toml" -- sh -c 'echo more >>~/.ssh/known_hosts; echo $(cat ~/.ssh/known_hosts)')"
check "the grant covers that path only" "write: EROFS" \
	"$(hsh --profile "$T/grant.toml" --ro-bind "$PR:/probe" -- /probe write "$fh/.bashrc")"
profile cfgrw '[filesystem]' 'read_write = ["~/.config"]'
check "a writable ~/.config in an ephemeral home keeps autostart read-only" "write: EROFS" \
	"$(hsh --profile "$T/cfgrw.toml" --ro-bind "$PR:/probe" -- /probe write "$fh/.config/autostart/x.desktop")"
out=$(hsh --bind "$T/config/sandbox" -- true 2>&1)
check_match "sandbox's own configuration cannot be made writable" "*own configuration cannot be made writable*" "$out"
check "nor reached through a writable parent" "write: EROFS" \
	"$(hsh --bind "$T/config" --ro-bind "$PR:/probe" -- /probe write "$T/config/sandbox/profiles/evil.toml")"

# --- A root of the user's own, in read-only layers: a base made by root (as debootstrap
# would), an application layer of the user's.
base="$T/base"
mkdir -p "$base/usr/bin" "$base/proc" "$base/dev" "$base/sys" "$base/tmp" "$base/etc" "$base/home" "$base/run"
for b in dash cat ls id mkdir; do
	p=$(command -v "$b")
	cp "$p" "$base/usr/bin/"
	for l in $(ldd "$p" | grep -o '/[^ ]*'); do
		mkdir -p "$base$(dirname "$l")"
		cp -L "$l" "$base$l" 2>/dev/null
	done
done
ln -s usr/bin "$base/bin"
ln -s dash "$base/usr/bin/sh"
echo "base:x:0:0::/:/bin/sh" >"$base/etc/passwd"
mkdir -p "$T/app/usr/local/bin"
printf '#!/bin/sh\necho tool from the app layer\n' >"$T/app/usr/local/bin/tool"
chmod +x "$T/app/usr/local/bin/tool"
mine "$T/app"
hbase=$(tree_hash "$base")
happ=$(tree_hash "$T/app")
bare_profile root '[filesystem]' "root = [\"$base\", \"$T/app\"]" '[environment]' 'set = { PATH = "/usr/local/bin:/usr/bin" }'
check "a layered root runs a tool of the upper layer with a shell of the base" "tool from the app layer" \
	"$(sb --profile "$T/root.toml" -- sh -c tool 2>&1)"
check "it is the root's own /etc, not the host's" "base:x:0:0::/:/bin/sh" "$(sb --profile "$T/root.toml" -- cat /etc/passwd 2>&1)"
check "nothing of the host's /usr is seen" "absent" "$(sb --profile "$T/root.toml" -- sh -c "$(present /usr/bin/perl)")"
check "the upper takes writes" "w v" \
	"$(sb --profile "$T/root.toml" -- sh -c 'echo w >/newfile; echo v >/usr/local/bin/made; echo $(cat /newfile /usr/local/bin/made)' 2>&1)"
check "the sandbox's own /proc, /dev, /tmp and home are there" "1 /dev/null ok ok" \
	"$(sb --profile "$T/root.toml" -- sh -c 'echo $(test -e /proc/1/stat && echo 1) $(ls /dev/null) $(echo >/tmp/t && echo ok) $(echo >~/t && echo ok)' 2>&1)"
check "the layers are unchanged" "$hbase $happ" "$(tree_hash "$base") $(tree_hash "$T/app")"
bare_profile rootp '[filesystem]' "root = [\"$base\", \"$T/app\"]" 'root_upper = "persistent"'
sb --profile "$T/rootp.toml" -- sh -c 'echo kept >/newfile'
check "a persistent root upper keeps writes" "kept" "$(sb --profile "$T/rootp.toml" -- cat /newfile 2>&1)"
check "a tmpfs root upper does not" "absent" "$(sb --profile "$T/root.toml" -- sh -c "$(present /newfile)")"
bare_profile rootn '[filesystem]' "root = \"$base\"" 'root_upper = "none"'
check "root_upper = none makes the root read-only" "no" "$(sb --profile "$T/rootn.toml" -- sh -c 'echo 2>/dev/null >/f && echo yes || echo no')"
for top in proc dev sys; do
	rm -rf "$T/evilroot"
	cp -a "$base" "$T/evilroot"
	rmdir "$T/evilroot/$top"
	ln -s /etc "$T/evilroot/$top"
	bare_profile evilroot '[filesystem]' "root = \"$T/evilroot\""
	out=$(sb --profile "$T/evilroot.toml" -- true 2>&1)
	check_match "a root whose /$top is a symlink is refused" "*/$top' is a symlink, not a directory*" "$out"
done

# --- fuse-overlayfs, where the kernel refuses an overlay (SANDBOX_OVERLAY=fuse asks for it).
fuse_skip=""
if ! command -v fuse-overlayfs >/dev/null; then
	fuse_skip="fuse-overlayfs is not installed"
elif [ ! -c /dev/fuse ]; then
	fuse_skip="this machine has no /dev/fuse"
elif ! use_device /dev/fuse; then
	fuse_skip="/dev/fuse is not usable by $TEST_USER"
fi
fsb() { EXTRA_ENV="XDG_DATA_HOME=$data SANDBOX_OVERLAY=fuse XDG_RUNTIME_DIR=$T/run" sb "$@"; }
mkdir -p "$T/run"
mine "$T/run"
if [ -n "$fuse_skip" ]; then
	for n in 1 2 3 4 5 6; do skip "fuse-overlayfs check $n" "$fuse_skip"; done
else
	check "fuse-overlayfs serves an overlay of several layers" "high one two" \
		"$(fsb --profile "$T/layers.toml" -- sh -c 'grep -q " /data fuse" /proc/mounts && echo $(cat /data/x /data/d/a /data/d/b)')"
	check "and takes writes without changing the layers" "w n absent $h1 $h2" \
		"$(fsb --profile "$T/layers.toml" -- sh -c 'echo w >/data/d/a; echo n >/data/new; rm /data/x; echo $(cat /data/d/a /data/new) $(test -e /data/x && echo present || echo absent)') $(tree_hash "$T/l1") $(tree_hash "$T/l2")"
	check "its daemon is outside the sandbox, out of the app's reach" "" \
		"$(fsb --profile "$T/layers.toml" -- sh -c 'cat /proc/[0-9]*/comm | grep fuse')"
	check "it is gone with the sandbox, and so are its scratch directories" "" \
		"$(ps -u "$TEST_UID" -o comm= | grep fuse-overlayfs; ls "$T/run" | grep -vx sandbox; ls -A "$T/run/sandbox/running" 2>/dev/null)"
	check "a layered root through fuse-overlayfs" "tool from the app layer w" \
		"$(fsb --profile "$T/root.toml" -- sh -c 'echo w >/newfile; echo $(tool) $(cat /newfile)' 2>&1)"
	check "a persistent upper made by the kernel's overlay is read by fuse-overlayfs" "kept" \
		"$(fsb --profile "$T/rootp.toml" -- cat /newfile 2>&1)"
fi

# --- Sources are never reached through a symlink someone else could have planted or swapped.
mkdir -p "$T/src/real" "$T/secret"
echo real >"$T/src/real/canary"
echo secret >"$T/secret/canary"
ln -s "$T/secret" "$T/src/link"
mine "$T/src" "$T/secret"
out=$(sb --ro-bind "$T/src/link:/data" -- cat /data/canary 2>&1)
check_match "a source through a symlink in a user's directory is refused" "*'$T/src/link' is a symlink in a directory that not only root can write*" "$out"
profile follow '[filesystem]' "read_only = [{ path = \"$T/src/link\", follow = true }]"
check "unless the profile asks to follow it" "secret" "$(sb --profile "$T/follow.toml" -- cat "$T/src/link/canary" 2>&1)"
# Swap the source between a directory and a link to the secret while sandboxes start.
user_prefix
(cd "$T/src" && exec "${P[@]}" sh -c "while :; do ln -sfn '$T/secret' l.tmp && mv -Tf l.tmp swap; sleep 0.005; rm -f swap; cp -r real swap.tmp && mv -T swap.tmp swap; sleep 0.02; rm -rf swap; done" 2>/dev/null) &
swapper=$!
cleanup_pids="$swapper"
leaked=0 seen_real=0
for _ in $(seq 60); do
	case "$(sb --ro-bind "$T/src/swap:/data" -- cat /data/canary 2>/dev/null)" in
	secret) leaked=$((leaked + 1)) ;;
	real) seen_real=$((seen_real + 1)) ;;
	esac
done
kill "$swapper" 2>/dev/null
wait "$swapper" 2>/dev/null
check "a source swapped for a symlink during setup never shows what the link points to" 0 "$leaked"
echo "# the swapped source was bound $seen_real times of 60"
finish
