// Scheduling policy, real-time priority and nice value of each task, as sched_setscheduler,
// sched_setattr and setpriority set them and their get- forms report them. ushim's scheduler
// runs every runnable task in turn, each for a counted slice whose length the task's weight
// sets (sliceInstructions); FIFO/RR do not preempt the other tasks (one guest CPU, shared).
import { CAP_SYS_NICE, hasCapability } from './capabilities.js';
import { Errno } from './errno.js';
import type { Kernel } from './kernel.js';
import { RLIMIT_NICE, RLIMIT_RTPRIO } from './process.js';
import type { Task } from './task.js';

export const SCHED_OTHER = 0, SCHED_FIFO = 1, SCHED_RR = 2, SCHED_BATCH = 3, SCHED_IDLE = 5, SCHED_DEADLINE = 6;
export const SCHED_RESET_ON_FORK = 0x40000000;
export const MAX_RT_PRIO = 99;
/** The round-robin slice sched_rr_get_interval reports (Linux's RR_TIMESLICE, 100 ms). */
export const RR_INTERVAL_NS = 100_000_000n;

export interface SchedState {
  policy: number;
  /** sched_priority: 1..99 for SCHED_FIFO/RR, 0 otherwise. */
  rtPriority: number;
  /** -20..19. */
  nice: number;
  resetOnFork: boolean;
}

export function defaultSchedState(): SchedState {
  return { policy: SCHED_OTHER, rtPriority: 0, nice: 0, resetOnFork: false };
}

/** What a new task starts with: its parent's values, or the defaults' under SCHED_RESET_ON_FORK. */
export function inheritSched(parent: SchedState): SchedState {
  if (!parent.resetOnFork) return { ...parent };
  const rt = parent.policy === SCHED_FIFO || parent.policy === SCHED_RR;
  return { policy: rt ? SCHED_OTHER : parent.policy, rtPriority: 0, nice: Math.max(parent.nice, 0), resetOnFork: false };
}

export function isRealtime(policy: number): boolean {
  return policy === SCHED_FIFO || policy === SCHED_RR;
}

export function validPolicy(policy: number): boolean {
  return policy === SCHED_OTHER || policy === SCHED_BATCH || policy === SCHED_IDLE || isRealtime(policy);
}

/** The live task with this tid (0: the caller): ESRCH when there is none. */
export function taskByTid(k: Kernel, self: Task, tid: number): Task | number {
  if (tid < 0) return -Errno.EINVAL;
  if (tid === 0) return self;
  for (const p of k.processes.values()) {
    if (p.exited) continue;
    const t = p.tasks.find((x) => x.tid === tid && !x.exited);
    if (t !== undefined) return t;
  }
  return -Errno.ESRCH;
}

function privileged(caller: Task): boolean {
  return hasCapability(caller, CAP_SYS_NICE);
}

/** A change of another user's task needs privilege (same uid here unless root). */
function mayChange(caller: Task, target: Task): boolean {
  return privileged(caller) || caller.process.uid === target.process.uid;
}

/** Whether the caller may lower target's nice to nice (RLIMIT_NICE: 20 - rlim_cur is the floor). */
export function niceAllowed(caller: Task, target: Task, nice: number): boolean {
  if (privileged(caller) || nice >= target.sched.nice) return true;
  return 20 - nice <= Number(caller.process.rlimits[RLIMIT_NICE].cur);
}

/** setpriority's change of one task: EPERM for another user's, EACCES to raise priority unprivileged. */
export function setNice(caller: Task, target: Task, nice: number): number {
  if (!mayChange(caller, target)) return -Errno.EPERM;
  if (!niceAllowed(caller, target, nice)) return -Errno.EACCES;
  target.sched.nice = nice;
  return 0;
}

/**
 * sched_setscheduler / sched_setattr's policy change. Real-time policies need privilege or
 * RLIMIT_RTPRIO; leaving SCHED_IDLE needs privilege or a permitted nice, as in Linux.
 */
export function setPolicy(caller: Task, target: Task, policy: number, rtPriority: number, nice: number | undefined, resetOnFork: boolean): number {
  if (!validPolicy(policy)) return -Errno.EINVAL;
  if (isRealtime(policy) ? rtPriority < 1 || rtPriority > MAX_RT_PRIO : rtPriority !== 0) return -Errno.EINVAL;
  if (!mayChange(caller, target)) return -Errno.EPERM;
  if (!privileged(caller)) {
    const s = target.sched;
    if (isRealtime(policy)) {
      const limit = Number(caller.process.rlimits[RLIMIT_RTPRIO].cur);
      if (limit === 0 || (rtPriority > s.rtPriority && rtPriority > limit)) return -Errno.EPERM;
    }
    if (s.policy === SCHED_IDLE && policy !== SCHED_IDLE && !niceAllowed(caller, target, s.nice)) return -Errno.EPERM;
    if (s.resetOnFork && !resetOnFork) return -Errno.EPERM;
    if (nice !== undefined && !niceAllowed(caller, target, nice)) return -Errno.EPERM;
  }
  const s = target.sched;
  s.policy = policy;
  s.rtPriority = rtPriority;
  if (nice !== undefined && !isRealtime(policy)) s.nice = nice;
  s.resetOnFork = resetOnFork;
  return 0;
}

export const PRIO_PROCESS = 0, PRIO_PGRP = 1, PRIO_USER = 2;

/** The tasks getpriority/setpriority address: ESRCH when none, EINVAL for a bad which. */
export function priorityTargets(k: Kernel, caller: Task, which: number, who: number): Task[] | number {
  if (which === PRIO_PROCESS) {
    const t = taskByTid(k, caller, who);
    return typeof t === 'number' ? (t === -Errno.EINVAL ? -Errno.ESRCH : t) : [t];
  }
  if (which !== PRIO_PGRP && which !== PRIO_USER) return -Errno.EINVAL;
  const id = who !== 0 ? who : which === PRIO_PGRP ? caller.process.pgid : caller.process.uid;
  const found: Task[] = [];
  for (const p of k.processes.values()) {
    if (p.exited || (which === PRIO_PGRP ? p.pgid : p.uid) !== id) continue;
    found.push(...p.tasks.filter((t) => !t.exited));
  }
  return found.length === 0 ? -Errno.ESRCH : found;
}

/** Linux's sched_prio_to_weight: the CPU share of nice -20..19 (nice 0 = 1024). */
const NICE_WEIGHT = [
  88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916, 9548, 7620, 6100, 4904, 3906, 3121, 2501, 1991,
  1586, 1277, 1024, 820, 655, 526, 423, 335, 272, 215, 172, 137, 110, 87, 70, 56, 45, 36, 29, 23, 18, 15,
];
/** SCHED_IDLE's weight (WEIGHT_IDLEPRIO). */
const IDLE_WEIGHT = 3;

/**
 * The length of a task's time slice: ushim's round-robin slice scaled by the task's
 * weight as Linux's fair scheduler weighs it, so a task's share of the CPU against the others
 * follows its nice value; SCHED_IDLE gets the smallest share, the real-time policies the
 * largest. Kept within 1/128 .. 8 slices so that no task starves the others or Node's loop.
 */
export function sliceLength(s: SchedState, base: number): number {
  const weight = isRealtime(s.policy) ? NICE_WEIGHT[0] : s.policy === SCHED_IDLE ? IDLE_WEIGHT : NICE_WEIGHT[s.nice + 20];
  return Math.min(8, Math.max(1 / 128, weight / 1024)) * base;
}
