/* The programmable API tests' guest (test/api/api.test.ts), built with gcc -static -O0. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int counter;
char message[32] = "hello";

int add(int a, int b) { return a + b; }

int main(int argc, char **argv) {
  for (int i = 1; i <= 3; i++) counter = add(counter, i);
  char line[96];
  int n = snprintf(line, sizeof line, "counter %d message %s\n", counter, message);
  write(1, line, n);
  printf("pid %d\n", (int)getpid());
  return counter;
}
