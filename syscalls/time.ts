// Clocks and sleeping.
import { Errno } from '../kernel-shim/errno.js';
import { encodeTimespec, TIMESPEC_SIZE } from '../kernel-shim/abi/time.js';
import { encodeTimeval, TIMEVAL_SIZE } from '../kernel-shim/abi/time.js';
import type { Kernel } from '../kernel-shim/kernel.js';
import type { Task } from '../kernel-shim/task.js';
import { CLOCK_MONOTONIC, CLOCK_REALTIME } from '../kernel-shim/clock.js';
import type { SyscallDef } from './types.js';
import { readTimespec } from './guest.js';
import { hasDeliverable } from '../kernel-shim/signal/deliver.js';
import { ERESTART_RESTARTBLOCK, block } from '../kernel-shim/wait.js';

const TIMER_ABSTIME = 1;
const NS = 1_000_000_000n;

function putTimespec(t: Task, addr: number, ns: bigint): number {
  const b = new Uint8Array(TIMESPEC_SIZE);
  encodeTimespec(new DataView(b.buffer), 0, { sec: ns / NS, nsec: ns % NS });
  return t.process.mm.write(addr, b) ? 0 : -Errno.EFAULT;
}


/**
 * nanosleep/clock_nanosleep: a timed wait the scheduler can interrupt. An interrupting signal
 * makes the call return -EINTR with the time left in *rem (relative sleeps), or restart
 * when no handler runs.
 */
function sleep(k: Kernel, t: Task, clock: number, flags: number, reqAddr: number, remAddr: number) {
  const ns = readTimespec(t, reqAddr);
  if (typeof ns === 'number') return ns;
  const now = k.clock.now(clock);
  if (now === null) return -Errno.EINVAL;
  const monoNow = k.clock.now(CLOCK_MONOTONIC)!;
  if (t.deadline === undefined) t.deadline = flags & TIMER_ABSTIME ? monoNow + (ns - now) : monoNow + ns;
  const left = t.deadline - monoNow;
  if (left <= 0n) return 0;
  if (hasDeliverable(t)) {
    if (remAddr !== 0 && !(flags & TIMER_ABSTIME) && putTimespec(t, remAddr, left) < 0) return -Errno.EFAULT;
    return -ERESTART_RESTARTBLOCK;
  }
  return block([], { deadline: t.deadline, onTimeout: 0, onSignal: 'retry', hostFds: [] });
}

export const timeSyscalls: SyscallDef[] = [
  {
    name: 'clock_gettime', args: ['clock_id', 'timespec_out'], result: 'dec', support: 'full',
    handler: (k, t, a) => {
      const ns = k.clock.now(a.int(0));
      return ns === null ? -Errno.EINVAL : putTimespec(t, a.arg(1), ns);
    },
  },
  {
    name: 'clock_getres', args: ['clock_id', 'timespec_out'], result: 'dec', support: 'full',
    handler: (k, t, a) => {
      const ns = k.clock.resolution(a.int(0));
      if (ns === null) return -Errno.EINVAL;
      return a.arg(1) === 0 ? 0 : putTimespec(t, a.arg(1), ns);
    },
  },
  {
    name: 'gettimeofday', args: ['timeval_out', 'timezone_out'], result: 'dec', support: 'full',
    handler: (k, t, a) => {
      const ns = k.clock.now(CLOCK_REALTIME)!;
      if (a.arg(0) !== 0) {
        const b = new Uint8Array(TIMEVAL_SIZE);
        encodeTimeval(new DataView(b.buffer), 0, { sec: ns / NS, usec: (ns % NS) / 1000n });
        if (!t.process.mm.write(a.arg(0), b)) return -Errno.EFAULT;
      }
      if (a.arg(1) !== 0 && !t.process.mm.write(a.arg(1), new Uint8Array(8))) return -Errno.EFAULT;
      return 0;
    },
  },
  {
    name: 'time', args: ['time_out'], result: 'time', support: 'full',
    handler: (k, t, a) => {
      const sec = k.clock.now(CLOCK_REALTIME)! / NS;
      if (a.arg(0) !== 0 && !t.process.mm.writeU64(a.arg(0), sec)) return -Errno.EFAULT;
      return sec;
    },
  },
  { name: 'nanosleep', args: ['timespec', 'timespec_rem_out'], result: 'dec', support: 'full', handler: (k, t, a) => sleep(k, t, CLOCK_MONOTONIC, 0, a.arg(0), a.arg(1)) },
  {
    name: 'clock_nanosleep', args: ['clock_id', 'timer_flags', 'timespec', 'timespec_rem_out'], result: 'dec', support: 'full',
    handler: (k, t, a) => sleep(k, t, a.int(0), a.int(1), a.arg(2), a.arg(3)),
  },
  { name: 'clock_settime', args: ['clock_id', 'timespec'], result: 'dec', support: 'full', handler: () => -Errno.EPERM },
  { name: 'settimeofday', args: ['timeval', 'timezone'], result: 'dec', support: 'full', handler: () => -Errno.EPERM },
  { name: 'adjtimex', support: 'none', handler: () => -Errno.ENOSYS },
];
