// I/O priorities (ioprio_get/ioprio_set): a class (none, real-time, best-effort, idle) and
// its data (a level and hints) per task, stored and reported as Linux's block/ioprio.c does.
// ushim has no block layer, so the values only change what the calls answer.
import { libcCalls } from '../host/libc.js';
import { CAP_SYS_ADMIN, CAP_SYS_NICE, capabilitiesOf, hasCapability } from './capabilities.js';
import { Errno } from './errno.js';
import type { Kernel } from './kernel.js';
import { priorityTargets } from './sched-policy.js';
import type { Task } from './task.js';

export const IOPRIO_CLASS_NONE = 0, IOPRIO_CLASS_RT = 1, IOPRIO_CLASS_BE = 2, IOPRIO_CLASS_IDLE = 3;
export const IOPRIO_WHO_PROCESS = 1, IOPRIO_WHO_PGRP = 2, IOPRIO_WHO_USER = 3;
const CLASS_SHIFT = 13;
/** A task's ioprio is an unsigned short: what is stored of a larger value. */
const STORED_BITS = 0xffff;
/** IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, IOPRIO_BE_NORM): what ioprio_best puts for a task without a class. */
const BE_NORM = (IOPRIO_CLASS_BE << CLASS_SHIFT) | 4;

function classOf(ioprio: number): number {
  return (ioprio >>> CLASS_SHIFT) & 7;
}

const SYS_IOPRIO_GET = 252;

/** A task's value: set, inherited, or for the first task the ushim process's own (0 if unknown). */
export function ioprioOf(t: Task): number {
  if (t.ioprio === undefined) {
    const host = Number(libcCalls.ioprioGet(SYS_IOPRIO_GET, IOPRIO_WHO_PROCESS, 0));
    t.ioprio = host < 0 ? 0 : host;
  }
  return t.ioprio;
}

/** ioprio_valid: a class other than none (a forked task inherits only such a value). */
export function ioprioValid(ioprio: number): boolean {
  const c = classOf(ioprio);
  return c > IOPRIO_CLASS_NONE && c <= IOPRIO_CLASS_IDLE;
}

/** What a new task (fork, thread) starts with: the parent's class when it has one, else none. */
export function inheritedIoprio(parent: number): number {
  return ioprioValid(parent) ? parent : 0;
}

/** ioprio_check_cap: EPERM for real-time without CAP_SYS_NICE/CAP_SYS_ADMIN, EINVAL for an unknown class or a level with none. */
function checkIoprio(t: Task, ioprio: number): number {
  switch (classOf(ioprio)) {
    case IOPRIO_CLASS_RT:
      return hasCapability(t, CAP_SYS_NICE) || hasCapability(t, CAP_SYS_ADMIN) ? 0 : -Errno.EPERM;
    case IOPRIO_CLASS_BE:
    case IOPRIO_CLASS_IDLE:
      return 0;
    case IOPRIO_CLASS_NONE:
      return (ioprio & 7) === 0 ? 0 : -Errno.EINVAL;
    default:
      return -Errno.EINVAL;
  }
}

/** set_task_ioprio's permission: the caller's user, and no capabilities the caller lacks, unless CAP_SYS_NICE. */
function mayChange(caller: Task, target: Task): boolean {
  if (hasCapability(caller, CAP_SYS_NICE)) return true;
  if (caller.process.uid !== target.process.uid) return false;
  return (capabilitiesOf(target).permitted & ~capabilitiesOf(caller).permitted) === 0n;
}

/** The tasks `which`/`who` address (IOPRIO_WHO_* is PRIO_* + 1): ESRCH when none, EINVAL for a bad which. */
function targets(k: Kernel, t: Task, which: number, who: number): Task[] | number {
  if (which < IOPRIO_WHO_PROCESS || which > IOPRIO_WHO_USER) return -Errno.EINVAL;
  return priorityTargets(k, t, which - 1, who);
}

/** ioprio_set: checked before the targets; the first refusal stops the walk, as in Linux. */
export function setIoprio(k: Kernel, t: Task, which: number, who: number, ioprio: number): number {
  const check = checkIoprio(t, ioprio);
  if (check < 0) return check;
  const found = targets(k, t, which, who);
  if (typeof found === 'number') return found;
  for (const target of found) {
    if (!mayChange(t, target)) return -Errno.EPERM;
    target.ioprio = ioprio & STORED_BITS;
  }
  return 0;
}

/** ioprio_best: the higher priority of two (a task without a class counts as best-effort 4). */
function best(a: number, b: number): number {
  return Math.min(ioprioValid(a) ? a : BE_NORM, ioprioValid(b) ? b : BE_NORM);
}

/** ioprio_get: one task's value, or the best of a group's or user's tasks. */
export function getIoprio(k: Kernel, t: Task, which: number, who: number): number {
  const found = targets(k, t, which, who);
  if (typeof found === 'number') return found;
  return found.map(ioprioOf).reduce(best);
}
