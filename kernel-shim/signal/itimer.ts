// Interval timers: ITIMER_REAL (and alarm, which shares it) counts down in CLOCK_MONOTONIC
// and sends the process SIGALRM, rearming itself by its interval. ITIMER_VIRTUAL and
// ITIMER_PROF are accepted and never fire.
import { CLOCK_MONOTONIC } from '../clock.js';
import { Errno } from '../errno.js';
import type { Kernel } from '../kernel.js';
import type { Process } from '../process.js';
import { signalProcess } from './deliver.js';
import { SIGALRM } from './numbers.js';

export const ITIMER_REAL = 0, ITIMER_VIRTUAL = 1, ITIMER_PROF = 2;
const NS = 1_000_000_000n;
const SI_KERNEL = 0x80;

export interface TimerValue {
  /** ns until it fires (0: disarmed). */
  value: bigint;
  /** ns between firings (0: once). */
  interval: bigint;
}

function realTimer(k: Kernel, p: Process): TimerValue {
  const timer = p.realTimer;
  if (timer === undefined) return { value: 0n, interval: 0n };
  const now = k.clock.now(CLOCK_MONOTONIC)!;
  return { value: timer.deadline > now ? timer.deadline - now : 1n, interval: timer.interval };
}

/** A timer getitimer/setitimer know (others: EINVAL). */
export function validItimer(which: number): boolean {
  return which === ITIMER_REAL || which === ITIMER_VIRTUAL || which === ITIMER_PROF;
}

/** getitimer: the timer's state, or -EINVAL for an unknown timer. */
export function getItimer(k: Kernel, p: Process, which: number): TimerValue | number {
  if (!validItimer(which)) return -Errno.EINVAL;
  return which === ITIMER_REAL ? realTimer(k, p) : { value: 0n, interval: 0n };
}

/** setitimer: arms (value 0: disarms) the timer; 0 or -EINVAL. */
export function setItimer(k: Kernel, p: Process, which: number, next: TimerValue): number {
  if (!validItimer(which)) return -Errno.EINVAL;
  if (which === ITIMER_REAL) p.realTimer = next.value === 0n ? undefined : { deadline: k.clock.now(CLOCK_MONOTONIC)! + next.value, interval: next.interval };
  return 0;
}

/** alarm: arms ITIMER_REAL for `seconds` without interval; the seconds that were left (rounded, at least 1). */
export function alarm(k: Kernel, p: Process, seconds: number): number {
  const old = realTimer(k, p).value;
  setItimer(k, p, ITIMER_REAL, { value: BigInt(seconds) * NS, interval: 0n });
  return Number((old + NS / 2n) / NS) || (old > 0n ? 1 : 0);
}

/** The scheduler's tick: sends SIGALRM for every ITIMER_REAL that expired by `now`, rearming interval timers. */
export function fireRealTimers(k: Kernel, now: bigint): void {
  for (const p of k.processes.values()) {
    const timer = p.realTimer;
    if (timer === undefined || p.exited || timer.deadline > now) continue;
    p.realTimer = timer.interval > 0n ? { deadline: now + timer.interval, interval: timer.interval } : undefined;
    signalProcess(k, p, { signo: SIGALRM, errno: 0, code: SI_KERNEL, layout: 'kill', pid: 0, uid: 0 });
  }
}

/** The earliest ITIMER_REAL deadline of a live process (the idle scheduler sleeps until then). */
export function nextRealTimer(k: Kernel): bigint | undefined {
  let next: bigint | undefined;
  for (const p of k.processes.values()) {
    if (p.realTimer !== undefined && !p.exited && (next === undefined || p.realTimer.deadline < next)) next = p.realTimer.deadline;
  }
  return next;
}
