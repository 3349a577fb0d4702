// pipe/pipe2, eventfd, and waiting for readiness: poll/ppoll, select/pselect6, epoll. The
// semantics are kernel-shim/fs/readiness.ts's and anon-files.ts's; here the pollfd arrays,
// fd sets and epoll_events are decoded and encoded.
import { Errno } from '../kernel-shim/errno.js';
import { createEpoll, createEventFd, createPipe } from '../kernel-shim/fs/anon-files.js';
import { EPOLL_CTL_DEL, epollControl, epollReady, epollTarget, pollFds, selectFds } from '../kernel-shim/fs/readiness.js';
import { useWaitMask } from '../kernel-shim/signal/wait-mask.js';
import type { Task } from '../kernel-shim/task.js';
import { isBlock } from '../kernel-shim/wait.js';
import type { SyscallDef } from './types.js';
import { timeoutDeadline } from './guest.js';

const NS = 1_000_000_000n;
const EPOLL_EVENT_SIZE = 12;
const FD_SETSIZE_WORD = 64;
const POLLFD_SIZE = 8;

/** The temporary signal mask argument of ppoll, pselect6 and epoll_pwait (NULL: none). */
function waitMask(t: Task, addr: number, size: number): number {
  if (addr === 0) return 0;
  if (size !== 8) return -Errno.EINVAL;
  return useWaitMask(t, () => t.process.mm.readU64(addr));
}

function doPoll(t: Task, addr: number, nfds: number, deadline: bigint | undefined) {
  if (nfds > t.process.fds.limit) return -Errno.EINVAL;
  const mm = t.process.mm;
  const raw = mm.read(addr, POLLFD_SIZE * nfds);
  if (raw === null) return -Errno.EFAULT;
  const dv = new DataView(raw.buffer);
  const entries = Array.from({ length: nfds }, (_, i) => ({ fd: dv.getInt32(POLLFD_SIZE * i, true), events: dv.getInt16(POLLFD_SIZE * i + 4, true) }));
  const r = pollFds(t, entries, deadline);
  r.revents.forEach((revents, i) => dv.setInt16(POLLFD_SIZE * i + 6, revents, true));
  if (!mm.write(addr, raw)) return -Errno.EFAULT;
  return r.wait ?? r.ready;
}

function doSelect(t: Task, nfds: number, sets: [number, number, number], deadline: bigint | undefined) {
  if (nfds < 0 || nfds > t.process.fds.limit) return -Errno.EINVAL;
  const mm = t.process.mm;
  const bytes = Math.ceil(nfds / FD_SETSIZE_WORD) * 8;
  const inputs = sets.map((addr) => (addr === 0 ? null : mm.read(addr, bytes)));
  if (sets.some((addr, i) => addr !== 0 && inputs[i] === null)) return -Errno.EFAULT;
  const r = selectFds(t, nfds, inputs, deadline);
  if (typeof r === 'number' || isBlock(r)) return r;
  for (let i = 0; i < 3; i++) if (sets[i] !== 0 && !mm.write(sets[i], r.outputs[i]!)) return -Errno.EFAULT;
  return r.ready;
}

function epollWait(t: Task, epfd: number, addr: number, max: number, deadline: bigint | undefined) {
  const ready = epollReady(t, epfd, addr, max, EPOLL_EVENT_SIZE, deadline);
  if (typeof ready === 'number' || isBlock(ready)) return ready;
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

function pipe2(t: Task, addr: number, flags: number): number {
  return createPipe(t, flags, (rfd, wfd) => {
    const out = new Uint8Array(8);
    new DataView(out.buffer).setInt32(0, rfd, true);
    new DataView(out.buffer).setInt32(4, wfd, true);
    return t.process.mm.write(addr, out);
  });
}

export const pollSyscalls: SyscallDef[] = [
  { name: 'pipe', args: ['fd_pair_out'], result: 'dec', support: 'full', handler: (_k, t, a) => pipe2(t, a.arg(0), 0) },
  { name: 'pipe2', args: ['fd_pair_out', 'o_flags'], result: 'dec', support: 'full', handler: (_k, t, a) => pipe2(t, a.arg(0), a.int(1)) },
  { name: 'eventfd', args: ['uint'], result: 'dec', support: 'full', handler: (_k, t, a) => createEventFd(t, a.int(0), 0) },
  { name: 'eventfd2', args: ['uint', 'efd_flags'], result: 'dec', support: 'full', handler: (_k, t, a) => createEventFd(t, a.int(0), a.int(1)) },
  { name: 'poll', args: ['pollfds', 'uint', 'int'], result: 'poll', support: 'full', handler: (_k, t, a) => doPoll(t, a.arg(0), a.arg(1), msDeadline(t, a.int(2))) },
  {
    name: 'ppoll', args: ['pollfds', 'uint', 'timespec', { kind: 'sigset', len: 4 }, 'uint'], result: 'ppoll', support: 'full',
    handler: (_k, t, a) => {
      const deadline = timeoutDeadline(t, a.arg(2));
      if (typeof deadline === 'number') return deadline;
      const m = waitMask(t, a.arg(3), a.arg(4));
      return m < 0 ? m : doPoll(t, a.arg(0), a.arg(1), deadline);
    },
  },
  {
    name: 'select', args: ['int', 'fd_set', 'fd_set', 'fd_set', 'timeval'], result: 'select', support: 'full',
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
    name: 'pselect6', args: ['int', 'fd_set', 'fd_set', 'fd_set', 'timespec', 'pselect_sigmask'], result: 'pselect6', support: 'full',
    handler: (_k, t, a) => {
      const deadline = timeoutDeadline(t, a.arg(4));
      if (typeof deadline === 'number') return deadline;
      if (a.arg(5) !== 0) {
        const raw = t.process.mm.read(a.arg(5), 16);
        if (raw === null) return -Errno.EFAULT;
        const dv = new DataView(raw.buffer);
        const m = waitMask(t, Number(dv.getBigUint64(0, true)), Number(dv.getBigUint64(8, true)));
        if (m < 0) return m;
      }
      return doSelect(t, a.int(0), [a.arg(1), a.arg(2), a.arg(3)], deadline);
    },
  },
  { name: 'epoll_create', args: ['int'], result: 'dec', support: 'full', handler: (_k, t, a) => (a.int(0) <= 0 ? -Errno.EINVAL : createEpoll(t, 0)) },
  { name: 'epoll_create1', args: ['epoll_create_flags'], result: 'dec', support: 'full', handler: (_k, t, a) => createEpoll(t, a.int(0)) },
  {
    name: 'epoll_ctl', args: ['fd', 'epoll_ctl_op', 'fd', 'epoll_event'], result: 'dec', support: 'partial', note: 'EPOLLET is reported level-triggered',
    handler: (_k, t, a) => {
      // Linux copies the event in before it looks at either fd (every op but DEL has one).
      const op = a.int(1);
      let events = 0;
      let data = 0n;
      if (op !== EPOLL_CTL_DEL) {
        const raw = t.process.mm.read(a.arg(3), EPOLL_EVENT_SIZE);
        if (raw === null) return -Errno.EFAULT;
        const dv = new DataView(raw.buffer);
        events = dv.getUint32(0, true);
        data = dv.getBigUint64(4, true);
      }
      const target = epollTarget(t, a.int(0), a.int(2));
      if (typeof target === 'number') return target;
      return epollControl(target, op, a.int(2), events, data);
    },
  },
  { name: 'epoll_wait', args: ['fd', 'epoll_events_out', 'int', 'int'], result: 'dec', support: 'full', handler: (_k, t, a) => epollWait(t, a.int(0), a.arg(1), a.int(2), msDeadline(t, a.int(3))) },
  {
    name: 'epoll_pwait', args: ['fd', 'epoll_events_out', 'int', 'int', { kind: 'sigset', len: 5 }, 'uint'], result: 'dec', support: 'full',
    handler: (_k, t, a) => {
      const m = waitMask(t, a.arg(4), a.arg(5));
      return m < 0 ? m : epollWait(t, a.int(0), a.arg(1), a.int(2), msDeadline(t, a.int(3)));
    },
  },
  {
    name: 'epoll_pwait2', args: ['fd', 'epoll_events_out', 'int', 'timespec', { kind: 'sigset', len: 5 }, 'uint'], result: 'dec', support: 'full',
    handler: (_k, t, a) => {
      const deadline = timeoutDeadline(t, a.arg(3));
      if (typeof deadline === 'number') return deadline;
      const m = waitMask(t, a.arg(4), a.arg(5));
      return m < 0 ? m : epollWait(t, a.int(0), a.arg(1), a.int(2), deadline);
    },
  },
];
