/* The snapshot tests' guest (test/api/api.test.ts): a file read in two parts around
 * checkpoint(), heap, randomness, threads and a child process, built with gcc -static -O0
 * -pthread. Every line it prints depends on state a snapshot must restore. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

void checkpoint(void) {}

static void *worker(void *arg) {
  char buf[64];
  int len = snprintf(buf, sizeof buf, "thread %ld\n", (long)arg);
  write(1, buf, len);
  return NULL;
}

int main(int argc, char **argv) {
  int fd = open(argv[1], O_RDONLY);
  char buf[8];
  ssize_t n = read(fd, buf, 4);
  printf("first %.*s\n", (int)n, buf);
  char *heap = malloc(64);
  strcpy(heap, "heap before");
  fflush(stdout);
  checkpoint();
  strcpy(heap + 5, "after");
  n = read(fd, buf, 4);
  unsigned r;
  getrandom(&r, sizeof r, 0);
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  printf("second %.*s %s random %u time %ld.%09ld\n", (int)n, buf, heap, r, (long)ts.tv_sec, ts.tv_nsec);
  fflush(stdout);
  pthread_t t[2];
  for (long i = 0; i < 2; i++) pthread_create(&t[i], NULL, worker, (void *)i);
  for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
  close(fd);
  pid_t child = fork();
  if (child == 0) {
    printf("child %d\n", (int)getpid());
    return 3;
  }
  int status;
  waitpid(child, &status, 0);
  printf("child exited %d\n", WEXITSTATUS(status));
  return 0;
}
