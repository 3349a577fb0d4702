/* gdb test fixture: breakpoints, stepping, watchpoints, detach, kill; "N s" crashes. */
#include <stdio.h>
#include <stdlib.h>

int counter = 0;

static int add(int a, int b) {
  int sum = a + b; /* LINE_ADD */
  return sum;
}

int compute(int n) {
  int total = 0; /* LINE_COMPUTE */
  for (int i = 0; i < n; i++) { /* LINE_FOR */
    total = add(total, i); /* LINE_CALL */
    counter++; /* LINE_COUNTER */
  }
  return total;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 5;
  int result = compute(n);
  printf("result=%d counter=%d\n", result, counter);
  if (argc > 2 && argv[2][0] == 's') {
    volatile int *p = 0;
    *p = 1; /* LINE_CRASH */
  }
  return 3;
}
