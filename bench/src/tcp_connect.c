/* Connection rate over loopback: one thread accepts and closes, the main thread connects,
 * sends a byte, reads the close and closes. Argument: connections (default 5000). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/socket.h>
#include "common.h"
#include "loopback.h"

static int listener;
static unsigned long connections;

static void *acceptor(void *unused)
{
    (void)unused;
    char byte;
    for (unsigned long i = 0; i < connections; i++) {
        int c = accept(listener, NULL, NULL);
        if (c < 0 || read(c, &byte, 1) != 1) exit(2);
        close(c);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    connections = arg_or(argc, argv, 5000);
    struct sockaddr_in addr;
    listener = listen_loopback(128, &addr);
    if (listener < 0) return 1;
    pthread_t t;
    pthread_create(&t, NULL, acceptor, NULL);
    char byte = 'x';
    for (unsigned long i = 0; i < connections; i++) {
        int s = socket(AF_INET, SOCK_STREAM, 0);
        if (s < 0 || connect(s, (struct sockaddr *)&addr, sizeof addr) != 0 || write(s, &byte, 1) != 1) return 1;
        if (read(s, &byte, 1) != 0) return 1;
        close(s);
    }
    pthread_join(t, NULL);
    printf("%lu connections\n", connections);
    return 0;
}
