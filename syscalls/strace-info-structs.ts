// strace's decoding of the resource reports sysinfo, times, getrusage and wait4 fill:
//   {uptime=26973, loads=[335904, 168832, 69920], totalram=..., mem_unit=1}
//   {tms_utime=2 /* 0.02 s */, tms_stime=0, tms_cutime=0, tms_cstime=0}
//   {ru_utime={tv_sec=0, tv_usec=4666}, ru_stime={tv_sec=0, tv_usec=0}, ...}
import { decodeRusage, RUSAGE_SIZE } from '../kernel-shim/abi/rusage.js';
import { decodeSysinfo, SYSINFO_SIZE } from '../kernel-shim/abi/sysinfo.js';
import type { Timeval } from '../kernel-shim/abi/time.js';
import { decodeTms, TMS_SIZE } from '../kernel-shim/abi/tms.js';
import { type GuestReader, pointer, readView } from './strace-values.js';

export function sysinfo(addr: bigint, mem: GuestReader): string {
  const view = readView(addr, SYSINFO_SIZE, mem);
  if (view === null) return pointer(addr);
  const s = decodeSysinfo(view, 0);
  return (
    `{uptime=${s.uptime}, loads=[${s.loads.join(', ')}], totalram=${s.totalram}, freeram=${s.freeram}, ` +
    `sharedram=${s.sharedram}, bufferram=${s.bufferram}, totalswap=${s.totalswap}, freeswap=${s.freeswap}, ` +
    `procs=${s.procs}, totalhigh=${s.totalhigh}, freehigh=${s.freehigh}, mem_unit=${s.memUnit}}`
  );
}

/** USER_HZ: the clock_t unit of times(). */
const CLOCK_TICKS = 100n;

/** A clock_t with its seconds in a comment when non-zero: 2 /* 0.02 s *\/. */
function clockTicks(v: bigint): string {
  const ticks = BigInt.asUintN(64, v);
  if (ticks === 0n) return '0';
  return `${ticks} /* ${ticks / CLOCK_TICKS}.${String(ticks % CLOCK_TICKS).padStart(2, '0')} s */`;
}

export function tms(addr: bigint, mem: GuestReader): string {
  const view = readView(addr, TMS_SIZE, mem);
  if (view === null) return pointer(addr);
  const t = decodeTms(view, 0);
  return `{tms_utime=${clockTicks(t.utime)}, tms_stime=${clockTicks(t.stime)}, tms_cutime=${clockTicks(t.cutime)}, tms_cstime=${clockTicks(t.cstime)}}`;
}

const timeval = (tv: Timeval) => `{tv_sec=${tv.sec}, tv_usec=${tv.usec}}`;

/** struct rusage as strace abbreviates it: the two CPU times. */
export function rusage(addr: bigint, mem: GuestReader): string {
  const view = readView(addr, RUSAGE_SIZE, mem);
  if (view === null) return pointer(addr);
  const r = decodeRusage(view, 0);
  return `{ru_utime=${timeval(r.utime)}, ru_stime=${timeval(r.stime)}, ...}`;
}
