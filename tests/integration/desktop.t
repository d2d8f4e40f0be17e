#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Desktop launchers: --install-desktop writes a user entry that shadows the system one and runs
# the app through sandbox; its Exec lines run, and a file name cannot become an option.
. "$(dirname "$0")/lib.sh"

share="$T/share"
data="$T/data"
mkdir -p "$share/applications" "$data" "$T/bin"
cat >"$share/applications/demo.desktop" <<'EOF'
[Desktop Entry]
Type=Application
Name=Demo
Exec=demo-app --new-window %U
Icon=demo
MimeType=text/html;x-scheme-handler/http;
DBusActivatable=true
Actions=private;

[Desktop Action private]
Name=Private
Exec=demo-app --private %u
EOF
cat >"$T/bin/demo-app" <<'EOF'
#!/bin/sh
# Its arguments, one per line, and the name of pid 1: "sandbox" inside.
for a in "$@"; do echo "arg: $a"; done
echo "pid1: $(cat /proc/1/comm)"
EOF
chmod 755 "$T/bin/demo-app"
chown -R "$TEST_UID:$TEST_GID" "$data"
profile demo "[filesystem]" "read_only = [\"$T/bin\"]" "[environment]" "set = { PATH = \"$T/bin:/usr/bin:/bin\" }"
export EXTRA_ENV="XDG_DATA_DIRS=$share XDG_DATA_HOME=$data PATH=$T/bin:/usr/bin:/bin"
entry="$data/applications/demo.desktop"

out=$(sb --install-desktop demo --profile "$T/demo.toml" 2>&1)
check_match "--install-desktop writes a user entry" "$entry: runs through sandbox*shadows $share/applications/demo.desktop*" "$out"
check "every Exec line runs sandbox first" "2 2" \
	"$(grep -c '^Exec=' "$entry") $(grep -c "^Exec=$T/sandbox --profile $T/demo.toml -- demo-app" "$entry")"
check "D-Bus activation, which would bypass Exec, is off" "0" "$(grep -c DBusActivatable "$entry")"
check "names, icons and MIME types are kept" "Demo demo text/html;x-scheme-handler/http; Private" \
	"$(sed -n 's/^Name=//p; s/^Icon=//p; s/^MimeType=//p' "$entry" | tr '\n' ' ' | sed 's/ $//')"

# Run the Exec line as a desktop would, with a hostile file name for %U.
exec_line=$(sed -n 's/^Exec=//p' "$entry" | head -1)
run_exec() { # FILE: the Exec line with %U replaced by FILE, split as the spec says
	user_prefix
	python3 - "$exec_line" "$1" <<'PY' | (cd "$T" && xargs -0 "${P[@]}")
import shlex, sys
args = []
for a in shlex.split(sys.argv[1]):
    if a in ("%U", "%u", "%F", "%f"):
        args.append(sys.argv[2])
    else:
        args.append(a.replace("%%", "%"))
sys.stdout.write("\0".join(args))
PY
}
out=$(run_exec "--net=host" 2>&1)
check_match "the launcher runs the app in a sandbox" "*pid1: sandbox*" "$out"
check_match "a file name reaches the app as an argument, never sandbox as an option" \
	"*arg: --new-window*arg: --net=host*" "$out"

check_match "--list-desktop lists it" "demo  (shadows $share/applications/demo.desktop)*" "$(sb --list-desktop 2>&1)"
check_match "a second install replaces it" "$entry: runs through sandbox*" "$(sb --install-desktop demo 2>&1)"
check "without --profile the profile is chosen at run time" "1" "$(grep -c "^Exec=$T/sandbox -- demo-app --new-window" "$entry")"
check_match "--uninstall-desktop removes it" "$entry: removed*" "$(sb --uninstall-desktop demo 2>&1)"
check "and the file is gone" "absent" "$(test -e "$entry" && echo present || echo absent)"

# An entry of the user's own is never overwritten nor removed.
mkdir -p "$data/applications"
printf '[Desktop Entry]\nName=Mine\nExec=demo-app\n' >"$entry"
chown -R "$TEST_UID:$TEST_GID" "$data"
check_match "the user's own entry is not overwritten" "*exists and was not written by sandbox*" \
	"$(sb --install-desktop demo 2>&1)"
check_match "nor removed" "*was not written by sandbox: left alone*" "$(sb --uninstall-desktop demo 2>&1)"
check "it is untouched" "Name=Mine" "$(sed -n 2p "$entry")"
check_match "a missing application is an error naming where it looked" \
	"*no desktop entry 'nosuch.desktop'; looked in:*$share/applications/nosuch.desktop*" \
	"$(sb --install-desktop nosuch 2>&1)"
check_match "a path is not an application name" "*'../x' is not the name of an application*" \
	"$(sb --install-desktop ../x 2>&1)"
finish
