// The calls that take struct futex_waitv arrays: futex_waitv(2) sleeps on up to 128 futexes
// at once and returns the index of the one woken; futex_requeue(2) reads its two futexes
// from such an array.
import { Errno } from './errno.js';
import { FUTEX_BITSET_MATCH_ANY } from './futex.js';
import { futex2Deadline, futex2FlagsValid, futex2Key, futex2ValueFits } from './futex2.js';
import type { Kernel } from './kernel.js';
import type { Task } from './task.js';
import { type Block, ERESTARTSYS, type WaitQueue, block } from './wait.js';

export const FUTEX_WAITV_MAX = 128;
/** struct futex_waitv: u64 val, u64 uaddr, u32 flags, u32 __reserved. */
const WAITV_SIZE = 24;

interface WaitvEntry {
  val: bigint;
  uaddr: bigint;
  flags: number;
}

/** futex_parse_waitv: the first n entries at addr, or -EFAULT / -EINVAL (bad flags, reserved bits, a value over 32 bits). */
function parseWaitv(t: Task, addr: number, n: number): WaitvEntry[] | number {
  const entries: WaitvEntry[] = [];
  for (let i = 0; i < n; i++) {
    const raw = t.process.mm.read(addr + i * WAITV_SIZE, WAITV_SIZE);
    if (raw === null) return -Errno.EFAULT;
    const view = new DataView(raw.buffer, raw.byteOffset, WAITV_SIZE);
    const entry = { val: view.getBigUint64(0, true), uaddr: view.getBigUint64(8, true), flags: view.getUint32(16, true) };
    if (view.getUint32(20, true) !== 0 || !futex2FlagsValid(entry.flags) || !futex2ValueFits(entry.val)) return -Errno.EINVAL;
    entries.push(entry);
  }
  return entries;
}

/** One futex_waitv(2) call, its arguments as the guest passed them. */
export interface WaitvRequest {
  waiters: number;
  count: number;
  flags: number;
  timeout: number;
  clockid: number;
}

/**
 * futex_waitv(2): when every futex still holds its value, sleeps on all of them until one is
 * woken (the answer is its index), the absolute timeout passes or a signal comes.
 */
export function futexWaitv(k: Kernel, t: Task, r: WaitvRequest): number | Block {
  if (r.flags !== 0) return -Errno.EINVAL;
  if (r.count === 0 || r.count > FUTEX_WAITV_MAX || r.waiters === 0) return -Errno.EINVAL;
  const until = futex2Deadline(k, t, r.timeout, r.clockid);
  if (typeof until === 'number') return until;
  const entries = parseWaitv(t, r.waiters, r.count);
  if (typeof entries === 'number') return entries;
  const keys: string[] = [];
  for (const e of entries) {
    const key = futex2Key(t, e.uaddr, e.flags);
    if (typeof key === 'number') return key;
    keys.push(key);
  }
  for (const e of entries) {
    const value = t.process.mm.readU32(Number(e.uaddr));
    if (value === null) return -Errno.EFAULT;
    if (BigInt(value) !== e.val) return -Errno.EAGAIN;
  }
  const indices = new Map<WaitQueue, number>();
  keys.forEach((key, i) => {
    const q = k.futexes.queue(key);
    if (!indices.has(q)) indices.set(q, i);
  });
  k.futexes.prepareWait(t, FUTEX_BITSET_MATCH_ANY, indices);
  return block([...indices.keys()], { deadline: until, onTimeout: -Errno.ETIMEDOUT, onSignal: -ERESTARTSYS });
}

/**
 * futex_requeue(2): when the first futex still holds its entry's value, wakes up to nrWake of
 * its waiters and moves up to nrRequeue others to the second futex.
 */
export function futexRequeue(k: Kernel, t: Task, waiters: number, flags: number, nrWake: number, nrRequeue: number): number {
  if (flags !== 0 || waiters === 0) return -Errno.EINVAL;
  const entries = parseWaitv(t, waiters, 2);
  if (typeof entries === 'number') return entries;
  if (nrWake < 0 || nrRequeue < 0) return -Errno.EINVAL;
  const [from, to] = entries;
  const key1 = futex2Key(t, from.uaddr, from.flags);
  if (typeof key1 === 'number') return key1;
  const key2 = futex2Key(t, to.uaddr, to.flags);
  if (typeof key2 === 'number') return key2;
  const value = t.process.mm.readU32(Number(from.uaddr));
  if (value === null) return -Errno.EFAULT;
  if (BigInt(value) !== from.val) return -Errno.EAGAIN;
  return k.futexes.wake(key1, nrWake) + k.futexes.requeue(key1, key2, nrRequeue);
}
