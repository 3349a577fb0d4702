/* Raw getpid syscalls, to measure per-syscall overhead.
 * syscall() bypasses any libc pid caching, so every call enters the kernel.
 * Usage: getpid [count]   (default 1000000) */
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "common.h"

int main(int argc, char **argv)
{
    unsigned long n = arg_or(argc, argv, 1000000);
    long first = syscall(SYS_getpid);
    unsigned long same = 0;
    for (unsigned long i = 0; i < n; i++)
        same += syscall(SYS_getpid) == first;
    /* Print only pid-independent facts so output matches across runners. */
    printf("getpid %lu/%lu consistent\n", same, n);
    return 0;
}
