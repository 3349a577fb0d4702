// Formats system calls the way strace 6.1 prints them by default (-s 32, -a 40, no -v):
//   openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3
// A call that blocks can be printed in two halves, "read(0, " on entry and
// "\"abc\\n\", 1024) = 4" on exit, with strace's <unfinished ...> / <... read resumed> forms.
import { utf8 } from '../kernel-shim/abi/bytes.js';
import { strerror } from '../kernel-shim/abi/strerror.js';
import { decodeTimespec, TIMESPEC_SIZE } from '../kernel-shim/abi/time.js';
import * as X from '../kernel-shim/abi/xlat.js';
import { errnoName } from '../kernel-shim/errno.js';
import {
  type ArgSpec,
  type ArgSpecObject,
  isOutputKind,
  isXlatKind,
  resultKind,
  specKind,
  XLAT_KINDS,
} from './argkinds.js';
import { SYSCALLS } from './numbers.js';
import { formatUffdIoctlArg, isUffdIoctl, uffdIoctlName } from './strace-uffd.js';

/** Guest memory as the formatter needs it. null means the range is not readable (EFAULT). */
export interface GuestReader {
  /** Up to `max` bytes from addr, stopping before the first NUL, decoded as UTF-8. */
  readCString(addr: bigint, max: number): string | null;
  readBytes(addr: bigint, len: number): Uint8Array | null;
}

export interface StraceOptions {
  /** Column the " = result" is padded to (strace -a); default 40. 0 disables padding. */
  column?: number;
  /** Text before the call on the same line, e.g. "[pid 42] "; counts toward the column. */
  prefix?: string;
}

const MAX_STRLEN = 32;
const PATH_MAX = 4096;
const DEFAULT_COLUMN = 40;
/** Stops walking an unterminated argv/envp in an endless readable region. */
const MAX_ARRAY_WALK = 1 << 20;
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
  return align(head, formatResult(name, args, result), opts.column);
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
  return `${exitArgs(kinds, args, result, mem)}) = ${formatResult(name, args, result)}`;
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
  return align(head, formatResult(name, args, result), opts.column);
}

/** Quotes bytes with strace's escapes: \" \\ \f \n \r \t \v, other non-printables as short octal. */
export function quoteBytes(bytes: Uint8Array, forceHex = false): string {
  let out = '"';
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (forceHex) {
      out += `\\x${c.toString(16).padStart(2, '0')}`;
      continue;
    }
    switch (c) {
      case 0x22:
        out += '\\"';
        break;
      case 0x5c:
        out += '\\\\';
        break;
      case 0x0c:
        out += '\\f';
        break;
      case 0x0a:
        out += '\\n';
        break;
      case 0x0d:
        out += '\\r';
        break;
      case 0x09:
        out += '\\t';
        break;
      case 0x0b:
        out += '\\v';
        break;
      default:
        if (c >= 0x20 && c <= 0x7e) {
          out += String.fromCharCode(c);
        } else {
          // A following octal digit would extend a short escape, so then all three digits are needed.
          const next = bytes[i + 1];
          const digits = c.toString(8);
          out += `\\${next !== undefined && next >= 0x30 && next <= 0x37 ? digits.padStart(3, '0') : digits}`;
        }
    }
  }
  return `${out}"`;
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

function formatResult(name: string, args: readonly bigint[], result: bigint | null): string {
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
      return result === 0n ? '0' : `${hex(result)} (flags ${flags(result, X.FD_FLAGS, null)})`;
    case 'dumpable': {
      const dumpable = lookup(X.SUID_DUMP, result);
      return dumpable ? `${result} (${dumpable})` : String(result);
    }
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
  if (isXlatKind(kind)) {
    const info = XLAT_KINDS[kind];
    const value = BigInt.asUintN(32, v);
    return info.style === 'flags' ? flags(value, info.table, info.unknown) : xval(value, info.table, info.unknown);
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
    case 'struct_ptr':
      return pointer(v);
    case 'path':
      return path(v, mem);
    case 'path_out':
      return succeeded(result) ? path(v, mem) : pointer(v);
    case 'string':
      return string(v, s.max ?? MAX_STRLEN, mem);
    case 'buf_in':
      return buffer(v, BigInt.asUintN(64, args[s.len ?? index + 1] ?? 0n), false, mem);
    case 'buf_out':
    case 'buf_out_hex':
      return succeeded(result) ? buffer(v, BigInt.asUintN(64, result), kind === 'buf_out_hex', mem) : pointer(v);
    case 'timespec':
      return timespec(v, mem);
    case 'timespec_out':
      return succeeded(result) ? timespec(v, mem) : pointer(v);
    case 'dirents_out':
      return succeeded(result) ? dirents(v, Number(result), mem) : pointer(v);
    case 'string_array':
      return stringArray(v, mem);
    case 'envp':
      return envCount(v, mem);
    case 'mode':
      return octal(BigInt.asUintN(32, v));
    case 'open_flags':
      return openFlags(v);
    case 'mmap_flags':
      return mmapFlags(BigInt.asUintN(64, v));
    case 'clone_flags':
      return cloneFlags(BigInt.asUintN(64, v));
    case 'signal':
      return X.signalName(Number(BigInt.asIntN(32, v)));
    case 'ioctl_cmd':
      return ioctlName(Number(BigInt.asUintN(32, v)));
    case 'uffdio':
      return formatUffdIoctlArg(Number(BigInt.asUintN(32, args[1] ?? 0n)), v, succeeded(result), mem);
  }
}

function hex(v: bigint): string {
  const u = BigInt.asUintN(64, v);
  return u === 0n ? '0' : `0x${u.toString(16)}`;
}

function pointer(v: bigint): string {
  return BigInt.asUintN(64, v) === 0n ? 'NULL' : hex(v);
}

/** %#03o: "000", "022", "0644". */
function octal(v: bigint): string {
  return v === 0n ? '000' : `0${v.toString(8)}`.padStart(3, '0');
}

function lookup(table: X.Xlat, value: bigint): string | undefined {
  return table.find(([, v]) => BigInt(v) === value)?.[0];
}

function xval(value: bigint, table: X.Xlat, unknown: string | null): string {
  return lookup(table, value) ?? (unknown ? `${hex(value)} /* ${unknown} */` : hex(value));
}

function flags(value: bigint, table: X.Xlat, unknown: string | null): string {
  if (value === 0n) return lookup(table, 0n) ?? '0';
  const names: string[] = [];
  let rest = value;
  for (const [name, bits] of table) {
    const b = BigInt(bits);
    if (b !== 0n && (rest & b) === b) {
      names.push(name);
      rest &= ~b;
    }
  }
  if (names.length === 0) return unknown ? `${hex(rest)} /* ${unknown} */` : hex(rest);
  if (rest !== 0n) names.push(hex(rest));
  return names.join('|');
}

function openFlags(v: bigint): string {
  const value = BigInt.asUintN(32, v);
  const access = lookup(X.OPEN_ACCESS_MODES, value & 3n)!;
  const rest = value & ~3n;
  return rest === 0n ? access : `${access}|${flags(rest, X.OPEN_FLAGS, null)}`;
}

function mmapFlags(value: bigint): string {
  const type = value & 0xfn;
  const hugeMask = BigInt(X.MAP_HUGE_MASK) << BigInt(X.MAP_HUGE_SHIFT);
  const huge = (value & hugeMask) >> BigInt(X.MAP_HUGE_SHIFT);
  const rest = value & ~0xfn & ~hugeMask;
  const parts = [xval(type, X.MMAP_TYPES, 'MAP_???')];
  if (rest !== 0n) parts.push(flags(rest, X.MMAP_FLAGS, null));
  if (huge !== 0n) parts.push(`${huge}<<MAP_HUGE_SHIFT`);
  return parts.join('|');
}

function cloneFlags(value: bigint): string {
  const sig = Number(value & 0xffn);
  const rest = value & ~0xffn;
  if (rest === 0n) return sig ? X.signalName(sig) : '0';
  const text = flags(rest, X.CLONE_FLAGS, 'CLONE_???');
  return sig ? `${text}|${X.signalName(sig)}` : text;
}

const IOC_DIRS = ['_IOC_NONE', '_IOC_WRITE', '_IOC_READ', '_IOC_READ|_IOC_WRITE'];

function ioctlName(cmd: number): string {
  const known = X.IOCTLS.get(cmd) ?? (isUffdIoctl(cmd) ? [uffdIoctlName(cmd)!] : undefined);
  if (known) return known[0];
  const field = (shift: number, mask: number) => hex(BigInt((cmd >>> shift) & mask));
  return `_IOC(${IOC_DIRS[cmd >>> 30]}, ${field(8, 0xff)}, ${field(0, 0xff)}, ${field(16, 0x3fff)})`;
}

function path(addr: bigint, mem: GuestReader): string {
  if (BigInt.asUintN(64, addr) === 0n) return 'NULL';
  const s = mem.readCString(addr, PATH_MAX);
  return s === null ? pointer(addr) : quoteBytes(utf8(s));
}

/** A C string cut after `max` bytes with "..." after the closing quote. */
function string(addr: bigint, max: number, mem: GuestReader): string {
  if (BigInt.asUintN(64, addr) === 0n) return 'NULL';
  const s = mem.readCString(addr, max + 1);
  if (s === null) return pointer(addr);
  const bytes = utf8(s);
  return bytes.length > max ? `${quoteBytes(bytes.subarray(0, max))}...` : quoteBytes(bytes);
}

function buffer(addr: bigint, len: bigint, forceHex: boolean, mem: GuestReader): string {
  if (BigInt.asUintN(64, addr) === 0n) return 'NULL';
  const shown = len > BigInt(MAX_STRLEN) ? MAX_STRLEN : Number(len);
  const bytes = mem.readBytes(addr, shown);
  if (bytes === null) return pointer(addr);
  return `${quoteBytes(bytes, forceHex)}${len > BigInt(shown) ? '...' : ''}`;
}

function timespec(addr: bigint, mem: GuestReader): string {
  if (BigInt.asUintN(64, addr) === 0n) return 'NULL';
  const bytes = mem.readBytes(addr, TIMESPEC_SIZE);
  if (bytes === null) return pointer(addr);
  const ts = decodeTimespec(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0);
  return `{tv_sec=${ts.sec}, tv_nsec=${ts.nsec}}`;
}

/** Counts the linux_dirent64 records getdents64 stored: each starts with d_reclen at +16. */
function dirents(addr: bigint, used: number, mem: GuestReader): string {
  const bytes = mem.readBytes(addr, used);
  if (bytes === null) return pointer(addr);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let count = 0;
  for (let off = 0; off + 18 <= used; count++) {
    const reclen = view.getUint16(off + 16, true);
    if (reclen === 0) break;
    off += reclen;
  }
  return `${pointer(addr)} /* ${count} entries */`;
}

function readWord(addr: bigint, mem: GuestReader): bigint | null {
  const bytes = mem.readBytes(addr, 8);
  return bytes === null ? null : new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
}

/** argv: ["a", "b", ...] with at most 32 strings shown. */
function stringArray(addr: bigint, mem: GuestReader): string {
  if (BigInt.asUintN(64, addr) === 0n) return 'NULL';
  const items: string[] = [];
  for (let n = 0; n < MAX_ARRAY_WALK; n++) {
    const slot = addr + 8n * BigInt(n);
    const word = readWord(slot, mem);
    if (word === null) {
      if (n === 0) return pointer(addr);
      items.push(`... /* ${hex(slot)} */`);
      break;
    }
    if (word === 0n) break;
    if (n >= MAX_STRLEN) {
      items.push('...');
      break;
    }
    items.push(string(word, MAX_STRLEN, mem));
  }
  return `[${items.join(', ')}]`;
}

/** envp as strace abbreviates it: the address and a comment with the number of strings. */
function envCount(addr: bigint, mem: GuestReader): string {
  if (BigInt.asUintN(64, addr) === 0n) return 'NULL';
  let n = 0;
  for (; n < MAX_ARRAY_WALK; n++) {
    const word = readWord(addr + 8n * BigInt(n), mem);
    if (word === null) {
      if (n === 0) return pointer(addr);
      break;
    }
    if (word === 0n) break;
  }
  return `${pointer(addr)} /* ${n} var${n === 1 ? '' : 's'} */`;
}
