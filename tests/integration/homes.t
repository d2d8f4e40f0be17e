#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Home modes: ephemeral, persistent and persist paths; stores that cannot be redirected.
. "$(dirname "$0")/lib.sh"

data="$T/data" # the user's $XDG_DATA_HOME for these tests
mkdir -p "$data"
chown "$TEST_UID:$TEST_GID" "$data"
export EXTRA_ENV="XDG_DATA_HOME=$data"

sb -- sh -c 'echo one >~/note' >/dev/null
check "an ephemeral home forgets" "absent" "$(sb -- sh -c 'test -e ~/note && echo present || echo absent')"

profile keep '[filesystem]' 'home = "persistent"'
sb --profile "$T/keep.toml" -- sh -c 'echo kept >~/note'
check "a persistent home remembers" "kept" "$(sb --profile "$T/keep.toml" -- cat "$TEST_HOME/note")"
check "in the profile's own store on the host" "kept" "$(cat "$data/sandbox/homes/keep/note" 2>&1)"
check "the store is private to the user" "700" "$(stat -c %a "$data/sandbox/homes/keep")"
check "the real home is still invisible" "absent" \
	"$(sb --profile "$T/keep.toml" -- sh -c "test -e '$TEST_HOME/.profile-marker' && echo present || echo absent")"
profile other '[filesystem]' 'home = "persistent"'
check "another profile has another home" "absent" \
	"$(sb --profile "$T/other.toml" -- sh -c 'test -e ~/note && echo present || echo absent')"

profile moz '[filesystem]' 'persist = [".mozilla", ".config/app"]'
sb --profile "$T/moz.toml" -- sh -c 'echo a >~/.mozilla/prefs; echo b >~/.config/app/rc; echo c >~/scratch'
check "persist paths survive" "a b" "$(sb --profile "$T/moz.toml" -- sh -c 'echo $(cat ~/.mozilla/prefs ~/.config/app/rc)')"
check "the rest of the home does not" "absent" \
	"$(sb --profile "$T/moz.toml" -- sh -c 'test -e ~/scratch && echo present || echo absent')"

# A store swapped for a symlink between runs must not lead the sandbox elsewhere.
mkdir -p "$T/elsewhere"
echo outside >"$T/elsewhere/canary"
chown -R "$TEST_UID:$TEST_GID" "$T/elsewhere"
rm -rf "$data/sandbox/homes/keep"
as_user ln -s "$T/elsewhere" "$data/sandbox/homes/keep"
out=$(sb --profile "$T/keep.toml" -- cat "$TEST_HOME/canary" 2>&1)
rc=$?
check "a store replaced by a symlink is refused" 125 "$rc"
check_match "and the message says why" "*is a symlink*" "$out"
rm -f "$data/sandbox/homes/keep"
mkdir -p "$data/sandbox/homes/moz"
chown "$TEST_UID:$TEST_GID" "$data/sandbox/homes/moz"
rm -rf "$data/sandbox/homes/moz/.mozilla"
as_user ln -s "$T/elsewhere" "$data/sandbox/homes/moz/.mozilla"
check "a persist path replaced by a symlink is refused" 125 \
	"$(sb --profile "$T/moz.toml" -- true >/dev/null 2>&1; echo $?)"
check "nothing outside the store was touched" "outside" "$(cat "$T/elsewhere/canary")"
check "nothing was written through the link" "canary" "$(ls "$T/elsewhere")"
# Symlinks met while building the root resolve inside it, never on the host.
mkdir -p "$T/evil" "$T/outside"
ln -sfn "$T/outside" "$T/evil/abs"
ln -sfn ../../outside "$T/evil/rel"
chown -R "$TEST_UID:$TEST_GID" "$T/evil" "$T/outside"
sb --bind "$T/evil:/data" --tmpfs /data/abs/made --tmpfs /data/rel/made2 -- true >/dev/null 2>&1
check "a mount destination under an absolute symlink does not reach the host" "" "$(ls -A "$T/outside")"
sb --bind "$T/evil:/data" --bind "$T/tree:/data/abs/bound" -- true >/dev/null 2>&1
check "nor does a bind destination under one" "" "$(ls -A "$T/outside")"

# Injected files and links.
profile inject '[[mount]]' 'type = "file"' "dst = \"$TEST_HOME/.config/tool.conf\"" 'content = "level = 3\nname = x\n"' \
	'[[mount]]' 'type = "symlink"' 'dst = "/tool"' 'target = "/usr/bin"'
check "a file mount holds its content" "level = 3 name = x" \
	"$(sb --profile "$T/inject.toml" -- cat "$TEST_HOME/.config/tool.conf" | tr '\n' ' ' | sed 's/ $//')"
check "and is read-only" "ro" "$(sb --profile "$T/inject.toml" -- awk -v p="$TEST_HOME/.config/tool.conf" '$2 == p { split($4, o, ","); print o[1] }' /proc/mounts)"
check "a symlink mount points where it says" "/usr/bin" "$(sb --profile "$T/inject.toml" -- readlink /tool)"

# Overlays: writes land in a layer of their own; the host directory is never changed.
mkdir -p "$T/tree/sub"
echo orig >"$T/tree/f"
echo keep >"$T/tree/sub/g"
chown -R "$TEST_UID:$TEST_GID" "$T/tree"
tree_hash() { (cd "$T/tree" && find . -printf '%p %s %m\n' | sort && find . -type f -exec md5sum {} + | sort) | md5sum; }
before=$(tree_hash)
profile ov '[filesystem]' "overlay = [{ path = \"$T/tree\" }]"
check "a tmpfs overlay takes writes, new files and deletions" "changed new absent" \
	"$(sb --profile "$T/ov.toml" -- sh -c "cd '$T/tree' && echo changed >f && echo new >n && rm -r sub && echo \$(cat f n) \$(test -e sub && echo present || echo absent)")"
check "the host tree is byte for byte unchanged" "$before" "$(tree_hash)"
check "and the next run starts from the host tree again" "orig" "$(sb --profile "$T/ov.toml" -- cat "$T/tree/f")"
profile ovp '[filesystem]' "overlay = [{ path = \"$T/tree\", upper = \"persistent\" }]"
sb --profile "$T/ovp.toml" -- sh -c "echo kept >>'$T/tree/f'"
check "a persistent overlay keeps writes between runs" "orig kept" \
	"$(sb --profile "$T/ovp.toml" -- cat "$T/tree/f" | tr '\n' ' ' | sed 's/ $//')"
check "the host tree is still unchanged" "$before" "$(tree_hash)"
profile ovn '[filesystem]' "overlay = [{ path = \"$T/tree\", upper = \"none\" }]"
check "upper = none is read-only" "write: EROFS" \
	"$(sb --profile "$T/ovn.toml" --ro-bind "$PR:/probe" -- /probe write "$T/tree/x")"
# A persist path inside a read-only bind of a host directory that lacks it: said when the
# profile is checked, with its key, not as a mkdir failure at the start.
rotest="$TEST_HOME/.rotest-$$"
mkdir -p "$rotest"
chown "$TEST_UID:$TEST_GID" "$rotest"
profile ropersist '[filesystem]' "read_only = [\"$rotest\"]" "persist = [\".rotest-$$/cache\"]"
check_match "a persist path under a read-only bind that lacks it is refused at --check-profile" \
	"*ropersist.toml:5:*filesystem.persist: '.rotest-$$/cache' lies inside the read-only bind*" \
	"$(sb --check-profile "$T/ropersist.toml" 2>&1)"
rmdir "$rotest"
finish
