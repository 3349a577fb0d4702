// The futex2 calls (Linux 6.7): futex_wake, futex_wait and futex_requeue, whose flags name
// the futex's size (only 32-bit futexes exist), privacy and NUMA placement. They share the
// wait queues of futex(2), so either interface wakes the other's waiters.
import { CLOCK_MONOTONIC, CLOCK_REALTIME } from './clock.js';
import { TIMESPEC_SIZE, decodeTimespec, timespecToNs } from './abi/time.js';
import { Errno } from './errno.js';
import { futexKey } from './futex.js';
import { futexDeadline } from './futex-call.js';
import type { Kernel } from './kernel.js';
import type { Task } from './task.js';
import { type Block, ERESTARTSYS, block } from './wait.js';

export const FUTEX2_SIZE_U32 = 0x02, FUTEX2_SIZE_MASK = 0x03, FUTEX2_NUMA = 0x04, FUTEX2_MPOL = 0x08, FUTEX2_PRIVATE = 128;
const FUTEX2_VALID_MASK = FUTEX2_SIZE_MASK | FUTEX2_NUMA | FUTEX2_MPOL | FUTEX2_PRIVATE;
/** The node word of a FUTEX2_NUMA futex that names no node yet. */
const FUTEX_NO_NODE = 0xffffffff;
const U32_MAX = 0xffffffffn;
/** Above the user address space (TASK_SIZE): never a futex. */
const USER_END = 0x7ffffffff000;

/** Whether futex2 flags are valid: known bits, and the one implemented size (32 bits). */
export function futex2FlagsValid(flags: number): boolean {
  return (flags & ~FUTEX2_VALID_MASK) === 0 && (flags & FUTEX2_SIZE_MASK) === FUTEX2_SIZE_U32;
}

/** Whether a value or mask fits the futex's 32 bits (futex_validate_input). */
export function futex2ValueFits(value: bigint): boolean {
  return BigInt.asUintN(64, value) <= U32_MAX;
}

/**
 * get_futex_key for futex2 flags: a NUMA futex is two words (value, node), aligned as such,
 * whose node must be unset (~0, then set to 0) or this machine's only node, 0.
 */
export function futex2Key(t: Task, uaddr: bigint, flags: number): string | number {
  const size = flags & FUTEX2_NUMA ? 8n : 4n;
  if (uaddr % size !== 0n) return -Errno.EINVAL;
  if (uaddr >= BigInt(USER_END)) return -Errno.EFAULT;
  const addr = Number(uaddr);
  if (flags & FUTEX2_NUMA) {
    const node = t.process.mm.readU32(addr + 4);
    if (node === null) return -Errno.EFAULT;
    if (node !== FUTEX_NO_NODE && node !== 0) return -Errno.EINVAL;
    // An unset node becomes the caller's, node 0, for the wakers and waiters to come.
    if (node === FUTEX_NO_NODE && !t.process.mm.writeU32(addr + 4, 0)) return -Errno.EFAULT;
  }
  return futexKey(t, addr, (flags & FUTEX2_PRIVATE) !== 0);
}

/**
 * futex2_setup_timeout: the CLOCK_MONOTONIC deadline of an absolute timeout on clockid
 * (REALTIME or MONOTONIC), undefined for none, or -errno.
 */
export function futex2Deadline(k: Kernel, t: Task, timeoutAddr: number, clockid: number): bigint | undefined | number {
  if (timeoutAddr === 0) return undefined;
  if (clockid !== CLOCK_REALTIME && clockid !== CLOCK_MONOTONIC) return -Errno.EINVAL;
  const raw = t.process.mm.read(timeoutAddr, TIMESPEC_SIZE);
  if (raw === null) return -Errno.EFAULT;
  const ts = decodeTimespec(new DataView(raw.buffer, raw.byteOffset), 0);
  if (ts.sec < 0n || ts.nsec < 0n || ts.nsec >= 1_000_000_000n) return -Errno.EINVAL;
  return futexDeadline(k, timespecToNs(ts), true, clockid === CLOCK_REALTIME);
}

/** futex_wake(2): wakes up to nr waiters whose bitset meets mask (nr 0 wakes none). */
export function futex2Wake(k: Kernel, t: Task, uaddr: bigint, mask: bigint, nr: number, flags: number): number {
  if (!futex2FlagsValid(flags) || !futex2ValueFits(mask)) return -Errno.EINVAL;
  const bitset = Number(BigInt.asUintN(64, mask));
  if (bitset === 0) return -Errno.EINVAL;
  const key = futex2Key(t, uaddr, flags);
  if (typeof key === 'number') return key;
  if (nr === 0) return 0;
  // Linux counts a wake before comparing with nr: a negative nr still wakes one.
  return k.futexes.wake(key, nr < 0 ? 1 : nr, bitset);
}

/** One futex_wait(2) call, its arguments as the guest passed them. */
export interface Futex2WaitRequest {
  uaddr: bigint;
  val: bigint;
  mask: bigint;
  flags: number;
  timeout: number;
  clockid: number;
}

/** futex_wait(2): sleeps while the word holds val, until a wake whose mask meets ours, or the absolute timeout. */
export function futex2Wait(k: Kernel, t: Task, r: Futex2WaitRequest): number | Block {
  if (!futex2FlagsValid(r.flags) || !futex2ValueFits(r.val) || !futex2ValueFits(r.mask)) return -Errno.EINVAL;
  const until = futex2Deadline(k, t, r.timeout, r.clockid);
  if (typeof until === 'number') return until;
  const bitset = Number(BigInt.asUintN(64, r.mask));
  if (bitset === 0) return -Errno.EINVAL;
  const key = futex2Key(t, r.uaddr, r.flags);
  if (typeof key === 'number') return key;
  const value = t.process.mm.readU32(Number(r.uaddr));
  if (value === null) return -Errno.EFAULT;
  if (BigInt(value) !== BigInt.asUintN(64, r.val)) return -Errno.EAGAIN;
  k.futexes.prepareWait(t, bitset);
  return block([k.futexes.queue(key)], { deadline: until, onTimeout: -Errno.ETIMEDOUT, onSignal: -ERESTARTSYS });
}
