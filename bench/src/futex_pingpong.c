/* Two threads hand a token back and forth through futex wait/wake: a measure of blocking,
 * waking and switching between threads. Argument: round trips (default 200000). */
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "common.h"

static _Atomic int turn;
static unsigned long rounds;

static void wait_for(int value)
{
    int seen;
    while ((seen = atomic_load(&turn)) != value)
        syscall(SYS_futex, &turn, FUTEX_WAIT_PRIVATE, seen, NULL, NULL, 0);
}

static void hand_to(int value)
{
    atomic_store(&turn, value);
    syscall(SYS_futex, &turn, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void *partner(void *arg)
{
    (void)arg;
    for (unsigned long i = 0; i < rounds; i++) {
        wait_for(1);
        hand_to(0);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    rounds = arg_or(argc, argv, 200000);
    pthread_t t;
    pthread_create(&t, NULL, partner, NULL);
    for (unsigned long i = 0; i < rounds; i++) {
        hand_to(1);
        wait_for(0);
    }
    pthread_join(t, NULL);
    printf("futex ping-pong %lu rounds done\n", rounds);
    return 0;
}
