// Sending signals from a syscall: kill's choice of target processes (a pid, the caller's
// group, another group, everyone), and the thread-directed tgkill/tkill and the
// rt_*sigqueueinfo calls that carry the sender's own siginfo.
import type { Siginfo } from '../abi/siginfo.js';
import { Errno } from '../errno.js';
import type { Kernel } from '../kernel.js';
import type { Process } from '../process.js';
import type { Task } from '../task.js';
import { signalProcess, signalTask } from './deliver.js';
import { NSIG } from './numbers.js';

const SI_USER = 0, SI_TKILL = -6;

function senderInfo(t: Task, sig: number, code: number): Siginfo {
  return { signo: sig, errno: 0, code, layout: 'kill', pid: t.process.pid, uid: t.process.uid };
}

/** A live task by thread id, in any process. */
function findTask(k: Kernel, tid: number): Task | undefined {
  for (const p of k.processes.values()) for (const t of p.tasks) if (t.tid === tid && t.state !== 'exited') return t;
  return undefined;
}

/** kill(2) from `t`: pid > 0 one process, 0 the caller's group, -1 everyone but the caller, < -1 group -pid. */
export function kill(k: Kernel, t: Task, pid: number, sig: number): number {
  if (sig < 0 || sig > NSIG) return -Errno.EINVAL;
  let targets: Process[];
  // Zombies are still there to be signalled (to no effect) until they are reaped.
  const existing = [...k.processes.values()].filter((p) => !p.reaped);
  if (pid > 0) targets = existing.filter((p) => p.pid === pid);
  else if (pid === 0) targets = existing.filter((p) => p.pgid === t.process.pgid);
  else if (pid === -1) targets = existing.filter((p) => p !== t.process); // everyone but the caller (and init)
  else targets = existing.filter((p) => p.pgid === -pid);
  if (targets.length === 0) return -Errno.ESRCH;
  if (sig !== 0) for (const p of targets) signalProcess(k, p, senderInfo(t, sig, SI_USER));
  return 0;
}

/** tgkill (tgid given) and tkill (tgid undefined): one thread. */
export function killThread(k: Kernel, t: Task, tgid: number | undefined, tid: number, sig: number): number {
  if (sig < 0 || sig > NSIG || (tgid !== undefined && tgid <= 0) || tid <= 0) return -Errno.EINVAL;
  const task = findTask(k, tid);
  if (task === undefined || (tgid !== undefined && task.process.pid !== tgid)) return -Errno.ESRCH;
  if (sig !== 0) signalTask(k, task, senderInfo(t, sig, SI_TKILL));
  return 0;
}

/**
 * A caller may forge only the si_codes a user could send (negative, other than SI_TKILL);
 * kernel codes (>= 0) and SI_TKILL go only to itself (`self`: its thread id, for
 * rt_tgsigqueueinfo; its pid, for rt_sigqueueinfo, as Linux compares them).
 */
function forgedCode(info: Siginfo, self: number, target: number): boolean {
  return (info.code >= 0 || info.code === SI_TKILL) && target !== self;
}

/** rt_sigqueueinfo: the sender's siginfo to a process: EPERM, then ESRCH, then EINVAL for the signal. */
export function queueToProcess(k: Kernel, t: Task, pid: number, sig: number, info: Siginfo): number {
  if (forgedCode(info, t.process.pid, pid)) return -Errno.EPERM;
  const target = k.processes.get(pid);
  if (target === undefined || target.exited) return -Errno.ESRCH;
  if (sig < 0 || sig > NSIG) return -Errno.EINVAL;
  if (sig !== 0) signalProcess(k, target, { ...info, signo: sig });
  return 0;
}

/** rt_tgsigqueueinfo: the sender's siginfo to one thread of process tgid, with Linux's order of checks. */
export function queueToThread(k: Kernel, t: Task, tgid: number, tid: number, sig: number, info: Siginfo): number {
  if (tgid <= 0 || tid <= 0) return -Errno.EINVAL;
  if (forgedCode(info, t.tid, tid)) return -Errno.EPERM;
  const task = findTask(k, tid);
  if (task === undefined || task.process.pid !== tgid) return -Errno.ESRCH;
  if (sig < 0 || sig > NSIG) return -Errno.EINVAL;
  if (sig !== 0) signalTask(k, task, { ...info, signo: sig });
  return 0;
}
