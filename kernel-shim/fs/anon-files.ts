// Descriptions without a path that a syscall creates and installs in the caller's fd
// table: pipes, eventfds, epoll instances, memfds. A failed install releases what was made.
import { byteString } from '../abi/bytes.js';
import { Errno } from '../errno.js';
import type { Task } from '../task.js';
import { CLOCK_REALTIME } from '../clock.js';
import { O_CLOEXEC, O_NONBLOCK, O_RDWR, statusFlags } from './constants.js';
import { EpollFile } from './epoll.js';
import { EFD_SEMAPHORE, EventFd } from './eventfd.js';
import { releaseFile } from './fdtable.js';
import { MFD_ALLOW_SEALING, MFD_CLOEXEC, MFD_EXEC, MFD_HUGETLB, MFD_HUGE_SIZE_BITS, MFD_NOEXEC_SEAL, MemFile } from './memfd.js';
import { hugeSizeSupported } from '../mm/hugetlb.js';
import { Pipe, PipeEnd } from './pipe.js';

const O_DIRECT = 0x4000;

/**
 * pipe2: installs both ends, then `publish(rfd, wfd)` stores their numbers for the caller;
 * when it cannot (EFAULT) both fds are closed again. 0 or -errno.
 */
export function createPipe(t: Task, flags: number, publish: (rfd: number, wfd: number) => boolean): number {
  if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT)) return -Errno.EINVAL;
  const pipe = new Pipe(t.kernel.clock.now(0)!, t.kernel.pipeInodes.take());
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
  return t.process.fds.installNew(file, (flags & O_CLOEXEC) !== 0);
}

/** epoll_create1 (epoll_create passes 0 after checking its size): the new fd or -errno. */
export function createEpoll(t: Task, flags: number): number {
  if (flags & ~O_CLOEXEC) return -Errno.EINVAL;
  return t.process.fds.installNew(new EpollFile(0), (flags & O_CLOEXEC) !== 0);
}

/**
 * memfd_create: a read-write memory file owned by the caller. name is the name as read
 * (at most MFD_NAME_MAX bytes), or the errno reading it failed with.
 */
export function createMemfd(t: Task, name: Uint8Array | number, flags: number): number {
  const huge = (flags & MFD_HUGETLB) !== 0;
  // MFD_HUGE_* page sizes ride in bits 26..31, with MFD_HUGETLB only.
  if (flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_NOEXEC_SEAL | MFD_EXEC | MFD_HUGETLB | (huge ? MFD_HUGE_SIZE_BITS : 0))) return -Errno.EINVAL;
  if (flags & MFD_EXEC && flags & MFD_NOEXEC_SEAL) return -Errno.EINVAL;
  if (typeof name === 'number') return name;
  // hugetlb_file_setup: no pool of that page size.
  if (huge && !hugeSizeSupported(flags)) return -Errno.ENODEV;
  const k = t.kernel;
  const p = t.process;
  const file = new MemFile(k.frames, byteString(name), statusFlags(O_RDWR), {
    uid: p.uid, gid: p.gid, now: () => k.clock.now(CLOCK_REALTIME) ?? 0n,
  }, k.memfdInodes.take(), huge ? k.hugePages : undefined);
  return p.fds.installNew(file, (flags & MFD_CLOEXEC) !== 0);
}
