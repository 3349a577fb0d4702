/* The host peer of tcp_to_host, run natively by the bench runner: listens on 127.0.0.1 (a
 * port of the host's choosing, written to the file named by its argument once it listens),
 * then for each connection in turn counts the bytes until the client ends its half and
 * sends the count back (8 bytes). Runs until killed. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include "common.h"
#include "loopback.h"

int main(int argc, char **argv)
{
    if (argc != 2) return 2;
    struct sockaddr_in addr;
    int listener = listen_loopback(16, &addr);
    if (listener < 0) return 1;
    /* Written aside and renamed: the runner waits for the file and must never read half of it. */
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", argv[1]);
    FILE *f = fopen(tmp, "w");
    if (f == NULL || fprintf(f, "%u\n", ntohs(addr.sin_port)) < 0 || fclose(f) != 0 || rename(tmp, argv[1]) != 0) return 1;
    static char buf[1 << 16];
    for (;;) {
        int c = accept(listener, NULL, NULL);
        if (c < 0) continue;
        uint64_t counted = 0;
        ssize_t n;
        while ((n = read(c, buf, sizeof buf)) > 0) counted += (uint64_t)n;
        if (n == 0) write(c, &counted, sizeof counted);
        close(c);
    }
}
