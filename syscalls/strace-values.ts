// strace's ways of printing single values: numbers, addresses, named flags and values,
// quoted strings and buffers read from guest memory (strace 6.1 defaults: -s 32).
import { stringBytes } from '../kernel-shim/abi/bytes.js';
import type { Xlat } from '../kernel-shim/abi/xlat.js';
import * as F from '../kernel-shim/abi/xlat.js';

/** Guest memory as the formatter needs it. null means the range is not readable (EFAULT). */
export interface GuestReader {
  /** Up to `max` bytes from addr, stopping before the first NUL, decoded as UTF-8. */
  readCString(addr: bigint, max: number): string | null;
  readBytes(addr: bigint, len: number): Uint8Array | null;
  /** Bytes as they were when the call started, for lengths it rewrites (strace's [128 => 16]); absent or null: not kept. */
  entryBytes?(addr: bigint, len: number): Uint8Array | null;
}

/** strace -s: bytes of a string, and elements of an array, shown before "...". */
export const MAX_STRLEN = 32;
const PATH_MAX = 4096;

export function hex(v: bigint): string {
  const u = BigInt.asUintN(64, v);
  return u === 0n ? '0' : `0x${u.toString(16)}`;
}

export function pointer(v: bigint): string {
  return BigInt.asUintN(64, v) === 0n ? 'NULL' : hex(v);
}

export function isNull(addr: bigint): boolean {
  return BigInt.asUintN(64, addr) === 0n;
}

/** %#03o: "000", "022", "0644". */
export function octal(v: bigint): string {
  return v === 0n ? '000' : `0${v.toString(8)}`.padStart(3, '0');
}

export function lookup(table: Xlat, value: bigint): string | undefined {
  return table.find(([, v]) => BigInt(v) === value)?.[0];
}

/** One name, or the hex value with "/* UNKNOWN *\/" (bare hex when unknown is null). */
export function xval(value: bigint, table: Xlat, unknown: string | null): string {
  return lookup(table, value) ?? (unknown ? `${hex(value)} /* ${unknown} */` : hex(value));
}

/** The decimal value with its name in a comment: 10 /* SYSLOG_ACTION_SIZE_BUFFER *\/. */
export function commented(value: bigint, table: Xlat, unknown: string | null): string {
  return `${value} /* ${lookup(table, value) ?? unknown} */`;
}

/** Names OR'ed in table order; leftover bits as hex; no known bit at all gets the unknown comment. */
export function flags(value: bigint, table: Xlat, unknown: string | null): string {
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

export function openFlags(v: bigint): string {
  const value = BigInt.asUintN(32, v);
  const access = lookup(F.OPEN_ACCESS_MODES, value & 3n)!;
  const rest = value & ~3n;
  return rest === 0n ? access : `${access}|${flags(rest, F.OPEN_FLAGS, null)}`;
}

const S_IFMT = 0o170000n;
const SPECIAL_BITS = 0o7000n;

/** A mode with its file type: S_IFCHR|0600, S_IFREG|S_ISUID|0755; without a known type, octal. */
export function fileMode(v: bigint): string {
  const mode = BigInt.asUintN(32, v);
  const type = lookup(F.FILE_TYPES, mode & S_IFMT);
  if ((mode & S_IFMT) === 0n || type === undefined) return octal(mode);
  const special = F.MODE_SPECIAL_BITS.filter(([, bit]) => (mode & BigInt(bit)) !== 0n).map(([name]) => `${name}|`);
  return `${type}|${special.join('')}${octal(mode & ~S_IFMT & ~SPECIAL_BITS)}`;
}

/** glibc's major()/minor() split of a dev_t: makedev(0x1, 0x3). */
export function device(v: bigint): string {
  const dev = BigInt.asUintN(64, v);
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  return `makedev(${hex(major)}, ${hex(minor)})`;
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

export function path(addr: bigint, mem: GuestReader): string {
  if (isNull(addr)) return 'NULL';
  const s = mem.readCString(addr, PATH_MAX);
  return s === null ? pointer(addr) : quoteBytes(stringBytes(s));
}

/** A C string cut after `max` bytes with "..." after the closing quote. */
export function string(addr: bigint, max: number, mem: GuestReader): string {
  if (isNull(addr)) return 'NULL';
  const s = mem.readCString(addr, max + 1);
  if (s === null) return pointer(addr);
  const bytes = stringBytes(s);
  return bytes.length > max ? `${quoteBytes(bytes.subarray(0, max))}...` : quoteBytes(bytes);
}

/** `len` bytes at addr, of which 32 are shown. */
export function buffer(addr: bigint, len: bigint, forceHex: boolean, mem: GuestReader): string {
  if (isNull(addr)) return 'NULL';
  const shown = len > BigInt(MAX_STRLEN) ? MAX_STRLEN : Number(len);
  const bytes = mem.readBytes(addr, shown);
  if (bytes === null) return pointer(addr);
  return `${quoteBytes(bytes, forceHex)}${len > BigInt(shown) ? '...' : ''}`;
}

/** A little-endian view of `len` bytes at addr, or null when they are not readable. */
export function readView(addr: bigint, len: number, mem: GuestReader): DataView | null {
  if (isNull(addr)) return null;
  const bytes = mem.readBytes(addr, len);
  return bytes === null ? null : new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function readWord(addr: bigint, mem: GuestReader): bigint | null {
  return readView(addr, 8, mem)?.getBigUint64(0, true) ?? null;
}
