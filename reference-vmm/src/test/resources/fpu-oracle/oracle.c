/*
 * The host processor as an oracle for the reference CPU's x87, MMX and SSE instructions
 * (FpuOracleTest). Build: gcc -O1 -masm=intel -mno-red-zone -o oracle oracle.c   (x86-64 only)
 *
 * One case in, one case out, as fixed-size little-endian binary records on stdin/stdout:
 *
 *   offset   0  uint8_t  length       instruction length, 1-15
 *            1  uint8_t  code[15]     the instruction's bytes
 *           16  int32_t  trap         (out) -1, or the exception vector raised (the kernel's trapno)
 *           64  uint8_t  fx[512]      the x87/MMX/SSE state as a 64-bit FXSAVE image
 *          576  uint64_t rax, rcx, rdx, rsi   general registers; RBX and RDI point at mem
 *          608  uint64_t rflags       only the six status flags are used going in
 *          640  uint8_t  mem[512]     memory operands, 64-byte aligned
 *         1152  (record size)
 *
 * The instruction runs between FXRSTOR64 (the state going in) and FXSAVE64 (the state coming
 * out), called from inline assembly on a page of its own followed by RET. If it faults, the
 * signal handler reports the vector (REG_TRAPNO) and the state the kernel saved at the fault
 * (the legacy 512 bytes of its XSAVE area, the same layout). FXSAVE64 does not wait for pending
 * x87 exceptions, so an unmasked x87 exception shows up as ES in the saved FSW.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

typedef struct __attribute__((aligned(64))) {
    uint8_t length;
    uint8_t code[15];
    uint8_t pad[48];
    uint8_t fx[512];          /* offset 64 */
    uint64_t rax, rcx, rdx, rsi; /* offset 576 */
    uint64_t rflags;          /* offset 608 */
    uint64_t pad2[3];
    uint8_t mem[512];         /* offset 640 */
} record;

_Static_assert(sizeof(record) == 1152, "record layout");

static record *current;
static sigjmp_buf escape;
static volatile int32_t trap;
static const uint32_t mxcsr_default = 0x1F80;

static void on_fault(int sig, siginfo_t *info, void *context) {
    (void) sig;
    (void) info;
    ucontext_t *uc = context;
    trap = (int32_t) uc->uc_mcontext.gregs[REG_TRAPNO];
    memcpy(current->fx, uc->uc_mcontext.fpregs, 512);
    current->rax = uc->uc_mcontext.gregs[REG_RAX];
    current->rcx = uc->uc_mcontext.gregs[REG_RCX];
    current->rdx = uc->uc_mcontext.gregs[REG_RDX];
    current->rsi = uc->uc_mcontext.gregs[REG_RSI];
    current->rflags = uc->uc_mcontext.gregs[REG_EFL];
    siglongjmp(escape, 1);
}

static void run(record *r, void *code) {
    register record *ctx __asm__("r15") = r;
    register void *target __asm__("r14") = code;
    __asm__ volatile(
        "fxrstor64 [r15+64]\n\t"
        "mov rax, [r15+576]\n\t"
        "mov rcx, [r15+584]\n\t"
        "mov rdx, [r15+592]\n\t"
        "mov rsi, [r15+600]\n\t"
        "lea rbx, [r15+640]\n\t"
        "mov rdi, rbx\n\t"
        "push qword ptr [r15+608]\n\t"
        "popfq\n\t"
        "call r14\n\t"
        "pushfq\n\t"
        "pop qword ptr [r15+608]\n\t"
        "mov [r15+576], rax\n\t"
        "mov [r15+584], rcx\n\t"
        "mov [r15+592], rdx\n\t"
        "mov [r15+600], rsi\n\t"
        "fxsave64 [r15+64]\n\t"
        "fninit\n\t"
        "ldmxcsr %[m]\n\t"
        :
        : "r"(ctx), "r"(target), [m] "m"(mxcsr_default)
        : "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "memory", "cc",
          "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",
          "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15",
          "st", "st(1)", "st(2)", "st(3)", "st(4)", "st(5)", "st(6)", "st(7)",
          "mm0", "mm1", "mm2", "mm3", "mm4", "mm5", "mm6", "mm7");
}

int main(void) {
    uint8_t *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGFPE, &sa, NULL);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
    static record r;
    while (fread(&r, sizeof r, 1, stdin) == 1) {
        if (r.length < 1 || r.length > 15) {
            fprintf(stderr, "bad length %d\n", r.length);
            return 1;
        }
        memcpy(page, r.code, r.length);
        page[r.length] = 0xC3; /* RET */
        __builtin___clear_cache((char *) page, (char *) page + 16);
        r.rflags = (r.rflags & 0x8D5) | 0x2; /* CF PF AF ZF SF OF, and the fixed bit 1 */
        current = &r;
        trap = -1;
        if (sigsetjmp(escape, 1) == 0) {
            run(&r, page);
        } else {
            __asm__ volatile("fninit\n\tldmxcsr %0" : : "m"(mxcsr_default));
        }
        int32_t t = trap;
        memcpy(r.pad, &t, 4);
        if (fwrite(&r, sizeof r, 1, stdout) != 1 || fflush(stdout) != 0) {
            return 1;
        }
    }
    return 0;
}
