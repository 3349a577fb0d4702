// Futexes: wait queues keyed by the physical address of the futex word, so that private
// futexes (one address space) and shared ones (MAP_SHARED between processes) both work.
import { Errno } from './errno.js';
import type { Task } from './task.js';
import { WaitQueue } from './wait.js';

export const FUTEX_BITSET_MATCH_ANY = 0xffffffff;

export class Futexes {
  private readonly queues = new Map<number, WaitQueue>();
  /** The bitset each waiting task passed (FUTEX_WAIT_BITSET / WAKE_BITSET). */
  readonly bitsets = new WeakMap<Task, number>();

  queue(key: number): WaitQueue {
    let q = this.queues.get(key);
    if (q === undefined) {
      q = new WaitQueue();
      this.queues.set(key, q);
    }
    return q;
  }

  /** Wakes up to n waiters on key whose bitset intersects `bitset`; they return 0. */
  wake(key: number, n: number, bitset = FUTEX_BITSET_MATCH_ANY): number {
    const q = this.queues.get(key);
    if (q === undefined) return 0;
    const woken = q.wake(n, 0, (t) => ((this.bitsets.get(t) ?? FUTEX_BITSET_MATCH_ANY) & bitset) !== 0);
    if (q.size === 0) this.queues.delete(key);
    return woken;
  }

  /** Moves up to n waiters from one key to another (FUTEX_REQUEUE). */
  requeue(from: number, to: number, n: number): number {
    const q = this.queues.get(from);
    if (q === undefined) return 0;
    let moved = 0;
    for (const t of q.tasks()) {
      if (moved >= n) break;
      q.remove(t);
      this.queue(to).add(t);
      const wait = t.wait;
      if (wait !== null) t.wait = { ...wait, queues: wait.queues.map((w) => (w === q ? this.queue(to) : w)) };
      moved++;
    }
    return moved;
  }
}

/** The key of the futex word at uaddr: -EFAULT, or -EINVAL when misaligned. */
export function futexKey(task: Task, uaddr: number): number {
  if (uaddr % 4 !== 0) return -Errno.EINVAL;
  const phys = task.process.mm.translate(uaddr, false);
  return phys === null ? -Errno.EFAULT : phys;
}
