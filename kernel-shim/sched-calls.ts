// The sched_* family and getpriority/setpriority on tasks' SchedState (sched-policy.ts):
// which task a pid names, what a policy change keeps, the priority ranges, the nice
// values a priority call reads and writes.
import { Errno } from './errno.js';
import type { Kernel } from './kernel.js';
import {
  MAX_RT_PRIO, RR_INTERVAL_NS, SCHED_BATCH, SCHED_DEADLINE, SCHED_IDLE, SCHED_OTHER, SCHED_RESET_ON_FORK, SCHED_RR,
  isRealtime, priorityTargets, setNice, setPolicy, taskByTid,
} from './sched-policy.js';
import type { Task } from './task.js';

const SCHED_FLAG_RESET_ON_FORK = 0x01;
const SCHED_FLAG_KEEP_POLICY = 0x08, SCHED_FLAG_KEEP_PARAMS = 0x10, SCHED_FLAG_ALL = 0x7f;

const clampNice = (n: number): number => Math.min(19, Math.max(-20, n));

/** What sched_getattr reports and sched_setattr asks for (struct sched_attr's fields). */
export interface SchedAttr {
  policy: number;
  flags: number;
  nice: number;
  priority: number;
}

/** sched_setscheduler (policyArg, with SCHED_RESET_ON_FORK) or, keepPolicy, sched_setparam; prio null: unreadable. */
export function setScheduler(k: Kernel, t: Task, pid: number, policyArg: number, keepPolicy: boolean, prio: number | null): number {
  if (pid < 0) return -Errno.EINVAL;
  if (prio === null) return -Errno.EFAULT;
  const target = taskByTid(k, t, pid);
  if (typeof target === 'number') return target;
  const policy = keepPolicy ? target.sched.policy : policyArg & ~SCHED_RESET_ON_FORK;
  const reset = keepPolicy ? target.sched.resetOnFork : (policyArg & SCHED_RESET_ON_FORK) !== 0;
  return setPolicy(t, target, policy, prio | 0, undefined, reset);
}

/** sched_getscheduler: the policy, with SCHED_RESET_ON_FORK when set. */
export function schedulerOf(k: Kernel, t: Task, pid: number): number {
  const target = taskByTid(k, t, pid);
  return typeof target === 'number' ? target : target.sched.policy | (target.sched.resetOnFork ? SCHED_RESET_ON_FORK : 0);
}

/** sched_getparam: the real-time priority. */
export function rtPriorityOf(k: Kernel, t: Task, pid: number): number {
  const target = taskByTid(k, t, pid);
  return typeof target === 'number' ? target : target.sched.rtPriority;
}

/** sched_getattr: a real-time task reports nice 0. */
export function schedAttrOf(k: Kernel, t: Task, pid: number): SchedAttr | number {
  const target = taskByTid(k, t, pid);
  if (typeof target === 'number') return target;
  const s = target.sched;
  return { policy: s.policy, flags: s.resetOnFork ? SCHED_FLAG_RESET_ON_FORK : 0, nice: isRealtime(s.policy) ? 0 : s.nice, priority: s.rtPriority };
}

/** sched_setattr: the KEEP flags keep the policy or the parameters; SCHED_DEADLINE has no bandwidth to admit (EBUSY). */
export function setSchedAttr(k: Kernel, t: Task, pid: number, attr: SchedAttr): number {
  let policy = attr.policy;
  if (policy < 0) return -Errno.EINVAL;
  const target = taskByTid(k, t, pid);
  if (typeof target === 'number') return target;
  if (attr.flags & ~SCHED_FLAG_ALL) return -Errno.EINVAL;
  const s = target.sched;
  if (attr.flags & SCHED_FLAG_KEEP_POLICY) policy = s.policy;
  const keepParams = (attr.flags & SCHED_FLAG_KEEP_PARAMS) !== 0;
  const nice = keepParams ? s.nice : clampNice(attr.nice);
  const prio = keepParams ? s.rtPriority : attr.priority;
  if (policy === SCHED_DEADLINE) return -Errno.EBUSY;
  return setPolicy(t, target, policy, prio, nice, (attr.flags & SCHED_FLAG_RESET_ON_FORK) !== 0);
}

/** sched_get_priority_max/min: 1..99 for the real-time policies, 0 for the others, EINVAL for an unknown one. */
export function priorityBound(policy: number, max: boolean): number {
  if (isRealtime(policy)) return max ? MAX_RT_PRIO : 1;
  return [SCHED_OTHER, SCHED_BATCH, SCHED_IDLE, SCHED_DEADLINE].includes(policy) ? 0 : -Errno.EINVAL;
}

/** sched_rr_get_interval: SCHED_RR's time slice in nanoseconds, 0 for other policies. */
export function rrInterval(k: Kernel, t: Task, pid: number): bigint | number {
  const target = taskByTid(k, t, pid);
  if (typeof target === 'number') return target;
  return target.sched.policy === SCHED_RR ? RR_INTERVAL_NS : 0n;
}

/** getpriority: 20 - the lowest nice among the addressed tasks (1..40, so never an errno). */
export function getPriority(k: Kernel, t: Task, which: number, who: number): number {
  const targets = priorityTargets(k, t, which, who);
  if (typeof targets === 'number') return targets;
  return 20 - Math.min(...targets.map((x) => x.sched.nice));
}

/** setpriority: every addressed task; the last refusal (EPERM/EACCES) is the answer, as in Linux. */
export function setPriority(k: Kernel, t: Task, which: number, who: number, niceArg: number): number {
  const targets = priorityTargets(k, t, which, who);
  if (typeof targets === 'number') return targets;
  const nice = clampNice(niceArg);
  let result = 0;
  for (const target of targets) {
    const r = setNice(t, target, nice);
    if (r !== 0) result = r;
  }
  return result;
}

/**
 * sched_setaffinity: the guest sees one CPU, so a mask must contain CPU 0 (an empty
 * intersection with the allowed CPUs is EINVAL, as Linux's); the mask was read by the
 * caller (null: unreadable, EFAULT before the task lookup as get_user_cpu_mask comes first).
 */
export function setAffinity(k: Kernel, t: Task, pid: number, mask: Uint8Array | null): number {
  if (mask === null) return -Errno.EFAULT;
  const target = taskByTid(k, t, pid);
  if (typeof target === 'number') return target;
  return mask.length > 0 && (mask[0] & 1) !== 0 ? 0 : -Errno.EINVAL;
}
