/* LIBS: -lffi */
/* Nanoseconds per call through each kind of trampoline, and as a multiple of
 * a getpid syscall:
 *   plain indirect call            call *%reg to the target
 *   libffi static trampoline       a slot mapped from this program's file next
 *                                  to its parameter page (libffi >= 3.4.2)
 *   trampfd v2                     a slot of a kernel-generated table
 *   trampfd v1                     kernel-emulated: a fault per call
 *   getpid                         one syscall
 *   libffi closure                 ffi_closure_alloc + ffi_prep_closure_loc;
 *                                  under ushim --wx=strict libffi's closures
 *                                  live in a double-mapped memfd
 * trampfd rows say "n/a" where the kernel has no trampfd (Linux). Times are process CPU
 * time per call.
 * Usage: tramp [iterations]   (default 2000000; v1 and libffi use 1/10) */
#define _GNU_SOURCE
#include <ffi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include "common.h"
#include "../../fixtures/include/trampfd.h"

#define PAGE 4096

__attribute__((noinline)) long target(long a, long b)
{
    __asm__ volatile("");
    return a + b;
}

/* libffi's unix64 static trampoline slot, and an alt entry that takes the data off the
 * stack as ffi_closure_unix64_alt does, then goes to the target */
__asm__(".text\n.balign 4096\n.globl bench_table\nbench_table:\n.rept 128\n"
        "  sub $16, %rsp\n  mov %r10, (%rsp)\n  mov 0xff1(%rip), %r10\n  mov %r10, 8(%rsp)\n"
        "  mov 0xfed(%rip), %r10\n  jmp *%r10\n  .byte 0x66, 0x90\n.endr\n.balign 4096\n"
        ".globl bench_alt\nbench_alt:\n  mov 8(%rsp), %r10\n  add $16, %rsp\n  jmp target\n");
extern const unsigned char bench_table[PAGE];
void bench_alt(void);

/* Process CPU time: this runs on a shared, busy machine, where wall time mostly measures
 * the neighbours. */
static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

typedef long (*fn2)(long, long);

static double time_calls(fn2 volatile *fp, unsigned long n, long *check)
{
    long sum = 0;
    for (unsigned long i = 0; i < n / 10 + 1; i++) sum += (*fp)(i, 1); /* warm up */
    double t0 = now_ns();
    for (unsigned long i = 0; i < n; i++) sum += (*fp)(i, 1);
    double t1 = now_ns();
    *check += sum;
    return (t1 - t0) / n;
}

static double time_getpid(unsigned long n)
{
    long pid = 0;
    double t0 = now_ns();
    for (unsigned long i = 0; i < n; i++) {
        long r;
        __asm__ volatile("syscall" : "=a"(r) : "a"((long)SYS_getpid) : "rcx", "r11", "memory");
        pid += r;
    }
    double t1 = now_ns();
    return pid ? (t1 - t0) / n : 0;
}

static fn2 static_trampoline(void)
{
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f) return NULL;
    char line[512], file[512];
    unsigned long start, end, off, want = (unsigned long)bench_table;
    long offset = -1;
    while (fgets(line, sizeof line, f)) {
        file[0] = 0;
        if (sscanf(line, "%lx-%lx %*s %lx %*s %*s %511s", &start, &end, &off, file) < 3) continue;
        if (want >= start && want < end && file[0] == '/') {
            offset = off + (want - start);
            break;
        }
    }
    fclose(f);
    if (offset < 0) return NULL;
    int fd = open(file, O_RDONLY);
    unsigned char *two = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (fd < 0 || two == MAP_FAILED) return NULL;
    unsigned char *code = mmap(two, PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, fd, offset);
    if (code != two) return NULL;
    int slot = 127;
    void **parm = (void **)(code + PAGE + 32 * slot);
    parm[0] = NULL;         /* data */
    parm[1] = (void *)bench_alt; /* target */
    return (fn2)(code + 32 * slot);
}

static uint64_t code_tab[1], data_tab[1];

static fn2 v2_trampoline(void)
{
    struct trampfd_info info;
    int fd = trampfd(&info);
    if (fd < 0) return NULL;
    struct trampfd_code c = {1, TRAMPFD_V2_R11, (uint64_t)code_tab};
    struct trampfd_data d = {TRAMPFD_V2_R10, 0, (uint64_t)data_tab};
    code_tab[0] = (uint64_t)target;
    if (pwrite(fd, &c, 16, TRAMPFD_CODE) != 16 || pwrite(fd, &d, 16, TRAMPFD_DATA) != 16) return NULL;
    void *p = mmap(NULL, PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, info.code_offset);
    return p == MAP_FAILED ? NULL : (fn2)p;
}

static fn2 v1_trampoline(void)
{
    struct trampfd_user u = {0, 0};
    int fd = trampfd_create(TRAMPFD_USER, &u, 0);
    if (fd < 0) return NULL;
    struct { uint32_t n, reserved; struct trampfd_reg r[1]; } regs = {1, 0, {{TRAMPFD_V1_RIP, 0, (uint64_t)target}}};
    if (pwrite(fd, &regs, sizeof regs, TRAMPFD_REGS_OFFSET) != sizeof regs) return NULL;
    void *p = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE, fd, 0);
    return p == MAP_FAILED ? NULL : (fn2)p;
}

static void h_sum(ffi_cif *cif, void *ret, void **args, void *ud)
{
    (void)cif;
    (void)ud;
    *(ffi_arg *)ret = *(long *)args[0] + *(long *)args[1];
}

static ffi_cif cif;
static ffi_type *args2[2] = {&ffi_type_slong, &ffi_type_slong};

static fn2 ffi_closure_fn(const char **where)
{
    void *code;
    if (ffi_prep_cif(&cif, FFI_DEFAULT_ABI, 2, &ffi_type_slong, args2) != FFI_OK) return NULL;
    ffi_closure *cl = ffi_closure_alloc(sizeof(ffi_closure), &code);
    if (!cl || ffi_prep_closure_loc(cl, &cif, h_sum, NULL, code) != FFI_OK) return NULL;
    /* where does the executable address live? */
    *where = "anonymous RWX memory";
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    unsigned long start, end;
    while (f && fgets(line, sizeof line, f)) {
        if (sscanf(line, "%lx-%lx", &start, &end) == 2 && (unsigned long)code >= start && (unsigned long)code < end) {
            if (strstr(line, "libffi")) *where = "double-mapped memfd, RX view";
            break;
        }
    }
    if (f) fclose(f);
    return (fn2)code;
}

int main(int argc, char **argv)
{
    unsigned long n = arg_or(argc, argv, 2000000);
    long check = 0;
    static fn2 volatile fp;
    const char *ffi_where = "?";
    double getpid_ns = time_getpid(n / 10 + 1);
    struct { const char *name; fn2 f; unsigned long n; } rows[] = {
        {"plain indirect call", target, n},
        {"libffi static trampoline", static_trampoline(), n},
        {"trampfd v2 trampoline", v2_trampoline(), n},
        {"trampfd v1 (fault per call)", v1_trampoline(), n / 10 + 1},
        {"getpid syscall", NULL, 0},
        {"libffi closure", ffi_closure_fn(&ffi_where), n / 10 + 1},
    };
    double plain = 0;
    printf("%-30s %10s %10s %10s\n", "call through", "ns/call", "x plain", "x getpid");
    for (unsigned i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        double ns;
        if (i == 4) {
            ns = getpid_ns;
        } else if (rows[i].f == NULL) {
            printf("%-30s %10s\n", rows[i].name, "n/a");
            continue;
        } else {
            fp = rows[i].f;
            ns = time_calls(&fp, rows[i].n, &check);
        }
        if (i == 0) plain = ns;
        printf("%-30s %10.1f %10.2f %10.2f\n", rows[i].name, ns, ns / plain, ns / getpid_ns);
    }
    printf("libffi closure memory: %s\n", ffi_where);
    return check == 0 ? 1 : 0;
}
