// strace's decoding of file times and poll sets: utimensat's timespec pair (UTIME_NOW,
// UTIME_OMIT), utime's utimbuf, struct pollfd arrays and what poll reports back.
import { decodeTimespec, TIMESPEC_SIZE } from '../kernel-shim/abi/time.js';
import { POLL_EVENTS } from '../kernel-shim/abi/xlat-events.js';
import { isoDate, timespec } from './strace-structs.js';
import { flags, type GuestReader, isNull, MAX_STRLEN, pointer, readView } from './strace-values.js';

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
