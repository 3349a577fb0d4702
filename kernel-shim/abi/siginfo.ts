// siginfo_t (128 bytes): signo, errno and code, then a union whose member depends on
// (signo, code) exactly as the kernel's siginfo_layout() decides.
import { zeroFill } from './bytes.js';

export const SIGINFO_SIZE = 128;
export const SIGINFO_OFFSETS = {
  signo: 0,
  errno: 4,
  code: 8,
  pid: 16,
  uid: 20,
  value: 24,
  timerId: 16,
  overrun: 20,
  status: 24,
  utime: 32,
  stime: 40,
  addr: 16,
  addrLsb: 24,
  band: 16,
  fd: 24,
  callAddr: 16,
  syscall: 24,
  arch: 28,
} as const;
const O = SIGINFO_OFFSETS;

/** si_code values shared by all signals. */
export const SI = {
  USER: 0,
  KERNEL: 0x80,
  QUEUE: -1,
  TIMER: -2,
  MESGQ: -3,
  ASYNCIO: -4,
  SIGIO: -5,
  TKILL: -6,
  DETHREAD: -7,
  ASYNCNL: -60,
} as const;

export type SiginfoLayout = 'kill' | 'timer' | 'rt' | 'chld' | 'fault' | 'poll' | 'sys';

interface SiginfoHeader {
  signo: number;
  errno: number;
  code: number;
}

export type Siginfo = SiginfoHeader &
  (
    | { layout: 'kill'; pid: number; uid: number }
    | { layout: 'rt'; pid: number; uid: number; value: bigint }
    | { layout: 'timer'; timerId: number; overrun: number; value: bigint }
    | { layout: 'chld'; pid: number; uid: number; status: number; utime: bigint; stime: bigint }
    /** addrLsb is only meaningful for BUS_MCEERR_AR/AO; zero otherwise. */
    | { layout: 'fault'; addr: bigint; addrLsb: number }
    | { layout: 'poll'; band: bigint; fd: number }
    | { layout: 'sys'; callAddr: bigint; syscall: number; arch: number }
  );

const SIGTRAP = 5;
const SIGILL = 4;
const SIGBUS = 7;
const SIGFPE = 8;
const SIGSEGV = 11;
const SIGCHLD = 17;
const SIGPOLL = 29;
const SIGSYS = 31;
const NSIGPOLL = 6;

/** Per-signal si_code ranges (1..limit) with their own layout. */
const SIG_SPECIFIC: ReadonlyMap<number, { limit: number; layout: SiginfoLayout }> = new Map([
  [SIGILL, { limit: 11, layout: 'fault' }],
  [SIGFPE, { limit: 15, layout: 'fault' }],
  [SIGSEGV, { limit: 10, layout: 'fault' }],
  [SIGBUS, { limit: 5, layout: 'fault' }],
  [SIGTRAP, { limit: 6, layout: 'fault' }],
  [SIGCHLD, { limit: 6, layout: 'chld' }],
  [SIGPOLL, { limit: NSIGPOLL, layout: 'poll' }],
  [SIGSYS, { limit: 2, layout: 'sys' }],
]);

/** Which union member a siginfo with this signal and code carries (kernel siginfo_layout()). */
export function siginfoLayout(signo: number, code: number): SiginfoLayout {
  if (code > SI.USER && code < SI.KERNEL) {
    const specific = SIG_SPECIFIC.get(signo);
    if (specific && code <= specific.limit) return specific.layout;
    return code <= NSIGPOLL ? 'poll' : 'kill';
  }
  if (code === SI.TIMER) return 'timer';
  if (code === SI.SIGIO) return 'poll';
  return code < 0 ? 'rt' : 'kill';
}

export function encodeSiginfo(view: DataView, off: number, si: Siginfo): void {
  zeroFill(view, off, SIGINFO_SIZE);
  view.setInt32(off + O.signo, si.signo, true);
  view.setInt32(off + O.errno, si.errno, true);
  view.setInt32(off + O.code, si.code, true);
  switch (si.layout) {
    case 'kill':
      view.setInt32(off + O.pid, si.pid, true);
      view.setUint32(off + O.uid, si.uid, true);
      break;
    case 'rt':
      view.setInt32(off + O.pid, si.pid, true);
      view.setUint32(off + O.uid, si.uid, true);
      view.setBigUint64(off + O.value, si.value, true);
      break;
    case 'timer':
      view.setInt32(off + O.timerId, si.timerId, true);
      view.setInt32(off + O.overrun, si.overrun, true);
      view.setBigUint64(off + O.value, si.value, true);
      break;
    case 'chld':
      view.setInt32(off + O.pid, si.pid, true);
      view.setUint32(off + O.uid, si.uid, true);
      view.setInt32(off + O.status, si.status, true);
      view.setBigInt64(off + O.utime, si.utime, true);
      view.setBigInt64(off + O.stime, si.stime, true);
      break;
    case 'fault':
      view.setBigUint64(off + O.addr, si.addr, true);
      view.setInt16(off + O.addrLsb, si.addrLsb, true);
      break;
    case 'poll':
      view.setBigInt64(off + O.band, si.band, true);
      view.setInt32(off + O.fd, si.fd, true);
      break;
    case 'sys':
      view.setBigUint64(off + O.callAddr, si.callAddr, true);
      view.setInt32(off + O.syscall, si.syscall, true);
      view.setUint32(off + O.arch, si.arch, true);
      break;
  }
}

/** Reads the header and the union member siginfoLayout() selects; other bytes are not kept. */
export function decodeSiginfo(view: DataView, off: number): Siginfo {
  const signo = view.getInt32(off + O.signo, true);
  const errno = view.getInt32(off + O.errno, true);
  const code = view.getInt32(off + O.code, true);
  const header = { signo, errno, code };
  const i32 = (o: number) => view.getInt32(off + o, true);
  const u32 = (o: number) => view.getUint32(off + o, true);
  switch (siginfoLayout(signo, code)) {
    case 'kill':
      return { ...header, layout: 'kill', pid: i32(O.pid), uid: u32(O.uid) };
    case 'rt':
      return { ...header, layout: 'rt', pid: i32(O.pid), uid: u32(O.uid), value: view.getBigUint64(off + O.value, true) };
    case 'timer':
      return {
        ...header,
        layout: 'timer',
        timerId: i32(O.timerId),
        overrun: i32(O.overrun),
        value: view.getBigUint64(off + O.value, true),
      };
    case 'chld':
      return {
        ...header,
        layout: 'chld',
        pid: i32(O.pid),
        uid: u32(O.uid),
        status: i32(O.status),
        utime: view.getBigInt64(off + O.utime, true),
        stime: view.getBigInt64(off + O.stime, true),
      };
    case 'fault':
      return {
        ...header,
        layout: 'fault',
        addr: view.getBigUint64(off + O.addr, true),
        addrLsb: view.getInt16(off + O.addrLsb, true),
      };
    case 'poll':
      return { ...header, layout: 'poll', band: view.getBigInt64(off + O.band, true), fd: i32(O.fd) };
    case 'sys':
      return {
        ...header,
        layout: 'sys',
        callAddr: view.getBigUint64(off + O.callAddr, true),
        syscall: i32(O.syscall),
        arch: u32(O.arch),
      };
  }
}
