// adjtimex and clock_adjtime: reading the kernel's clock discipline is allowed to anyone and
// answered from the host's; any change needs CAP_SYS_TIME in the initial user namespace,
// which the guest never has (EPERM), so only reading modes ever reach the host.
import { libcCalls } from '../host/libc.js';
import { CLOCK_REALTIME, CLOCK_TAI } from './clock.js';
import { Errno } from './errno.js';
import type { Task } from './task.js';

/** sizeof(struct timex) on x86-64. */
const TIMEX_SIZE = 208;
const ADJ_OFFSET_SINGLESHOT = 0x0001, ADJ_OFFSET_READONLY = 0x2000, ADJ_ADJTIME = 0x8000;
/** Clock ids below this are the kernel's posix clocks (except 10, unused). */
const CLOCK_ID_END = CLOCK_TAI + 1;

/** timekeeping_validate_timex for a caller without CAP_SYS_TIME: only reading is allowed. */
function modesError(modes: number): number {
  if (modes & ADJ_ADJTIME) {
    if (!(modes & ADJ_OFFSET_SINGLESHOT)) return -Errno.EINVAL;
    return modes & ADJ_OFFSET_READONLY ? 0 : -Errno.EPERM;
  }
  return modes !== 0 ? -Errno.EPERM : 0;
}

/** adjtimex(2): the clock state (TIME_OK...) and struct timex as the host has them, or -errno. */
export function adjtimex(t: Task, addr: number): number {
  const mm = t.process.mm;
  const raw = mm.read(addr, TIMEX_SIZE);
  if (raw === null) return -Errno.EFAULT;
  const buf = Uint8Array.from(raw);
  const err = modesError(new DataView(buf.buffer).getUint32(0, true));
  if (err < 0) return err;
  const state = Number(libcCalls.adjtimex(buf));
  if (state < 0) return -libcCalls.errno();
  return mm.write(addr, buf) ? state : -Errno.EFAULT;
}

/** clock_adjtime(2): CLOCK_REALTIME is adjtimex; the other clocks cannot be adjusted (EOPNOTSUPP). */
export function clockAdjtime(t: Task, clock: number, addr: number): number {
  if (clock < 0 || clock >= CLOCK_ID_END || clock === 10) return -Errno.EINVAL;
  if (clock !== CLOCK_REALTIME) return -Errno.EOPNOTSUPP;
  return adjtimex(t, addr);
}
