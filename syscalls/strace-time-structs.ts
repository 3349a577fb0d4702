// strace's decoding of file times, timers and poll sets: utimensat's timespec pair (UTIME_NOW,
// UTIME_OMIT), utime's utimbuf, struct timezone, struct itimerspec, struct sigevent, struct
// pollfd arrays and what poll reports back.
import { decodeTimespec, TIMESPEC_SIZE } from '../kernel-shim/abi/time.js';
import { POLL_EVENTS } from '../kernel-shim/abi/xlat-events.js';
import { signalName } from '../kernel-shim/abi/xlat-signal.js';
import { isoDate, timespec } from './strace-structs.js';
import { flags, type GuestReader, isNull, MAX_STRLEN, pointer, readView, xval } from './strace-values.js';

const UTIME_NOW = 0x3fffffffn;
const UTIME_OMIT = 0x3ffffffen;

/** The date after a file time; strace leaves out a zero fraction. */
function dated(sec: bigint, nsec: bigint): string {
  return `/* ${isoDate(sec, nsec === 0n ? '' : `.${String(nsec).padStart(9, '0')}`)} */`;
}

/** utimensat's two timespecs: each dated, or UTIME_NOW / UTIME_OMIT. */
export function timespecPair(addr: bigint, mem: GuestReader): string {
  const view = readView(addr, 2 * TIMESPEC_SIZE, mem);
  if (view === null) return pointer(addr);
  const one = (off: number) => {
    const ts = decodeTimespec(view, off);
    const nsec = BigInt(ts.nsec);
    if (nsec === UTIME_NOW) return 'UTIME_NOW';
    if (nsec === UTIME_OMIT) return 'UTIME_OMIT';
    return `{tv_sec=${ts.sec}, tv_nsec=${ts.nsec}} ${dated(BigInt(ts.sec), nsec)}`;
  };
  return `[${one(0)}, ${one(TIMESPEC_SIZE)}]`;
}

/** utime's struct utimbuf: {actime=5 /* date *\/, modtime=6 /* date *\/}. */
export function utimbuf(addr: bigint, mem: GuestReader): string {
  const view = readView(addr, 16, mem);
  if (view === null) return pointer(addr);
  const at = view.getBigInt64(0, true);
  const mt = view.getBigInt64(8, true);
  return `{actime=${at} ${dated(at, 0n)}, modtime=${mt} ${dated(mt, 0n)}}`;
}

/** gettimeofday/settimeofday's struct timezone: {tz_minuteswest=0, tz_dsttime=0}. */
export function timezone(addr: bigint, mem: GuestReader): string {
  const view = readView(addr, 8, mem);
  if (view === null) return pointer(addr);
  return `{tz_minuteswest=${view.getInt32(0, true)}, tz_dsttime=${view.getInt32(4, true)}}`;
}

/** struct itimerspec: {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=1, tv_nsec=0}}. */
export function itimerspec(addr: bigint, mem: GuestReader): string {
  const view = readView(addr, 2 * TIMESPEC_SIZE, mem);
  if (view === null) return pointer(addr);
  const ts = (off: number) => {
    const t = decodeTimespec(view, off);
    return `{tv_sec=${t.sec}, tv_nsec=${t.nsec}}`;
  };
  return `{it_interval=${ts(0)}, it_value=${ts(TIMESPEC_SIZE)}}`;
}

const SIGEV_SIGNAL = 0;
const SIGEV_THREAD = 2;
const SIGEV_THREAD_ID = 4;
const SIGEV_NOTIFY: readonly (readonly [string, number])[] = [
  ['SIGEV_SIGNAL', SIGEV_SIGNAL],
  ['SIGEV_NONE', 1],
  ['SIGEV_THREAD', SIGEV_THREAD],
  ['SIGEV_THREAD_ID', SIGEV_THREAD_ID],
];

/** timer_create's struct sigevent: the value, the signal, how to notify and the fields that way uses. */
export function sigevent(addr: bigint, mem: GuestReader): string {
  const view = readView(addr, 32, mem);
  if (view === null) return pointer(addr);
  const value = view.getBigUint64(0, true);
  const signo = view.getInt32(8, true);
  const notify = view.getInt32(12, true);
  const signalled = notify === SIGEV_SIGNAL || notify === SIGEV_THREAD || notify === SIGEV_THREAD_ID;
  const parts = [
    `sigev_value={sival_int=${BigInt.asIntN(32, value)}, sival_ptr=${pointer(value)}}`,
    `sigev_signo=${signalled ? signalName(signo) : signo >>> 0}`,
    `sigev_notify=${xval(BigInt(notify >>> 0), SIGEV_NOTIFY, 'SIGEV_???')}`,
  ];
  if (notify === SIGEV_THREAD_ID) parts.push(`sigev_notify_thread_id=${view.getInt32(16, true)}`);
  if (notify === SIGEV_THREAD) {
    parts.push(`sigev_notify_function=${pointer(view.getBigUint64(16, true))}`, `sigev_notify_attributes=${pointer(view.getBigUint64(24, true))}`);
  }
  return `{${parts.join(', ')}}`;
}

const POLLFD_SIZE = 8;

function pollfdView(addr: bigint, nfds: bigint, mem: GuestReader): { view: DataView; n: number } | null {
  const n = nfds > BigInt(MAX_STRLEN) ? MAX_STRLEN : Number(nfds);
  const view = isNull(addr) ? null : readView(addr, n * POLLFD_SIZE, mem);
  return view === null ? null : { view, n };
}

/** The struct pollfd array poll reads: [{fd=3, events=POLLIN|POLLPRI}, ...]. */
export function pollfds(addr: bigint, nfds: bigint, mem: GuestReader): string {
  const fds = pollfdView(addr, nfds, mem);
  if (fds === null) return pointer(addr);
  const items = Array.from({ length: fds.n }, (_, i) => {
    const events = flags(BigInt(fds.view.getUint16(i * POLLFD_SIZE + 4, true)), POLL_EVENTS, 'POLL???');
    return `{fd=${fds.view.getInt32(i * POLLFD_SIZE, true)}, events=${events}}`;
  });
  return `[${[...items, ...(nfds > BigInt(fds.n) ? ['...'] : [])].join(', ')}]`;
}

/**
 * What strace adds after poll's result: "Timeout", or the descriptors with events and, for
 * ppoll with a timeout, the time left: [{fd=3, revents=POLLIN}], left {tv_sec=0, tv_nsec=9}.
 */
export function pollOutcome(result: bigint, addr: bigint, nfds: bigint, timeout: bigint | null, mem: GuestReader): string {
  if (result === 0n) return 'Timeout';
  const fds = pollfdView(addr, nfds, mem);
  const ready: string[] = [];
  for (let i = 0; fds !== null && i < fds.n; i++) {
    const revents = fds.view.getUint16(i * POLLFD_SIZE + 6, true);
    if (revents !== 0) ready.push(`{fd=${fds.view.getInt32(i * POLLFD_SIZE, true)}, revents=${flags(BigInt(revents), POLL_EVENTS, 'POLL???')}}`);
  }
  const list = `[${ready.join(', ')}]`;
  return timeout === null || isNull(timeout) ? list : `${list}, left ${timespec(timeout, mem)}`;
}
