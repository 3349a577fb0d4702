/* Repeated small mmap/munmap pairs, touching one page each, to measure
 * mapping bookkeeping cost.
 * Usage: churn [count]   (default 100000) */
#include <stdio.h>
#include <sys/mman.h>
#include "common.h"

#define SIZE (64 * 1024)

int main(int argc, char **argv)
{
    unsigned long n = arg_or(argc, argv, 100000);
    for (unsigned long i = 0; i < n; i++) {
        volatile char *p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE,
                                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            perror("mmap");
            return 1;
        }
        p[i % (SIZE / 4096) * 4096] = 1;
        if (munmap((void *)p, SIZE) != 0) {
            perror("munmap");
            return 1;
        }
    }
    printf("churn %lu pairs\n", n);
    return 0;
}
