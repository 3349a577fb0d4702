/* The guest of test/api/snapshot-parts.test.ts: a child made with clone(CLONE_FS |
 * CLONE_FILES) stops at checkpoint() while its parent waits for it, then changes directory
 * and umask and opens a file; the parent prints what it sees of that afterwards. Built with
 * gcc -static -O0. The parent sees the child's changes only when the fs context and the fd
 * table are still shared after a snapshot is restored. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

void checkpoint(void) {}

int main(int argc, char **argv) {
  if (argc < 2 || chdir(argv[1]) != 0) return 1;
  fflush(stdout);
  long pid = syscall(SYS_clone, CLONE_FS | CLONE_FILES | SIGCHLD, 0, 0, 0, 0);
  if (pid == 0) {
    checkpoint();
    chdir("sub");
    umask(077);
    _exit(open("file", O_RDONLY));
  }
  int status;
  waitpid((pid_t)pid, &status, 0);
  int fd = WEXITSTATUS(status);
  char cwd[4096];
  getcwd(cwd, sizeof cwd);
  mode_t mask = umask(0);
  char buf[16] = {0};
  ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
  printf("cwd %s umask %03o fd %d reads %s\n", strrchr(cwd, '/') + 1, (unsigned)mask, fd, n > 0 ? buf : "nothing");
  return 0;
}
