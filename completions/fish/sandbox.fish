# SPDX-License-Identifier: GPL-2.0-or-later
# fish completion for sandbox(1): options, their values, then the sandboxed command's own completion.
# tests/check-docs.sh checks that every option of `sandbox --help` is named here.

# Prints the index (in the tokens before the cursor, then the current one) of the command word;
# fails while the options are still being given. Options stop at "--" or at the first word that
# is not an option.
function __sandbox_command_index
    set -l tokens (commandline -opc)
    set -l i 2
    while test $i -le (count $tokens)
        switch $tokens[$i]
            case --
                echo (math $i + 1)
                return 0
            case --profile --ro-bind --bind --ro-bind-try --bind-try --tmpfs --hide --net --forward \
                --allow-host-port --allow-out --dns --setenv --unsetenv --keep-env --chdir --hostname --memory --pids --cpu \
                --keep-fd --check-profile --name --enter --stop --timeout --install-desktop --uninstall-desktop
                set i (math $i + 1) # the value is the next word: skip it
            case '-*'
            case '*'
                echo $i
                return 0
        end
        set i (math $i + 1)
    end
    # The current word is the command unless it is an option or an option's value.
    set -l current (commandline -ct)
    if test $i -eq (math (count $tokens) + 1)
        and not string match -q -- '-*' $current
        echo $i
        return 0
    end
    return 1
end

function __sandbox_options
    not __sandbox_command_index >/dev/null
end

# Completes the command and its arguments as if they were typed alone.
function __sandbox_command
    set -l i (__sandbox_command_index)
    or return
    set -l tokens (commandline -opc)
    set -l words (commandline -ct)
    if test $i -le (count $tokens)
        set words (string escape -- $tokens[$i..-1]) $words
    end
    complete -C (string join ' ' -- $words)
end

# Profile names from the lookup directories, without .toml; NAME.local.toml are overrides, not profiles.
function __sandbox_profiles
    set -l config $HOME/.config
    set -q XDG_CONFIG_HOME[1]; and set config $XDG_CONFIG_HOME
    for dir in $config/sandbox/profiles /etc/sandbox/profiles \
        /usr/share/sandbox/profiles /usr/local/share/sandbox/profiles
        for file in $dir/*.toml
            string match -q -- '*.local.toml' $file; and continue
            string replace -r -- '^.*/(.*)\.toml$' '$1' $file
        end
    end
end

# Names of the running sandboxes: the entries of the registry that are complete (have "info").
# Read from the directory: completing never runs sandbox.
function __sandbox_running
    string match -q -- '/*' "$XDG_RUNTIME_DIR"; or return
    for info in $XDG_RUNTIME_DIR/sandbox/running/*/info
        test -f $info; and string replace -r -- '^.*/([^/]+)/info$' '$1' $info
    end
end

# Directories and *.toml files: a profile given by its file. (__fish_complete_suffix lists every
# file, and repeats an --option= prefix.)
function __sandbox_profile_files
    set -l token (commandline -ct | string replace -r -- '^--[a-z-]+=' '')
    complete -C "__fish_command_without_completions $token" | string match -r -- '^[^\t]*(?:/|\.toml)(?:\t.*)?$'
end

complete -c sandbox -f
complete -c sandbox -n __sandbox_command -a '(__sandbox_command)'

set -l opts -c sandbox -n __sandbox_options
complete $opts -l profile -x -a '(__sandbox_profiles) (__sandbox_profile_files)' -d 'Use a profile by name or from a file'
complete $opts -l ro-bind -r -F -d 'Make a host path visible read-only (SRC[:DST])'
complete $opts -l bind -r -F -d 'Make a host path visible read-write (SRC[:DST])'
complete $opts -l ro-bind-try -r -F -d 'Like --ro-bind, skipped when SRC does not exist'
complete $opts -l bind-try -r -F -d 'Like --bind, skipped when SRC does not exist'
complete $opts -l tmpfs -x -a '(__fish_complete_directories)' -d 'Mount an empty private directory'
complete $opts -l hide -r -F -d 'Make a path an empty read-only directory or file'
complete $opts -l net -x -a 'none\t"Only loopback, in a private namespace" user\t"A private namespace, outbound through pasta" host\t"The host network"' -d 'Network access'
complete $opts -l forward -x -d 'With --net user: forward a host port in (PROTO:PORT[:PORT])'
complete $opts -l allow-host-port -x -d 'With --net user: let the sandbox reach this host loopback port'
complete $opts -l allow-out -x -a 'tcp:' -d 'Allow TCP connections to this port only (tcp:PORT)'
complete $opts -l dns -x -d 'Use this DNS server (ADDRESS) inside instead of the host\'s'
complete $opts -l setenv -x -a '(set -xn | string replace -r -- \'$\' =)' -d 'Set a variable inside (NAME=VALUE)'
complete $opts -l unsetenv -x -a '(set -xn)' -d 'Remove a variable inside'
complete $opts -l keep-env -x -a '(set -xn)' -d 'Pass a host variable in (NAME* for a prefix)'
complete $opts -l chdir -x -a '(__fish_complete_directories)' -d 'Start in DIR'
complete $opts -l hostname -x -d 'Set the host name inside'
complete $opts -l uid0 -d 'Appear as uid and gid 0 inside (no real privilege)'
complete $opts -l memory -x -d 'Limit memory (SIZE: 512M, 2G): the app is OOM-killed above it'
complete $opts -l pids -x -d 'Limit processes and threads at once (N)'
complete $opts -l cpu -x -d 'Limit CPU time to this many cores (0.5, 2)'
complete $opts -l stats -d 'At exit, print peak memory, cpu time, peak processes and OOM kills'
complete $opts -l keep-fd -x -d 'Pass an open file descriptor in'
complete $opts -l explain -d 'Print the effective policy, with where each setting came from, and exit'
complete $opts -l json -d 'With --explain, --list-profiles or --list: print JSON'
complete $opts -l check-profile -x -a '(__sandbox_profiles) (__sandbox_profile_files)' \
    -d 'Check a profile and what it includes, and exit'
complete $opts -l name -x -d 'Name this sandbox, for --list, --enter and --stop'
complete $opts -l list -d 'List the running sandboxes with their memory, cpu and pids, and exit'
complete $opts -l enter -x -a '(__sandbox_running)' -d 'Run a command (default: a shell) inside the running sandbox NAME'
complete $opts -l stop -x -a '(__sandbox_running)' -d 'Stop the running sandbox NAME: SIGTERM, then SIGKILL after --timeout'
complete $opts -l timeout -x -d 'With --stop: how long the app may take to end (SECONDS, default 10)'
complete $opts -l doctor -d 'Check what this machine allows a sandbox, say how to fix what it lacks, and exit'
complete $opts -l list-profiles -d 'List the profiles found, with their descriptions, and exit'
complete $opts -l install-desktop -x -d 'Make the app\'s desktop launcher run it through sandbox, and exit'
complete $opts -l uninstall-desktop -x -d 'Remove a launcher --install-desktop wrote, and exit'
complete $opts -l list-desktop -d 'List the launchers --install-desktop wrote, and exit'
complete $opts -l seccomp-log -d 'Report each syscall the filter refuses, with its pid and the action'
complete $opts -s v -l verbose -d 'Print each setup step on stderr'
complete $opts -s q -l quiet -d 'Print only errors'
complete $opts -s h -l help -d 'Show the help and exit'
complete $opts -l version -d 'Show the version and exit'
