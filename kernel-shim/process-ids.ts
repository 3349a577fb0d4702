// Process identity the guest may read and change: process groups and sessions, the user and
// group ids (changeable only to their current values: ushim is not privileged), the
// supplementary groups, and a thread's robust futex list.
import { Errno } from './errno.js';
import type { Kernel } from './kernel.js';
import type { Process } from './process.js';
import type { Task } from './task.js';

/** sizeof(struct robust_list_head), the only length set_robust_list accepts. */
export const ROBUST_LIST_HEAD_SIZE = 24;

export type IdKind = 'uid' | 'gid';

function processOf(k: Kernel, caller: Process, pid: number): Process | undefined {
  return pid === 0 ? caller : k.processes.get(pid);
}

/** getpgid(pid): the process group of pid (0: the caller), or ESRCH. */
export function processGroupOf(k: Kernel, caller: Process, pid: number): number {
  return processOf(k, caller, pid)?.pgid ?? -Errno.ESRCH;
}

/** getsid(pid): the session of pid (0: the caller), or ESRCH. */
export function sessionOf(k: Kernel, caller: Process, pid: number): number {
  return processOf(k, caller, pid)?.sid ?? -Errno.ESRCH;
}

/** setpgid(pid, pgid): 0 for the caller or for "the same as pid"; a session leader may not move. */
export function setProcessGroup(k: Kernel, caller: Process, pid: number, pgid: number): number {
  const target = pid === 0 ? caller.pid : pid;
  if (pgid < 0) return -Errno.EINVAL;
  const p = k.processes.get(target);
  if (p === undefined) return -Errno.ESRCH;
  if (p.sid === p.pid) return -Errno.EPERM;
  p.pgid = pgid === 0 ? target : pgid;
  return 0;
}

/** setsid(): a new session and process group led by p, unless p already leads a group. */
export function newSession(p: Process): number {
  if (p.pgid === p.pid) return -Errno.EPERM;
  p.sid = p.pgid = p.pid;
  return p.pid;
}

function currentId(p: Process, kind: IdKind): number {
  return kind === 'uid' ? p.uid : p.gid;
}

/** setuid/setgid: only to the current id. */
export function setId(p: Process, kind: IdKind, id: number): number {
  return id === currentId(p, kind) ? 0 : -Errno.EPERM;
}

/** setre*id/setres*id: each id -1 (unchanged) or the current one. */
export function setIds(p: Process, kind: IdKind, ids: number[]): number {
  const current = currentId(p, kind);
  return ids.every((id) => id === -1 || id === current) ? 0 : -Errno.EPERM;
}

/** setfsuid/setfsgid: the id stays; the previous (current) one is the answer. */
export function setFsId(p: Process, kind: IdKind): number {
  return currentId(p, kind);
}

/** getgroups(size, list): the groups to copy, or EINVAL when size cannot hold them (0 asks the count). */
export function supplementaryGroups(p: Process, size: number): readonly number[] | number {
  if (size < 0) return -Errno.EINVAL;
  if (size !== 0 && size < p.groups.length) return -Errno.EINVAL;
  return p.groups;
}

/** set_robust_list(head, len). */
export function setRobustList(t: Task, head: number, len: number): number {
  if (len !== ROBUST_LIST_HEAD_SIZE) return -Errno.EINVAL;
  t.robustList = head;
  t.robustListLength = ROBUST_LIST_HEAD_SIZE;
  return 0;
}

/** get_robust_list(tid): the head of thread tid (0: the caller), or ESRCH. */
export function robustListOf(k: Kernel, caller: Task, tid: number): number {
  const task = tid === 0 ? caller : [...k.processes.values()].flatMap((p) => p.tasks).find((x) => x.tid === tid);
  return task === undefined ? -Errno.ESRCH : task.robustList;
}
