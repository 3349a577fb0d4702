// The host C library through koffi: the calls Node has no API for (or only a lossy one).
// This module and host/ are the only code outside cpu/ that knows koffi.
import koffi from 'koffi';

const libc = koffi.load('libc.so.6');

/** A path's bytes as libc's `const char *` takes them: NUL-terminated (a JS string would be UTF-8 encoded). */
export function cPath(bytes: Uint8Array): Buffer {
  return Buffer.concat([bytes, new Uint8Array(1)]);
}

export const libcCalls = {
  mmap: libc.func('void *mmap(void *addr, size_t len, int prot, int flags, int fd, int64_t off)'),
  munmap: libc.func('int munmap(void *addr, size_t len)'),
  madvise: libc.func('int madvise(void *addr, size_t len, int advice)'),
  malloc_trim: libc.func('int malloc_trim(size_t pad)'),
  // File calls Node lacks: FIFOs and device nodes, and file times to the nanosecond.
  mknod: libc.func('int mknod(const char *path, uint32_t mode, uint64_t dev)'),
  utimensat: libc.func('int utimensat(int dirfd, const char *path, const int64_t *times, int flags)'),
  futimens: libc.func('int futimens(int fd, const int64_t *times)'),
  statx: libc.func('int statx(int dirfd, const char *path, int flags, uint32_t mask, _Out_ uint8_t *buf)'),
  poll: libc.func('int poll(_Inout_ uint8_t *fds, unsigned long nfds, int timeout)'),
  fallocate: libc.func('int fallocate(int fd, int mode, int64_t offset, int64_t len)'),
  /** F_GETFL of inherited fds: whether the host would block in a write (fcntl's third argument unused). */
  fcntl: libc.func('int fcntl(int fd, int cmd, int arg)'),
  /** Always called with LOCK_NB: a guest waiting for a lock parks instead. */
  flock: libc.func('int flock(int fd, int op)'),
  // Path resolution held inside a directory: glibc has no openat2 wrapper, so syscall(2) with
  // SYS_openat2 (437) and struct open_how; openat is the fallback on kernels before 5.6.
  openat2: libc.func('long syscall(long nr, int dirfd, const char *path, const uint64_t *how, size_t size)'),
  openat: libc.func('int openat(int dirfd, const char *path, int flags, uint32_t mode)'),
  /** adjtimex(2), only ever with a reading mode: the guest sees the host's clock discipline. */
  adjtimex: libc.func('int adjtimex(_Inout_ uint8_t *buf)'),
  /** syscall(SYS_ioprio_get, which, who): the guest starts with ushim's own I/O priority. */
  ioprioGet: libc.func('long syscall(long nr, int which, int who)'),
  close: libc.func('int close(int fd)'),
  // A warm ushim (emu/serve-worker.ts) takes on its client's stdio and working directory.
  dup2: libc.func('int dup2(int oldfd, int newfd)'),
  fchdir: libc.func('int fchdir(int fd)'),
  /** rename with RENAME_NOREPLACE / RENAME_EXCHANGE, atomic on the host. */
  renameat2: libc.func('int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags)'),
  // Looking at a loaded library's code and data by address (cpu/exit-checks.ts).
  dlopen: libc.func('void *dlopen(const char *file, int mode)'),
  dlsym: libc.func('uint64_t dlsym(void *handle, const char *name)'),
  dlclose: libc.func('int dlclose(void *handle)'),
  peek: libc.func('void *memcpy(_Out_ uint8_t *dest, uint64_t src, size_t n)'),
  poke: libc.func('void *memcpy(uint64_t dest, const uint8_t *src, size_t n)'),
  // A timer whose expiry calls a C function on a thread of libc's (SIGEV_THREAD): the
  // preemption timer, cpu/preempt-timer.ts. The struct sigevent is built by the caller.
  timer_create: libc.func('int timer_create(int clockid, const uint8_t *sevp, _Out_ uint64_t *timerid)'),
  timer_settime: libc.func('int timer_settime(uint64_t timerid, int flags, const int64_t *value, int64_t *old)'),
  timer_delete: libc.func('int timer_delete(uint64_t timerid)'),
  /** errno of the host call above that last failed. */
  errno: (): number => koffi.errno(),
};
