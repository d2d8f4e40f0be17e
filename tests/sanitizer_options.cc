// SPDX-License-Identifier: GPL-2.0-or-later
// Linked into sandbox in a sanitizer build only (scripts/sanitize): the options the sanitizers
// start with where ASAN_OPTIONS and UBSAN_OPTIONS do not reach, as in a sandbox started inside
// a sandbox (whose environment is cleared). No leak check: inside a sandbox the syscall filter
// refuses LeakSanitizer's ptrace (a "fatal error", exit 1), and after --enter's setns() into a
// sandbox's pid namespace its tracer is left there and the process spins at exit.
extern "C" __attribute__((visibility("default"), used)) const char* __asan_default_options() {
        return "detect_leaks=0:abort_on_error=1";
}
extern "C" __attribute__((visibility("default"), used)) const char* __ubsan_default_options() {
        return "print_stacktrace=1:halt_on_error=1";
}
