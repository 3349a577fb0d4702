// read/write and their positional, vectored and in-kernel-copy variants, and lseek.
import { Errno } from '../kernel-shim/errno.js';
import type { OpenFile } from '../kernel-shim/fs/file.js';
import { canRead, canWrite, O_APPEND, SEEK_CUR } from '../kernel-shim/fs/constants.js';
import type { Task } from '../kernel-shim/task.js';
import { MAX_RW_COUNT, fileOf } from './guest.js';
import { decodeIovecs, IOVEC_SIZE } from '../kernel-shim/abi/iovec.js';
import { accessOk, userPrefix } from '../kernel-shim/mm/uaccess.js';
import type { SyscallDef } from './types.js';
import { hostReadGate, ioResult } from './blocking.js';
import { trampfdOf } from '../kernel-shim/trampfd/file.js';

const UIO_MAXIOV = 1024;
const COPY_CHUNK = 1 << 20;

function readableFile(t: Task, fd: number): OpenFile | number {
  const f = fileOf(t, fd);
  if (typeof f === 'number') return f;
  return canRead(f.flags) ? f : -Errno.EBADF;
}

function writableFile(t: Task, fd: number): OpenFile | number {
  const f = fileOf(t, fd);
  if (typeof f === 'number') return f;
  return canWrite(f.flags) ? f : -Errno.EBADF;
}

/**
 * Reads into guest memory at addr. Linux copies straight from the file into user memory and
 * stops at the first bad page, so only the writable prefix of the buffer is read: the offset
 * advances by what landed, and a buffer with no valid byte is EFAULT with nothing consumed.
 */
function readInto(t: Task, addr: number, count: number, read: (buf: Uint8Array) => number): number {
  if (!accessOk(addr, count)) return -Errno.EFAULT;
  const n = Math.min(count, MAX_RW_COUNT);
  if (n === 0) return read(new Uint8Array(0));
  const valid = userPrefix(t.process.mm, addr, n, true);
  if (valid === 0) return -Errno.EFAULT;
  const buf = new Uint8Array(valid);
  const got = read(buf);
  if (got <= 0) return got;
  return t.process.mm.write(addr, buf.subarray(0, got)) ? got : -Errno.EFAULT;
}

/** Writes from guest memory: the readable prefix of the buffer is written (a short count). */
function writeFrom(t: Task, addr: number, count: number, write: (buf: Uint8Array) => number): number {
  if (!accessOk(addr, count)) return -Errno.EFAULT;
  const n = Math.min(count, MAX_RW_COUNT);
  const valid = n === 0 ? 0 : userPrefix(t.process.mm, addr, n, false);
  if (n > 0 && valid === 0) return -Errno.EFAULT;
  const data = t.process.mm.read(addr, valid);
  return data === null ? -Errno.EFAULT : write(data);
}

function position(a: { argBig(i: number): bigint }, i: number): bigint | number {
  const pos = BigInt.asIntN(64, a.argBig(i));
  return pos < 0n ? -Errno.EINVAL : pos;
}

/**
 * iovecs as import_iovec() checks them: lengths clamped so the total stays within
 * MAX_RW_COUNT, and EFAULT for any element outside the user half.
 */
export function readIovecs(t: Task, addr: number, count: number): { base: number; len: number }[] | number {
  if (count < 0 || count > UIO_MAXIOV) return -Errno.EINVAL;
  const raw = t.process.mm.read(addr, count * IOVEC_SIZE);
  if (raw === null) return -Errno.EFAULT;
  const iovs = decodeIovecs(new DataView(raw.buffer, raw.byteOffset, raw.length), 0, count);
  let total = 0;
  const out: { base: number; len: number }[] = [];
  for (const v of iovs) {
    if (v.len > 0x7fffffffffffffffn) return -Errno.EINVAL;
    const len = Math.min(Number(v.len), MAX_RW_COUNT - total);
    if (v.base > BigInt(Number.MAX_SAFE_INTEGER) || !accessOk(Number(v.base), len)) return -Errno.EFAULT;
    out.push({ base: Number(v.base), len });
    total += len;
  }
  return out;
}

/** The leading bytes of the iovecs the kernel could copy before the first bad page. */
function validIovecPrefix(t: Task, iovs: { base: number; len: number }[], write: boolean): number {
  let total = 0;
  for (const v of iovs) {
    const n = userPrefix(t.process.mm, v.base, v.len, write);
    total += n;
    if (n < v.len) break;
  }
  return total;
}

function vectoredRead(t: Task, iovAddr: number, count: number, read: (buf: Uint8Array) => number): number {
  const iovs = readIovecs(t, iovAddr, count);
  if (typeof iovs === 'number') return iovs;
  const total = iovs.reduce((n, v) => n + v.len, 0);
  const valid = validIovecPrefix(t, iovs, true);
  if (total > 0 && valid === 0) return -Errno.EFAULT;
  const buf = new Uint8Array(valid);
  const got = read(buf);
  if (got <= 0) return got;
  let done = 0;
  for (const v of iovs) {
    if (done >= got) break;
    const n = Math.min(v.len, got - done);
    if (!t.process.mm.write(v.base, buf.subarray(done, done + n))) return done > 0 ? done : -Errno.EFAULT;
    done += n;
  }
  return got;
}

function vectoredWrite(t: Task, iovAddr: number, count: number, write: (buf: Uint8Array) => number): number {
  const iovs = readIovecs(t, iovAddr, count);
  if (typeof iovs === 'number') return iovs;
  const total = iovs.reduce((n, v) => n + v.len, 0);
  let left = validIovecPrefix(t, iovs, false);
  if (total > 0 && left === 0) return -Errno.EFAULT;
  const parts: Uint8Array[] = [];
  for (const v of iovs) {
    if (left === 0) break;
    const data = t.process.mm.read(v.base, Math.min(v.len, left));
    if (data === null) return -Errno.EFAULT;
    parts.push(data);
    left -= data.length;
  }
  return write(Buffer.concat(parts));
}

/** Copies up to count bytes between files through a bounce buffer (sendfile, copy_file_range). */
function copyBetween(count: number, read: (buf: Uint8Array) => number, write: (buf: Uint8Array) => number): number {
  let done = 0;
  const buf = new Uint8Array(Math.min(count, COPY_CHUNK));
  while (done < count) {
    const got = read(buf.subarray(0, Math.min(buf.length, count - done)));
    if (got < 0) return done > 0 ? done : got;
    if (got === 0) break;
    const put = write(buf.subarray(0, got));
    if (put < 0) return done > 0 ? done : put;
    done += put;
    if (put < got) break;
  }
  return done;
}

/**
 * copy_file_range within one file may not overlap itself (generic_copy_file_checks), after
 * the count is shortened to the input's end of file.
 */
function overlapsItself(input: OpenFile, inPos: bigint | null, out: OpenFile, outPos: bigint | null, count: bigint): boolean {
  const a = input.stat();
  const b = out.stat();
  if (typeof a === 'number' || typeof b === 'number' || a.dev !== b.dev || a.ino !== b.ino) return false;
  const posIn = inPos ?? input.seek(0n, SEEK_CUR);
  const posOut = outPos ?? out.seek(0n, SEEK_CUR);
  if (typeof posIn === 'number' || typeof posOut === 'number') return false;
  const n = posIn >= a.size ? 0n : count < a.size - posIn ? count : a.size - posIn;
  return posOut + n > posIn && posOut < posIn + n;
}

export const rwSyscalls: SyscallDef[] = [
  {
    name: 'read', support: 'full',
    handler: (_k, t, a) => {
      const f = readableFile(t, a.int(0));
      if (typeof f === 'number') return f;
      const tramp = trampfdOf(f); // symbolic offsets, its own copy rules (kernel-shim/trampfd/file.ts)
      if (tramp !== undefined) return tramp.userIo(t, false, a.arg(1), a.arg(2), null);
      return hostReadGate(f) ?? ioResult(t, f, readInto(t, a.arg(1), a.arg(2), (b) => f.read(b)));
    },
  },
  {
    name: 'write', support: 'full',
    handler: (_k, t, a) => {
      const f = writableFile(t, a.int(0));
      if (typeof f === 'number') return f;
      const tramp = trampfdOf(f);
      if (tramp !== undefined) return tramp.userIo(t, true, a.arg(1), a.arg(2), null);
      return ioResult(t, f, writeFrom(t, a.arg(1), a.arg(2), (b) => f.write(b)));
    },
  },
  {
    name: 'pread64', support: 'full',
    handler: (_k, t, a) => {
      const f = readableFile(t, a.int(0));
      if (typeof f === 'number') return f;
      const pos = position(a, 3);
      if (typeof pos === 'number') return pos;
      const tramp = trampfdOf(f);
      if (tramp !== undefined) return tramp.userIo(t, false, a.arg(1), a.arg(2), pos);
      return readInto(t, a.arg(1), a.arg(2), (b) => f.pread(b, pos));
    },
  },
  {
    name: 'pwrite64', support: 'full',
    handler: (_k, t, a) => {
      const f = writableFile(t, a.int(0));
      if (typeof f === 'number') return f;
      const pos = position(a, 3);
      if (typeof pos === 'number') return pos;
      const tramp = trampfdOf(f);
      if (tramp !== undefined) return tramp.userIo(t, true, a.arg(1), a.arg(2), pos);
      return writeFrom(t, a.arg(1), a.arg(2), (b) => f.pwrite(b, pos));
    },
  },
  {
    name: 'readv', support: 'full',
    handler: (_k, t, a) => {
      const f = readableFile(t, a.int(0));
      if (typeof f === 'number') return f;
      return hostReadGate(f) ?? ioResult(t, f, vectoredRead(t, a.arg(1), a.int(2), (b) => f.read(b)));
    },
  },
  {
    name: 'writev', support: 'full',
    handler: (_k, t, a) => {
      const f = writableFile(t, a.int(0));
      if (typeof f === 'number') return f;
      return ioResult(t, f, vectoredWrite(t, a.arg(1), a.int(2), (b) => f.write(b)));
    },
  },
  ...(['preadv', 'preadv2'] as const).map((name): SyscallDef => ({
    name, support: 'full',
    handler: (_k, t, a) => {
      const f = readableFile(t, a.int(0));
      if (typeof f === 'number') return f;
      const pos = BigInt.asIntN(64, a.argBig(3));
      if (name === 'preadv2' && pos === -1n) return vectoredRead(t, a.arg(1), a.int(2), (b) => f.read(b));
      if (pos < 0n) return -Errno.EINVAL;
      return vectoredRead(t, a.arg(1), a.int(2), (b) => f.pread(b, pos));
    },
  })),
  ...(['pwritev', 'pwritev2'] as const).map((name): SyscallDef => ({
    name, support: 'full',
    handler: (_k, t, a) => {
      const f = writableFile(t, a.int(0));
      if (typeof f === 'number') return f;
      const pos = BigInt.asIntN(64, a.argBig(3));
      if (name === 'pwritev2' && pos === -1n) return vectoredWrite(t, a.arg(1), a.int(2), (b) => f.write(b));
      if (pos < 0n) return -Errno.EINVAL;
      return vectoredWrite(t, a.arg(1), a.int(2), (b) => f.pwrite(b, pos));
    },
  })),
  {
    name: 'lseek', support: 'full',
    handler: (_k, t, a) => {
      const f = fileOf(t, a.int(0));
      if (typeof f === 'number') return f;
      return f.seek(BigInt.asIntN(64, a.argBig(1)), a.int(2));
    },
  },
  {
    name: 'sendfile', support: 'full',
    handler: (_k, t, a) => {
      const out = writableFile(t, a.int(0));
      const input = readableFile(t, a.int(1));
      if (typeof out === 'number') return out;
      if (typeof input === 'number') return input;
      if (out.flags & O_APPEND) return -Errno.EINVAL;
      const count = Math.min(a.arg(3), MAX_RW_COUNT);
      const offAddr = a.arg(2);
      if (offAddr === 0) return copyBetween(count, (b) => input.read(b), (b) => out.write(b));
      const start = t.process.mm.readU64(offAddr);
      if (start === null) return -Errno.EFAULT;
      let pos = BigInt.asIntN(64, start);
      if (pos < 0n) return -Errno.EINVAL;
      const n = copyBetween(count, (b) => input.pread(b, pos), (b) => {
        const w = out.write(b);
        if (w > 0) pos += BigInt(w);
        return w;
      });
      if (n >= 0 && !t.process.mm.writeU64(offAddr, pos)) return -Errno.EFAULT;
      return n;
    },
  },
  {
    name: 'copy_file_range', support: 'full',
    handler: (_k, t, a) => {
      if (a.arg(5) !== 0) return -Errno.EINVAL;
      const input = readableFile(t, a.int(0));
      const out = writableFile(t, a.int(2));
      if (typeof input === 'number' || typeof out === 'number') return -Errno.EBADF;
      if (out.flags & O_APPEND) return -Errno.EBADF;
      const mm = t.process.mm;
      const inAddr = a.arg(1);
      const outAddr = a.arg(3);
      let inPos: bigint | null = null;
      let outPos: bigint | null = null;
      if (inAddr !== 0) {
        const v = mm.readU64(inAddr);
        if (v === null) return -Errno.EFAULT;
        inPos = BigInt.asIntN(64, v);
      }
      if (outAddr !== 0) {
        const v = mm.readU64(outAddr);
        if (v === null) return -Errno.EFAULT;
        outPos = BigInt.asIntN(64, v);
      }
      if ((inPos !== null && inPos < 0n) || (outPos !== null && outPos < 0n)) return -Errno.EINVAL;
      if (overlapsItself(input, inPos, out, outPos, BigInt(a.arg(4)))) return -Errno.EINVAL;
      const n = copyBetween(Math.min(a.arg(4), MAX_RW_COUNT), (b) => {
        if (inPos === null) return input.read(b);
        const r = input.pread(b, inPos);
        if (r > 0) inPos += BigInt(r);
        return r;
      }, (b) => {
        if (outPos === null) return out.write(b);
        const w = out.pwrite(b, outPos);
        if (w > 0) outPos += BigInt(w);
        return w;
      });
      if (n < 0) return n;
      if (inPos !== null && !mm.writeU64(inAddr, inPos)) return -Errno.EFAULT;
      if (outPos !== null && !mm.writeU64(outAddr, outPos)) return -Errno.EFAULT;
      return n;
    },
  },
];
