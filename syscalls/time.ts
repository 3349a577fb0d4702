// Clocks and sleeping.
import { Errno } from '../kernel-shim/errno.js';
import { encodeTimespec, TIMESPEC_SIZE } from '../kernel-shim/abi/time.js';
import { encodeTimeval, TIMEVAL_SIZE } from '../kernel-shim/abi/time.js';
import type { Kernel } from '../kernel-shim/kernel.js';
import type { Task } from '../kernel-shim/task.js';
import { CLOCK_MONOTONIC, CLOCK_REALTIME } from '../kernel-shim/clock.js';
import type { SyscallDef } from './types.js';
import { readTimespec } from './guest.js';
import { clockNanosleep } from '../kernel-shim/sleep.js';
import { isBlock } from '../kernel-shim/wait.js';
import { clockSettime, settimeofday } from '../kernel-shim/settime.js';
import { decodeTimespec, decodeTimeval, type Timespec, type Timeval } from '../kernel-shim/abi/time.js';
const NS = 1_000_000_000n;

function putTimespec(t: Task, addr: number, ns: bigint): number {
  const b = new Uint8Array(TIMESPEC_SIZE);
  encodeTimespec(new DataView(b.buffer), 0, { sec: ns / NS, nsec: ns % NS });
  return t.process.mm.write(addr, b) ? 0 : -Errno.EFAULT;
}

/** struct timezone: two ints. */
const TIMEZONE_SIZE = 8;

/** A timespec as the guest wrote it (range checks are the caller's), or EFAULT. */
function readTimespecParts(t: Task, addr: number): Timespec | number {
  const raw = t.process.mm.read(addr, TIMESPEC_SIZE);
  return raw === null ? -Errno.EFAULT : decodeTimespec(new DataView(raw.buffer, raw.byteOffset), 0);
}

function readTimeval(t: Task, addr: number): Timeval | number {
  const raw = t.process.mm.read(addr, TIMEVAL_SIZE);
  return raw === null ? -Errno.EFAULT : decodeTimeval(new DataView(raw.buffer, raw.byteOffset), 0);
}

/** nanosleep/clock_nanosleep: an interrupted relative sleep stores the time left in *rem. */
function sleep(k: Kernel, t: Task, clock: number, flags: number, reqAddr: number, remAddr: number) {
  const r = clockNanosleep(k, t, clock, flags, readTimespec(t, reqAddr));
  if (typeof r === 'number' || isBlock(r)) return r;
  if (remAddr !== 0 && r.left !== undefined && putTimespec(t, remAddr, r.left) < 0) return -Errno.EFAULT;
  return r.result;
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
  {
    name: 'clock_settime', args: ['clock_id', 'timespec'], result: 'dec', support: 'full', note: 'EPERM after the argument checks: no CAP_SYS_TIME',
    handler: (_k, t, a) => clockSettime(a.int(0), readTimespecParts(t, a.arg(1))),
  },
  {
    name: 'settimeofday', args: ['timeval', 'timezone'], result: 'dec', support: 'full', note: 'EPERM after the argument checks: no CAP_SYS_TIME',
    handler: (_k, t, a) => settimeofday(a.arg(0) === 0 ? undefined : readTimeval(t, a.arg(0)), a.arg(1) === 0 || t.process.mm.read(a.arg(1), TIMEZONE_SIZE) !== null),
  },
];
