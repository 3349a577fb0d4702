/* gdb test fixture: two SIGUSR1s to a handler; exit 0 only if both were delivered. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static volatile int hits = 0;
static void on_usr1(int sig) { hits += sig; }

int main(void) {
  signal(SIGUSR1, on_usr1);
  raise(SIGUSR1);
  kill(getpid(), SIGUSR1);
  printf("hits=%d\n", hits);
  return hits == 2 * SIGUSR1 ? 0 : 1;
}
