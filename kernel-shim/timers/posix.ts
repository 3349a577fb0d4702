// POSIX per-process timers (timer_create and friends). An expiry queues one SI_TIMER signal;
// while that signal is still pending, further expirations only count as overruns in it, as
// Linux does with its preallocated sigqueue entry.
import type { Siginfo } from '../abi/siginfo.js';
import { Errno } from '../errno.js';
import type { Kernel } from '../kernel.js';
import type { Process } from '../process.js';
import { signalProcess, signalTask } from '../signal/deliver.js';
import type { Task } from '../task.js';
import { IntervalTimer } from './armed.js';

export const SIGEV_SIGNAL = 0, SIGEV_NONE = 1, SIGEV_THREAD = 2, SIGEV_THREAD_ID = 4;
export const TIMER_ABSTIME = 1;
const SI_TIMER = -2;
/** Linux caps si_overrun (and timer_getoverrun) at DELAYTIMER_MAX. */
const DELAYTIMER_MAX = 0x7fffffff;
/** Per-process limit standing in for RLIMIT_SIGPENDING: EAGAIN beyond it. */
const MAX_TIMERS = 4096;

export interface TimerNotify {
  notify: number;
  signo: number;
  value: bigint;
  /** SIGEV_THREAD_ID's target. */
  thread?: Task;
}

export class PosixTimer {
  readonly timer: IntervalTimer;
  /** The signal of the latest expiry (pending or delivered), and the one before it. */
  private current: Siginfo | undefined;
  private previous: Siginfo | undefined;

  constructor(private readonly k: Kernel, readonly proc: Process, readonly id: number, readonly clockId: number, readonly how: TimerNotify) {
    this.timer = new IntervalTimer(k.timers, (count) => this.expire(count));
  }

  private expire(count: bigint): void {
    if (this.how.notify === SIGEV_NONE || this.proc.exited) return;
    const current = this.current;
    if (current?.layout === 'timer' && this.isPending(current)) {
      current.overrun = Math.min(DELAYTIMER_MAX, current.overrun + Number(count));
      return;
    }
    const info: Siginfo = {
      signo: this.how.signo, errno: 0, code: SI_TIMER, layout: 'timer', timerId: this.id,
      overrun: Math.min(DELAYTIMER_MAX, Number(count - 1n)), value: this.how.value,
    };
    this.previous = current;
    this.current = info;
    const thread = this.how.thread;
    if (thread !== undefined && thread.state !== 'exited') signalTask(this.k, thread, info);
    else signalProcess(this.k, this.proc, info);
  }

  private isPending(info: Siginfo): boolean {
    const queue = this.how.thread !== undefined ? this.how.thread.pending : this.proc.pending;
    return queue.queued.includes(info);
  }

  /** The overrun count of the last signal delivered (timer_getoverrun). */
  overrun(): number {
    const delivered = this.current !== undefined && this.isPending(this.current) ? this.previous : this.current;
    return delivered?.layout === 'timer' ? delivered.overrun : 0;
  }

  /**
   * timer_settime: the new setting, dropping a signal of the old one still pending (Linux
   * 6.13 and later discard such stale signals when they would be dequeued).
   */
  set(value: bigint, interval: bigint, absolute: boolean): void {
    this.dropPending();
    if (value === 0n) this.timer.disarm();
    else if (absolute) this.timer.armAt(this.clockId, value, interval);
    else this.timer.arm(value, interval);
  }

  delete(): void {
    this.timer.disarm();
    this.dropPending();
  }

  private dropPending(): void {
    const queue = this.how.thread !== undefined ? this.how.thread.pending : this.proc.pending;
    if (this.current !== undefined) queue.remove(this.current);
  }
}

/** The timers of every process, by process then timer id. */
export class PosixTimers {
  private readonly byProcess = new WeakMap<Process, { next: number; timers: Map<number, PosixTimer> }>();

  constructor(private readonly k: Kernel) {}

  private table(proc: Process): { next: number; timers: Map<number, PosixTimer> } {
    let table = this.byProcess.get(proc);
    if (table === undefined) {
      table = { next: 0, timers: new Map() };
      this.byProcess.set(proc, table);
    }
    return table;
  }

  /** The id the next timer of `proc` gets (Linux counts up from 0 per process), or EAGAIN. */
  nextId(proc: Process): number {
    const table = this.table(proc);
    if (table.timers.size >= MAX_TIMERS) return -Errno.EAGAIN;
    while (table.timers.has(table.next)) table.next = (table.next + 1) & 0x7fffffff;
    return table.next;
  }

  create(proc: Process, id: number, clockId: number, how: TimerNotify): PosixTimer {
    const timer = new PosixTimer(this.k, proc, id, clockId, how);
    const table = this.table(proc);
    table.timers.set(id, timer);
    table.next = (id + 1) & 0x7fffffff;
    return timer;
  }

  get(proc: Process, id: number): PosixTimer | undefined {
    return this.byProcess.get(proc)?.timers.get(id);
  }

  delete(proc: Process, id: number): number {
    const timer = this.get(proc, id);
    if (timer === undefined) return -Errno.EINVAL;
    timer.delete();
    this.byProcess.get(proc)!.timers.delete(id);
    return 0;
  }

  /** exec and exit delete every timer of the process. */
  deleteAll(proc: Process): void {
    const table = this.byProcess.get(proc);
    if (table === undefined) return;
    for (const timer of table.timers.values()) timer.delete();
    table.timers.clear();
  }
}
