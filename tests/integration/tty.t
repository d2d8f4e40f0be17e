#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# On a terminal: no input injection into the caller's terminal, but a working interactive shell.
. "$(dirname "$0")/lib.sh"

cp "$SRCDIR/tests/helpers/ptyrun.py" "$T/ptyrun.py"
chmod a+r "$T/ptyrun.py"
ptyrun() { as_user python3 "$T/ptyrun.py" "$@"; }

if ! command -v python3 >/dev/null; then
	skip "terminal tests" "python3 is not installed"
	finish
fi

# The same probe outside the sandbox tells whether the kernel itself allows TIOCSTI
# (dev.tty.legacy_tiocsti=0 refuses it with EIO since Linux 6.2), so that EPERM below
# can only come from our filter.
outside=$(ptyrun run "$PR" tiocsti | tr -d '\r' | grep -o 'ioctl: .*')
check_match "TIOCSTI outside the sandbox (reference)" "ioctl: *" "$outside"
for probe in tiocsti tiocsti-high tioclinux; do
	inside=$(ptyrun run "$SB" --ro-bind "$PR:/probe" -- /probe "$probe" | tr -d '\r' | grep '^ioctl:')
	check "$probe on the terminal is refused by the filter" "ioctl: EPERM" "$inside"
done

# report PREFIX: one TAP line per "ok/fail STEP" line of ptyrun's dialogue in $out.
report() {
	local verdict name
	while read -r verdict name; do
		case "$verdict" in
		ok) ok "$1: $name" ;;
		fail) not_ok "$1: $name" "$(printf '%s\n' "$out" | grep '^#' | head -20)" ;;
		esac
	done < <(printf '%s\n' "$out" | grep -E '^(ok|fail) ')
}

out=$(EXTRA_ENV="TERM=dumb" ptyrun jobcontrol "$SB" -- bash --norc --noprofile -i 2>&1)
report "interactive bash"
check "interactive bash: exit status" "exit=5" "$(printf '%s\n' "$out" | grep '^exit=')"

# The sandbox as a job of the user's own interactive shell.
out=$(ptyrun outer "$SB" bash --norc --noprofile -i 2>&1)
report "job of an outer shell"
finish
