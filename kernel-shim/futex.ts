// Futexes: wait queues keyed as Linux's get_futex_key does: a word in private memory by its
// address space and virtual address (copy-on-write after fork must not move it), a word in
// shared memory by its physical frame (the same futex in every process that maps it).
import { Errno } from './errno.js';
import type { Task } from './task.js';
import { WaitQueue } from './wait.js';

export const FUTEX_BITSET_MATCH_ANY = 0xffffffff;

export class Futexes {
  private readonly queues = new Map<string, WaitQueue>();
  /** The bitset each waiting task passed (FUTEX_WAIT_BITSET / WAKE_BITSET). */
  readonly bitsets = new WeakMap<Task, number>();

  queue(key: string): WaitQueue {
    let q = this.queues.get(key);
    if (q === undefined) {
      q = new WaitQueue();
      this.queues.set(key, q);
    }
    return q;
  }

  /** Wakes up to n waiters on key whose bitset intersects `bitset`; they return 0. */
  wake(key: string, n: number, bitset = FUTEX_BITSET_MATCH_ANY): number {
    const q = this.queues.get(key);
    if (q === undefined) return 0;
    const woken = q.wake(n, 0, (t) => ((this.bitsets.get(t) ?? FUTEX_BITSET_MATCH_ANY) & bitset) !== 0);
    if (q.size === 0) this.queues.delete(key);
    return woken;
  }

  /** Moves up to n waiters from one key to another (FUTEX_REQUEUE). */
  requeue(from: string, to: string, n: number): number {
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

/** The key of the futex word at uaddr, or -EFAULT, or -EINVAL when misaligned. */
export function futexKey(task: Task, uaddr: number): string | number {
  if (uaddr % 4 !== 0) return -Errno.EINVAL;
  const mm = task.process.mm;
  const phys = mm.translate(uaddr, false);
  if (phys === null) return -Errno.EFAULT;
  return mm.findArea(uaddr)?.backing.kind === 'shared' ? `s${phys}` : `p${mm.id}:${uaddr}`;
}
