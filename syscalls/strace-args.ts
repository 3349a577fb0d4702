// How strace prints one argument of a call, by its ArgSpec: numbers, names from xlat tables,
// strings and buffers, and structures read from guest memory. Structures the call fills (the
// *_out kinds) are decoded only when it succeeded, like strace; an unreadable or NULL pointer
// prints as the address.
import { IOCTLS } from '../kernel-shim/abi/xlat-ioctl.js';
import { MAP_HUGE_MASK, MAP_HUGE_SHIFT, MMAP_FLAGS, MMAP_TYPES } from '../kernel-shim/abi/xlat-memory.js';
import { PER_MASK, PERSONALITY_FLAGS, PERSONALITY_TYPES } from '../kernel-shim/abi/xlat-process.js';
import { signalName } from '../kernel-shim/abi/xlat-signal.js';
import { type ArgKind, type ArgSpec, type ArgSpecObject, isOutputKind, type StructInKind, type StructKind, type StructOutName } from './argkinds.js';
import { isXlatKind, XLAT_KINDS } from './argkinds-xlat.js';
import { cloneArgs, cloneFlags, cloneStored } from './strace-clone.js';
import * as Aq from './strace-aio-mq-structs.js';
import * as Fc from './strace-fcntl-structs.js';
import * as Si from './strace-info-structs.js';
import * as Sp from './strace-process-structs.js';
import * as Ss from './strace-sched-structs.js';
import { fdSet, pselectSigmask } from './strace-select.js';
import { ipcGetFlags, ipcKey, msgbuf, sembufs } from './strace-ipc.js';
import * as Ip from './strace-ipc-structs.js';
import { formatSocketArg, isSocketKind } from './strace-socket.js';
import * as Sf from './strace-stat-structs.js';
import * as St from './strace-structs.js';
import * as Tm from './strace-time-structs.js';
import { trampfdInfo, trampfdUser } from './strace-trampfd.js';
import * as Tt from './strace-tty-structs.js';
import { formatUffdIoctlArg, isUffdIoctl, uffdIoctlName } from './strace-uffd.js';
import {
  buffer,
  commented,
  device,
  fileMode,
  flags,
  type GuestReader,
  hex,
  MAX_STRLEN,
  octal,
  openFlags,
  path,
  pointer,
  string,
  xval,
} from './strace-values.js';

const AT_FDCWD = -100n;

/** Kernel-internal restart codes: the call was interrupted and will be restarted. */
export const RESTART_ERRNOS: ReadonlySet<number> = new Set([512, 513, 514, 516]);

export function errnoOf(result: bigint | null): number | null {
  if (result === null) return null;
  const r = BigInt.asIntN(64, result);
  return r < 0n && r >= -4095n ? Number(-r) : null;
}

function succeeded(result: bigint | null): result is bigint {
  return result !== null && errnoOf(result) === null;
}

type Decoder = (addr: bigint, mem: GuestReader) => string;

/**
 * Kinds that print the one structure at the argument's address. A kind named "<name>_out"
 * prints <name>'s decoder once the call has succeeded, and the address otherwise.
 */
const STRUCTS: Readonly<Record<StructInKind | StructOutName, Decoder>> = {
  shmid_ds: Ip.shmidDs,
  shmid_ds_set: Ip.shmidSet,
  semid_ds: Ip.semidDs,
  semid_ds_set: Ip.semidSet,
  msqid_ds: Ip.msqidDs,
  msqid_ds_set: Ip.msqidSet,
  shminfo: Ip.shminfo,
  shm_info: Ip.shmInfo,
  seminfo: Ip.seminfo,
  msginfo: Ip.msginfo,
  timespec: St.timespec,
  timeval: St.timeval,
  timeval_pair: St.timevalPair,
  timespec_pair: Tm.timespecPair,
  utimbuf: Tm.utimbuf,
  timezone: Tm.timezone,
  itimerspec: Tm.itimerspec,
  sigevent: Tm.sigevent,
  statx: St.statx,
  stat: Sf.stat,
  statfs: Sf.statfs,
  sysinfo: Si.sysinfo,
  tms: Si.tms,
  rusage: Si.rusage,
  sigaction: Sp.sigaction,
  utsname: Sp.utsname,
  fd_pair: Sp.fdPair,
  stack_t: Sp.stackT,
  rlimit: Sp.rlimit,
  itimerval: Sp.itimerval,
  time: St.timeT,
  siginfo: St.siginfo,
  epoll_event: St.epollEvent,
  sched_param: Ss.schedParam,
  sched_attr: Ss.schedAttr,
  cap_header: Ss.capHeader,
  pselect_sigmask: pselectSigmask,
  ptr_box: St.boxedPointer,
  signal_box: Sp.boxedSignal,
  flock: Fc.flock,
  flock_report: Fc.flockReport,
  f_owner_ex: Fc.fOwnerEx,
  kcmp_epoll_slot: Sp.kcmpEpollSlot,
  trampfd_user: trampfdUser,
  trampfd_info: trampfdInfo,
  termios: Tt.termios,
  winsize: Tt.winsize,
  int_box: Tt.boxedInt,
  mq_attr: Aq.mqAttr,
  iocb: Aq.iocb,
  aio_sigset: Aq.aioSigset,
  io_event: Aq.ioEvent,
};

function structName(kind: string): string {
  return kind.endsWith('_out') ? kind.slice(0, -4) : kind;
}

function isStructKind(kind: ArgKind): kind is StructKind {
  return Object.hasOwn(STRUCTS, structName(kind));
}

/** Kinds printed as strace's " => new value" right after the argument before them, with no separator. */
export function isValueChange(spec: ArgSpec): boolean {
  return (typeof spec === 'string' ? spec : spec.kind) === 'clone_stored_out';
}

export function formatArg(
  spec: ArgSpec,
  position: number,
  args: readonly bigint[],
  result: bigint | null,
  mem: GuestReader,
): string {
  const s: ArgSpecObject = typeof spec === 'string' ? { kind: spec } : spec;
  const index = s.arg ?? position;
  const text = formatValue(s, index, args, result, mem);
  return s.label ? `${s.label}=${text}` : text;
}

function formatValue(
  s: ArgSpecObject,
  index: number,
  args: readonly bigint[],
  result: bigint | null,
  mem: GuestReader,
): string {
  const v = args[index] ?? 0n;
  const kind = s.kind;
  /** The raw argument holding this one's length or count (default: the next). */
  const length = () => args[s.len ?? index + 1] ?? 0n;
  if (isXlatKind(kind)) {
    const info = XLAT_KINDS[kind];
    const value = BigInt.asUintN(32, v);
    switch (info.style) {
      case 'flags':
        return flags(value, info.table, info.unknown);
      case 'value':
        return xval(value, info.table, info.unknown);
      case 'commented':
        return commented(BigInt.asIntN(32, v), info.table, info.unknown);
    }
  }
  const ok = succeeded(result);
  if (isSocketKind(kind)) return formatSocketArg(kind, index, args, s.len ?? index + 1, result, ok, mem);
  if (isStructKind(kind)) {
    const decode = STRUCTS[structName(kind) as keyof typeof STRUCTS];
    return isOutputKind(kind) && !ok ? pointer(v) : decode(v, mem);
  }
  switch (kind) {
    case 'int':
      return String(BigInt.asIntN(32, v));
    case 'uint':
      return String(BigInt.asUintN(64, v));
    case 'long':
      return String(BigInt.asIntN(64, v));
    case 'hex':
      return hex(v);
    case 'fd': {
      const fd = BigInt.asIntN(32, v);
      return fd === AT_FDCWD ? 'AT_FDCWD' : String(fd);
    }
    case 'ptr':
      return pointer(v);
    case 'path':
      return path(v, mem);
    case 'path_out':
      return ok ? path(v, mem) : pointer(v);
    case 'string':
      return string(v, s.max ?? MAX_STRLEN, mem);
    case 'buf_in':
      return buffer(v, BigInt.asUintN(64, length()), false, mem);
    case 'buf_out':
    case 'buf_out_hex':
      return ok ? buffer(v, BigInt.asUintN(64, result), kind === 'buf_out_hex', mem) : pointer(v);
    case 'timespec_rem_out':
      return RESTART_ERRNOS.has(errnoOf(result) ?? 0) ? St.timespec(v, mem) : pointer(v);
    case 'pollfds':
      return Tm.pollfds(v, BigInt.asUintN(32, length()), mem);
    case 'dirents_out':
      return ok ? St.dirents(v, Number(result), mem) : pointer(v);
    case 'string_array':
      return St.stringArray(v, mem);
    case 'envp':
      return St.envCount(v, mem);
    case 'ipc_key':
      return ipcKey(v);
    case 'ipc_get_flags':
      return ipcGetFlags(v);
    case 'msgbuf_out':
      return ok ? msgbuf(v, BigInt.asUintN(64, length()), mem) : pointer(v);
    case 'msgbuf':
      return msgbuf(v, BigInt.asUintN(64, length()), mem);
    case 'sembufs':
      return sembufs(v, BigInt.asUintN(64, length()), mem);
    case 'mode':
      return octal(BigInt.asUintN(32, v));
    case 'file_mode':
      return fileMode(v);
    case 'dev':
      return device(v);
    case 'open_flags':
      return openFlags(v);
    case 'open_how':
      return St.openHow(v, BigInt.asUintN(64, length()), mem);
    case 'mmap_flags':
      return mmapFlags(BigInt.asUintN(64, v));
    case 'clone_flags':
      return cloneFlags(BigInt.asUintN(64, v));
    case 'clone_args':
      return cloneArgs(v, BigInt.asUintN(64, length()), mem);
    case 'clone_stored_out':
      return ok && result !== 0n ? cloneStored(v, BigInt.asUintN(64, length()), mem) : '';
    case 'statx_flags':
      return St.statxFlags(v);
    case 'personality':
      return BigInt.asUintN(32, v) === 0xffffffffn ? hex(BigInt.asUintN(32, v)) : personality(v);
    case 'signal':
      return signalName(Number(BigInt.asIntN(32, v)));
    case 'sigset':
      return St.sigset(v, BigInt.asUintN(64, length()), mem);
    case 'sigset_out':
      return ok ? St.sigset(v, BigInt.asUintN(64, length()), mem) : pointer(v);
    case 'wait_status_out':
      return ok && result !== 0n ? Sp.waitStatus(v, mem) : pointer(v);
    case 'fd_set':
      return fdSet(v, args[0] ?? 0n, mem);
    case 'cap_data':
      return Ss.capData(v, args[0] ?? 0n, mem);
    case 'cap_data_out':
      return ok ? Ss.capData(v, args[0] ?? 0n, mem) : pointer(v);
    case 'cpu_set':
      return Sp.cpuSet(v, BigInt.asUintN(64, length()), mem);
    case 'cpu_set_out':
      return ok ? Sp.cpuSet(v, BigInt.asUintN(64, result), mem) : pointer(v);
    case 'gid_array':
      return Sp.gidArray(v, BigInt.asIntN(32, length()), mem);
    case 'gid_array_out':
      return ok ? Sp.gidArray(v, BigInt.asIntN(32, result), mem) : pointer(v);
    case 'iovec_in':
      return St.iovecs(v, BigInt.asIntN(32, length()), null, mem);
    case 'iovec_out':
      return ok ? St.iovecs(v, BigInt.asIntN(32, length()), BigInt.asUintN(64, result), mem) : pointer(v);
    case 'iovec_addrs':
      return St.iovecs(v, BigInt.asIntN(32, length()), 'addresses', mem);
    case 'loff_ptr':
      return St.boxed(v, 8, mem);
    case 'loff_in':
      // As it was on entry: reads of it find the bytes captured then.
      return St.boxed(v, 8, { ...mem, readBytes: (addr, len) => mem.entryBytes?.(addr, len) ?? mem.readBytes(addr, len) });
    case 'uint_ptr_out':
      return ok ? St.boxed(v, 4, mem) : pointer(v);
    case 'ulong_ptr_out':
      return ok ? St.boxed(v, 8, mem) : pointer(v);
    case 'mincore_out':
      return ok ? St.mincoreVector(v, args[1] ?? 0n, mem) : pointer(v);
    case 'epoll_events_out':
      return ok ? St.epollEvents(v, Number(result), mem) : pointer(v);
    case 'ioctl_cmd':
      return ioctlName(Number(BigInt.asUintN(32, v)));
    case 'iocb_array':
      return Aq.iocbs(v, BigInt.asIntN(64, length()), mem);
    case 'io_events_out':
      return ok ? Aq.ioEvents(v, Number(result), mem) : pointer(v);
    case 'uffdio':
      return formatUffdIoctlArg(Number(BigInt.asUintN(32, args[1] ?? 0n)), v, ok, mem);
  }
}

function mmapFlags(value: bigint): string {
  const type = value & 0xfn;
  const hugeMask = BigInt(MAP_HUGE_MASK) << BigInt(MAP_HUGE_SHIFT);
  const huge = (value & hugeMask) >> BigInt(MAP_HUGE_SHIFT);
  const rest = value & ~0xfn & ~hugeMask;
  const parts = [xval(type, MMAP_TYPES, 'MAP_???')];
  if (rest !== 0n) parts.push(flags(rest, MMAP_FLAGS, null));
  if (huge !== 0n) parts.push(`${huge}<<MAP_HUGE_SHIFT`);
  return parts.join('|');
}

/** The execution domain, then the personality flags: PER_LINUX|ADDR_NO_RANDOMIZE. */
export function personality(v: bigint): string {
  const value = BigInt.asUintN(32, v);
  const domain = xval(value & BigInt(PER_MASK), PERSONALITY_TYPES, 'PER_???');
  const rest = value & ~BigInt(PER_MASK);
  return rest === 0n ? domain : `${domain}|${flags(rest, PERSONALITY_FLAGS, null)}`;
}

const IOC_DIRS = ['_IOC_NONE', '_IOC_WRITE', '_IOC_READ', '_IOC_READ|_IOC_WRITE'];

function ioctlName(cmd: number): string {
  const known = IOCTLS.get(cmd) ?? (isUffdIoctl(cmd) ? [uffdIoctlName(cmd)!] : undefined);
  if (known) return known[0];
  const field = (shift: number, mask: number) => hex(BigInt((cmd >>> shift) & mask));
  return `_IOC(${IOC_DIRS[cmd >>> 30]}, ${field(8, 0xff)}, ${field(0, 0xff)}, ${field(16, 0x3fff)})`;
}
