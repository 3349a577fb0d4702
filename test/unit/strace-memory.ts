// Test helpers for the strace formatting tests: guest memory made of byte ranges, the structs
// put there, and the line strace prints for a call with given raw arguments.
import { formatSyscall, type GuestReader } from '../../syscalls/strace.js';
import { argKinds } from '../../syscalls/strace-signature.js';

/** Little-endian bytes written through a DataView. */
export function bytes(size: number, fill: (dv: DataView) => void): Uint8Array {
  const out = new Uint8Array(size);
  fill(new DataView(out.buffer));
  return out;
}

/** Consecutive little-endian 64-bit words (negative values as two's complement): a struct
 * of longs or an array of them. */
export function words64(words: readonly bigint[]): Uint8Array {
  return bytes(8 * words.length, (dv) => words.forEach((w, i) => dv.setBigUint64(8 * i, w, true)));
}

/** A 128-byte siginfo: signo, code, the sender's or child's pid and uid, and the word after
 * them (si_value, or si_status in its low half). */
export function siginfo(signo: number, code: number, pid: number, uid: number, word: bigint): Uint8Array {
  return bytes(128, (dv) => {
    dv.setInt32(0, signo, true);
    dv.setInt32(8, code, true);
    dv.setInt32(16, pid, true);
    dv.setUint32(20, uid, true);
    dv.setBigUint64(24, word, true);
  });
}

/** Guest memory made of mapped byte ranges; anything else is unreadable. */
export class FakeMemory implements GuestReader {
  private readonly regions: { addr: bigint; bytes: Uint8Array }[] = [];
  private readonly entry = new Map<bigint, Uint8Array>();

  /** Bytes at addr as they were when the call started (a length it rewrote). */
  atEntry(addr: bigint, bytes: Uint8Array): this {
    this.entry.set(addr, bytes);
    return this;
  }

  entryBytes(addr: bigint, len: number): Uint8Array | null {
    const bytes = this.entry.get(addr);
    return bytes !== undefined && bytes.length >= len ? bytes : null;
  }

  map(addr: bigint, bytes: Uint8Array): this {
    this.regions.push({ addr, bytes });
    return this;
  }

  string(addr: bigint, s: string): this {
    return this.map(addr, new Uint8Array([...new TextEncoder().encode(s), 0]));
  }

  words(addr: bigint, words: readonly bigint[]): this {
    return this.map(addr, words64(words));
  }

  readBytes(addr: bigint, len: number): Uint8Array | null {
    const r = this.regions.find((r) => addr >= r.addr && addr + BigInt(len) <= r.addr + BigInt(r.bytes.length));
    return r ? r.bytes.slice(Number(addr - r.addr), Number(addr - r.addr) + len) : null;
  }

  readCString(addr: bigint, max: number): string | null {
    const r = this.regions.find((r) => addr >= r.addr && addr < r.addr + BigInt(r.bytes.length));
    if (!r) return null;
    const rest = r.bytes.subarray(Number(addr - r.addr));
    const nul = rest.indexOf(0);
    const end = Math.min(nul < 0 ? rest.length : nul, max);
    return Buffer.from(rest.subarray(0, end)).toString('latin1'); // a byte string, as the kernel's reader returns
  }
}

export const none = new FakeMemory();
export const BUF = 0x7ffd20e1faa0n;
export const ERR = (e: number) => BigInt(-e);
export const ENOENT = ERR(2);
export const EBADF = ERR(9);
export const EFAULT = ERR(14);
export const EINVAL = ERR(22);

/** The line strace prints for `name` with these raw arguments. */
export function line(name: string, args: readonly bigint[], result: bigint | null, mem: GuestReader = none): string {
  return formatSyscall(name, argKinds(name, args), args, result, mem);
}
