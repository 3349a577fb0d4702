// nanosleep/clock_nanosleep: a timed wait the scheduler can interrupt. The deadline is fixed
// at the first attempt (on CLOCK_MONOTONIC); a signal that interrupts the sleep makes it
// return, with the time left for a relative sleep, or restart when no handler runs.
import { CLOCK_MONOTONIC } from './clock.js';
import { Errno } from './errno.js';
import type { Kernel } from './kernel.js';
import { hasDeliverable } from './signal/deliver.js';
import type { Task } from './task.js';
import { TIMER_ABSTIME } from './timers/posix.js';
import { type Block, ERESTART_RESTARTBLOCK, block } from './wait.js';

/** A sleep a signal interrupted: the call's result, and the time left of a relative sleep. */
export interface Interrupted {
  result: number;
  left: bigint | undefined;
}

/**
 * clock_nanosleep(clock, flags, request) for task t: 0 when the time has come, a Block to
 * sleep on, Interrupted, or -errno (request is an errno when it could not be read).
 */
export function clockNanosleep(k: Kernel, t: Task, clock: number, flags: number, request: bigint | number): number | Block | Interrupted {
  if (typeof request === 'number') return request;
  const now = k.clock.now(clock);
  if (now === null) return -Errno.EINVAL;
  const absolute = (flags & TIMER_ABSTIME) !== 0;
  const monoNow = k.clock.now(CLOCK_MONOTONIC)!;
  if (t.deadline === undefined) t.deadline = absolute ? monoNow + (request - now) : monoNow + request;
  const left = t.deadline - monoNow;
  if (left <= 0n) return 0;
  if (hasDeliverable(t)) return { result: -ERESTART_RESTARTBLOCK, left: absolute ? undefined : left };
  return block([], { deadline: t.deadline, onTimeout: 0, onSignal: 'retry', hostFds: [] });
}
