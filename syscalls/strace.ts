// Formats system calls the way strace 6.1 prints them by default (-s 32, -a 40, no -v):
//   openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3
// A call that blocks can be printed in two halves, "read(0, " on entry and
// "\"abc\\n\", 1024) = 4" on exit, with strace's <unfinished ...> / <... read resumed> forms.
import { strerror } from '../kernel-shim/abi/strerror.js';
import { FD_FLAGS } from '../kernel-shim/abi/xlat.js';
import { IOCTLS } from '../kernel-shim/abi/xlat-ioctl.js';
import { MAP_HUGE_MASK, MAP_HUGE_SHIFT, MMAP_FLAGS, MMAP_TYPES } from '../kernel-shim/abi/xlat-memory.js';
import { CLONE_FLAGS, PER_MASK, PERSONALITY_FLAGS, PERSONALITY_TYPES, SUID_DUMP } from '../kernel-shim/abi/xlat-process.js';
import { signalName } from '../kernel-shim/abi/xlat-signal.js';
import { errnoName } from '../kernel-shim/errno.js';
import { type ArgSpec, type ArgSpecObject, isOutputKind, specKind } from './argkinds.js';
import { isXlatKind, XLAT_KINDS } from './argkinds-xlat.js';
import { SYSCALLS } from './numbers.js';
import { resultKind } from './strace-signature.js';
import * as Sp from './strace-process-structs.js';
import * as St from './strace-structs.js';
import * as Tm from './strace-time-structs.js';
import { formatUffdIoctlArg, isUffdIoctl, uffdIoctlName } from './strace-uffd.js';
import {
  buffer,
  commented,
  device,
  fileMode,
  flags,
  type GuestReader,
  hex,
  lookup,
  MAX_STRLEN,
  octal,
  openFlags,
  path,
  pointer,
  string,
  xval,
} from './strace-values.js';

export { type GuestReader, quoteBytes } from './strace-values.js';

export interface StraceOptions {
  /** Column the " = result" is padded to (strace -a); default 40. 0 disables padding. */
  column?: number;
  /** Text before the call on the same line, e.g. "[pid 42] "; counts toward the column. */
  prefix?: string;
}

const DEFAULT_COLUMN = 40;
const AT_FDCWD = -100n;

const NORETURN = new Set(SYSCALLS.filter((s) => s.noreturn).map((s) => s.name));

/** Kernel-internal restart codes: strace prints "= ? NAME (explanation)" instead of -1. */
const RESTART_ERRORS: ReadonlyMap<number, string> = new Map([
  [512, 'ERESTARTSYS (To be restarted if SA_RESTART is set)'],
  [513, 'ERESTARTNOINTR (To be restarted)'],
  [514, 'ERESTARTNOHAND (To be restarted if no handler)'],
  [516, 'ERESTART_RESTARTBLOCK (Interrupted by signal)'],
]);

/** The whole line: name(args) = result. result null means the call did not return ("= ?"). */
export function formatSyscall(
  name: string,
  kinds: readonly ArgSpec[],
  args: readonly bigint[],
  result: bigint | null,
  mem: GuestReader,
  opts: StraceOptions = {},
): string {
  const head = `${opts.prefix ?? ''}${formatEnter(name, kinds, args, mem)}${exitArgs(kinds, args, result, mem)})`;
  return align(head, formatResult(name, args, result, mem), opts.column);
}

/** The part printed when the call starts: "read(0, " (arguments up to the first one the call fills in). */
export function formatEnter(name: string, kinds: readonly ArgSpec[], args: readonly bigint[], mem: GuestReader): string {
  const split = splitIndex(kinds);
  const before = kinds.slice(0, split).map((spec, i) => formatArg(spec, i, args, null, mem));
  const sep = split > 0 && split < kinds.length ? ', ' : '';
  return `${name}(${before.join(', ')}${sep}`;
}

/** The rest, once the call returned: "\"abc\\n\", 1024) = 4". formatEnter + formatExit is the unpadded line. */
export function formatExit(
  name: string,
  kinds: readonly ArgSpec[],
  args: readonly bigint[],
  result: bigint | null,
  mem: GuestReader,
): string {
  return `${exitArgs(kinds, args, result, mem)}) = ${formatResult(name, args, result, mem)}`;
}

/** "read(0,  <unfinished ...>": the entry half when another line will come in between. */
export function formatUnfinished(
  name: string,
  kinds: readonly ArgSpec[],
  args: readonly bigint[],
  mem: GuestReader,
  opts: StraceOptions = {},
): string {
  return `${opts.prefix ?? ''}${formatEnter(name, kinds, args, mem)} <unfinished ...>`;
}

/** "<... read resumed>\"abc\\n\", 1024) = 4": the exit half of an unfinished call. */
export function formatResumed(
  name: string,
  kinds: readonly ArgSpec[],
  args: readonly bigint[],
  result: bigint | null,
  mem: GuestReader,
  opts: StraceOptions = {},
): string {
  const head = `${opts.prefix ?? ''}<... ${name} resumed>${exitArgs(kinds, args, result, mem)})`;
  return align(head, formatResult(name, args, result, mem), opts.column);
}

function align(head: string, resultText: string, column = DEFAULT_COLUMN): string {
  return `${`${head} `.padEnd(column)}= ${resultText}`;
}

function splitIndex(kinds: readonly ArgSpec[]): number {
  const i = kinds.findIndex((spec) => isOutputKind(specKind(spec)));
  return i < 0 ? kinds.length : i;
}

function exitArgs(kinds: readonly ArgSpec[], args: readonly bigint[], result: bigint | null, mem: GuestReader): string {
  const split = splitIndex(kinds);
  return kinds
    .slice(split)
    .map((spec, j) => formatArg(spec, split + j, args, result, mem))
    .join(', ');
}

function errnoOf(result: bigint | null): number | null {
  if (result === null) return null;
  const r = BigInt.asIntN(64, result);
  return r < 0n && r >= -4095n ? Number(-r) : null;
}

function succeeded(result: bigint | null): result is bigint {
  return result !== null && errnoOf(result) === null;
}

function formatResult(name: string, args: readonly bigint[], result: bigint | null, mem: GuestReader): string {
  if (result === null || NORETURN.has(name)) return '?';
  const errno = errnoOf(result);
  if (errno !== null) {
    const restart = RESTART_ERRORS.get(errno);
    if (restart) return `? ${restart}`;
    const errName = errnoName(errno);
    return `-1 ${errName === `E${errno}` ? errno : errName} (${strerror(errno)})`;
  }
  switch (resultKind(name, args)) {
    case 'dec':
      return String(BigInt.asIntN(64, result));
    case 'hex':
      return hex(result);
    case 'octal':
      return octal(BigInt.asUintN(32, result));
    case 'fcntl_getfl':
      return `${hex(result)} (flags ${openFlags(result)})`;
    case 'fcntl_getfd':
      return result === 0n ? '0' : `${hex(result)} (flags ${flags(result, FD_FLAGS, null)})`;
    case 'dumpable': {
      const dumpable = lookup(SUID_DUMP, result);
      return dumpable ? `${result} (${dumpable})` : String(result);
    }
    case 'personality':
      return `${hex(result)} (${personality(result)})`;
    case 'poll':
      return `${result} (${Tm.pollOutcome(result, args[0] ?? 0n, BigInt.asUintN(32, args[1] ?? 0n), null, mem)})`;
    case 'ppoll':
      return `${result} (${Tm.pollOutcome(result, args[0] ?? 0n, BigInt.asUintN(32, args[1] ?? 0n), args[2] ?? 0n, mem)})`;
    case 'time':
      return `${BigInt.asIntN(64, result)} (${St.isoDate(BigInt.asIntN(64, result))})`;
  }
}

function formatArg(
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
    case 'struct_ptr':
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
    case 'timespec':
      return St.timespec(v, mem);
    case 'timespec_out':
      return ok ? St.timespec(v, mem) : pointer(v);
    case 'timeval':
      return St.timeval(v, mem);
    case 'timeval_pair':
      return St.timevalPair(v, mem);
    case 'timespec_pair':
      return Tm.timespecPair(v, mem);
    case 'utimbuf':
      return Tm.utimbuf(v, mem);
    case 'pollfds':
      return Tm.pollfds(v, BigInt.asUintN(32, length()), mem);
    case 'dirents_out':
      return ok ? St.dirents(v, Number(result), mem) : pointer(v);
    case 'string_array':
      return St.stringArray(v, mem);
    case 'envp':
      return St.envCount(v, mem);
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
    case 'statx_flags':
      return St.statxFlags(v);
    case 'statx_out':
      return ok ? St.statx(v, mem) : pointer(v);
    case 'personality':
      return BigInt.asUintN(32, v) === 0xffffffffn ? hex(BigInt.asUintN(32, v)) : personality(v);
    case 'signal':
      return signalName(Number(BigInt.asIntN(32, v)));
    case 'sigset':
      return St.sigset(v, BigInt.asUintN(64, length()), mem);
    case 'sigset_out':
      return ok ? St.sigset(v, BigInt.asUintN(64, length()), mem) : pointer(v);
    case 'sigaction':
      return Sp.sigaction(v, mem);
    case 'sigaction_out':
      return ok ? Sp.sigaction(v, mem) : pointer(v);
    case 'wait_status_out':
      return ok && result !== 0n ? Sp.waitStatus(v, mem) : pointer(v);
    case 'utsname_out':
      return ok ? Sp.utsname(v, mem) : pointer(v);
    case 'fd_pair_out':
      return ok ? Sp.fdPair(v, mem) : pointer(v);
    case 'timeval_out':
      return ok ? St.timeval(v, mem) : pointer(v);
    case 'stack_t':
      return Sp.stackT(v, mem);
    case 'stack_t_out':
      return ok ? Sp.stackT(v, mem) : pointer(v);
    case 'rlimit':
      return Sp.rlimit(v, mem);
    case 'rlimit_out':
      return ok ? Sp.rlimit(v, mem) : pointer(v);
    case 'itimerval':
      return Sp.itimerval(v, mem);
    case 'itimerval_out':
      return ok ? Sp.itimerval(v, mem) : pointer(v);
    case 'cpu_set':
      return Sp.cpuSet(v, BigInt.asUintN(64, length()), mem);
    case 'cpu_set_out':
      return ok ? Sp.cpuSet(v, BigInt.asUintN(64, result), mem) : pointer(v);
    case 'gid_array':
      return Sp.gidArray(v, BigInt.asIntN(32, length()), mem);
    case 'gid_array_out':
      return ok ? Sp.gidArray(v, BigInt.asIntN(32, result), mem) : pointer(v);
    case 'time_out':
      return ok ? St.timeT(v, mem) : pointer(v);
    case 'siginfo':
      return St.siginfo(v, mem);
    case 'siginfo_out':
      return ok ? St.siginfo(v, mem) : pointer(v);
    case 'iovec_in':
      return St.iovecs(v, BigInt.asIntN(32, length()), null, mem);
    case 'iovec_out':
      return ok ? St.iovecs(v, BigInt.asIntN(32, length()), BigInt.asUintN(64, result), mem) : pointer(v);
    case 'loff_ptr':
      return St.boxed(v, 8, mem);
    case 'uint_ptr_out':
      return ok ? St.boxed(v, 4, mem) : pointer(v);
    case 'mincore_out':
      return ok ? St.mincoreVector(v, args[1] ?? 0n, mem) : pointer(v);
    case 'epoll_event':
      return St.epollEvent(v, mem);
    case 'epoll_events_out':
      return ok ? St.epollEvents(v, Number(result), mem) : pointer(v);
    case 'ioctl_cmd':
      return ioctlName(Number(BigInt.asUintN(32, v)));
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

function cloneFlags(value: bigint): string {
  const sig = Number(value & 0xffn);
  const rest = value & ~0xffn;
  if (rest === 0n) return sig ? signalName(sig) : '0';
  const text = flags(rest, CLONE_FLAGS, 'CLONE_???');
  return sig ? `${text}|${signalName(sig)}` : text;
}

/** The execution domain, then the personality flags: PER_LINUX|ADDR_NO_RANDOMIZE. */
function personality(v: bigint): string {
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
