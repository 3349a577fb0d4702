/* gdb test fixture: a forked child (untraced) and an exec of the same program. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int shared_fn(int x) { return x * 2; }

int main(int argc, char **argv) {
  if (argc == 1) {
    pid_t pid = fork();
    if (pid == 0) {
      printf("child %d\n", shared_fn(21));
      return 7;
    }
    int st;
    waitpid(pid, &st, 0);
    printf("parent %d child %d\n", shared_fn(1), WEXITSTATUS(st));
    fflush(stdout);
    execl(argv[0], argv[0], "again", (char *)0);
    return 9;
  }
  printf("second image %s %d\n", argv[1], shared_fn(2));
  return 4;
}
