#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs a command on a new pseudo-terminal, as a terminal emulator would, for the TAP tests.
#
#   ptyrun.py run CMD...          print what CMD wrote to the terminal, then "exit=N"
#   ptyrun.py jobcontrol CMD...   drive an interactive shell: Ctrl-Z, jobs, Ctrl-C, exit;
#                                 prints one "ok/fail STEP" line per step, then "exit=N"
#   ptyrun.py outer SANDBOX SHELL...  an interactive SHELL outside runs "SANDBOX -- sleep":
#                                 Ctrl-Z stops it as a job, fg resumes it, Ctrl-C ends it
import os
import pty
import select
import sys
import time


def read_until(fd, needle, timeout=10.0):
    """Collects output until needle appears (or EOF/timeout); returns everything read."""
    buf = b""
    end = time.monotonic() + timeout
    while needle is None or needle.encode() not in buf:
        left = end - time.monotonic()
        if left <= 0:
            break
        r, _, _ = select.select([fd], [], [], left)
        if not r:
            break
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        buf += data
    return buf.decode(errors="replace")


def wait_exit(pid, fd):
    read_until(fd, None, 5.0)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def main():
    mode, cmd = sys.argv[1], sys.argv[2:]
    if mode == "outer":
        sandbox, cmd = cmd[0], cmd[1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(cmd[0], cmd)
    if mode == "run":
        out = read_until(fd, None, 20.0)
        sys.stdout.write(out.replace("\r\n", "\n"))
        print(f"exit={wait_exit(pid, fd)}")
        return

    def step(name, send, expect, pause=0.0, timeout=10.0):
        if pause:
            time.sleep(pause)
        os.write(fd, send.encode())
        out = read_until(fd, expect, timeout)
        good = expect in out
        print(f"{'ok' if good else 'fail'} {name}")
        if not good:
            for line in out.splitlines():
                print(f"#   {line!r}")
        return out

    if mode == "outer":
        step("the outer shell answers", "echo mark-$((1+1))\n", "mark-2")
        step("a sandboxed command runs in the foreground", sandbox + " -- sleep 41\n", "sleep 41")
        step("Ctrl-Z stops the sandbox as a job", "\x1a", "Stopped", 0.5)
        step("fg resumes it", "fg\n", "sleep 41")
        step("Ctrl-C ends it", "\x03", "$ ", 0.5)
        step("its status is 130, death by SIGINT", "echo status=$?\n", "status=130")
        step("nothing is left running", "pgrep -f 'sleep 41' || echo none-left\n", "none-left", 0.3)
        os.write(fd, b"exit 0\n")
        print(f"exit={wait_exit(pid, fd)}")
        return

    first = step("interactive shell answers", "echo mark-$((1+1))\n", "mark-2")
    if "no job control" in first or "cannot set terminal process group" in first:
        print("fail job control available")
    else:
        print("ok job control available")
    step("foreground job started", "sleep 30; echo slept\n", "sleep 30", 0.1)
    step("Ctrl-Z stops the foreground job", "\x1a", "Stopped", 0.5)
    step("jobs lists it", "jobs\n", "sleep 30")
    step("fg resumes it and Ctrl-C ends it", "fg\n", "sleep 30")
    step("the shell is back after Ctrl-C", "\x03", "$ ", 0.5)
    step("the shell survives Ctrl-C", "echo after-$((2+2))\n", "after-4")
    step("Ctrl-C interrupts a plain foreground command", "sleep 31\n", "sleep 31")
    step("and the shell prompt returns", "\x03", "$ ", 0.5)
    step("the shell still answers", "echo alive-$((3+3))\n", "alive-6")
    os.write(fd, b"exit 5\n")
    print(f"exit={wait_exit(pid, fd)}")


main()
