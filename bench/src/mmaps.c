/* Many small mappings (issue 13: memory areas that scale): 4 KiB mmaps with alternating
 * protections, so that none merge, until the count is reached or vm.max_map_count stops them.
 * Argument: how many (default 100000). */
#include <stdio.h>
#include <sys/mman.h>
#include "common.h"

int main(int argc, char **argv)
{
    unsigned long n = arg_or(argc, argv, 100000), made = 0;
    for (; made < n; made++) {
        void *p = mmap(NULL, 4096, made & 1 ? PROT_READ : PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            break;
    }
    /* Where the limit stops it depends on the areas the kernel maps itself. */
    printf("mapped %s\n", made == n ? "all" : made >= 65400 ? "up to vm.max_map_count" : "too few");
    return 0;
}
