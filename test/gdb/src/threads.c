/* gdb test fixture: main and three workers parked in pthread_cond_wait at all_ready(). */
#include <pthread.h>
#include <stdio.h>

#define WORKERS 3

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int waiting = 0;
static int go = 0;

void all_ready(void) {
  __asm__ volatile("" ::: "memory");
}

static void worker_wait(int id) {
  pthread_mutex_lock(&lock);
  waiting++;
  pthread_cond_broadcast(&cond);
  while (!go) pthread_cond_wait(&cond, &lock);
  pthread_mutex_unlock(&lock);
  (void)id;
}

static void *worker(void *arg) {
  worker_wait((int)(long)arg);
  return arg;
}

int main(void) {
  pthread_t t[WORKERS];
  for (long i = 0; i < WORKERS; i++) pthread_create(&t[i], NULL, worker, (void *)i);
  pthread_mutex_lock(&lock);
  while (waiting < WORKERS) pthread_cond_wait(&cond, &lock);
  pthread_mutex_unlock(&lock);
  all_ready();
  pthread_mutex_lock(&lock);
  go = 1;
  pthread_cond_broadcast(&cond);
  pthread_mutex_unlock(&lock);
  long sum = 0;
  for (int i = 0; i < WORKERS; i++) {
    void *r;
    pthread_join(t[i], &r);
    sum += (long)r;
  }
  printf("joined sum=%ld\n", sum);
  return 0;
}
