/* The library's own test: the greeting and its truncation. */
#include <stdio.h>
#include <string.h>

#include "greet.h"

static int check(const char *name, size_t size, const char *want, int want_len) {
  char buf[64];
  int len = greet(buf, size, name);
  if (len != want_len || strcmp(buf, want) != 0) {
    fprintf(stderr, "greet(\"%s\", %zu): got \"%s\" (%d), want \"%s\" (%d)\n", name, size, buf, len, want, want_len);
    return 1;
  }
  return 0;
}

int main(void) {
  int failures = check("world", 64, "hello, world", 12) + check("world", 6, "hello", 12);
  printf("greet: %d failures\n", failures);
  return failures != 0;
}
