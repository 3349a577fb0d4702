// struct rlimit64 (prlimit64). getrlimit/setrlimit's struct rlimit has the same layout on x86-64.

export interface Rlimit {
  cur: bigint;
  max: bigint;
}
export const RLIMIT_SIZE = 16;
export const RLIMIT_OFFSETS = { cur: 0, max: 8 } as const;
export const RLIM_INFINITY = 0xffff_ffff_ffff_ffffn;

export function decodeRlimit(view: DataView, off: number): Rlimit {
  return {
    cur: view.getBigUint64(off + RLIMIT_OFFSETS.cur, true),
    max: view.getBigUint64(off + RLIMIT_OFFSETS.max, true),
  };
}

export function encodeRlimit(view: DataView, off: number, r: Rlimit): void {
  view.setBigUint64(off + RLIMIT_OFFSETS.cur, r.cur, true);
  view.setBigUint64(off + RLIMIT_OFFSETS.max, r.max, true);
}
