// Moving data between files and user memory: read/write and their positional and vectored
// forms, sendfile and copy_file_range. Linux copies straight between the file and user
// memory and stops at the first bad page; here the valid prefix of the buffer is measured
// first (uaccess.ts), so that nothing is consumed that cannot land.
import { IOVEC_SIZE, decodeIovecs } from '../abi/iovec.js';
import { Errno } from '../errno.js';
import { accessOk, userPrefix, userPrefixVec, userSpans } from '../mm/uaccess.js';
import type { Task } from '../task.js';
import { trampfdOf } from '../trampfd/file.js';
import type { Block } from '../wait.js';
import { blockingWrite, hostReadGate, ioResult } from './blocking-io.js';
import { FIONREAD, O_APPEND, O_PATH, SEEK_CUR, SEEK_SET, S_IFIFO, S_IFMT, S_IFREG, canRead, canWrite } from './constants.js';
import type { OpenFile } from './file.js';
import { IN_ACCESS, IN_MODIFY } from '../notify/inotify-abi.js';

/** Largest count one read or write moves (MAX_RW_COUNT). */
export const MAX_RW_COUNT = 0x7ffff000;
const UIO_MAXIOV = 1024;
const COPY_CHUNK = 1 << 20;
/** The unit a pipe copies in (a pipe buffer is one page). */
const PIPE_PAGE = 4096;
/**
 * The most of a buffer that a file moving data straight from or to user memory (readSpans,
 * writeSpans) is given at once: its pages are faulted in up front, and a huge buffer should
 * not be made resident for a few bytes.
 */
const SPANS_MAX = 1 << 20;

/** The file behind fd if it was opened for reading (an O_PATH fd was not, whatever its mode bits). */
function readableFile(t: Task, fd: number): OpenFile | number {
  const f = t.process.fds.get(fd)?.file;
  return f !== undefined && !(f.flags & O_PATH) && canRead(f.flags) ? f : -Errno.EBADF;
}

function writableFile(t: Task, fd: number): OpenFile | number {
  const f = t.process.fds.get(fd)?.file;
  return f !== undefined && !(f.flags & O_PATH) && canWrite(f.flags) ? f : -Errno.EBADF;
}

/**
 * A buffer with no valid byte: Linux gives EFAULT only when the copy is reached, so a file
 * that refuses the call before copying (a directory's EISDIR, an eventfd's short-count
 * EINVAL) says so first; an empty transfer asks it without consuming anything.
 */
function refusalBeforeCopy(transfer: (buf: Uint8Array) => number): number {
  const r = transfer(new Uint8Array(0));
  return r < 0 ? r : -Errno.EFAULT;
}

/**
 * read(2) into a buffer with no valid byte: a file with a position is probed there without
 * moving it (end of file reads 0 and never reaches the copy); others as refusalBeforeCopy.
 */
function readRefusal(read: (buf: Uint8Array) => number, file: OpenFile | undefined, count: number): number {
  if (file?.refusalFor !== undefined) return file.refusalFor(count, false) || -Errno.EFAULT;
  const pos = file?.seek(0n, SEEK_CUR);
  if (file !== undefined && typeof pos === 'bigint') {
    const r = file.pread(new Uint8Array(1), pos);
    if (r !== -Errno.ESPIPE) return r <= 0 ? r : -Errno.EFAULT;
  }
  return refusalBeforeCopy(read);
}

/**
 * A positional read whose buffer has no valid byte: reading consumes nothing, so a one-byte
 * probe tells end of file (0, the copy is never reached) from data that cannot land.
 */
function positionalRefusal(read: (buf: Uint8Array) => number): number {
  const r = read(new Uint8Array(1));
  return r <= 0 ? r : -Errno.EFAULT;
}

/**
 * pread/pwrite's checks in Linux's order: a negative position, a missing fd, a file without
 * positional I/O (ESPIPE), then the access mode (EBADF).
 */
function positionalFile(t: Task, fd: number, rawPos: bigint, writing: boolean, addr: number, count: number): { f: OpenFile; pos: bigint } | number {
  const pos = position(rawPos);
  if (typeof pos === 'number') return pos;
  const f = t.process.fds.get(fd)?.file;
  if (f === undefined || f.flags & O_PATH) return -Errno.EBADF;
  const allowed = writing ? canWrite(f.flags) : canRead(f.flags);
  // Only a call about to fail asks the file whether it is a stream (ESPIPE comes first).
  if (allowed && accessOk(addr, count)) return { f, pos };
  const empty = new Uint8Array(0);
  if ((writing ? f.pwrite(empty, pos) : f.pread(empty, pos)) === -Errno.ESPIPE) return -Errno.ESPIPE;
  return allowed ? -Errno.EFAULT : -Errno.EBADF;
}

/** Bytes waiting in a pipe or FIFO (FIONREAD); undefined for any other file. */
function pipeBacklog(f: OpenFile): number | undefined {
  const st = f.stat();
  if (typeof st === 'number' || (st.mode & S_IFMT) !== S_IFIFO) return undefined;
  const out = new Uint8Array(4);
  return f.ioctl(FIONREAD, out) === 0 ? new DataView(out.buffer).getInt32(0, true) : undefined;
}

/**
 * Reads into guest memory at addr. Linux copies straight from the file into user memory and
 * stops at the first bad page, so only the writable prefix of the buffer is read: the offset
 * advances by what landed, and a buffer with no valid byte is EFAULT with nothing consumed.
 */
function readInto(t: Task, addr: number, count: number, read: (buf: Uint8Array) => number, positional = false, file?: OpenFile): number {
  if (!accessOk(addr, count)) return -Errno.EFAULT;
  const n = Math.min(count, MAX_RW_COUNT);
  if (n === 0) return read(new Uint8Array(0));
  const valid = userPrefix(t.process.mm, addr, n, true);
  if (valid === 0) return positional ? positionalRefusal(read) : readRefusal(read, file, n);
  // A pipe copies a buffer whole or not at all: data beyond the valid prefix faults, and
  // nothing of it is consumed (approximated by what is waiting, not per pipe buffer).
  if (valid < n && file !== undefined && (pipeBacklog(file) ?? 0) > valid) return -Errno.EFAULT;
  if (file?.readSpans !== undefined && !positional) return spanTransfer(t, addr, valid, true, (spans) => file.readSpans!(spans));
  const buf = new Uint8Array(valid);
  const got = read(buf);
  if (got <= 0) return got;
  return t.process.mm.write(addr, buf.subarray(0, got)) ? got : -Errno.EFAULT;
}

/**
 * A transfer straight between a file and `length` valid bytes of user memory at addr
 * (readSpans, writeSpans), in pieces of at most SPANS_MAX while each piece goes through
 * whole; the bytes moved, or the first piece's -errno.
 */
function spanTransfer(t: Task, addr: number, length: number, toUser: boolean, move: (spans: readonly Uint8Array[]) => number): number {
  let done = 0;
  while (done < length) {
    const n = Math.min(length - done, SPANS_MAX);
    const spans = userSpans(t.process.mm, addr + done, n, toUser);
    const r = spans === null ? -Errno.EFAULT : move(spans);
    if (r < 0) return done > 0 ? done : r;
    done += r;
    if (r < n) break;
  }
  return done;
}

/** Writes from guest memory: the readable prefix of the buffer is written (a short count). */
function writeFrom(t: Task, addr: number, count: number, write: (buf: Uint8Array) => number, file?: OpenFile): number {
  if (!accessOk(addr, count)) return -Errno.EFAULT;
  const n = Math.min(count, MAX_RW_COUNT);
  let valid = n === 0 ? 0 : userPrefix(t.process.mm, addr, n, false);
  if (n > 0 && valid === 0) return file?.refusalFor !== undefined ? file.refusalFor(n, true) || -Errno.EFAULT : refusalBeforeCopy(write);
  // A pipe takes whole pages: the page where the copy faults is not written.
  if (valid < n && file !== undefined && pipeBacklog(file) !== undefined) {
    valid -= valid % PIPE_PAGE;
    if (valid === 0) return -Errno.EFAULT;
  }
  if (file?.writeSpans !== undefined) return spanTransfer(t, addr, valid, false, (spans) => file.writeSpans!(spans));
  const data = t.process.mm.read(addr, valid);
  return data === null ? -Errno.EFAULT : write(data);
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

/**
 * The iovecs at iovAddr and how many of their bytes, from the start, are user memory the
 * transfer may use (toUser: writable). Nothing to move is 0 at once, before the file's own
 * read or write (a directory's EISDIR); no valid byte is the file's refusal or EFAULT.
 */
function userIovecs(
  t: Task, iovAddr: number, count: number, toUser: boolean, transfer: (buf: Uint8Array) => number,
): { iovs: { base: number; len: number }[]; valid: number } | number {
  const iovs = readIovecs(t, iovAddr, count);
  if (typeof iovs === 'number') return iovs;
  const total = iovs.reduce((n, v) => n + v.len, 0);
  if (total === 0) return 0;
  const valid = userPrefixVec(t.process.mm, iovs, toUser);
  if (valid === 0) return refusalBeforeCopy(transfer);
  return { iovs, valid };
}

function vectoredRead(t: Task, iovAddr: number, count: number, read: (buf: Uint8Array) => number): number {
  const user = userIovecs(t, iovAddr, count, true, read);
  if (typeof user === 'number') return user;
  const { iovs, valid } = user;
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
  const user = userIovecs(t, iovAddr, count, false, write);
  if (typeof user === 'number') return user;
  let left = user.valid;
  const parts: Uint8Array[] = [];
  for (const v of user.iovs) {
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

/** After a transfer that moved data: IN_ACCESS for the file read, IN_MODIFY for the one written (inotify). */
function notified<T extends number | Block>(t: Task, result: T, read: OpenFile | null, written: OpenFile | null): T {
  if (typeof result !== 'number' || result <= 0) return result;
  if (read !== null) t.process.vfs.notifyFile(read, IN_ACCESS);
  if (written !== null) t.process.vfs.notifyFile(written, IN_MODIFY);
  return result;
}

/** read(2): trampfd's own rules, a host stream's wait for data, then the copy; EAGAIN sleeps, EPIPE raises SIGPIPE. */
export function readFd(t: Task, fd: number, addr: number, count: number): number | Block {
  const f = readableFile(t, fd);
  if (typeof f === 'number') return f;
  const tramp = trampfdOf(f); // symbolic offsets, its own copy rules (kernel-shim/trampfd/file.ts)
  if (tramp !== undefined) return tramp.userIo(t, false, addr, count, null);
  return notified(t, hostReadGate(f) ?? ioResult(t, f, readInto(t, addr, count, (b) => f.read(b), false, f), 'read'), f, null);
}

export function writeFd(t: Task, fd: number, addr: number, count: number): number | Block {
  const f = writableFile(t, fd);
  if (typeof f === 'number') return f;
  const tramp = trampfdOf(f);
  if (tramp !== undefined) return tramp.userIo(t, true, addr, count, null);
  return notified(t, blockingWrite(t, f, addr, count, (at, n) => writeFrom(t, at, n, (b) => f.write(b), f)), null, f);
}

function position(raw: bigint): bigint | number {
  const pos = BigInt.asIntN(64, raw);
  return pos < 0n ? -Errno.EINVAL : pos;
}

/** pread64/pwrite64: positionalFile's checks, trampfd's own rules, then the copy; never sleeping. */
function positionalIo(
  t: Task, fd: number, addr: number, count: number, rawPos: bigint, toFile: boolean, io: (f: OpenFile, pos: bigint) => number,
): number {
  const checked = positionalFile(t, fd, rawPos, toFile, addr, count);
  if (typeof checked === 'number') return checked;
  const { f, pos } = checked;
  const tramp = trampfdOf(f);
  if (tramp !== undefined) return tramp.userIo(t, toFile, addr, count, pos);
  return notified(t, io(f, pos), toFile ? null : f, toFile ? f : null);
}

export function preadFd(t: Task, fd: number, addr: number, count: number, rawPos: bigint): number {
  return positionalIo(t, fd, addr, count, rawPos, false, (f, pos) => readInto(t, addr, count, (b) => f.pread(b, pos), true));
}

export function pwriteFd(t: Task, fd: number, addr: number, count: number, rawPos: bigint): number {
  return positionalIo(t, fd, addr, count, rawPos, true, (f, pos) => writeFrom(t, addr, count, (b) => f.pwrite(b, pos)));
}

export function readvFd(t: Task, fd: number, iovAddr: number, iovCount: number): number | Block {
  const f = readableFile(t, fd);
  if (typeof f === 'number') return f;
  return notified(t, hostReadGate(f) ?? ioResult(t, f, vectoredRead(t, iovAddr, iovCount, (b) => f.read(b)), 'read'), f, null);
}

export function writevFd(t: Task, fd: number, iovAddr: number, iovCount: number): number | Block {
  const f = writableFile(t, fd);
  if (typeof f === 'number') return f;
  return notified(t, ioResult(t, f, vectoredWrite(t, iovAddr, iovCount, (b) => f.write(b)), 'write'), null, f);
}

/** preadv2/pwritev2 flags Linux knows (RWF_HIPRI .. RWF_DONTCACHE); others are EOPNOTSUPP. */
const RWF_SUPPORTED = 0xff;
const RWF_APPEND = 0x10;

/**
 * The position rules of preadv/pwritev: `rwf` (the v2 forms' flags, undefined for v1) makes -1
 * mean the file's offset. The flags are hints ushim may ignore, but for RWF_APPEND: a write
 * to a regular file goes to its end, and moves the offset only when it was the one written at.
 */
function vectoredAt(f: OpenFile, rawPos: bigint, rwf: number | undefined, atOffset: () => number, atPosition: (pos: bigint) => number): number {
  const pos = BigInt.asIntN(64, rawPos);
  if (rwf !== undefined && rwf & ~RWF_SUPPORTED) return -Errno.EOPNOTSUPP;
  const current = rwf !== undefined && pos === -1n;
  if (!current && pos < 0n) return -Errno.EINVAL;
  const st = rwf !== undefined && rwf & RWF_APPEND ? f.stat() : undefined;
  if (st !== undefined && typeof st !== 'number' && (st.mode & S_IFMT) === S_IFREG) {
    const n = atPosition(st.size);
    if (current && n > 0) f.seek(st.size + BigInt(n), SEEK_SET);
    return n;
  }
  return current ? atOffset() : atPosition(pos);
}

/** preadv, and preadv2 (`rwf`: its flags; position -1 reads at the file's offset). */
export function preadvFd(t: Task, fd: number, iovAddr: number, iovCount: number, rawPos: bigint, rwf: number | undefined): number {
  const f = readableFile(t, fd);
  if (typeof f === 'number') return f;
  const read = (move: (b: Uint8Array) => number): number => vectoredRead(t, iovAddr, iovCount, move);
  return notified(t, vectoredAt(f, rawPos, rwf === undefined ? undefined : rwf & ~RWF_APPEND, () => read((b) => f.read(b)), (pos) => read((b) => f.pread(b, pos))), f, null);
}

/** pwritev, and pwritev2 (`rwf`: its flags; position -1 writes at the file's offset). */
export function pwritevFd(t: Task, fd: number, iovAddr: number, iovCount: number, rawPos: bigint, rwf: number | undefined): number {
  const f = writableFile(t, fd);
  if (typeof f === 'number') return f;
  const write = (move: (b: Uint8Array) => number): number => vectoredWrite(t, iovAddr, iovCount, move);
  return notified(t, vectoredAt(f, rawPos, rwf, () => write((b) => f.write(b)), (pos) => write((b) => f.pwrite(b, pos))), null, f);
}

/**
 * sendfile: from inFd to outFd; offAddr (0: the input's file offset) holds the input position,
 * updated. A blocking copy from a host FIFO or tty waits for data, and one to a full pipe
 * for room, as read and write do.
 */
export function sendfile(t: Task, outFd: number, inFd: number, offAddr: number, length: number): number | Block {
  const out = writableFile(t, outFd);
  const input = readableFile(t, inFd);
  if (typeof out === 'number') return out;
  if (typeof input === 'number') return input;
  if (out.flags & O_APPEND) return -Errno.EINVAL;
  const count = Math.min(length, MAX_RW_COUNT);
  if (offAddr === 0) {
    const gate = hostReadGate(input);
    if (gate !== null) return gate;
    let readBlocked = false;
    const n = copyBetween(count, (b) => {
      const got = input.read(b);
      readBlocked = got === -Errno.EAGAIN;
      return got;
    }, (b) => out.write(b));
    return notified(t, readBlocked ? n : ioResult(t, out, n, 'write'), input, out);
  }
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
  return notified(t, n, input, out);
}

/** copy_file_range: inAddr/outAddr (0: the file offsets) hold the positions, updated. */
export function copyFileRange(t: Task, inFd: number, inAddr: number, outFd: number, outAddr: number, length: number, flags: number): number {
  if (flags !== 0) return -Errno.EINVAL;
  const input = readableFile(t, inFd);
  const out = writableFile(t, outFd);
  if (typeof input === 'number' || typeof out === 'number') return -Errno.EBADF;
  if (out.flags & O_APPEND) return -Errno.EBADF;
  const mm = t.process.mm;
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
  if (overlapsItself(input, inPos, out, outPos, BigInt(length))) return -Errno.EINVAL;
  const n = copyBetween(Math.min(length, MAX_RW_COUNT), (b) => {
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
  return notified(t, n, input, out);
}

/** The largest whence lseek knows (SEEK_HOLE); anything above is EINVAL for every file. */
const SEEK_MAX = 4;

/** lseek(2): the fd (O_PATH is EBADF), then whence, then the file's own seek (ESPIPE, ...). */
export function seekFd(t: Task, fd: number, offset: bigint, whence: number): bigint | number {
  const f = t.process.fds.get(fd)?.file;
  if (f === undefined || f.flags & O_PATH) return -Errno.EBADF;
  if (whence >>> 0 > SEEK_MAX) return -Errno.EINVAL;
  return f.seek(offset, whence);
}

/**
 * One native AIO transfer (io_submit's PREAD/PWRITE/PREADV/PWRITEV) through the copies of
 * pread/pwrite and their vectored forms: at `pos` on a file with positions, at its own
 * position on a stream (a pipe, a socket), which -EAGAIN leaves untouched when it would block.
 */
export function aioTransfer(t: Task, f: OpenFile, writing: boolean, pos: bigint, addr: number, count: number, vectored: boolean): number {
  const move = (b: Uint8Array): number => {
    const r = writing ? f.pwrite(b, pos) : f.pread(b, pos);
    if (r !== -Errno.ESPIPE) return r;
    return writing ? f.write(b) : f.read(b);
  };
  if (vectored) return writing ? vectoredWrite(t, addr, count, move) : vectoredRead(t, addr, count, move);
  return writing ? writeFrom(t, addr, count, move, f) : readInto(t, addr, count, move, false, f);
}
