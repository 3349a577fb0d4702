// pipe/pipe2, eventfd, and waiting for readiness: poll/ppoll, select/pselect6, epoll.
import { pollHostFds } from '../host/poll.js';
import { Errno } from '../kernel-shim/errno.js';
import { O_CLOEXEC, O_NONBLOCK, POLLIN, POLLOUT, S_IFMT, S_IFREG } from '../kernel-shim/fs/constants.js';
import { EpollFile, EPOLLET, EPOLLEXCLUSIVE, EPOLLONESHOT, EPOLLWAKEUP } from '../kernel-shim/fs/epoll.js';
import { EFD_SEMAPHORE, EventFd } from '../kernel-shim/fs/eventfd.js';
import { releaseFile } from '../kernel-shim/fs/fdtable.js';
import type { OpenFile } from '../kernel-shim/fs/file.js';
import { Pipe, PipeEnd } from '../kernel-shim/fs/pipe.js';
import { SIGKILL, SIGSTOP, sigBit } from '../kernel-shim/signal/numbers.js';
import type { Task } from '../kernel-shim/task.js';
import { ERESTARTNOHAND, type WaitQueue, block } from '../kernel-shim/wait.js';
import type { SyscallDef } from './types.js';
import { timeoutDeadline } from './guest.js';

const POLLNVAL = 0x20, POLLERR = 8, POLLHUP = 16;
const NS = 1_000_000_000n;
const EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
const EPOLL_EVENT_SIZE = 12;
const FD_SETSIZE_WORD = 64;

function isHostStream(file: OpenFile): boolean {
  if (file.hostFd === undefined) return false;
  const st = file.stat();
  return typeof st !== 'number' && (st.mode & S_IFMT) !== S_IFREG;
}

/** Current readiness of a description (host pipes and terminals are asked with a zero-timeout poll). */
function readiness(file: OpenFile): number {
  if (isHostStream(file)) return (pollHostFds([file.hostFd!], 0n).length > 0 ? POLLIN : 0) | POLLOUT;
  return file.poll();
}

/** What to sleep on until any of `files` may have changed. */
function sleepOn(files: OpenFile[]): { queues: WaitQueue[]; hostFds: number[] } {
  const queues = new Set<WaitQueue>();
  const hostFds: number[] = [];
  for (const f of files) {
    if (f.waitQueue !== undefined) queues.add(f.waitQueue);
    else if (isHostStream(f)) hostFds.push(f.hostFd!);
  }
  return { queues: [...queues], hostFds };
}

/** Applies a temporary signal mask (ppoll, pselect6, epoll_pwait) for the call's duration. */
function applyMask(t: Task, addr: number, size: number): number {
  if (addr === 0) return 0;
  if (size !== 8) return -Errno.EINVAL;
  if (t.savedMask !== null) return 0;
  const mask = t.process.mm.readU64(addr);
  if (mask === null) return -Errno.EFAULT;
  t.savedMask = t.signalMask;
  t.signalMask = mask & ~(sigBit(SIGKILL) | sigBit(SIGSTOP));
  return 0;
}


function doPoll(t: Task, addr: number, nfds: number, deadline: bigint | undefined) {
  if (nfds > t.process.fds.limit) return -Errno.EINVAL;
  const mm = t.process.mm;
  const raw = mm.read(addr, 8 * nfds);
  if (raw === null) return -Errno.EFAULT;
  const dv = new DataView(raw.buffer);
  const files: OpenFile[] = [];
  let ready = 0;
  for (let i = 0; i < nfds; i++) {
    const fd = dv.getInt32(8 * i, true);
    const events = dv.getInt16(8 * i + 4, true);
    let revents = 0;
    if (fd >= 0) {
      const file = t.process.fds.get(fd)?.file;
      if (file === undefined) revents = POLLNVAL;
      else {
        revents = readiness(file) & (events | POLLERR | POLLHUP);
        files.push(file);
      }
    }
    dv.setInt16(8 * i + 6, revents, true);
    if (revents !== 0) ready++;
  }
  if (!mm.write(addr, raw)) return -Errno.EFAULT;
  const now = t.kernel.clock.now(1)!;
  if (ready > 0 || (deadline !== undefined && deadline <= now)) return ready;
  const on = sleepOn(files);
  return block(on.queues, { deadline, onTimeout: 0, onSignal: -ERESTARTNOHAND, hostFds: on.hostFds });
}

function doSelect(t: Task, nfds: number, sets: [number, number, number], deadline: bigint | undefined) {
  if (nfds < 0 || nfds > t.process.fds.limit) return -Errno.EINVAL;
  const mm = t.process.mm;
  const words = Math.ceil(nfds / FD_SETSIZE_WORD);
  const bytes = words * 8;
  const inputs = sets.map((addr) => (addr === 0 ? null : mm.read(addr, bytes)));
  if (sets.some((addr, i) => addr !== 0 && inputs[i] === null)) return -Errno.EFAULT;
  const outputs = inputs.map((s) => (s === null ? null : new Uint8Array(s.length)));
  const wanted = [POLLIN | POLLHUP | POLLERR, POLLOUT | POLLERR, 2];
  const files: OpenFile[] = [];
  let ready = 0;
  for (let fd = 0; fd < nfds; fd++) {
    const bit = 1 << (fd % 8);
    const byte = fd >> 3;
    const interested = inputs.map((s) => s !== null && (s[byte] & bit) !== 0);
    if (!interested.some(Boolean)) continue;
    const file = t.process.fds.get(fd)?.file;
    if (file === undefined) return -Errno.EBADF;
    files.push(file);
    const r = readiness(file);
    interested.forEach((on, i) => {
      if (on && r & wanted[i]) {
        outputs[i]![byte] |= bit;
        ready++;
      }
    });
  }
  const now = t.kernel.clock.now(1)!;
  if (ready === 0 && !(deadline !== undefined && deadline <= now)) {
    const on = sleepOn(files);
    return block(on.queues, { deadline, onTimeout: 0, onSignal: -ERESTARTNOHAND, hostFds: on.hostFds });
  }
  for (let i = 0; i < 3; i++) if (sets[i] !== 0 && !mm.write(sets[i], outputs[i]!)) return -Errno.EFAULT;
  return ready;
}

function makePipe(t: Task, addr: number, flags: number): number {
  if (flags & ~(O_CLOEXEC | O_NONBLOCK | 0x4000 /* O_DIRECT */)) return -Errno.EINVAL;
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
  const out = new Uint8Array(8);
  new DataView(out.buffer).setInt32(0, rfd, true);
  new DataView(out.buffer).setInt32(4, wfd, true);
  if (!t.process.mm.write(addr, out)) {
    fds.close(rfd);
    fds.close(wfd);
    return -Errno.EFAULT;
  }
  return 0;
}

function makeEventFd(t: Task, initval: number, flags: number): number {
  if (flags & ~(O_CLOEXEC | O_NONBLOCK | EFD_SEMAPHORE)) return -Errno.EINVAL;
  const file = new EventFd(BigInt(initval >>> 0), (flags & EFD_SEMAPHORE) !== 0, flags & O_NONBLOCK);
  const fd = t.process.fds.install(file, (flags & O_CLOEXEC) !== 0);
  if (fd < 0) releaseFile(file);
  return fd;
}

function epollOf(t: Task, fd: number): EpollFile | number {
  const file = t.process.fds.get(fd)?.file;
  if (file === undefined) return -Errno.EBADF;
  return file instanceof EpollFile ? file : -Errno.EINVAL;
}

function epollWait(t: Task, epfd: number, addr: number, max: number, deadline: bigint | undefined) {
  const ep = epollOf(t, epfd);
  if (typeof ep === 'number') return ep;
  if (max <= 0 || max > 0x7fffffff / EPOLL_EVENT_SIZE) return -Errno.EINVAL;
  const ready = ep.ready(max, readiness);
  const now = t.kernel.clock.now(1)!;
  if (ready.length === 0 && !(deadline !== undefined && deadline <= now)) {
    const on = sleepOn([...ep.interests.values()].map((i) => i.file));
    return block(on.queues, { deadline, onTimeout: 0, onSignal: -Errno.EINTR, hostFds: on.hostFds });
  }
  const out = new Uint8Array(EPOLL_EVENT_SIZE * ready.length);
  const dv = new DataView(out.buffer);
  ready.forEach((e, i) => {
    dv.setUint32(EPOLL_EVENT_SIZE * i, e.events >>> 0, true);
    dv.setBigUint64(EPOLL_EVENT_SIZE * i + 4, e.data, true);
  });
  return t.process.mm.write(addr, out) ? ready.length : -Errno.EFAULT;
}

function msDeadline(t: Task, ms: number): bigint | undefined {
  return ms < 0 ? undefined : t.deadlineAfter(BigInt(ms) * 1_000_000n);
}

export const pollSyscalls: SyscallDef[] = [
  { name: 'pipe', support: 'full', handler: (_k, t, a) => makePipe(t, a.arg(0), 0) },
  { name: 'pipe2', support: 'full', handler: (_k, t, a) => makePipe(t, a.arg(0), a.int(1)) },
  { name: 'eventfd', support: 'full', handler: (_k, t, a) => makeEventFd(t, a.int(0), 0) },
  { name: 'eventfd2', support: 'full', handler: (_k, t, a) => makeEventFd(t, a.int(0), a.int(1)) },
  { name: 'poll', support: 'full', handler: (_k, t, a) => doPoll(t, a.arg(0), a.arg(1), msDeadline(t, a.int(2))) },
  {
    name: 'ppoll', support: 'full',
    handler: (_k, t, a) => {
      const deadline = timeoutDeadline(t, a.arg(2));
      if (typeof deadline === 'number') return deadline;
      const m = applyMask(t, a.arg(3), a.arg(4));
      return m < 0 ? m : doPoll(t, a.arg(0), a.arg(1), deadline);
    },
  },
  {
    name: 'select', support: 'full',
    handler: (_k, t, a) => {
      let deadline: bigint | undefined;
      if (a.arg(4) !== 0) {
        const raw = t.process.mm.read(a.arg(4), 16);
        if (raw === null) return -Errno.EFAULT;
        const dv = new DataView(raw.buffer);
        const sec = dv.getBigInt64(0, true);
        const usec = dv.getBigInt64(8, true);
        if (sec < 0n || usec < 0n) return -Errno.EINVAL;
        deadline = t.deadlineAfter(sec * NS + usec * 1000n);
      }
      return doSelect(t, a.int(0), [a.arg(1), a.arg(2), a.arg(3)], deadline);
    },
  },
  {
    name: 'pselect6', support: 'full',
    handler: (_k, t, a) => {
      const deadline = timeoutDeadline(t, a.arg(4));
      if (typeof deadline === 'number') return deadline;
      if (a.arg(5) !== 0) {
        const raw = t.process.mm.read(a.arg(5), 16);
        if (raw === null) return -Errno.EFAULT;
        const dv = new DataView(raw.buffer);
        const m = applyMask(t, Number(dv.getBigUint64(0, true)), Number(dv.getBigUint64(8, true)));
        if (m < 0) return m;
      }
      return doSelect(t, a.int(0), [a.arg(1), a.arg(2), a.arg(3)], deadline);
    },
  },
  {
    name: 'epoll_create', support: 'full',
    handler: (_k, t, a) => {
      if (a.int(0) <= 0) return -Errno.EINVAL;
      const file = new EpollFile(0);
      const fd = t.process.fds.install(file);
      if (fd < 0) releaseFile(file);
      return fd;
    },
  },
  {
    name: 'epoll_create1', support: 'full',
    handler: (_k, t, a) => {
      if (a.int(0) & ~O_CLOEXEC) return -Errno.EINVAL;
      const file = new EpollFile(0);
      const fd = t.process.fds.install(file, (a.int(0) & O_CLOEXEC) !== 0);
      if (fd < 0) releaseFile(file);
      return fd;
    },
  },
  {
    name: 'epoll_ctl', support: 'partial', note: 'EPOLLET is reported level-triggered',
    handler: (_k, t, a) => {
      const ep = epollOf(t, a.int(0));
      if (typeof ep === 'number') return ep;
      const fd = a.int(2);
      const file = t.process.fds.get(fd)?.file;
      if (file === undefined) return -Errno.EBADF;
      if (file === ep) return -Errno.EINVAL;
      // Files without a poll operation (regular files, directories, memory devices) cannot be watched.
      if (file.waitQueue === undefined && !isHostStream(file)) return -Errno.EPERM;
      const op = a.int(1);
      let events = 0;
      let data = 0n;
      if (op !== EPOLL_CTL_DEL) {
        const raw = t.process.mm.read(a.arg(3), EPOLL_EVENT_SIZE);
        if (raw === null) return -Errno.EFAULT;
        const dv = new DataView(raw.buffer);
        events = dv.getUint32(0, true) & ~(EPOLLET | EPOLLWAKEUP) | (dv.getUint32(0, true) & EPOLLONESHOT);
        if (dv.getUint32(0, true) & EPOLLEXCLUSIVE && op === EPOLL_CTL_MOD) return -Errno.EINVAL;
        data = dv.getBigUint64(4, true);
      }
      const exists = ep.interests.has(fd);
      switch (op) {
        case EPOLL_CTL_ADD:
          if (exists) return -Errno.EEXIST;
          ep.add(fd, file, events, data);
          return 0;
        case EPOLL_CTL_MOD:
          if (!exists) return -Errno.ENOENT;
          ep.interests.set(fd, { file, events, data, armed: true });
          return 0;
        case EPOLL_CTL_DEL:
          if (!exists) return -Errno.ENOENT;
          ep.remove(fd);
          return 0;
        default:
          return -Errno.EINVAL;
      }
    },
  },
  { name: 'epoll_wait', support: 'full', handler: (_k, t, a) => epollWait(t, a.int(0), a.arg(1), a.int(2), msDeadline(t, a.int(3))) },
  {
    name: 'epoll_pwait', support: 'full',
    handler: (_k, t, a) => {
      const m = applyMask(t, a.arg(4), a.arg(5));
      return m < 0 ? m : epollWait(t, a.int(0), a.arg(1), a.int(2), msDeadline(t, a.int(3)));
    },
  },
  {
    name: 'epoll_pwait2', support: 'full',
    handler: (_k, t, a) => {
      const deadline = timeoutDeadline(t, a.arg(3));
      if (typeof deadline === 'number') return deadline;
      const m = applyMask(t, a.arg(4), a.arg(5));
      return m < 0 ? m : epollWait(t, a.int(0), a.arg(1), a.int(2), deadline);
    },
  },
];
