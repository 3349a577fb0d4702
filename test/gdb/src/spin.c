/* gdb test fixture: spins without syscalls until interrupted. */
volatile unsigned long spins;

int main(void) {
  for (;;) spins++;
}
