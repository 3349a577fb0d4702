/* A TCP listener on 127.0.0.1 at a port of the host's choosing, for the socket benchmarks. */
#ifndef BENCH_LOOPBACK_H
#define BENCH_LOOPBACK_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

/* The listening socket, or -1; *addr gets its address (the port the host chose). */
static inline int listen_loopback(int backlog, struct sockaddr_in *addr)
{
    *addr = (struct sockaddr_in){ .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof *addr;
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    if (listener < 0 || bind(listener, (struct sockaddr *)addr, sizeof *addr) != 0 || listen(listener, backlog) != 0 ||
        getsockname(listener, (struct sockaddr *)addr, &len) != 0)
        return -1;
    return listener;
}

#endif
