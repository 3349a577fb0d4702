/* fork + exec + wait of `busybox true`, N times: process creation and exec start-up.
 * Argument: count (default 300). */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

int main(int argc, char **argv)
{
    unsigned long n = arg_or(argc, argv, 300), ok = 0;
    for (unsigned long i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            char *none[] = { NULL };
            exec_busybox("true", none);
            _exit(127);
        }
        int status;
        if (waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0)
            ok++;
    }
    printf("fork+exec+wait %lu/%lu ok\n", ok, n);
    return ok != n;
}
