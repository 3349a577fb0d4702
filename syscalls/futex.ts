// futex(2): WAIT/WAKE and their bitset, requeue and wake-op forms, private or shared, with
// relative (WAIT) or absolute (WAIT_BITSET) timeouts on either clock.
import { CLOCK_MONOTONIC, CLOCK_REALTIME } from '../kernel-shim/clock.js';
import { Errno } from '../kernel-shim/errno.js';
import { FUTEX_BITSET_MATCH_ANY, futexKey } from '../kernel-shim/futex.js';
import type { Kernel } from '../kernel-shim/kernel.js';
import type { Task } from '../kernel-shim/task.js';
import { ERESTARTSYS, ERESTART_RESTARTBLOCK, block } from '../kernel-shim/wait.js';
import { futexArgs } from './argkinds-by-value.js';
import type { SyscallDef, SyscallFrame } from './types.js';
import { readTimespec } from './guest.js';

const FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_FD = 2, FUTEX_REQUEUE = 3, FUTEX_CMP_REQUEUE = 4, FUTEX_WAKE_OP = 5,
  FUTEX_LOCK_PI = 6, FUTEX_UNLOCK_PI = 7, FUTEX_TRYLOCK_PI = 8, FUTEX_WAIT_BITSET = 9, FUTEX_WAKE_BITSET = 10;
const FUTEX_PRIVATE_FLAG = 128, FUTEX_CLOCK_REALTIME = 256;

/** The deadline on CLOCK_MONOTONIC for a futex timeout, or an errno. */
function deadline(k: Kernel, t: Task, addr: number, absolute: boolean, realtime: boolean): bigint | undefined | number {
  if (addr === 0) return undefined;
  const ns = readTimespec(t, addr);
  if (typeof ns === 'number') return ns;
  const mono = k.clock.now(CLOCK_MONOTONIC)!;
  if (!absolute) return mono + ns;
  const now = k.clock.now(realtime ? CLOCK_REALTIME : CLOCK_MONOTONIC)!;
  return mono + (ns - now);
}

function wakeOp(k: Kernel, t: Task, a: SyscallFrame): number {
  const key1 = futexKey(t, a.arg(0));
  const key2 = futexKey(t, a.arg(4));
  if (typeof key1 === 'number') return key1;
  if (typeof key2 === 'number') return key2;
  const encoded = a.int(5) >>> 0;
  const op = (encoded >>> 28) & 7;
  const cmp = (encoded >>> 24) & 15;
  let oparg = (encoded << 8) >> 20;
  let cmparg = (encoded << 20) >> 20;
  if ((encoded >>> 28) & 8) oparg = 1 << (oparg & 31);
  const mm = t.process.mm;
  const old = mm.readU32(a.arg(4));
  if (old === null) return -Errno.EFAULT;
  const values = [oparg, old + oparg, old | oparg, old & ~oparg, old ^ oparg];
  if (op >= values.length) return -Errno.ENOSYS;
  if (!mm.writeU32(a.arg(4), values[op] >>> 0)) return -Errno.EFAULT;
  const oldSigned = old | 0;
  cmparg |= 0;
  const conditions = [oldSigned === cmparg, oldSigned !== cmparg, oldSigned < cmparg, oldSigned <= cmparg, oldSigned > cmparg, oldSigned >= cmparg];
  if (cmp >= conditions.length) return -Errno.ENOSYS;
  let woken = k.futexes.wake(key1, a.arg(1));
  if (conditions[cmp]) woken += k.futexes.wake(key2, a.arg(3));
  return woken;
}

function futex(k: Kernel, t: Task, a: SyscallFrame) {
  const uaddr = a.arg(0);
  const cmd = a.int(1) & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
  const realtime = (a.int(1) & FUTEX_CLOCK_REALTIME) !== 0;
  if (realtime && cmd !== FUTEX_WAIT && cmd !== FUTEX_WAIT_BITSET) return -Errno.ENOSYS;
  switch (cmd) {
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET: {
      const bitset = cmd === FUTEX_WAIT ? FUTEX_BITSET_MATCH_ANY : a.int(5) >>> 0;
      if (bitset === 0) return -Errno.EINVAL;
      const key = futexKey(t, uaddr);
      if (typeof key === 'number') return key;
      const value = t.process.mm.readU32(uaddr);
      if (value === null) return -Errno.EFAULT;
      if (value !== a.int(2) >>> 0) return -Errno.EAGAIN;
      const until = deadline(k, t, a.arg(3), cmd === FUTEX_WAIT_BITSET, realtime);
      if (typeof until === 'number') return until;
      k.futexes.bitsets.set(t, bitset);
      return block([k.futexes.queue(key)], {
        deadline: until, onTimeout: -Errno.ETIMEDOUT, onSignal: until === undefined ? -ERESTARTSYS : -ERESTART_RESTARTBLOCK,
      });
    }
    case FUTEX_WAKE:
    case FUTEX_WAKE_BITSET: {
      const bitset = cmd === FUTEX_WAKE ? FUTEX_BITSET_MATCH_ANY : a.int(5) >>> 0;
      if (bitset === 0) return -Errno.EINVAL;
      const key = futexKey(t, uaddr);
      if (typeof key === 'number') return key;
      return k.futexes.wake(key, a.int(2) <= 0 ? 0 : a.int(2), bitset);
    }
    case FUTEX_REQUEUE:
    case FUTEX_CMP_REQUEUE: {
      const key = futexKey(t, uaddr);
      const key2 = futexKey(t, a.arg(4));
      if (typeof key === 'number') return key;
      if (typeof key2 === 'number') return key2;
      if (a.int(2) < 0 || a.int(3) < 0) return -Errno.EINVAL;
      if (cmd === FUTEX_CMP_REQUEUE) {
        const value = t.process.mm.readU32(uaddr);
        if (value === null) return -Errno.EFAULT;
        if (value !== a.int(5) >>> 0) return -Errno.EAGAIN;
      }
      const woken = k.futexes.wake(key, a.int(2));
      return woken + k.futexes.requeue(key, key2, a.arg(3));
    }
    case FUTEX_WAKE_OP:
      return wakeOp(k, t, a);
    case FUTEX_FD: case FUTEX_LOCK_PI: case FUTEX_UNLOCK_PI: case FUTEX_TRYLOCK_PI:
      return -Errno.ENOSYS;
    default:
      return -Errno.ENOSYS;
  }
}

export const futexSyscalls: SyscallDef[] = [
  { name: 'futex', args: futexArgs, result: 'dec', support: 'partial', note: 'no PI futexes', handler: futex },
];
