// Time structures of the x86-64 syscall ABI. Every field is a 64-bit long and a guest can put
// any value there (the kernel rejects tv_nsec outside [0, 1e9) itself), so all are bigint.

const NS_PER_SEC = 1_000_000_000n;

/** struct __kernel_timespec: tv_sec i64, tv_nsec i64. */
export interface Timespec {
  sec: bigint;
  nsec: bigint;
}
export const TIMESPEC_SIZE = 16;
export const TIMESPEC_OFFSETS = { sec: 0, nsec: 8 } as const;

export function decodeTimespec(view: DataView, off: number): Timespec {
  return {
    sec: view.getBigInt64(off + TIMESPEC_OFFSETS.sec, true),
    nsec: view.getBigInt64(off + TIMESPEC_OFFSETS.nsec, true),
  };
}

export function encodeTimespec(view: DataView, off: number, ts: Timespec): void {
  view.setBigInt64(off + TIMESPEC_OFFSETS.sec, ts.sec, true);
  view.setBigInt64(off + TIMESPEC_OFFSETS.nsec, ts.nsec, true);
}

/** Splits nanoseconds the way the kernel normalises a timespec64: nsec is always in [0, 1e9). */
export function nsToTimespec(ns: bigint): Timespec {
  let sec = ns / NS_PER_SEC;
  let rem = ns % NS_PER_SEC;
  if (rem < 0n) {
    sec -= 1n;
    rem += NS_PER_SEC;
  }
  return { sec, nsec: rem };
}

export function timespecToNs(ts: Timespec): bigint {
  return ts.sec * NS_PER_SEC + ts.nsec;
}

/** utimensat's tv_nsec markers. */
export const UTIME_NOW = 0x3fffffff;
export const UTIME_OMIT = 0x3ffffffe;

/** utimensat/futimens take struct timespec[2] (atime, mtime). */
export const TIMESPEC_PAIR_SIZE = 2 * TIMESPEC_SIZE;

export function decodeTimespecPair(view: DataView, off: number): [Timespec, Timespec] {
  return [decodeTimespec(view, off), decodeTimespec(view, off + TIMESPEC_SIZE)];
}

export function encodeTimespecPair(view: DataView, off: number, pair: readonly [Timespec, Timespec]): void {
  encodeTimespec(view, off, pair[0]);
  encodeTimespec(view, off + TIMESPEC_SIZE, pair[1]);
}

/** struct __kernel_old_timeval: tv_sec long, tv_usec long. */
export interface Timeval {
  sec: bigint;
  usec: bigint;
}
export const TIMEVAL_SIZE = 16;
export const TIMEVAL_OFFSETS = { sec: 0, usec: 8 } as const;

export function decodeTimeval(view: DataView, off: number): Timeval {
  return {
    sec: view.getBigInt64(off + TIMEVAL_OFFSETS.sec, true),
    usec: view.getBigInt64(off + TIMEVAL_OFFSETS.usec, true),
  };
}

export function encodeTimeval(view: DataView, off: number, tv: Timeval): void {
  view.setBigInt64(off + TIMEVAL_OFFSETS.sec, tv.sec, true);
  view.setBigInt64(off + TIMEVAL_OFFSETS.usec, tv.usec, true);
}

/** Truncates toward minus infinity, like the kernel's ns_to_kernel_old_timeval. */
export function nsToTimeval(ns: bigint): Timeval {
  const ts = nsToTimespec(ns);
  return { sec: ts.sec, usec: ts.nsec / 1000n };
}

/** struct itimerval (setitimer/getitimer). */
export interface Itimerval {
  interval: Timeval;
  value: Timeval;
}
export const ITIMERVAL_SIZE = 32;
export const ITIMERVAL_OFFSETS = { interval: 0, value: 16 } as const;

export function decodeItimerval(view: DataView, off: number): Itimerval {
  return {
    interval: decodeTimeval(view, off + ITIMERVAL_OFFSETS.interval),
    value: decodeTimeval(view, off + ITIMERVAL_OFFSETS.value),
  };
}

export function encodeItimerval(view: DataView, off: number, it: Itimerval): void {
  encodeTimeval(view, off + ITIMERVAL_OFFSETS.interval, it.interval);
  encodeTimeval(view, off + ITIMERVAL_OFFSETS.value, it.value);
}

/** struct utimbuf (utime): whole seconds. */
export interface Utimbuf {
  actime: bigint;
  modtime: bigint;
}
export const UTIMBUF_SIZE = 16;
export const UTIMBUF_OFFSETS = { actime: 0, modtime: 8 } as const;

export function decodeUtimbuf(view: DataView, off: number): Utimbuf {
  return {
    actime: view.getBigInt64(off + UTIMBUF_OFFSETS.actime, true),
    modtime: view.getBigInt64(off + UTIMBUF_OFFSETS.modtime, true),
  };
}

export function encodeUtimbuf(view: DataView, off: number, u: Utimbuf): void {
  view.setBigInt64(off + UTIMBUF_OFFSETS.actime, u.actime, true);
  view.setBigInt64(off + UTIMBUF_OFFSETS.modtime, u.modtime, true);
}
