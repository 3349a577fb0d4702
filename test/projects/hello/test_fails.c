/* Fails on purpose with status 3: declared as expected to fail, it passes only if the runner
   sees a nonzero status, so an emulator that lost the status would fail it. */
#include <stdio.h>

int main(void) {
  puts("failing on purpose with status 3");
  return 3;
}
