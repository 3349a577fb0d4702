// Descriptions without a path that a syscall creates and installs in the caller's fd
// table: pipes, eventfds, epoll instances. A failed install releases what was made.
import { Errno } from '../errno.js';
import type { Task } from '../task.js';
import { O_CLOEXEC, O_NONBLOCK } from './constants.js';
import { EpollFile } from './epoll.js';
import { EFD_SEMAPHORE, EventFd } from './eventfd.js';
import { releaseFile } from './fdtable.js';
import { Pipe, PipeEnd } from './pipe.js';

const O_DIRECT = 0x4000;

/**
 * pipe2: installs both ends, then `publish(rfd, wfd)` stores their numbers for the caller;
 * when it cannot (EFAULT) both fds are closed again. 0 or -errno.
 */
export function createPipe(t: Task, flags: number, publish: (rfd: number, wfd: number) => boolean): number {
  if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT)) return -Errno.EINVAL;
  const pipe = new Pipe(t.kernel.clock.now(0)!);
  const r = new PipeEnd(pipe, true, flags & O_NONBLOCK);
  const w = new PipeEnd(pipe, false, flags & O_NONBLOCK);
  const fds = t.process.fds;
  const cloexec = (flags & O_CLOEXEC) !== 0;
  const rfd = fds.install(r, cloexec);
  if (rfd < 0) {
    releaseFile(r);
    releaseFile(w);
    return rfd;
  }
  const wfd = fds.install(w, cloexec);
  if (wfd < 0) {
    fds.close(rfd);
    releaseFile(w);
    return wfd;
  }
  if (!publish(rfd, wfd)) {
    fds.close(rfd);
    fds.close(wfd);
    return -Errno.EFAULT;
  }
  return 0;
}

/** eventfd2: the new fd or -errno. */
export function createEventFd(t: Task, initval: number, flags: number): number {
  if (flags & ~(O_CLOEXEC | O_NONBLOCK | EFD_SEMAPHORE)) return -Errno.EINVAL;
  const file = new EventFd(BigInt(initval >>> 0), (flags & EFD_SEMAPHORE) !== 0, flags & O_NONBLOCK);
  const fd = t.process.fds.install(file, (flags & O_CLOEXEC) !== 0);
  if (fd < 0) releaseFile(file);
  return fd;
}

/** epoll_create1 (epoll_create passes 0 after checking its size): the new fd or -errno. */
export function createEpoll(t: Task, flags: number): number {
  if (flags & ~O_CLOEXEC) return -Errno.EINVAL;
  const file = new EpollFile(0);
  const fd = t.process.fds.install(file, (flags & O_CLOEXEC) !== 0);
  if (fd < 0) releaseFile(file);
  return fd;
}
