// kcmp(2): whether two guest tasks share a kernel object, and an order between different
// ones. Linux orders objects by their (obfuscated) addresses; ushim orders them by where
// they first occur walking the live processes by pid, which is as stable while both live.
import { Errno } from './errno.js';
import { EpollFile } from './fs/epoll.js';
import type { OpenFile } from './fs/file.js';
import type { Kernel } from './kernel.js';
import type { Process } from './process.js';
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
