/* The --trace tests' C guest (test/trace/trace.test.ts), built with gcc -static -O1. */
#include <stdio.h>

int main(void) {
  puts("hello");
  return 0;
}
