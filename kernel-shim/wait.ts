// Blocking. A syscall that cannot complete returns a Block: the task parks on wait queues
// and its `syscall` instruction is re-executed when it runs again. A waker either lets the
// retry re-run the handler (I/O: the condition changed) or supplies the result itself
// (futex wake, timeout, signal interruption).
import type { Task } from './task.js';

export class WaitQueue {
  private readonly waiters = new Set<Task>();
  /** Counts wake-ups, waiters or not: edge-triggered epoll reports a file again only after one. */
  generation = 0;

  add(task: Task): void {
    this.waiters.add(task);
  }

  remove(task: Task): void {
    this.waiters.delete(task);
  }

  get size(): number {
    return this.waiters.size;
  }

  /** Wakes every waiter (they retry, or get `result`). */
  wakeAll(result?: number): number {
    return this.wake(Infinity, result);
  }

  /** Wakes up to n waiters in arrival order (each gets `result`, or its own); returns how many. */
  wake(n: number, result?: number | ((t: Task) => number), filter?: (t: Task) => boolean): number {
    this.generation++;
    let woken = 0;
    for (const t of [...this.waiters]) {
      if (woken >= n) break;
      if (filter !== undefined && !filter(t)) continue;
      t.kernel.wake(t, typeof result === 'function' ? result(t) : result);
      woken++;
    }
    return woken;
  }

  tasks(): Task[] {
    return [...this.waiters];
  }
}

export interface Block {
  readonly kind: 'block';
  readonly queues: readonly WaitQueue[];
  /** Absolute CLOCK_MONOTONIC deadline in ns, or undefined to wait forever. */
  readonly deadline?: bigint;
  /** The syscall's result when the deadline passes, or 'retry' to re-run the handler (a
   * host call polled on a timer: a lock, a FIFO writer's open). */
  readonly onTimeout: number | 'retry';
  /** The result when a signal interrupts the wait (-ERESTARTSYS, -EINTR, ...), or 'retry' to
   * re-run the handler, which then sees the pending signal itself (nanosleep reports the
   * time left). */
  readonly onSignal: number | 'retry';
  /** Host fds whose readiness ends the wait (stdin from a pipe or terminal). */
  readonly hostFds?: readonly number[];
  /** Host fds whose room for writing ends the wait (a full host pipe). */
  readonly hostWritableFds?: readonly number[];
}

export const ERESTARTSYS = 512;
export const ERESTARTNOINTR = 513;
export const ERESTARTNOHAND = 514;
export const ERESTART_RESTARTBLOCK = 516;

export function block(queues: readonly WaitQueue[], opts: Partial<Omit<Block, 'kind' | 'queues'>> = {}): Block {
  return { kind: 'block', queues, onTimeout: opts.onTimeout ?? -110, onSignal: opts.onSignal ?? -ERESTARTSYS, deadline: opts.deadline, hostFds: opts.hostFds,
    hostWritableFds: opts.hostWritableFds };
}

export function isBlock(v: unknown): v is Block {
  return typeof v === 'object' && v !== null && (v as Block).kind === 'block';
}
