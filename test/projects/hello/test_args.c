/* Checks what the test runner passes: two arguments (one with a space) and HELLO_NAME in the
   environment. Prints HELLO_EMULATED, which only the emulator's command line sets, so that a
   log shows which side ran the program. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "greet.h"

int main(int argc, char **argv) {
  const char *name = getenv("HELLO_NAME");
  const char *emulated = getenv("HELLO_EMULATED");
  char buf[64];
  if (argc != 3 || strcmp(argv[1], "alpha") != 0 || strcmp(argv[2], "beta gamma") != 0) {
    fprintf(stderr, "want the arguments alpha, \"beta gamma\"; got %d arguments\n", argc - 1);
    return 1;
  }
  if (name == NULL || strcmp(name, "world") != 0) {
    fprintf(stderr, "want HELLO_NAME=world in the environment\n");
    return 1;
  }
  greet(buf, sizeof buf, name);
  printf("%s\nemulated: %s\n", buf, emulated ? emulated : "no");
  return 0;
}
