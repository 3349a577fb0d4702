// struct rusage (getrusage, wait4): two timevals, then fourteen longs.
import { zeroFill } from './bytes.js';
import { decodeTimeval, encodeTimeval, type Timeval } from './time.js';

/** The counters in field order; Linux fills maxrss (KiB), minflt, majflt, inblock, oublock, nvcsw, nivcsw. */
export const RUSAGE_COUNTERS = [
  'maxrss',
  'ixrss',
  'idrss',
  'isrss',
  'minflt',
  'majflt',
  'nswap',
  'inblock',
  'oublock',
  'msgsnd',
  'msgrcv',
  'nsignals',
  'nvcsw',
  'nivcsw',
] as const;
export type RusageCounter = (typeof RUSAGE_COUNTERS)[number];

/** Counters left out encode as 0; decoding fills them all. */
export type Rusage = { utime: Timeval; stime: Timeval } & Partial<Record<RusageCounter, bigint>>;

export const RUSAGE_SIZE = 144;
export const RUSAGE_OFFSETS: Readonly<Record<'utime' | 'stime' | RusageCounter, number>> = {
  utime: 0,
  stime: 16,
  ...(Object.fromEntries(RUSAGE_COUNTERS.map((name, i) => [name, 32 + 8 * i])) as Record<RusageCounter, number>),
};

export function encodeRusage(view: DataView, off: number, r: Rusage): void {
  zeroFill(view, off, RUSAGE_SIZE);
  encodeTimeval(view, off + RUSAGE_OFFSETS.utime, r.utime);
  encodeTimeval(view, off + RUSAGE_OFFSETS.stime, r.stime);
  for (const c of RUSAGE_COUNTERS) view.setBigInt64(off + RUSAGE_OFFSETS[c], r[c] ?? 0n, true);
}

export function decodeRusage(view: DataView, off: number): Required<Rusage> {
  const counters = Object.fromEntries(
    RUSAGE_COUNTERS.map((c) => [c, view.getBigInt64(off + RUSAGE_OFFSETS[c], true)]),
  ) as Record<RusageCounter, bigint>;
  return {
    utime: decodeTimeval(view, off + RUSAGE_OFFSETS.utime),
    stime: decodeTimeval(view, off + RUSAGE_OFFSETS.stime),
    ...counters,
  };
}
