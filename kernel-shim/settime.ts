// Setting the system clock: the guest never holds CAP_SYS_TIME, so each call makes Linux's
// argument checks (in Linux's order) and then answers EPERM.
import { Errno } from './errno.js';
import type { Timeval } from './abi/time.js';
import { CLOCK_PROCESS_CPUTIME_ID, CLOCK_REALTIME, CLOCK_THREAD_CPUTIME_ID } from './clock.js';

const NS_PER_SEC = 1_000_000_000n;
const USEC_PER_SEC = 1_000_000n;

/**
 * clock_settime(clock, ts): EINVAL for a clock that cannot be set (before reading ts), EFAULT
 * for an unreadable ts (the caller's read, `ts` is its errno then), EINVAL for a time the
 * realtime clock cannot take, then EPERM. CPU-time clocks refuse with EPERM.
 */
export function clockSettime(clock: number, ts: { sec: bigint; nsec: bigint } | number): number {
  if (clock !== CLOCK_REALTIME && clock !== CLOCK_PROCESS_CPUTIME_ID && clock !== CLOCK_THREAD_CPUTIME_ID) return -Errno.EINVAL;
  if (typeof ts === 'number') return ts;
  if (clock === CLOCK_REALTIME && (ts.sec < 0n || ts.nsec < 0n || ts.nsec >= NS_PER_SEC)) return -Errno.EINVAL;
  return -Errno.EPERM;
}

/** settimeofday(tv, tz): the reads fail first (EFAULT), then a bad tv (EINVAL), then EPERM, even with both NULL. */
export function settimeofday(tv: Timeval | number | undefined, tzReadable: boolean): number {
  if (typeof tv === 'number') return tv;
  if (!tzReadable) return -Errno.EFAULT;
  if (tv !== undefined && (tv.sec < 0n || tv.usec < 0n || tv.usec >= USEC_PER_SEC)) return -Errno.EINVAL;
  return -Errno.EPERM;
}
