// kcmp(2): whether two guest tasks share a kernel object, and an order between different
// ones. Linux orders objects by their (obfuscated) addresses; ushim orders them by where
// they first occur walking the live processes by pid, which is as stable while both live.
import { Errno } from './errno.js';
import { EpollFile } from './fs/epoll.js';
import type { OpenFile } from './fs/file.js';
import type { Kernel } from './kernel.js';
import type { Process } from './process.js';
import { taskByTid } from './sched-policy.js';
import type { Task } from './task.js';

export const KCMP_FILE = 0, KCMP_VM = 1, KCMP_FILES = 2, KCMP_FS = 3, KCMP_SIGHAND = 4, KCMP_IO = 5, KCMP_SYSVSEM = 6,
  KCMP_EPOLL_TFD = 7;

/** The objects of one kind a process holds, in a fixed order. */
type Holdings = (p: Process) => readonly object[];

const HOLDINGS: ReadonlyMap<number, Holdings> = new Map<number, Holdings>([
  [KCMP_FILE, (p) => p.fds.list().map((fd) => p.fds.get(fd)!.file)],
  [KCMP_VM, (p) => [p.mm]],
  [KCMP_FILES, (p) => [p.fds]],
  [KCMP_FS, (p) => [p.fs]],
  // No CLONE_IO sharing in ushim: a process is its own io context.
  [KCMP_IO, (p) => [p]],
  [KCMP_SIGHAND, (p) => [p.sighand]],
]);

function rank(k: Kernel, kind: Holdings, obj: object): number {
  let index = 0;
  for (const p of [...k.processes.values()].sort((a, b) => a.pid - b.pid)) {
    if (p.exited) continue;
    for (const held of kind(p)) {
      if (held === obj) return index;
      index++;
    }
  }
  return index;
}

/** 0 the same object, 1 when a orders before b, 2 after. */
export function compareObjects(k: Kernel, type: number, a: object, b: object): number {
  if (a === b) return 0;
  const kind = HOLDINGS.get(type) ?? HOLDINGS.get(KCMP_FILE)!;
  return rank(k, kind, a) < rank(k, kind, b) ? 1 : 2;
}

export function objectOf(type: number, t: Task): object | undefined {
  return HOLDINGS.get(type)?.(t.process)[0];
}

export function fileOfTask(t: Task, fd: number): OpenFile | undefined {
  return t.process.fds.get(fd)?.file;
}

/** KCMP_EPOLL_TFD's target: the description registered for tfd in epoll instance efd. */
export function epollTarget(t: Task, efd: number, tfd: number, toff: number): OpenFile | number {
  const epoll = fileOfTask(t, efd);
  if (epoll === undefined) return -Errno.EBADF;
  if (!(epoll instanceof EpollFile)) return -Errno.EINVAL;
  const entry = epoll.interests.get(tfd);
  return entry === undefined || toff !== 0 ? -Errno.ENOENT : entry.file;
}

/** KCMP_EPOLL_TFD's struct kcmp_epoll_slot: the epoll fd, the target fd and its offset. */
export interface EpollSlot {
  efd: number;
  tfd: number;
  toff: number;
}

/** A task named by a pid argument, where 0 is nobody (find_task_by_vpid). */
export function namedTask(k: Kernel, t: Task, pid: number): Task | number {
  return pid <= 0 ? -Errno.ESRCH : taskByTid(k, t, pid);
}

/**
 * kcmp(pid1, pid2, type, idx1, idx2): 0 equal, 1 or 2 ordered, 3 not comparable, -errno.
 * slot is KCMP_EPOLL_TFD's slot (an errno when it could not be read).
 */
export function kcmp(k: Kernel, t: Task, pid1: number, pid2: number, type: number, idx1: number, idx2: number, slot: EpollSlot | number): number {
  const t1 = namedTask(k, t, pid1);
  const t2 = namedTask(k, t, pid2);
  if (typeof t1 === 'number') return t1;
  if (typeof t2 === 'number') return t2;
  if (type === KCMP_FILE) {
    const f1 = fileOfTask(t1, idx1);
    const f2 = fileOfTask(t2, idx2);
    return f1 === undefined || f2 === undefined ? -Errno.EBADF : compareObjects(k, type, f1, f2);
  }
  if (type === KCMP_EPOLL_TFD) {
    if (typeof slot === 'number') return slot;
    const f1 = fileOfTask(t1, idx1);
    if (f1 === undefined) return -Errno.EBADF;
    const target = epollTarget(t2, slot.efd, slot.tfd, slot.toff);
    return typeof target === 'number' ? target : compareObjects(k, KCMP_FILE, f1, target);
  }
  // SEM_UNDO lists (ipc/sem.ts) are per process and not compared: equal, as for two processes without one.
  if (type === KCMP_SYSVSEM) return 0;
  const o1 = objectOf(type, t1);
  const o2 = objectOf(type, t2);
  return o1 === undefined || o2 === undefined ? -Errno.EINVAL : compareObjects(k, type, o1, o2);
}
