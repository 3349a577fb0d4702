/* TCP throughput from a guest to a host process over loopback: writes MiB of data in 64 KiB
 * writes to the peer the runner started natively (bench/src/tcp_sink.c, its port in
 * BENCH_PEER_PORT), ends its half of the stream and reads back how many bytes the peer
 * counted. Argument: MiB (default 256). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include "common.h"

#define CHUNK 65536

int main(int argc, char **argv)
{
    unsigned long total = arg_or(argc, argv, 256) << 20;
    const char *port = getenv("BENCH_PEER_PORT");
    if (port == NULL) {
        fprintf(stderr, "tcp_to_host: BENCH_PEER_PORT is not set (the bench runner starts the peer)\n");
        return 1;
    }
    struct sockaddr_in addr = {
        .sin_family = AF_INET, .sin_port = htons((uint16_t)strtoul(port, NULL, 10)), .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
    };
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0 || connect(s, (struct sockaddr *)&addr, sizeof addr) != 0) return 1;
    static char buf[CHUNK];
    fill_data((uint8_t *)buf, sizeof buf);
    for (unsigned long sent = 0; sent < total;) {
        ssize_t n = write(s, buf, total - sent < CHUNK ? total - sent : CHUNK);
        if (n <= 0) return 1;
        sent += (unsigned long)n;
    }
    if (shutdown(s, SHUT_WR) != 0) return 1;
    uint64_t counted = 0;
    size_t got = 0;
    while (got < sizeof counted) {
        ssize_t n = read(s, (char *)&counted + got, sizeof counted - got);
        if (n <= 0) return 1;
        got += (size_t)n;
    }
    printf("sent %lu MiB: %s\n", total >> 20, counted == total ? "host received whole" : "host lost data");
    return 0;
}
