// futex(2)'s operations on the futex table: WAIT/WAKE and their bitset forms, REQUEUE and
// CMP_REQUEUE, and WAKE_OP's atomic update-and-compare of the second word. Private or shared
// keys (futexKey), relative (WAIT) or absolute (WAIT_BITSET) timeouts on either clock.
import { CLOCK_MONOTONIC, CLOCK_REALTIME } from './clock.js';
import { Errno } from './errno.js';
import { FUTEX_BITSET_MATCH_ANY, futexKey } from './futex.js';
import type { Kernel } from './kernel.js';
import type { Task } from './task.js';
import { type Block, ERESTARTSYS, ERESTART_RESTARTBLOCK, block } from './wait.js';

export const FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_FD = 2, FUTEX_REQUEUE = 3, FUTEX_CMP_REQUEUE = 4, FUTEX_WAKE_OP = 5,
  FUTEX_LOCK_PI = 6, FUTEX_UNLOCK_PI = 7, FUTEX_TRYLOCK_PI = 8, FUTEX_WAIT_BITSET = 9, FUTEX_WAKE_BITSET = 10;
export const FUTEX_PRIVATE_FLAG = 128, FUTEX_CLOCK_REALTIME = 256;

/** The command of a futex op word, without its private and clock flags. */
export function futexCommand(op: number): number {
  return op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
}

/** One futex(2) call, its arguments as the guest passed them. */
export interface FutexRequest {
  uaddr: number;
  op: number;
  val: number;
  /** WAIT's timeout in nanoseconds (an errno if it could not be read; undefined: none). */
  timeout: bigint | number | undefined;
  /** The fourth argument as a count (REQUEUE, WAKE_OP). */
  val2: number;
  uaddr2: number;
  val3: number;
}

/** The CLOCK_MONOTONIC deadline of a futex timeout (absolute ones on the clock op names). */
export function futexDeadline(k: Kernel, ns: bigint | undefined, absolute: boolean, realtime: boolean): bigint | undefined {
  if (ns === undefined) return undefined;
  const mono = k.clock.now(CLOCK_MONOTONIC)!;
  if (!absolute) return mono + ns;
  const now = k.clock.now(realtime ? CLOCK_REALTIME : CLOCK_MONOTONIC)!;
  return mono + (ns - now);
}

function wait(k: Kernel, t: Task, r: FutexRequest, cmd: number, realtime: boolean): number | Block {
  const bitset = cmd === FUTEX_WAIT ? FUTEX_BITSET_MATCH_ANY : r.val3 >>> 0;
  if (bitset === 0) return -Errno.EINVAL;
  const key = futexKey(t, r.uaddr);
  if (typeof key === 'number') return key;
  const value = t.process.mm.readU32(r.uaddr);
  if (value === null) return -Errno.EFAULT;
  if (value !== r.val >>> 0) return -Errno.EAGAIN;
  if (typeof r.timeout === 'number') return r.timeout;
  const until = futexDeadline(k, r.timeout, cmd === FUTEX_WAIT_BITSET, realtime);
  k.futexes.prepareWait(t, bitset);
  return block([k.futexes.queue(key)], {
    deadline: until, onTimeout: -Errno.ETIMEDOUT, onSignal: until === undefined ? -ERESTARTSYS : -ERESTART_RESTARTBLOCK,
  });
}

function requeue(k: Kernel, t: Task, r: FutexRequest, cmd: number): number {
  if (r.val < 0 || (r.val2 | 0) < 0) return -Errno.EINVAL;
  const key = futexKey(t, r.uaddr);
  const key2 = futexKey(t, r.uaddr2);
  if (typeof key === 'number') return key;
  if (typeof key2 === 'number') return key2;
  if (cmd === FUTEX_CMP_REQUEUE) {
    const value = t.process.mm.readU32(r.uaddr);
    if (value === null) return -Errno.EFAULT;
    if (value !== r.val3 >>> 0) return -Errno.EAGAIN;
  }
  const woken = k.futexes.wake(key, r.val);
  return woken + k.futexes.requeue(key, key2, r.val2);
}

/** FUTEX_WAKE_OP: update the second word by the encoded op, wake on the first, and on the second if the old value compares true. */
function wakeOp(k: Kernel, t: Task, r: FutexRequest): number {
  const key1 = futexKey(t, r.uaddr);
  const key2 = futexKey(t, r.uaddr2);
  if (typeof key1 === 'number') return key1;
  if (typeof key2 === 'number') return key2;
  const encoded = r.val3 >>> 0;
  const op = (encoded >>> 28) & 7;
  const cmp = (encoded >>> 24) & 15;
  let oparg = (encoded << 8) >> 20;
  let cmparg = (encoded << 20) >> 20;
  if ((encoded >>> 28) & 8) oparg = 1 << (oparg & 31);
  const mm = t.process.mm;
  const old = mm.readU32(r.uaddr2);
  if (old === null) return -Errno.EFAULT;
  const values = [oparg, old + oparg, old | oparg, old & ~oparg, old ^ oparg];
  if (op >= values.length) return -Errno.ENOSYS;
  if (!mm.writeU32(r.uaddr2, values[op] >>> 0)) return -Errno.EFAULT;
  const oldSigned = old | 0;
  cmparg |= 0;
  const conditions = [oldSigned === cmparg, oldSigned !== cmparg, oldSigned < cmparg, oldSigned <= cmparg, oldSigned > cmparg, oldSigned >= cmparg];
  if (cmp >= conditions.length) return -Errno.ENOSYS;
  let woken = k.futexes.wake(key1, r.val);
  if (conditions[cmp]) woken += k.futexes.wake(key2, r.val2);
  return woken;
}

/** futex(2) for task t: a count of woken tasks, 0, a Block to wait on, or -errno. */
export function futexCall(k: Kernel, t: Task, r: FutexRequest): number | Block {
  const cmd = futexCommand(r.op);
  const realtime = (r.op & FUTEX_CLOCK_REALTIME) !== 0;
  if (realtime && cmd !== FUTEX_WAIT && cmd !== FUTEX_WAIT_BITSET) return -Errno.ENOSYS;
  switch (cmd) {
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET:
      return wait(k, t, r, cmd, realtime);
    case FUTEX_WAKE:
    case FUTEX_WAKE_BITSET: {
      const bitset = cmd === FUTEX_WAKE ? FUTEX_BITSET_MATCH_ANY : r.val3 >>> 0;
      if (bitset === 0) return -Errno.EINVAL;
      const key = futexKey(t, r.uaddr);
      if (typeof key === 'number') return key;
      return k.futexes.wake(key, r.val <= 0 ? 0 : r.val, bitset);
    }
    case FUTEX_REQUEUE:
    case FUTEX_CMP_REQUEUE:
      return requeue(k, t, r, cmd);
    case FUTEX_WAKE_OP:
      return wakeOp(k, t, r);
    case FUTEX_FD: case FUTEX_LOCK_PI: case FUTEX_UNLOCK_PI: case FUTEX_TRYLOCK_PI:
      return -Errno.ENOSYS;
    default:
      return -Errno.ENOSYS;
  }
}
