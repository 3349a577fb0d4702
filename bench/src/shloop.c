/* busybox sh running an arithmetic loop: an interpreter's mix of small syscalls and code.
 * Argument: iterations (default 2000). */
#include <stdio.h>
#include <unistd.h>
#include "common.h"

int main(int argc, char **argv)
{
    unsigned long n = arg_or(argc, argv, 2000);
    char script[256];
    snprintf(script, sizeof script, "i=0; while [ $i -lt %lu ]; do i=$((i+1)); done; echo loop $i", n);
    char *args[] = { "-c", script, NULL };
    exec_busybox("sh", args);
    return 127;
}
