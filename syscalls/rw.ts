// read/write and their positional, vectored and in-kernel-copy variants, and lseek.
import { Errno } from '../kernel-shim/errno.js';
import type { OpenFile } from '../kernel-shim/fs/file.js';
import { canRead, canWrite, O_APPEND } from '../kernel-shim/fs/constants.js';
import type { Task } from '../kernel-shim/task.js';
import { MAX_RW_COUNT, fileOf } from './guest.js';
import { decodeIovecs, IOVEC_SIZE } from '../kernel-shim/abi/iovec.js';
import type { SyscallDef } from './types.js';
import { hostReadGate, ioResult } from './blocking.js';

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

/** Reads into guest memory at addr: the file fills a host buffer, which is then copied in. */
function readInto(t: Task, addr: number, count: number, read: (buf: Uint8Array) => number): number {
  const n = Math.min(count, MAX_RW_COUNT);
  if (n === 0) return read(new Uint8Array(0));
  const probe = t.process.mm.read(addr, 1);
  if (probe === null) return -Errno.EFAULT;
  const buf = new Uint8Array(n);
  const got = read(buf);
  if (got <= 0) return got;
  return t.process.mm.write(addr, buf.subarray(0, got)) ? got : -Errno.EFAULT;
}

function writeFrom(t: Task, addr: number, count: number, write: (buf: Uint8Array) => number): number {
  const data = t.process.mm.read(addr, Math.min(count, MAX_RW_COUNT));
  if (data === null) return -Errno.EFAULT;
  return write(data);
}

function position(a: { argBig(i: number): bigint }, i: number): bigint | number {
  const pos = BigInt.asIntN(64, a.argBig(i));
  return pos < 0n ? -Errno.EINVAL : pos;
}

/** iovecs with Number fields: lengths clamped to MAX_RW_COUNT, unrepresentable bases as -1 (EFAULT). */
function readIovecs(t: Task, addr: number, count: number): { base: number; len: number }[] | number {
  if (count < 0 || count > UIO_MAXIOV) return -Errno.EINVAL;
  const raw = t.process.mm.read(addr, count * IOVEC_SIZE);
  if (raw === null) return -Errno.EFAULT;
  const iovs = decodeIovecs(new DataView(raw.buffer, raw.byteOffset, raw.length), 0, count);
  let total = 0n;
  for (const v of iovs) {
    total += v.len;
    if (total > 0x7fffffffffffffffn) return -Errno.EINVAL;
  }
  return iovs.map((v) => ({ base: v.base > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(v.base), len: Number(v.len > BigInt(MAX_RW_COUNT) ? BigInt(MAX_RW_COUNT) : v.len) }));
}

function vectoredRead(t: Task, iovAddr: number, count: number, read: (buf: Uint8Array) => number): number {
  const iovs = readIovecs(t, iovAddr, count);
  if (typeof iovs === 'number') return iovs;
  const total = Math.min(iovs.reduce((n, v) => n + v.len, 0), MAX_RW_COUNT);
  const buf = new Uint8Array(total);
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
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const v of iovs) {
    const n = Math.min(v.len, MAX_RW_COUNT - total);
    const data = t.process.mm.read(v.base, n);
    if (data === null) return -Errno.EFAULT;
    parts.push(data);
    total += n;
  }
  return write(Buffer.concat(parts, total));
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

export const rwSyscalls: SyscallDef[] = [
  {
    name: 'read', support: 'full',
    handler: (_k, t, a) => {
      const f = readableFile(t, a.int(0));
      if (typeof f === 'number') return f;
      return hostReadGate(f) ?? ioResult(t, f, readInto(t, a.arg(1), a.arg(2), (b) => f.read(b)));
    },
  },
  {
    name: 'write', support: 'full',
    handler: (_k, t, a) => {
      const f = writableFile(t, a.int(0));
      if (typeof f === 'number') return f;
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
