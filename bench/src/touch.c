/* Map a large anonymous region and write one byte per 4 KiB page, to
 * measure page-fault / lazy-allocation cost.
 * Usage: touch [MiB]   (default 1024) */
#include <stdio.h>
#include <sys/mman.h>
#include "common.h"

int main(int argc, char **argv)
{
    size_t len = arg_or(argc, argv, 1024) << 20;
    volatile char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    size_t pages = 0;
    for (size_t off = 0; off < len; off += 4096, pages++)
        p[off] = 1;
    if (munmap((void *)p, len) != 0) {
        perror("munmap");
        return 1;
    }
    printf("touch %zu pages\n", pages);
    return 0;
}
