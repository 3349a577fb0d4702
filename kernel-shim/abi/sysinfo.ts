// struct sysinfo (sysinfo, 99). Memory sizes are in units of memUnit bytes.
import { zeroFill } from './bytes.js';

export interface SysinfoValue {
  /** Seconds since boot. */
  uptime: bigint;
  /** 1, 5 and 15 minute load averages, fixed point with 16 fractional bits. */
  loads: readonly [bigint, bigint, bigint];
  totalram: bigint;
  freeram: bigint;
  sharedram: bigint;
  bufferram: bigint;
  totalswap: bigint;
  freeswap: bigint;
  procs: number;
  totalhigh: bigint;
  freehigh: bigint;
  memUnit: number;
}

export const SYSINFO_SIZE = 112;
export const SYSINFO_OFFSETS = {
  uptime: 0,
  loads: 8,
  totalram: 32,
  freeram: 40,
  sharedram: 48,
  bufferram: 56,
  totalswap: 64,
  freeswap: 72,
  procs: 80,
  pad: 82,
  totalhigh: 88,
  freehigh: 96,
  memUnit: 104,
} as const;
const O = SYSINFO_OFFSETS;

const WORDS = ['totalram', 'freeram', 'sharedram', 'bufferram', 'totalswap', 'freeswap', 'totalhigh', 'freehigh'] as const;

export function encodeSysinfo(view: DataView, off: number, v: SysinfoValue): void {
  zeroFill(view, off, SYSINFO_SIZE);
  view.setBigInt64(off + O.uptime, v.uptime, true);
  v.loads.forEach((load, i) => view.setBigUint64(off + O.loads + 8 * i, load, true));
  for (const w of WORDS) view.setBigUint64(off + O[w], v[w], true);
  view.setUint16(off + O.procs, v.procs, true);
  view.setUint32(off + O.memUnit, v.memUnit, true);
}

export function decodeSysinfo(view: DataView, off: number): SysinfoValue {
  const word = (o: number) => view.getBigUint64(off + o, true);
  return {
    uptime: view.getBigInt64(off + O.uptime, true),
    loads: [word(O.loads), word(O.loads + 8), word(O.loads + 16)],
    totalram: word(O.totalram),
    freeram: word(O.freeram),
    sharedram: word(O.sharedram),
    bufferram: word(O.bufferram),
    totalswap: word(O.totalswap),
    freeswap: word(O.freeswap),
    procs: view.getUint16(off + O.procs, true),
    totalhigh: word(O.totalhigh),
    freehigh: word(O.freehigh),
    memUnit: view.getUint32(off + O.memUnit, true),
  };
}
