// SPDX-License-Identifier: GPL-2.0-or-later
// For bench/seccomp: the BPF that `sandbox --profile PROFILE` loads, written to a file for
// bwrap --seccomp, and facts about it. Linked with the project's own core library, so the
// policy is built by the same code (load_profile, merge_layers, build_policy,
// compile_policy), not re-stated here.
//
// usage: export_bpf PROFILE OUT.bpf [-d]
//   prints "key value" lines: instructions, rules, argument rules, syscalls with rules,
//   native syscalls the kernel's action cache can allow without running the filter, and for
//   each benchmarked call the instructions the filter executes and the action it returns.
//   -d also disassembles the filter on stderr.
#include "host.h"
#include "merge.h"
#include "profile_load.h"
#include "seccomp_policy.h"
#include "syscall_rules.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <optional>
#include <seccomp.h>
#include <set>
#include <string>
#include <sys/ioctl.h>
#include <vector>

extern char** environ;

namespace {

struct Run {
        uint32_t ret = 0;    // the action returned
        unsigned steps = 0;  // instructions executed, the return included
        bool loads_args = false;
};

// What the kernel's action-cache analysis follows when only arch and nr are known: loads of
// those two, ALU AND with a constant, jumps on constants, returns of constants. Anything else
// on the way makes the syscall uncacheable.
bool cache_emulable(const sock_filter& i) {
        switch (i.code) {
        case BPF_LD | BPF_W | BPF_ABS:
                return i.k == offsetof(seccomp_data, nr) || i.k == offsetof(seccomp_data, arch);
        case BPF_ALU | BPF_AND | BPF_K:
        case BPF_JMP | BPF_JA:
        case BPF_JMP | BPF_JEQ | BPF_K:
        case BPF_JMP | BPF_JGE | BPF_K:
        case BPF_JMP | BPF_JGT | BPF_K:
        case BPF_JMP | BPF_JSET | BPF_K:
        case BPF_RET | BPF_K:
                return true;
        }
        return false;
}

// A small classic-BPF interpreter for the instructions libseccomp emits. With !args_known,
// as the kernel's action-cache analysis: nullopt at the first instruction it cannot follow
// (such as a load of an argument), since the verdict then depends on more than the number.
std::optional<Run> run(const std::vector<sock_filter>& prog, const seccomp_data& d, bool args_known) {
        uint32_t a = 0, x = 0;
        uint32_t mem[BPF_MEMWORDS] = {};
        Run r;
        size_t pc = 0;
        while (pc < prog.size()) {
                const sock_filter& i = prog[pc++];
                r.steps++;
                if (!args_known && !cache_emulable(i))
                        return std::nullopt;
                switch (BPF_CLASS(i.code)) {
                case BPF_LD:
                        if (BPF_MODE(i.code) == BPF_ABS && BPF_SIZE(i.code) == BPF_W) {
                                if (i.k + 4 > sizeof d || i.k % 4 != 0)
                                        return std::nullopt;
                                bool fixed = i.k == offsetof(seccomp_data, nr) || i.k == offsetof(seccomp_data, arch);
                                if (!fixed) {
                                        r.loads_args = true;
                                        if (!args_known)
                                                return std::nullopt;
                                }
                                memcpy(&a, reinterpret_cast<const char*>(&d) + i.k, 4);
                        } else if (BPF_MODE(i.code) == BPF_IMM) {
                                a = i.k;
                        } else if (BPF_MODE(i.code) == BPF_MEM && i.k < BPF_MEMWORDS) {
                                a = mem[i.k];
                        } else {
                                return std::nullopt;
                        }
                        break;
                case BPF_LDX:
                        if (BPF_MODE(i.code) == BPF_IMM)
                                x = i.k;
                        else if (BPF_MODE(i.code) == BPF_MEM && i.k < BPF_MEMWORDS)
                                x = mem[i.k];
                        else
                                return std::nullopt;
                        break;
                case BPF_ST:
                        if (i.k >= BPF_MEMWORDS)
                                return std::nullopt;
                        mem[i.k] = a;
                        break;
                case BPF_STX:
                        if (i.k >= BPF_MEMWORDS)
                                return std::nullopt;
                        mem[i.k] = x;
                        break;
                case BPF_ALU: {
                        uint32_t v = BPF_SRC(i.code) == BPF_X ? x : i.k;
                        switch (BPF_OP(i.code)) {
                        case BPF_ADD: a += v; break;
                        case BPF_SUB: a -= v; break;
                        case BPF_MUL: a *= v; break;
                        case BPF_DIV: if (!v) return std::nullopt; a /= v; break;
                        case BPF_OR: a |= v; break;
                        case BPF_AND: a &= v; break;
                        case BPF_LSH: a <<= (v & 31); break;
                        case BPF_RSH: a >>= (v & 31); break;
                        case BPF_NEG: a = -a; break;
                        default: return std::nullopt;
                        }
                        break;
                }
                case BPF_JMP: {
                        if (BPF_OP(i.code) == BPF_JA) {
                                pc += i.k;
                                break;
                        }
                        uint32_t v = BPF_SRC(i.code) == BPF_X ? x : i.k;
                        bool t = false;
                        switch (BPF_OP(i.code)) {
                        case BPF_JEQ: t = a == v; break;
                        case BPF_JGT: t = a > v; break;
                        case BPF_JGE: t = a >= v; break;
                        case BPF_JSET: t = (a & v) != 0; break;
                        default: return std::nullopt;
                        }
                        pc += t ? i.jt : i.jf;
                        break;
                }
                case BPF_RET:
                        r.ret = BPF_RVAL(i.code) == BPF_A ? a : i.k;
                        return r;
                case BPF_MISC:
                        if (BPF_MISCOP(i.code) == BPF_TAX)
                                x = a;
                        else
                                a = x;
                        break;
                default:
                        return std::nullopt;
                }
        }
        return std::nullopt; // ran off the end: not a valid filter
}

std::string action_name(uint32_t ret) {
        uint32_t act = ret & SECCOMP_RET_ACTION_FULL;
        switch (act) {
        case SECCOMP_RET_ALLOW: return "allow";
        case SECCOMP_RET_ERRNO: return "errno(" + std::to_string(ret & SECCOMP_RET_DATA) + ")";
        case SECCOMP_RET_KILL_PROCESS: return "kill-process";
        case SECCOMP_RET_KILL_THREAD: return "kill-thread";
        case SECCOMP_RET_TRAP: return "trap";
        case SECCOMP_RET_USER_NOTIF: return "notify";
        case SECCOMP_RET_LOG: return "log";
        case SECCOMP_RET_TRACE: return "trace";
        }
        char buf[16];
        snprintf(buf, sizeof buf, "0x%08x", ret);
        return buf;
}

void disassemble(const std::vector<sock_filter>& prog) {
        for (size_t pc = 0; pc < prog.size(); pc++) {
                const sock_filter& i = prog[pc];
                fprintf(stderr, "%4zu: ", pc);
                switch (BPF_CLASS(i.code)) {
                case BPF_LD:
                        if (BPF_MODE(i.code) == BPF_ABS)
                                fprintf(stderr, "ld  [%u]%s\n", i.k,
                                        i.k == offsetof(seccomp_data, nr)     ? " (nr)"
                                        : i.k == offsetof(seccomp_data, arch) ? " (arch)"
                                        : i.k >= offsetof(seccomp_data, args)
                                            ? (" (arg" + std::to_string((i.k - 16) / 8) +
                                               ((i.k - 16) % 8 ? " hi)" : " lo)"))
                                                  .c_str()
                                            : "");
                        else if (BPF_MODE(i.code) == BPF_MEM)
                                fprintf(stderr, "ld  M[%u]\n", i.k);
                        else
                                fprintf(stderr, "ld  #0x%x\n", i.k);
                        break;
                case BPF_ST:
                        fprintf(stderr, "st  M[%u]\n", i.k);
                        break;
                case BPF_ALU:
                        fprintf(stderr, "alu op 0x%02x #0x%x\n", BPF_OP(i.code), i.k);
                        break;
                case BPF_JMP: {
                        const char* op = BPF_OP(i.code) == BPF_JA    ? "ja"
                                         : BPF_OP(i.code) == BPF_JEQ ? "jeq"
                                         : BPF_OP(i.code) == BPF_JGT ? "jgt"
                                         : BPF_OP(i.code) == BPF_JGE ? "jge"
                                                                    : "jset";
                        if (BPF_OP(i.code) == BPF_JA)
                                fprintf(stderr, "ja  %zu\n", pc + 1 + i.k);
                        else
                                fprintf(stderr, "%-4s #0x%x  t %zu  f %zu\n", op, i.k, pc + 1 + i.jt,
                                        pc + 1 + i.jf);
                        break;
                }
                case BPF_RET:
                        fprintf(stderr, "ret %s\n", action_name(i.k).c_str());
                        break;
                default:
                        fprintf(stderr, "code 0x%04x jt %u jf %u k 0x%x\n", i.code, i.jt, i.jf, i.k);
                }
        }
}

} // namespace

int main(int argc, char** argv) {
        if (argc < 3 || argc > 4 || (argc == 4 && strcmp(argv[3], "-d") != 0)) {
                fprintf(stderr, "usage: export_bpf PROFILE OUT.bpf [-d]\n");
                return 2;
        }
        auto host = sb::read_host(environ);
        if (!host) {
                fprintf(stderr, "export_bpf: %s\n", host.error().what().c_str());
                return 1;
        }
        auto search = sb::default_search(*host);
        auto layers = sb::load_profile(argv[1], search, *host, "loop");
        if (!layers) {
                fprintf(stderr, "export_bpf: %s\n", layers.error().what().c_str());
                return 1;
        }
        sb::Profile merged = sb::merge_layers(*layers);
        auto policy = sb::build_policy(merged, false);
        if (!policy) {
                fprintf(stderr, "export_bpf: %s\n", policy.error().what().c_str());
                return 1;
        }
        auto bpf = sb::compile_policy(*policy);
        if (!bpf) {
                fprintf(stderr, "export_bpf: %s\n", bpf.error().what().c_str());
                return 1;
        }
        if (bpf->empty()) {
                fprintf(stderr, "export_bpf: profile %s has no syscall filter\n", argv[1]);
                return 1;
        }
        FILE* out = fopen(argv[2], "we");
        if (!out || fwrite(bpf->data(), sizeof(sock_filter), bpf->size(), out) != bpf->size() ||
            fclose(out) != 0) {
                perror(argv[2]);
                return 1;
        }

        std::set<std::string> names, arg_names;
        size_t arg_rules = 0;
        for (auto& r : policy->rules) {
                names.insert(r.name);
                if (!r.conds.empty()) {
                        arg_rules++;
                        arg_names.insert(r.name);
                }
        }
        printf("instructions %zu\n", bpf->size());
        printf("rules %zu\n", policy->rules.size());
        printf("argument_rules %zu\n", arg_rules);
        printf("syscalls_with_rules %zu\n", names.size());
        std::string list;
        for (auto& n : arg_names)
                list += (list.empty() ? "" : ",") + n;
        printf("syscalls_with_argument_rules %s\n", list.c_str());

        // The kernel's action cache: a syscall whose verdict is ALLOW from arch and nr alone.
        seccomp_data d{};
        d.arch = AUDIT_ARCH_X86_64;
        unsigned native = 0, cached = 0;
        for (auto& n : sb::native_syscall_names()) {
                d.nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, n.c_str());
                native++;
                auto r = run(*bpf, d, false);
                if (r && (r->ret & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ALLOW)
                        cached++;
        }
        printf("native_syscalls %u\n", native);
        printf("cacheable_syscalls %u\n", cached);

        // The benchmarked calls, with the arguments bench/seccomp_loop.c passes.
        struct Call {
                const char* key;
                const char* name;
                uint64_t args[6];
        };
        const Call calls[] = {
            {"getppid", "getppid", {0, 0, 0, 0, 0, 0}},
            {"ioctl", "ioctl", {3, FIONREAD, 0x7ffc00000000, 0, 0, 0}},
            {"read", "read", {3, 0x7ffc00000000, 1, 0, 0, 0}},
            {"futex", "futex", {0x55550000, 129 /* FUTEX_WAKE_PRIVATE */, 1, 0, 0, 0}},
        };
        for (auto& c : calls) {
                d.nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, c.name);
                for (int i = 0; i < 6; i++)
                        d.args[i] = c.args[i];
                auto only_nr = run(*bpf, d, false);
                auto full = run(*bpf, d, true);
                printf("call %s cached %s steps %u action %s\n", c.key,
                       only_nr && (only_nr->ret & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ALLOW ? "yes" : "no",
                       full ? full->steps : 0, full ? action_name(full->ret).c_str() : "?");
        }
        if (argc == 4)
                disassemble(*bpf);
        return 0;
}
