/* TCP throughput over loopback between two guest processes: the parent writes MiB of data
 * in 64 KiB writes to a child that reads and checks the count. Argument: MiB (default 256). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include "common.h"
#include "loopback.h"

#define CHUNK 65536

int main(int argc, char **argv)
{
    unsigned long total = arg_or(argc, argv, 256) << 20;
    struct sockaddr_in addr;
    int listener = listen_loopback(1, &addr);
    if (listener < 0) return 1;
    static char buf[CHUNK];
    pid_t child = fork();
    if (child == 0) {
        int c = accept(listener, NULL, NULL);
        unsigned long got = 0;
        ssize_t n;
        while ((n = read(c, buf, sizeof buf)) > 0) got += (unsigned long)n;
        return got == total ? 0 : 2;
    }
    close(listener);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(s, (struct sockaddr *)&addr, sizeof addr) != 0) return 1;
    fill_data((uint8_t *)buf, sizeof buf);
    for (unsigned long sent = 0; sent < total;) {
        ssize_t n = write(s, buf, total - sent < CHUNK ? total - sent : CHUNK);
        if (n <= 0) return 1;
        sent += (unsigned long)n;
    }
    close(s);
    int status;
    waitpid(child, &status, 0);
    printf("sent %lu MiB: %s\n", total >> 20, WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "received whole" : "lost data");
    return 0;
}
