// The timer syscalls' semantics: timerfd_create/settime/gettime, signalfd/signalfd4 (a new
// signalfd or a new mask for one), and the POSIX timers (timer_create with the clocks and
// sigevents Linux accepts, timer_settime/gettime/getoverrun). Settings and sigevents come
// as the syscall layer read them, or as the errno reading failed with.
import {
  CLOCK_BOOTTIME, CLOCK_BOOTTIME_ALARM, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID, CLOCK_REALTIME, CLOCK_REALTIME_ALARM,
  CLOCK_TAI, CLOCK_THREAD_CPUTIME_ID,
} from '../clock.js';
import { Errno } from '../errno.js';
import { O_CLOEXEC, O_NONBLOCK } from '../fs/constants.js';
import { NSIG, SIGALRM } from '../signal/numbers.js';
import { SignalFd } from '../signal/signalfd.js';
import type { Task } from '../task.js';
import { SIGEV_NONE, SIGEV_SIGNAL, SIGEV_THREAD, SIGEV_THREAD_ID, TIMER_ABSTIME, type TimerNotify } from './posix.js';
import { TFD_TIMER_ABSTIME, TFD_TIMER_CANCEL_ON_SET, TimerFd } from './timerfd.js';

/** A timer's value (time to the next expiry) and interval, in nanoseconds. */
export interface TimerSetting {
  value: bigint;
  interval: bigint;
}

/** struct sigevent's fields as the guest gave them. */
export interface Sigevent {
  value: bigint;
  signo: number;
  notify: number;
  tid: number;
}

const TIMERFD_CLOCKS = [CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME, CLOCK_REALTIME_ALARM, CLOCK_BOOTTIME_ALARM];
/** Clocks with timers; the CPU-time ones run on monotonic time here (partial). */
const TIMER_CLOCKS = [CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID, CLOCK_BOOTTIME, CLOCK_TAI];
/** Valid clocks whose timers Linux does not offer (MONOTONIC_RAW, the coarse ones): EOPNOTSUPP. */
const CLOCKS_WITHOUT_TIMERS = [4, 5, 6];

export function timerfdCreate(t: Task, clockId: number, flags: number): number {
  if (flags & ~(O_CLOEXEC | O_NONBLOCK) || !TIMERFD_CLOCKS.includes(clockId)) return -Errno.EINVAL;
  // The alarm clocks need CAP_WAKE_ALARM, which an unprivileged guest does not have.
  if (clockId === CLOCK_REALTIME_ALARM || clockId === CLOCK_BOOTTIME_ALARM) return -Errno.EPERM;
  return t.process.fds.installNew(new TimerFd(t.kernel.timers, clockId, flags & O_NONBLOCK), (flags & O_CLOEXEC) !== 0);
}

function timerfdOf(t: Task, fd: number): TimerFd | number {
  const file = t.process.fds.file(fd);
  if (typeof file === 'number') return file;
  return file instanceof TimerFd ? file : -Errno.EINVAL;
}

/** timerfd_settime: the old setting, or -errno. */
export function timerfdSettime(t: Task, fd: number, flags: number, setting: TimerSetting | number): TimerSetting | number {
  if (typeof setting === 'number') return setting;
  if (flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) return -Errno.EINVAL;
  const tfd = timerfdOf(t, fd);
  if (typeof tfd === 'number') return tfd;
  return tfd.set(setting.value, setting.interval, (flags & TFD_TIMER_ABSTIME) !== 0);
}

export function timerfdGettime(t: Task, fd: number): TimerSetting | number {
  const tfd = timerfdOf(t, fd);
  return typeof tfd === 'number' ? tfd : tfd.setting();
}

/** signalfd4(fd, mask, flags): fd -1 makes a new signalfd; a signalfd's mask is replaced. */
export function signalfd(t: Task, fd: number, mask: bigint | number, flags: number): number {
  if (typeof mask === 'number') return mask;
  if (flags & ~(O_CLOEXEC | O_NONBLOCK)) return -Errno.EINVAL;
  if (fd === -1) return t.process.fds.installNew(new SignalFd(t.kernel, mask, flags & O_NONBLOCK), (flags & O_CLOEXEC) !== 0);
  const file = t.process.fds.file(fd);
  if (typeof file === 'number') return file;
  if (!(file instanceof SignalFd)) return -Errno.EINVAL;
  file.setMask(mask);
  return fd;
}

/** A sigevent as Linux's good_sigevent() accepts it, or EINVAL; undefined: SIGALRM with the timer id as value. */
function timerNotify(t: Task, sev: Sigevent | undefined, id: number): TimerNotify | number {
  if (sev === undefined) return { notify: SIGEV_SIGNAL, signo: SIGALRM, value: BigInt(id) };
  const { value, signo, notify } = sev;
  let thread: Task | undefined;
  if (notify === (SIGEV_SIGNAL | SIGEV_THREAD_ID)) {
    thread = t.process.liveTasks.find((task) => task.tid === sev.tid);
    if (thread === undefined) return -Errno.EINVAL;
  } else if (notify !== SIGEV_SIGNAL && notify !== SIGEV_THREAD && notify !== SIGEV_NONE) {
    return -Errno.EINVAL;
  }
  if (notify === SIGEV_NONE) return { notify, signo, value };
  if (signo <= 0 || signo > NSIG) return -Errno.EINVAL;
  return { notify: SIGEV_SIGNAL, signo, value, thread };
}

/**
 * timer_create(clock, sev): `publishId` stores the new timer's id for the caller (false:
 * EFAULT, and no timer is made). 0 or -errno.
 */
export function timerCreate(t: Task, clockId: number, sev: Sigevent | number | undefined, publishId: (id: number) => boolean): number {
  if (CLOCKS_WITHOUT_TIMERS.includes(clockId)) return -Errno.EOPNOTSUPP;
  if (clockId === CLOCK_REALTIME_ALARM || clockId === CLOCK_BOOTTIME_ALARM) return -Errno.EPERM;
  if (!TIMER_CLOCKS.includes(clockId)) return -Errno.EINVAL;
  const timers = t.kernel.posixTimers;
  const id = timers.nextId(t.process);
  if (id < 0) return id;
  if (typeof sev === 'number') return sev;
  const how = timerNotify(t, sev, id);
  if (typeof how === 'number') return how;
  if (!publishId(id)) return -Errno.EFAULT;
  timers.create(t.process, id, clockId, how);
  return 0;
}

/** timer_settime: the old setting, or EINVAL for an unknown timer. */
export function timerSettime(t: Task, id: number, flags: number, setting: TimerSetting | number): TimerSetting | number {
  if (typeof setting === 'number') return setting;
  const timer = t.kernel.posixTimers.get(t.process, id);
  if (timer === undefined) return -Errno.EINVAL;
  const old = timer.timer.setting();
  timer.set(setting.value, setting.interval, (flags & TIMER_ABSTIME) !== 0);
  return old;
}

export function timerGettime(t: Task, id: number): TimerSetting | number {
  const timer = t.kernel.posixTimers.get(t.process, id);
  return timer === undefined ? -Errno.EINVAL : timer.timer.setting();
}

export function timerGetoverrun(t: Task, id: number): number {
  const timer = t.kernel.posixTimers.get(t.process, id);
  return timer === undefined ? -Errno.EINVAL : timer.overrun();
}
