/* userfaultfd: the latency of one missing-fault round trip (a thread touches a missing page,
 * a handler thread blocked in poll() reads the message and answers with UFFDIO_COPY, the
 * thread resumes), and fault throughput under load (4 threads touching a 16 MiB area in a
 * scattered order, 2 handler threads). stdout is deterministic (checked against native);
 * the timings go to stderr:  uffd: round trip N ns; stress N faults/s
 * Argument: round trips (default 20000). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "common.h"

#define PG 4096UL
#define UFFDIO_API 0xC018AA3FUL
#define UFFDIO_REGISTER 0xC020AA00UL
#define UFFDIO_COPY 0xC028AA03UL
#define UFFDIO_WAKE 0x8010AA02UL

struct uffdio_api { uint64_t api, features, ioctls; };
struct uffdio_register { uint64_t start, len, mode, ioctls; };
struct uffdio_copy { uint64_t dst, src, len, mode; int64_t copy; };
struct uffd_msg {
    uint8_t event, r1;
    uint16_t r2;
    uint32_t r3;
    uint64_t flags, address, pad;
} __attribute__((packed));

static int ufd;
static atomic_int stop;
static char *area;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void *handler(void *arg)
{
    (void)arg;
    static _Thread_local char page[PG];
    struct uffd_msg msgs[16];
    while (!atomic_load(&stop)) {
        struct pollfd p = { ufd, POLLIN, 0 };
        if (poll(&p, 1, 50) <= 0)
            continue;
        ssize_t n = read(ufd, msgs, sizeof msgs);
        for (int i = 0; i < (int)(n > 0 ? n / (ssize_t)sizeof msgs[0] : 0); i++) {
            uint64_t addr = msgs[i].address & ~(PG - 1);
            memset(page, (int)((addr / PG) & 0x7f) + 1, 64);
            struct uffdio_copy c = { addr, (uintptr_t)page, PG, 0, 0 };
            if (ioctl(ufd, UFFDIO_COPY, &c) < 0) {
                struct uffdio_register w = { addr, PG, 0, 0 };
                ioctl(ufd, UFFDIO_WAKE, &w);
            }
        }
    }
    return NULL;
}

static char *registered(size_t len)
{
    char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    struct uffdio_register r = { (uintptr_t)p, len, 1, 0 };
    if (p == MAP_FAILED || ioctl(ufd, UFFDIO_REGISTER, &r) < 0)
        exit(1);
    return p;
}

#define STRESS_PAGES 4096UL
#define STRESS_THREADS 4
static atomic_long bad;

static void *toucher(void *arg)
{
    long id = (long)arg;
    long wrong = 0;
    /* a scattered order: page = i * 1543 mod STRESS_PAGES (1543 is prime) */
    for (unsigned long i = id; i < STRESS_PAGES; i += STRESS_THREADS) {
        unsigned long page = (i * 1543) % STRESS_PAGES;
        if (area[page * PG] != (char)(((((uintptr_t)area / PG) + page) & 0x7f) + 1))
            wrong++;
    }
    atomic_fetch_add(&bad, wrong);
    return NULL;
}

int main(int argc, char **argv)
{
    unsigned long trips = arg_or(argc, argv, 20000);
    ufd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
    struct uffdio_api api = { 0xAA, 0, 0 };
    if (ufd < 0 || ioctl(ufd, UFFDIO_API, &api) < 0)
        return 1;
    pthread_t h[2];
    pthread_create(&h[0], NULL, handler, NULL);

    /* round trips: the main thread faults page after page, one handler serves */
    area = registered(trips * PG);
    long sum = 0;
    double t0 = now();
    for (unsigned long i = 0; i < trips; i++)
        sum += area[i * PG];
    double t1 = now();
    long want = 0;
    for (unsigned long i = 0; i < trips; i++)
        want += (char)(((((uintptr_t)area / PG) + i) & 0x7f) + 1);

    /* throughput: 4 touchers, 2 handlers */
    pthread_create(&h[1], NULL, handler, NULL);
    area = registered(STRESS_PAGES * PG);
    pthread_t t[STRESS_THREADS];
    double t2 = now();
    for (long i = 0; i < STRESS_THREADS; i++)
        pthread_create(&t[i], NULL, toucher, (void *)i);
    for (int i = 0; i < STRESS_THREADS; i++)
        pthread_join(t[i], NULL);
    double t3 = now();
    atomic_store(&stop, 1);
    pthread_join(h[0], NULL);
    pthread_join(h[1], NULL);

    printf("uffd: %lu round trips %s; stress %lu pages %s\n", trips, sum == want ? "ok" : "WRONG", STRESS_PAGES,
           atomic_load(&bad) == 0 ? "ok" : "WRONG");
    fprintf(stderr, "uffd: round trip %.0f ns; stress %.0f faults/s\n", (t1 - t0) * 1e9 / trips, STRESS_PAGES / (t3 - t2));
    return 0;
}
