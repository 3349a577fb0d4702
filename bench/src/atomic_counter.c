/* Four threads increment one shared atomic counter: contended memory plus preemption.
 * Argument: increments per thread (default 2000000). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include "common.h"

static _Atomic unsigned long counter;
static unsigned long per_thread;

static void *work(void *arg)
{
    (void)arg;
    for (unsigned long i = 0; i < per_thread; i++)
        atomic_fetch_add(&counter, 1);
    return NULL;
}

int main(int argc, char **argv)
{
    per_thread = arg_or(argc, argv, 2000000);
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, work, NULL);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    printf("counter %lu (expected %lu)\n", (unsigned long)counter, 4 * per_thread);
    return counter != 4 * per_thread;
}
