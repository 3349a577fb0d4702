// struct tms (times): CPU times in clock ticks (USER_HZ = 100), each a __kernel_clock_t.

export interface Tms {
  utime: bigint;
  stime: bigint;
  cutime: bigint;
  cstime: bigint;
}
export const TMS_SIZE = 32;
export const TMS_OFFSETS = { utime: 0, stime: 8, cutime: 16, cstime: 24 } as const;

export function decodeTms(view: DataView, off: number): Tms {
  return {
    utime: view.getBigInt64(off + TMS_OFFSETS.utime, true),
    stime: view.getBigInt64(off + TMS_OFFSETS.stime, true),
    cutime: view.getBigInt64(off + TMS_OFFSETS.cutime, true),
    cstime: view.getBigInt64(off + TMS_OFFSETS.cstime, true),
  };
}

export function encodeTms(view: DataView, off: number, t: Tms): void {
  view.setBigInt64(off + TMS_OFFSETS.utime, t.utime, true);
  view.setBigInt64(off + TMS_OFFSETS.stime, t.stime, true);
  view.setBigInt64(off + TMS_OFFSETS.cutime, t.cutime, true);
  view.setBigInt64(off + TMS_OFFSETS.cstime, t.cstime, true);
}
