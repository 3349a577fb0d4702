// #! scripts, parsed as Linux's fs/binfmt_script.c does: only the first BINPRM_BUF_SIZE
// bytes are looked at, only spaces and tabs separate, and everything after the
// interpreter is one argument.
import { noexec } from './errors.js';
import type { Shebang } from './plan.js';

const BINPRM_BUF_SIZE = 256;
const NL = 0x0a;

const isSpaceTab = (c: number): boolean => c === 0x20 || c === 0x09;

/** Index of the first byte in [from, last] that is not a space or tab, or -1. */
function nextNonSpaceTab(buf: Uint8Array, from: number, last: number): number {
  for (let i = from; i <= last; i++) if (!isSpaceTab(buf[i])) return i;
  return -1;
}

/** Index of the first space, tab or NUL in [from, last], or -1. */
function nextTerminator(buf: Uint8Array, from: number, last: number): number {
  for (let i = from; i <= last; i++) if (isSpaceTab(buf[i]) || buf[i] === 0) return i;
  return -1;
}

/** The C string in buf[from, end): it stops at the first NUL. */
function cString(buf: Uint8Array, from: number, end: number): string {
  const nul = buf.subarray(from, end).indexOf(0);
  return Buffer.from(buf.subarray(from, nul < 0 ? end : from + nul)).toString('latin1'); // a path is bytes
}

/**
 * The interpreter and optional argument of a #! script, or null when the file does not
 * start with "#!". Throws LoadError (ENOEXEC) when the line names no interpreter or the
 * interpreter path would be cut off by the 256-byte limit (an over-long argument is just
 * truncated, as in current Linux).
 */
export function parseShebang(bytes: Uint8Array): Shebang | null {
  if (bytes[0] !== 0x23 || bytes[1] !== 0x21) return null;
  // Linux reads into a zeroed buffer, so a short file ends in NULs.
  const buf = new Uint8Array(BINPRM_BUF_SIZE);
  buf.set(bytes.subarray(0, BINPRM_BUF_SIZE));
  const bufEnd = BINPRM_BUF_SIZE - 1;

  let end = buf.indexOf(NL);
  if (end < 0) {
    const first = nextNonSpaceTab(buf, 2, bufEnd);
    if (first < 0 || nextTerminator(buf, first, bufEnd) < 0) {
      throw noexec('#! line is longer than 256 bytes: the interpreter path would be truncated');
    }
    // As in Linux, the buffer's last byte is never part of the line.
    end = bufEnd;
  }
  while (isSpaceTab(buf[end - 1])) end--;

  const name = nextNonSpaceTab(buf, 2, end);
  if (name < 0 || name === end) throw noexec('#! line names no interpreter');
  const sep = nextTerminator(buf, name, end);
  const interpreter = cString(buf, name, sep < 0 ? end : sep);
  const argAt = sep >= 0 && buf[sep] !== 0 ? nextNonSpaceTab(buf, sep, end) : -1;
  return argAt < 0 ? { interpreter } : { interpreter, arg: cString(buf, argAt, end) };
}
