/* The guest of test/api/snapshot-uffd-tramp.test.ts, built with gcc -static -O0 -pthread
 * -I fixtures/src -I fixtures/include: a trampfd v1 trampoline is mapped, a worker thread
 * faults on a page a userfaultfd tracks, and main stops at checkpoint() while that fault is
 * pending (reported, not yet resolved). Then main reads the fault, resolves it with
 * UFFDIO_COPY, joins the worker, raises the trampoline's first argument and calls through
 * it. Every line it prints needs the userfaultfd registration and the trampoline's contexts
 * back as they were after a snapshot restore. */
#include "uffd.h"
#include "trampfd.h"
#include <pthread.h>

void checkpoint(void) {}

static volatile char *region;
static long seen;

static void *worker(void *arg)
{
    (void)arg;
    seen = region[100];
    return NULL;
}

static long target(long a, long b) { return a * 100 + b; }

static int trampoline_to_target(void)
{
    struct trampfd_user u = { 0, 0 };
    int fd = (int)syscall(USHIM_NR_trampfd_create, TRAMPFD_USER, &u, 0);
    MUST(fd);
    struct { uint32_t nregs, reserved; struct trampfd_reg r[3]; } regs = {
        3, 0, { { TRAMPFD_V1_RDI, 0, 4 }, { TRAMPFD_V1_RSI, 0, 2 }, { TRAMPFD_V1_RIP, 0, (uintptr_t)target } } };
    MUST(pwrite(fd, &regs, sizeof regs, TRAMPFD_REGS_OFFSET));
    struct { uint32_t n, reserved; uint64_t v[1]; } pcs = { 1, 0, { (uintptr_t)target } };
    MUST(pwrite(fd, &pcs, sizeof pcs, TRAMPFD_ALLOWED_PCS_OFFSET));
    return fd;
}

int main(void)
{
    int tfd = trampoline_to_target();
    void *tramp = mmap(NULL, PG, PROT_NONE, MAP_PRIVATE, tfd, 0);
    MUST(tramp == MAP_FAILED ? -1 : 0);

    int ufd = uffd_open(O_CLOEXEC, 0);
    region = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    MUST(region == MAP_FAILED ? -1 : 0);
    MUST(uffd_register(ufd, (void *)region, PG, UFFDIO_REGISTER_MODE_MISSING, NULL));

    pthread_t t;
    MUST(pthread_create(&t, NULL, worker, NULL) == 0 ? 0 : -1);
    struct pollfd p = { ufd, POLLIN, 0 };
    MUST(poll(&p, 1, -1));
    checkpoint();

    struct uffd_msg m;
    MUST(read(ufd, &m, sizeof m) == sizeof m ? 0 : -1);
    printf("fault at offset %ld\n", (long)(m.arg.pagefault.address - (uintptr_t)region));
    static char page[PG];
    memset(page, 'x', sizeof page);
    page[100] = 42;
    struct uffdio_copy c = { (uintptr_t)region, (uintptr_t)page, PG, 0, 0 };
    MUST(ioctl(ufd, UFFDIO_COPY, &c));
    MUST(pthread_join(t, NULL) == 0 ? 0 : -1);

    /* The trampoline's first argument goes up by one: a rerun sees the snapshot's value. */
    struct { uint32_t nregs, reserved; struct trampfd_reg r[3]; } regs;
    MUST(pread(tfd, &regs, sizeof regs, TRAMPFD_REGS_OFFSET));
    printf("trampoline's rdi %lu\n", (unsigned long)regs.r[0].value);
    regs.r[0].value++;
    MUST(pwrite(tfd, &regs, sizeof regs, TRAMPFD_REGS_OFFSET));
    long r = ((long (*)(long, long))tramp)(0, 0);
    printf("worker read %ld, trampoline returned %ld\n", seen, r);
    return 0;
}
