// timerfd_create/settime/gettime, signalfd/signalfd4 and the POSIX timers (timer_create,
// timer_settime, timer_gettime, timer_getoverrun, timer_delete): decoding and encoding only;
// the semantics are in kernel-shim/timers/timer-calls.ts.
import { Errno } from '../kernel-shim/errno.js';
import type { Task } from '../kernel-shim/task.js';
import {
  type Sigevent, type TimerSetting, signalfd, timerCreate, timerGetoverrun, timerGettime, timerSettime, timerfdCreate, timerfdGettime,
  timerfdSettime,
} from '../kernel-shim/timers/timer-calls.js';
import type { SyscallDef } from './types.js';

const NS = 1_000_000_000n;
const ITIMERSPEC_SIZE = 32;
const SIGEVENT_SIZE = 64;
const SIGSET_SIZE = 8;

/** struct itimerspec: EFAULT, or EINVAL for a negative or unnormalised timespec. */
function readItimerspec(t: Task, addr: number): TimerSetting | number {
  const raw = t.process.mm.read(addr, ITIMERSPEC_SIZE);
  if (raw === null) return -Errno.EFAULT;
  const v = new DataView(raw.buffer);
  const f = [0, 8, 16, 24].map((o) => v.getBigInt64(o, true));
  if (f[0] < 0n || f[2] < 0n || f[1] < 0n || f[1] >= NS || f[3] < 0n || f[3] >= NS) return -Errno.EINVAL;
  return { interval: f[0] * NS + f[1], value: f[2] * NS + f[3] };
}

function writeItimerspec(t: Task, addr: number, s: TimerSetting): number {
  const out = new Uint8Array(ITIMERSPEC_SIZE);
  const v = new DataView(out.buffer);
  v.setBigInt64(0, s.interval / NS, true);
  v.setBigInt64(8, s.interval % NS, true);
  v.setBigInt64(16, s.value / NS, true);
  v.setBigInt64(24, s.value % NS, true);
  return t.process.mm.write(addr, out) ? 0 : -Errno.EFAULT;
}

/** A settime call's old setting, written to oldAddr when the guest asked for it. */
function settimeResult(t: Task, old: TimerSetting | number, oldAddr: number): number {
  if (typeof old === 'number') return old;
  return oldAddr === 0 ? 0 : writeItimerspec(t, oldAddr, old);
}

function gettimeResult(t: Task, setting: TimerSetting | number, addr: number): number {
  return typeof setting === 'number' ? setting : writeItimerspec(t, addr, setting);
}

function signalfdCall(t: Task, fd: number, maskAddr: number, size: number, flags: number): number {
  if (size !== SIGSET_SIZE) return -Errno.EINVAL;
  const mask = t.process.mm.readU64(maskAddr);
  return signalfd(t, fd, mask ?? -Errno.EFAULT, flags);
}

/** struct sigevent (NULL: undefined), or EFAULT. */
function readSigevent(t: Task, addr: number): Sigevent | number | undefined {
  if (addr === 0) return undefined;
  const raw = t.process.mm.read(addr, SIGEVENT_SIZE);
  if (raw === null) return -Errno.EFAULT;
  const v = new DataView(raw.buffer);
  return { value: v.getBigUint64(0, true), signo: v.getInt32(8, true), notify: v.getInt32(12, true), tid: v.getInt32(16, true) };
}

function timerCreateCall(t: Task, clockId: number, sevAddr: number, idAddr: number): number {
  return timerCreate(t, clockId, readSigevent(t, sevAddr), (id) => {
    const out = new Uint8Array(4);
    new DataView(out.buffer).setInt32(0, id, true);
    return t.process.mm.write(idAddr, out);
  });
}

const TIMERFD_NOTE = 'CLOCK_REALTIME, MONOTONIC, BOOTTIME; the alarm clocks answer EPERM (no CAP_WAKE_ALARM); TFD_TIMER_CANCEL_ON_SET is accepted and never cancels (the guest cannot set the clock)';
const TIMER_NOTE = 'SIGEV_SIGNAL, SIGEV_THREAD_ID, SIGEV_NONE with overruns; CPU-time clocks run on monotonic time; the alarm clocks answer EPERM';
const SIGNALFD_NOTE = "reads the reader's pending signals in the mask (blocked signals, as programs use it)";

export const timerSyscalls: SyscallDef[] = [
  { name: 'timerfd_create', args: ['clock_id', 'timerfd_create_flags'], result: 'dec', support: 'full', note: TIMERFD_NOTE, handler: (_k, t, a) => timerfdCreate(t, a.int(0), a.int(1)) },
  {
    name: 'timerfd_settime', args: ['fd', 'timerfd_settime_flags', 'itimerspec', 'itimerspec_out'], result: 'dec', support: 'full', note: TIMERFD_NOTE,
    handler: (_k, t, a) => settimeResult(t, timerfdSettime(t, a.int(0), a.int(1), readItimerspec(t, a.arg(2))), a.arg(3)),
  },
  { name: 'timerfd_gettime', args: ['fd', 'itimerspec_out'], result: 'dec', support: 'full', note: TIMERFD_NOTE, handler: (_k, t, a) => gettimeResult(t, timerfdGettime(t, a.int(0)), a.arg(1)) },
  { name: 'signalfd', args: ['fd', 'sigset', 'uint'], result: 'dec', support: 'full', note: SIGNALFD_NOTE, handler: (_k, t, a) => signalfdCall(t, a.int(0), a.arg(1), a.arg(2), 0) },
  { name: 'signalfd4', args: ['fd', 'sigset', 'uint', 'sfd_flags'], result: 'dec', support: 'full', note: SIGNALFD_NOTE, handler: (_k, t, a) => signalfdCall(t, a.int(0), a.arg(1), a.arg(2), a.int(3)) },
  { name: 'timer_create', args: ['clock_id', 'sigevent', 'uint_ptr_out'], result: 'dec', support: 'partial', note: TIMER_NOTE, handler: (_k, t, a) => timerCreateCall(t, a.int(0), a.arg(1), a.arg(2)) },
  {
    name: 'timer_settime', args: ['int', 'timer_flags', 'itimerspec', 'itimerspec_out'], result: 'dec', support: 'partial', note: TIMER_NOTE,
    handler: (_k, t, a) => (a.arg(2) === 0 ? -Errno.EINVAL : settimeResult(t, timerSettime(t, a.int(0), a.int(1), readItimerspec(t, a.arg(2))), a.arg(3))),
  },
  { name: 'timer_gettime', args: ['int', 'itimerspec_out'], result: 'dec', support: 'partial', note: TIMER_NOTE, handler: (_k, t, a) => gettimeResult(t, timerGettime(t, a.int(0)), a.arg(1)) },
  { name: 'timer_getoverrun', args: ['int'], result: 'dec', support: 'partial', note: TIMER_NOTE, handler: (_k, t, a) => timerGetoverrun(t, a.int(0)) },
  { name: 'timer_delete', args: ['int'], result: 'dec', support: 'partial', note: TIMER_NOTE, handler: (_k, t, a) => t.kernel.posixTimers.delete(t.process, a.int(0)) },
];
