#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# --doctor, and the diagnosis of a start that fails for want of user namespaces. A machine
# that forbids them is played by a sandbox itself: inside one, user namespaces are limited to
# none (user.max_user_namespaces = 0) and the filter refuses to make them.
. "$(dirname "$0")/lib.sh"

out=$(sb --doctor)
rc=$?
check "--doctor on this machine: exit 0" "0" "$rc"
check_match "it checks user namespaces for real" "*ok  *user namespaces  unprivileged, with your own id mapped*" "$out"
for what in "mount API" seccomp overlays fuse-overlayfs limits network "session bus" landlock; do
	check_match "it reports on $what" "*  $what *" "$out"
done

inner() { sb --ro-bind "$SB:/inner-sandbox" --ro-bind "$T/config" --setenv "XDG_CONFIG_HOME=$T/config" -- /inner-sandbox "$@"; }
out=$(inner -- true 2>&1)
rc=$?
check "a sandbox where user namespaces are forbidden fails with 125" "125" "$rc"
check_match "and says why and what to do, in one message" \
	"*create namespaces*user.max_user_namespaces = 0*sysctl -w user.max_user_namespaces=*sandbox --doctor*" "$out"
out=$(inner --doctor 2>&1)
rc=$?
check "--doctor there: exit 1" "1" "$rc"
check_match "with the cause as a FAIL line" "*FAIL  user namespaces  user namespaces are limited to none*" "$out"
finish
