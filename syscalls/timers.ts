// timerfd_create/settime/gettime, signalfd/signalfd4 and the POSIX timers (timer_create,
// timer_settime, timer_gettime, timer_getoverrun, timer_delete): decoding and encoding only;
// the semantics are in kernel-shim/timers/ and kernel-shim/signal/signalfd.ts.
import {
  CLOCK_BOOTTIME, CLOCK_BOOTTIME_ALARM, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID, CLOCK_REALTIME, CLOCK_REALTIME_ALARM,
  CLOCK_TAI, CLOCK_THREAD_CPUTIME_ID,
} from '../kernel-shim/clock.js';
import { Errno } from '../kernel-shim/errno.js';
import { O_CLOEXEC, O_NONBLOCK } from '../kernel-shim/fs/constants.js';
import { releaseFile } from '../kernel-shim/fs/fdtable.js';
import type { OpenFile } from '../kernel-shim/fs/file.js';
import { NSIG, SIGALRM } from '../kernel-shim/signal/numbers.js';
import { SignalFd } from '../kernel-shim/signal/signalfd.js';
import type { Task } from '../kernel-shim/task.js';
import { SIGEV_NONE, SIGEV_SIGNAL, SIGEV_THREAD, SIGEV_THREAD_ID, TIMER_ABSTIME, type TimerNotify } from '../kernel-shim/timers/posix.js';
import { TFD_TIMER_ABSTIME, TFD_TIMER_CANCEL_ON_SET, TimerFd } from '../kernel-shim/timers/timerfd.js';
import { fileOf } from './guest.js';
import type { SyscallDef } from './types.js';

const NS = 1_000_000_000n;
const ITIMERSPEC_SIZE = 32;
const SIGEVENT_SIZE = 64;
const SIGSET_SIZE = 8;

interface Setting {
  value: bigint;
  interval: bigint;
}

/** struct itimerspec: EFAULT, or EINVAL for a negative or unnormalised timespec. */
function readItimerspec(t: Task, addr: number): Setting | number {
  const raw = t.process.mm.read(addr, ITIMERSPEC_SIZE);
  if (raw === null) return -Errno.EFAULT;
  const v = new DataView(raw.buffer);
  const f = [0, 8, 16, 24].map((o) => v.getBigInt64(o, true));
  if (f[0] < 0n || f[2] < 0n || f[1] < 0n || f[1] >= NS || f[3] < 0n || f[3] >= NS) return -Errno.EINVAL;
  return { interval: f[0] * NS + f[1], value: f[2] * NS + f[3] };
}

function writeItimerspec(t: Task, addr: number, s: Setting): number {
  const out = new Uint8Array(ITIMERSPEC_SIZE);
  const v = new DataView(out.buffer);
  v.setBigInt64(0, s.interval / NS, true);
  v.setBigInt64(8, s.interval % NS, true);
  v.setBigInt64(16, s.value / NS, true);
  v.setBigInt64(24, s.value % NS, true);
  return t.process.mm.write(addr, out) ? 0 : -Errno.EFAULT;
}

function install(t: Task, file: OpenFile, flags: number): number {
  const fd = t.process.fds.install(file, (flags & O_CLOEXEC) !== 0);
  if (fd < 0) releaseFile(file);
  return fd;
}

const TIMERFD_CLOCKS = [CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME, CLOCK_REALTIME_ALARM, CLOCK_BOOTTIME_ALARM];

function timerfdCreate(t: Task, clockId: number, flags: number): number {
  if (flags & ~(O_CLOEXEC | O_NONBLOCK) || !TIMERFD_CLOCKS.includes(clockId)) return -Errno.EINVAL;
  // The alarm clocks need CAP_WAKE_ALARM, which an unprivileged guest does not have.
  if (clockId === CLOCK_REALTIME_ALARM || clockId === CLOCK_BOOTTIME_ALARM) return -Errno.EPERM;
  return install(t, new TimerFd(t.kernel.timers, clockId, flags & O_NONBLOCK), flags);
}

function timerfdOf(t: Task, fd: number): TimerFd | number {
  const file = fileOf(t, fd);
  if (typeof file === 'number') return file;
  return file instanceof TimerFd ? file : -Errno.EINVAL;
}

function timerfdSettime(t: Task, fd: number, flags: number, newAddr: number, oldAddr: number): number {
  const setting = readItimerspec(t, newAddr);
  if (typeof setting === 'number') return setting;
  if (flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) return -Errno.EINVAL;
  const tfd = timerfdOf(t, fd);
  if (typeof tfd === 'number') return tfd;
  const old = tfd.set(setting.value, setting.interval, (flags & TFD_TIMER_ABSTIME) !== 0);
  return oldAddr === 0 ? 0 : writeItimerspec(t, oldAddr, old);
}

function timerfdGettime(t: Task, fd: number, addr: number): number {
  const tfd = timerfdOf(t, fd);
  return typeof tfd === 'number' ? tfd : writeItimerspec(t, addr, tfd.setting());
}

function signalfd(t: Task, fd: number, maskAddr: number, size: number, flags: number): number {
  if (size !== SIGSET_SIZE) return -Errno.EINVAL;
  const raw = t.process.mm.read(maskAddr, SIGSET_SIZE);
  if (raw === null) return -Errno.EFAULT;
  if (flags & ~(O_CLOEXEC | O_NONBLOCK)) return -Errno.EINVAL;
  const mask = new DataView(raw.buffer).getBigUint64(0, true);
  if (fd === -1) return install(t, new SignalFd(t.kernel, mask, flags & O_NONBLOCK), flags);
  const file = fileOf(t, fd);
  if (typeof file === 'number') return file;
  if (!(file instanceof SignalFd)) return -Errno.EINVAL;
  file.setMask(mask);
  return fd;
}

/** Clocks with timers; the CPU-time ones run on monotonic time here (partial). */
const TIMER_CLOCKS = [CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID, CLOCK_BOOTTIME, CLOCK_TAI];
/** Valid clocks whose timers Linux does not offer (MONOTONIC_RAW, the coarse ones): EOPNOTSUPP. */
const CLOCKS_WITHOUT_TIMERS = [4, 5, 6];

/** struct sigevent as Linux's good_sigevent() accepts it, or EINVAL. `id` is the default sigev_value. */
function readSigevent(t: Task, addr: number, id: number): TimerNotify | number {
  if (addr === 0) return { notify: SIGEV_SIGNAL, signo: SIGALRM, value: BigInt(id) };
  const raw = t.process.mm.read(addr, SIGEVENT_SIZE);
  if (raw === null) return -Errno.EFAULT;
  const v = new DataView(raw.buffer);
  const value = v.getBigUint64(0, true);
  const signo = v.getInt32(8, true);
  const notify = v.getInt32(12, true);
  let thread: Task | undefined;
  if (notify === (SIGEV_SIGNAL | SIGEV_THREAD_ID)) {
    const tid = v.getInt32(16, true);
    thread = t.process.liveTasks.find((task) => task.tid === tid);
    if (thread === undefined) return -Errno.EINVAL;
  } else if (notify !== SIGEV_SIGNAL && notify !== SIGEV_THREAD && notify !== SIGEV_NONE) {
    return -Errno.EINVAL;
  }
  if (notify === SIGEV_NONE) return { notify, signo, value };
  if (signo <= 0 || signo > NSIG) return -Errno.EINVAL;
  return { notify: SIGEV_SIGNAL, signo, value, thread };
}

function timerCreate(t: Task, clockId: number, sevAddr: number, idAddr: number): number {
  if (CLOCKS_WITHOUT_TIMERS.includes(clockId)) return -Errno.EOPNOTSUPP;
  if (clockId === CLOCK_REALTIME_ALARM || clockId === CLOCK_BOOTTIME_ALARM) return -Errno.EPERM;
  if (!TIMER_CLOCKS.includes(clockId)) return -Errno.EINVAL;
  const timers = t.kernel.posixTimers;
  const id = timers.nextId(t.process);
  if (id < 0) return id;
  const how = readSigevent(t, sevAddr, id);
  if (typeof how === 'number') return how;
  const out = new Uint8Array(4);
  new DataView(out.buffer).setInt32(0, id, true);
  if (!t.process.mm.write(idAddr, out)) return -Errno.EFAULT;
  timers.create(t.process, id, clockId, how);
  return 0;
}

function timerSettime(t: Task, id: number, flags: number, newAddr: number, oldAddr: number): number {
  if (newAddr === 0) return -Errno.EINVAL;
  const setting = readItimerspec(t, newAddr);
  if (typeof setting === 'number') return setting;
  const timer = t.kernel.posixTimers.get(t.process, id);
  if (timer === undefined) return -Errno.EINVAL;
  const old = timer.timer.setting();
  timer.set(setting.value, setting.interval, (flags & TIMER_ABSTIME) !== 0);
  return oldAddr === 0 ? 0 : writeItimerspec(t, oldAddr, old);
}

function timerGettime(t: Task, id: number, addr: number): number {
  const timer = t.kernel.posixTimers.get(t.process, id);
  return timer === undefined ? -Errno.EINVAL : writeItimerspec(t, addr, timer.timer.setting());
}

function timerGetoverrun(t: Task, id: number): number {
  const timer = t.kernel.posixTimers.get(t.process, id);
  return timer === undefined ? -Errno.EINVAL : timer.overrun();
}

const TIMERFD_NOTE = 'CLOCK_REALTIME, MONOTONIC, BOOTTIME; the alarm clocks answer EPERM (no CAP_WAKE_ALARM); TFD_TIMER_CANCEL_ON_SET is accepted and never cancels (the guest cannot set the clock)';
const TIMER_NOTE = 'SIGEV_SIGNAL, SIGEV_THREAD_ID, SIGEV_NONE with overruns; CPU-time clocks run on monotonic time; the alarm clocks answer EPERM';
const SIGNALFD_NOTE = "reads the reader's pending signals in the mask (blocked signals, as programs use it)";

export const timerSyscalls: SyscallDef[] = [
  { name: 'timerfd_create', args: ['clock_id', 'timerfd_create_flags'], result: 'dec', support: 'full', note: TIMERFD_NOTE, handler: (_k, t, a) => timerfdCreate(t, a.int(0), a.int(1)) },
  { name: 'timerfd_settime', args: ['fd', 'timerfd_settime_flags', 'itimerspec', 'itimerspec_out'], result: 'dec', support: 'full', note: TIMERFD_NOTE, handler: (_k, t, a) => timerfdSettime(t, a.int(0), a.int(1), a.arg(2), a.arg(3)) },
  { name: 'timerfd_gettime', args: ['fd', 'itimerspec_out'], result: 'dec', support: 'full', note: TIMERFD_NOTE, handler: (_k, t, a) => timerfdGettime(t, a.int(0), a.arg(1)) },
  { name: 'signalfd', args: ['fd', 'sigset', 'uint'], result: 'dec', support: 'full', note: SIGNALFD_NOTE, handler: (_k, t, a) => signalfd(t, a.int(0), a.arg(1), a.arg(2), 0) },
  { name: 'signalfd4', args: ['fd', 'sigset', 'uint', 'sfd_flags'], result: 'dec', support: 'full', note: SIGNALFD_NOTE, handler: (_k, t, a) => signalfd(t, a.int(0), a.arg(1), a.arg(2), a.int(3)) },
  { name: 'timer_create', args: ['clock_id', 'sigevent', 'uint_ptr_out'], result: 'dec', support: 'partial', note: TIMER_NOTE, handler: (_k, t, a) => timerCreate(t, a.int(0), a.arg(1), a.arg(2)) },
  { name: 'timer_settime', args: ['int', 'timer_flags', 'itimerspec', 'itimerspec_out'], result: 'dec', support: 'partial', note: TIMER_NOTE, handler: (_k, t, a) => timerSettime(t, a.int(0), a.int(1), a.arg(2), a.arg(3)) },
  { name: 'timer_gettime', args: ['int', 'itimerspec_out'], result: 'dec', support: 'partial', note: TIMER_NOTE, handler: (_k, t, a) => timerGettime(t, a.int(0), a.arg(1)) },
  { name: 'timer_getoverrun', args: ['int'], result: 'dec', support: 'partial', note: TIMER_NOTE, handler: (_k, t, a) => timerGetoverrun(t, a.int(0)) },
  { name: 'timer_delete', args: ['int'], result: 'dec', support: 'partial', note: TIMER_NOTE, handler: (_k, t, a) => t.kernel.posixTimers.delete(t.process, a.int(0)) },
];
