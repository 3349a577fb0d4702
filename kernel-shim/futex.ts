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
  private readonly bitsets = new WeakMap<Task, number>();
  /**
   * A futex_waitv waiter's index of each queue it waits on (the lowest, for a futex listed
   * twice, as Linux queues them in order): a wake on that queue returns it.
   */
  private readonly vectorIndex = new WeakMap<Task, Map<WaitQueue, number>>();

  /** Task t is about to wait: wakers must match `bitset`; a futex_waitv gives its queues' indices. */
  prepareWait(t: Task, bitset: number, indices?: Map<WaitQueue, number>): void {
    this.bitsets.set(t, bitset);
    if (indices === undefined) this.vectorIndex.delete(t);
    else this.vectorIndex.set(t, indices);
  }

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
    const woken = q.wake(n, (t) => this.vectorIndex.get(t)?.get(q) ?? 0, (t) => ((this.bitsets.get(t) ?? FUTEX_BITSET_MATCH_ANY) & bitset) !== 0);
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
      const target = this.queue(to);
      target.add(t);
      const wait = t.wait;
      if (wait !== null) t.wait = { ...wait, queues: wait.queues.map((w) => (w === q ? target : w)) };
      const indices = this.vectorIndex.get(t);
      const index = indices?.get(q);
      if (index !== undefined && !indices!.has(target)) indices!.set(target, index);
      moved++;
    }
    return moved;
  }
}

/**
 * The key of the futex word at uaddr, or -EFAULT, or -EINVAL when misaligned. A futex the
 * caller calls private is keyed by its address alone, mapped or not (futex2 wakes on an
 * unmapped private word find no one instead of faulting).
 */
export function futexKey(task: Task, uaddr: number, isPrivate = false): string | number {
  if (uaddr % 4 !== 0) return -Errno.EINVAL;
  const mm = task.process.mm;
  if (isPrivate && mm.findArea(uaddr) === undefined) return `p${mm.id}:${uaddr}`;
  const phys = mm.translate(uaddr, false);
  if (phys === null) return -Errno.EFAULT;
  return mm.findArea(uaddr)?.backing.kind === 'shared' ? `s${phys}` : `p${mm.id}:${uaddr}`;
}
