/*
 * The host processor as an oracle for the reference CPU's integer instructions (AluOracleTest).
 *
 * Build: gcc -O1 -masm=intel -mno-red-zone -o oracle oracle.c   (x86-64)
 *        gcc -m32 -O1 -masm=intel -o oracle32 oracle.c          (adds DAA DAS AAA AAS AAM AAD)
 *
 * stdin, one case per line:   <op> <size> <rax> <rcx> <rdx> <rflags>   (values in hex)
 * stdout, one line per case:  <rax> <rcx> <rdx> <rflags>               (after the instruction)
 *                         or  #DE                                      (the instruction faulted)
 *                         or  unsupported                              (no such op/size, or the
 *                                                                       host lacks the feature)
 * The instruction always works on the same registers: the accumulator (AL/AX/EAX/RAX), the
 * count register (CL/CX/ECX/RCX) and the data register (DL/DX/EDX/RDX); see the table below.
 * An immediate operand is part of the op's name ("add/-1", "shl/5", "imul3/10", "aam/16"): the
 * harness is compiled with exactly those immediates.
 * The status flags going in are set with POPF just before it and captured with PUSHF just after,
 * so nothing the compiler emits can disturb them. The line "features" prints which of POPCNT,
 * LZCNT and TZCNT the host advertises in CPUID (without them F3 0F BD/BC execute as BSR/BSF).
 */
#include <cpuid.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned long reg_t; /* 64 bits with -m64, 32 with -m32 */

typedef struct {
    reg_t a, c, d, flags;
} regs;

#ifdef __x86_64__
#define POPF "popfq"
#define PUSHF "pushfq"
#else
#define POPF "popfd"
#define PUSHF "pushfd"
#endif

/* Runs one instruction (an Intel-syntax string) with the given registers and flags. */
#define EXEC(insn)                                                                         \
    __asm__ volatile("push %[f]\n\t" POPF "\n\t" insn "\n\t" PUSHF "\n\tpop %[f]"        \
                     : "+a"(r->a), "+c"(r->c), "+d"(r->d), [f] "+r"(r->flags)              \
                     :                                                                     \
                     : "cc", "memory")

#define CASE(n, insn) \
    case n:           \
        EXEC(insn);   \
        return 1;

#ifdef __x86_64__
#define Q(n, insn) CASE(n, insn)
#else
#define Q(n, insn)
#endif

#define OP(name, body)                         \
    static int op_##name(int size, regs *r) {  \
        switch (size) { body }                 \
        return 0;                              \
    }

/* "m acc, cnt": ADD AL, CL ... ADD RAX, RCX. */
#define AC(name, m) OP(name, CASE(1, m " al, cl") CASE(2, m " ax, cx") CASE(4, m " eax, ecx") Q(8, m " rax, rcx"))
/* "m acc": NEG AL ... NEG RAX. */
#define A(name, m) OP(name, CASE(1, m " al") CASE(2, m " ax") CASE(4, m " eax") Q(8, m " rax"))
/* "m acc, cl": shifts and rotates by CL. */
#define ACL(name, m) OP(name, CASE(1, m " al, cl") CASE(2, m " ax, cl") CASE(4, m " eax, cl") Q(8, m " rax, cl"))
/* "m cnt": MUL/IMUL/DIV/IDIV with the source in CL/CX/ECX/RCX. */
#define C(name, m) OP(name, CASE(1, m " cl") CASE(2, m " cx") CASE(4, m " ecx") Q(8, m " rcx"))
/* 16/32/64-bit only: "m acc, cnt". */
#define AC_W(name, m) OP(name, CASE(2, m " ax, cx") CASE(4, m " eax, ecx") Q(8, m " rax, rcx"))

AC(add, "add")
AC(adc, "adc")
AC(sub, "sub")
AC(sbb, "sbb")
AC(cmp, "cmp")
AC(and, "and")
AC(or, "or")
AC(xor, "xor")
AC(test, "test")
A(neg, "neg")
A(not, "not")
A(inc, "inc")
A(dec, "dec")
ACL(shl, "shl")
ACL(shr, "shr")
ACL(sar, "sar")
ACL(rol, "rol")
ACL(ror, "ror")
ACL(rcl, "rcl")
ACL(rcr, "rcr")
/* SHLD/SHRD acc, data, CL. */
OP(shld, CASE(2, "shld ax, dx, cl") CASE(4, "shld eax, edx, cl") Q(8, "shld rax, rdx, cl"))
OP(shrd, CASE(2, "shrd ax, dx, cl") CASE(4, "shrd eax, edx, cl") Q(8, "shrd rax, rdx, cl"))
C(mul, "mul")
C(imul1, "imul")
C(div, "div")
C(idiv, "idiv")
AC_W(imul2, "imul")
AC_W(bsf, "bsf")
AC_W(bsr, "bsr")
AC_W(popcnt, "popcnt")
AC_W(lzcnt, "lzcnt")
AC_W(tzcnt, "tzcnt")
AC_W(bt, "bt")
AC_W(bts, "bts")
AC_W(btr, "btr")
AC_W(btc, "btc")
/* BSWAP r16 (66 0F C8) has an undefined result; gas refuses to write it, so it is spelled out. */
OP(bswap, CASE(2, ".byte 0x66, 0x0f, 0xc8") CASE(4, "bswap eax") Q(8, "bswap rax"))
/* CMPXCHG data, cnt: compares the accumulator with DL/DX/EDX/RDX. */
OP(cmpxchg, CASE(1, "cmpxchg dl, cl") CASE(2, "cmpxchg dx, cx") CASE(4, "cmpxchg edx, ecx") Q(8, "cmpxchg rdx, rcx"))
AC(xadd, "xadd")
OP(cbw, CASE(2, "cbw") CASE(4, "cwde") Q(8, "cdqe"))
OP(cwd, CASE(2, "cwd") CASE(4, "cdq") Q(8, "cqo"))

/* IMUL acc, cnt, imm: the immediate is part of the op name ("imul3/-1"). */
#define IMUL3_ALL(tag, imm) OP(imul3_##tag, CASE(2, "imul ax, cx, " #imm) CASE(4, "imul eax, ecx, " #imm) Q(8, "imul rax, rcx, " #imm))
#define IMUL3_W(tag, imm) OP(imul3_##tag, CASE(2, "imul ax, cx, " #imm))
#define IMUL3_D(tag, imm) OP(imul3_##tag, CASE(4, "imul eax, ecx, " #imm) Q(8, "imul rax, rcx, " #imm))
IMUL3_ALL(0, 0)
IMUL3_ALL(1, 1)
IMUL3_ALL(m1, -1)
IMUL3_ALL(3, 3)
IMUL3_ALL(10, 10)
IMUL3_ALL(127, 127)
IMUL3_ALL(m128, -128)
IMUL3_W(7fff, 0x7fff)
IMUL3_W(m8000, -0x8000)
IMUL3_W(1000, 1000)
IMUL3_W(m300, -300)
IMUL3_D(7fffffff, 0x7fffffff)
IMUL3_D(m80000000, -0x80000000)
IMUL3_D(10001, 0x10001)
IMUL3_D(m100000, -100000)

/*
 * Immediate forms, named "<op>/<imm>" like "add/-1" (the harness has exactly these immediates).
 * ALU ops: imm8 for every size, then values that need imm16/imm32 (sign-extended to 64 bits).
 */
#define IMM_ALL(X, m) X(m, 1, 1) X(m, m1, -1) X(m, 127, 127) X(m, m128, -128)
#define IMM_WIDE(X, m) X(m, 128, 128) X(m, m129, -129)
#define IMM_W(X, m) X(m, 32767, 32767) X(m, m32768, -32768)
#define IMM_D(X, m) X(m, 2147483647, 2147483647) X(m, m2147483648, -2147483648)
#define DEF_ALL(m, tag, imm) OP(m##_i##tag, CASE(1, #m " al, " #imm) CASE(2, #m " ax, " #imm) \
                                  CASE(4, #m " eax, " #imm) Q(8, #m " rax, " #imm))
#define DEF_WIDE(m, tag, imm) OP(m##_i##tag, CASE(2, #m " ax, " #imm) CASE(4, #m " eax, " #imm) Q(8, #m " rax, " #imm))
#define DEF_W(m, tag, imm) OP(m##_i##tag, CASE(2, #m " ax, " #imm))
#define DEF_D(m, tag, imm) OP(m##_i##tag, CASE(4, #m " eax, " #imm) Q(8, #m " rax, " #imm))
#define ALU_IMM(m) IMM_ALL(DEF_ALL, m) IMM_WIDE(DEF_WIDE, m) IMM_W(DEF_W, m) IMM_D(DEF_D, m)
#define ALU_IMM_ENTRIES(m) IMM_ALL(ENTRY_I, m) IMM_WIDE(ENTRY_I, m) IMM_W(ENTRY_I, m) IMM_D(ENTRY_I, m)
#define ALU_OPS(X) X(add) X(adc) X(sub) X(sbb) X(cmp) X(and) X(or) X(xor) X(test)
ALU_OPS(ALU_IMM)

/* Shifts and rotates by an immediate: 1 is the D0/D1 form, 0 and 33 show the count masking. */
#define COUNTS(X, m) X(m, 0, 0) X(m, 1, 1) X(m, 5, 5) X(m, 33, 33)
#define SHIFT_IMM(m) COUNTS(DEF_ALL, m)
#define SHIFT_OPS(X) X(shl) X(shr) X(sar) X(rol) X(ror) X(rcl) X(rcr)
SHIFT_OPS(SHIFT_IMM)
/* SHLD/SHRD by an immediate; 17 is past the size of a 16-bit operand (undefined there). */
#define DEF_DOUBLE(m, tag, imm) OP(m##_i##tag, CASE(2, #m " ax, dx, " #imm) CASE(4, #m " eax, edx, " #imm) \
                                     Q(8, #m " rax, rdx, " #imm))
#define DOUBLE_COUNTS(X, m) X(m, 0, 0) X(m, 1, 1) X(m, 9, 9) X(m, 17, 17)
DOUBLE_COUNTS(DEF_DOUBLE, shld)
DOUBLE_COUNTS(DEF_DOUBLE, shrd)

#ifndef __x86_64__
/* BCD adjustments: invalid in 64-bit mode, so only in the -m32 build. Size is always 1. */
OP(daa, CASE(1, "daa"))
OP(das, CASE(1, "das"))
OP(aaa, CASE(1, "aaa"))
OP(aas, CASE(1, "aas"))
#define AAMD(tag, imm) OP(aam_##tag, CASE(1, "aam " #imm)) OP(aad_##tag, CASE(1, "aad " #imm))
AAMD(10, 10)
AAMD(16, 16)
AAMD(7, 7)
AAMD(1, 1)
AAMD(255, 255)
AAMD(0, 0)
#endif

enum feature { NONE, F_POPCNT, F_LZCNT, F_BMI1 };

struct entry {
    const char *name;
    int (*run)(int size, regs *r);
    enum feature feature;
};

#define E(n) {#n, op_##n, NONE}
#define ENTRY_I(m, tag, imm) {#m "/" #imm, op_##m##_i##tag, NONE},
#define SHIFT_IMM_ENTRIES(m) COUNTS(ENTRY_I, m)
#define I3(tag, text) {"imul3/" text, op_imul3_##tag, NONE}
static const struct entry table[] = {
    E(add), E(adc), E(sub), E(sbb), E(cmp), E(and), E(or), E(xor), E(test),
    E(neg), E(not), E(inc), E(dec),
    E(shl), E(shr), E(sar), E(rol), E(ror), E(rcl), E(rcr), E(shld), E(shrd),
    E(mul), E(imul1), E(imul2), E(div), E(idiv),
    E(bsf), E(bsr), E(bt), E(bts), E(btr), E(btc),
    {"popcnt", op_popcnt, F_POPCNT}, {"lzcnt", op_lzcnt, F_LZCNT}, {"tzcnt", op_tzcnt, F_BMI1},
    E(bswap), E(cmpxchg), E(xadd), E(cbw), E(cwd),
    I3(0, "0"), I3(1, "1"), I3(m1, "-1"), I3(3, "3"), I3(10, "10"), I3(127, "127"), I3(m128, "-128"),
    I3(7fff, "32767"), I3(m8000, "-32768"), I3(1000, "1000"), I3(m300, "-300"),
    I3(7fffffff, "2147483647"), I3(m80000000, "-2147483648"), I3(10001, "65537"), I3(m100000, "-100000"),
    ALU_OPS(ALU_IMM_ENTRIES)
    SHIFT_OPS(SHIFT_IMM_ENTRIES)
    DOUBLE_COUNTS(ENTRY_I, shld)
    DOUBLE_COUNTS(ENTRY_I, shrd)
#ifndef __x86_64__
    E(daa), E(das), E(aaa), E(aas),
    {"aam/10", op_aam_10, NONE}, {"aam/16", op_aam_16, NONE}, {"aam/7", op_aam_7, NONE},
    {"aam/1", op_aam_1, NONE}, {"aam/255", op_aam_255, NONE}, {"aam/0", op_aam_0, NONE},
    {"aad/10", op_aad_10, NONE}, {"aad/16", op_aad_16, NONE}, {"aad/7", op_aad_7, NONE},
    {"aad/1", op_aad_1, NONE}, {"aad/255", op_aad_255, NONE}, {"aad/0", op_aad_0, NONE},
#endif
};

static int probe(enum feature f) {
    unsigned a, b, c, d;
    switch (f) {
    case F_POPCNT: /* CPUID.01H:ECX.POPCNT[bit 23] */
        return __get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 23));
    case F_LZCNT: /* CPUID.80000001H:ECX.LZCNT[bit 5] */
        return __get_cpuid(0x80000001u, &a, &b, &c, &d) && (c & (1u << 5));
    case F_BMI1: /* CPUID.(EAX=07H, ECX=0):EBX.BMI1[bit 3] */
        return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 3));
    default:
        return 1;
    }
}

/* CPUID once at start-up (in a guest it is a VM exit). */
static int present[4];

static int has(enum feature f) {
    return present[f];
}

static sigjmp_buf on_divide_error;

static void sigfpe(int sig) {
    (void)sig;
    siglongjmp(on_divide_error, 1);
}

enum outcome { UNSUPPORTED, RAN, DIVIDE_ERROR };

/* Runs one case; a #DE arrives as SIGFPE and comes back here through siglongjmp. */
static enum outcome execute(const struct entry *e, int size, regs *r) {
    if (sigsetjmp(on_divide_error, 1)) {
        return DIVIDE_ERROR;
    }
    return e->run(size, r) ? RAN : UNSUPPORTED;
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = sigfpe;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGFPE, &sa, NULL);
    for (int f = NONE; f <= F_BMI1; f++) {
        present[f] = probe((enum feature)f);
    }

    /* The flags outside the six status flags stay as the process has them (TF and DF clear). */
    const reg_t status = 0x8D5; /* OF SF ZF AF PF CF */
    reg_t base;
    __asm__ volatile(PUSHF "\n\tpop %0" : "=r"(base));
    base &= ~(status | 0x100 | 0x400);

    char line[256];
    while (fgets(line, sizeof line, stdin)) {
        char name[32];
        int size;
        unsigned long long a, c, d, f;
        if (strncmp(line, "features", 8) == 0) {
            printf("popcnt=%d lzcnt=%d tzcnt=%d\n", has(F_POPCNT), has(F_LZCNT), has(F_BMI1));
            continue;
        }
        if (sscanf(line, "%31s %d %llx %llx %llx %llx", name, &size, &a, &c, &d, &f) != 6) {
            fprintf(stderr, "oracle: bad line: %s", line);
            return 2;
        }
        const struct entry *e = NULL;
        for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
            if (strcmp(table[i].name, name) == 0) {
                e = &table[i];
            }
        }
        regs r = {(reg_t)a, (reg_t)c, (reg_t)d, base | ((reg_t)f & status)};
        if (e == NULL || !has(e->feature)) {
            puts("unsupported");
            continue;
        }
        int outcome = execute(e, size, &r);
        if (outcome != RAN) {
            puts(outcome == DIVIDE_ERROR ? "#DE" : "unsupported");
            continue;
        }
        printf("%llx %llx %llx %llx\n", (unsigned long long)r.a, (unsigned long long)r.c,
               (unsigned long long)r.d, (unsigned long long)r.flags);
    }
    return 0;
}
