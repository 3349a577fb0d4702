// Waiting for readiness: poll/ppoll, select/pselect6 and epoll. What a description reports
// (host pipes and terminals are asked with a zero-timeout host poll), which wait queues and
// host fds a task sleeps on until something may have changed, and the epoll interest list.
import { pollHostFds } from '../../host/poll.js';
import { Errno } from '../errno.js';
import { accessOk } from '../mm/uaccess.js';
import type { Task } from '../task.js';
import { type Block, ERESTARTNOHAND, type WaitQueue, block } from '../wait.js';
import { O_PATH, POLLIN, POLLOUT, S_IFMT, S_IFREG } from './constants.js';
import { EPOLLEXCLUSIVE, EPOLLWAKEUP, EpollFile } from './epoll.js';
import type { OpenFile } from './file.js';

export const POLLNVAL = 0x20, POLLERR = 8, POLLHUP = 16;
export const EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;

/** A host pipe, FIFO, terminal or device: polled here, for input only (they always take output). */
function isHostStream(file: OpenFile): boolean {
  if (file.hostFd === undefined || file.hostReadiness === true) return false;
  const st = file.stat();
  return typeof st !== 'number' && (st.mode & S_IFMT) !== S_IFREG;
}

/** Current readiness of a description. */
export function readiness(file: OpenFile): number {
  if (isHostStream(file)) return (pollHostFds([file.hostFd!], 0n).length > 0 ? POLLIN : 0) | POLLOUT;
  return file.poll();
}

/** A file a waiter watches and the events it asks for. */
export interface Watch {
  file: OpenFile;
  events: number;
}

/**
 * What a waiter sleeps on until any watched file may have changed: wait queues and host fds.
 * A file whose readiness is its host fd's is waited on for the events asked: for output only
 * when output is asked, so a readable socket watched for room does not wake the waiter again
 * and again.
 */
export function watchSources(watches: readonly Watch[]): { queues: WaitQueue[]; hostFds: number[]; hostWritableFds: number[] } {
  const queues = new Set<WaitQueue>();
  const hostFds: number[] = [];
  const hostWritableFds: number[] = [];
  for (const { file: f, events } of watches) {
    if (f.waitQueue !== undefined) queues.add(f.waitQueue);
    else if (isHostStream(f)) hostFds.push(f.hostFd!);
    else if (f.hostReadiness === true) {
      if (events & POLLOUT) hostWritableFds.push(f.hostFd!);
      if (events & ~POLLOUT || !(events & POLLOUT)) hostFds.push(f.hostFd!);
    }
  }
  return { queues: [...queues], hostFds, hostWritableFds };
}

/**
 * Sleeps on the watched files (and the host fds in `moreHostFds`) until one may have changed,
 * the deadline passes (result 0) or a signal comes (`onSignal`).
 */
function sleepOn(watches: readonly Watch[], deadline: bigint | undefined, onSignal: number, moreHostFds: readonly number[] = []): Block {
  const { queues, hostFds, hostWritableFds } = watchSources(watches);
  return block(queues, { deadline, onTimeout: 0, onSignal, hostFds: [...hostFds, ...moreHostFds], hostWritableFds });
}

/** Whether the deadline has passed. Reads the clock whatever the deadline: deterministic mode's clock ticks per read. */
function expired(t: Task, deadline: bigint | undefined): boolean {
  const now = t.kernel.clock.now(1)!;
  return deadline !== undefined && deadline <= now;
}

export interface PollRequest {
  fd: number;
  events: number;
}

/**
 * poll: each entry's revents (POLLNVAL for a closed fd, negative fds ignored) and how many
 * are ready; `wait` is the Block to sleep on when none is and the deadline has not passed
 * (the revents are written back either way).
 */
export function pollFds(t: Task, entries: readonly PollRequest[], deadline: bigint | undefined): { revents: number[]; ready: number; wait: Block | undefined } {
  const files: Watch[] = [];
  let ready = 0;
  const revents = entries.map(({ fd, events }) => {
    let r = 0;
    if (fd >= 0) {
      const file = t.process.fds.get(fd)?.file;
      if (file === undefined) r = POLLNVAL;
      else {
        r = readiness(file) & (events | POLLERR | POLLHUP);
        files.push({ file, events });
      }
    }
    if (r !== 0) ready++;
    return r;
  });
  const late = expired(t, deadline);
  const wait = ready > 0 || late ? undefined : sleepOn(files, deadline, -ERESTARTNOHAND);
  return { revents, ready, wait };
}

const SELECT_WANTS = [POLLIN | POLLHUP | POLLERR, POLLOUT | POLLERR, 2];
/** The events a waiter in select asks for, by set. */
const SELECT_WAITS = [POLLIN, POLLOUT, 2];

/**
 * select: the read, write and except fd sets (null: not given) -> the sets of ready fds and
 * their count, -EBADF for a closed fd in a set, or the Block to sleep on.
 */
export function selectFds(t: Task, nfds: number, inputs: readonly (Uint8Array | null)[], deadline: bigint | undefined): { outputs: (Uint8Array | null)[]; ready: number } | number | Block {
  const outputs = inputs.map((s) => (s === null ? null : new Uint8Array(s.length)));
  const files: Watch[] = [];
  let ready = 0;
  for (let fd = 0; fd < nfds; fd++) {
    const bit = 1 << (fd % 8);
    const byte = fd >> 3;
    const interested = inputs.map((s) => s !== null && (s[byte] & bit) !== 0);
    if (!interested.some(Boolean)) continue;
    const file = t.process.fds.get(fd)?.file;
    if (file === undefined) return -Errno.EBADF;
    files.push({ file, events: interested.reduce((m, on, i) => (on ? m | SELECT_WAITS[i] : m), 0) });
    const r = readiness(file);
    interested.forEach((on, i) => {
      if (on && r & SELECT_WANTS[i]) {
        outputs[i]![byte] |= bit;
        ready++;
      }
    });
  }
  const late = expired(t, deadline);
  if (ready === 0 && !late) return sleepOn(files, deadline, -ERESTARTNOHAND);
  return { outputs, ready };
}

/** The epoll instance behind epfd: -EBADF, or -EINVAL when it is something else. */
export function epollOf(t: Task, fd: number): EpollFile | number {
  const file = t.process.fds.get(fd)?.file;
  if (file === undefined || file.flags & O_PATH) return -Errno.EBADF; // fdget() skips O_PATH files
  return file instanceof EpollFile ? file : -Errno.EINVAL;
}

/** epoll_wait: up to `max` ready events, -errno, or the Block to sleep on. */
export function epollReady(
  t: Task, epfd: number, addr: number, max: number, eventSize: number, deadline: bigint | undefined,
): { events: number; data: bigint }[] | number | Block {
  // Linux's order: the count, then whether the events array lies in user memory, then the fd.
  if (max <= 0 || max > 0x7fffffff / eventSize) return -Errno.EINVAL;
  if (!accessOk(addr, max * eventSize)) return -Errno.EFAULT;
  const ep = epollOf(t, epfd);
  if (typeof ep === 'number') return ep;
  const ready = ep.ready(max, readiness);
  const late = expired(t, deadline);
  if (ready.length === 0 && !late) {
    // Entries whose edges the host tracks are waited for through its epoll instance.
    const armed = [...ep.interests.values()].filter((i) => i.armed && !i.edge);
    const edges = ep.hostEdges.waitFd;
    return sleepOn(armed.map((i) => ({ file: i.file, events: i.events })), deadline, -Errno.EINTR, edges === undefined ? [] : [edges]);
  }
  return ready;
}

/** The checks of epoll_ctl on its fds (after its event was read): the instance and the watched file, or -errno. */
export function epollTarget(t: Task, epfd: number, fd: number): { ep: EpollFile; file: OpenFile } | number {
  // Linux's order: both fds exist (an O_PATH one does not count), the target can be
  // polled, and only then must epfd be another epoll instance.
  const ep = t.process.fds.get(epfd)?.file;
  const file = t.process.fds.get(fd)?.file;
  if (ep === undefined || ep.flags & O_PATH || file === undefined || file.flags & O_PATH) return -Errno.EBADF;
  // Files without a poll operation (regular files, directories, memory devices) cannot be watched.
  if (file.waitQueue === undefined && !isHostStream(file) && file.hostReadiness !== true && !(file instanceof EpollFile)) return -Errno.EPERM;
  if (file === ep || !(ep instanceof EpollFile)) return -Errno.EINVAL;
  return { ep, file };
}

/** epoll_ctl on a target epollTarget accepted; `requested` is the event mask as given (EPOLL_CTL_DEL: ignored). */
export function epollControl(target: { ep: EpollFile; file: OpenFile }, op: number, fd: number, requested: number, data: bigint): number {
  const { ep, file } = target;
  const events = requested & ~EPOLLWAKEUP;
  if (op !== EPOLL_CTL_DEL && requested & EPOLLEXCLUSIVE && op === EPOLL_CTL_MOD) return -Errno.EINVAL;
  const exists = ep.interests.has(fd);
  switch (op) {
    case EPOLL_CTL_ADD:
      if (exists) return -Errno.EEXIST;
      ep.add(fd, file, events, data);
      return 0;
    case EPOLL_CTL_MOD:
      // An entry is its fd and description: the fd reopened to another file has none.
      if (ep.interests.get(fd)?.file !== file) return -Errno.ENOENT;
      ep.modify(fd, events, data);
      return 0;
    case EPOLL_CTL_DEL:
      if (!exists) return -Errno.ENOENT;
      ep.remove(fd);
      return 0;
    default:
      return -Errno.EINVAL;
  }
}
