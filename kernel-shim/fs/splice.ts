// splice, tee and vmsplice, as copies through ushim's own pipe, read and write paths (Linux
// moves page references instead; what the guest sees is the same data and counts). Checks
// come in Linux's order; a call that would block parks only the calling task.
import { Errno } from '../errno.js';
import type { Task } from '../task.js';
import { type Block, isBlock } from '../wait.js';
import { ioResult } from './blocking-io.js';
import { O_APPEND, O_NONBLOCK, O_PATH, SEEK_CUR, canRead, canWrite } from './constants.js';
import type { OpenFile } from './file.js';
import { MAX_RW_COUNT, readIovecs, readvFd, writevFd } from './file-io.js';
import { PipeEnd } from './pipe.js';
import { SPLICE_F_ALL, SPLICE_F_NONBLOCK, consumed, isPipe, isRegular, pipeData, pipeRoom, streamRoom, waitFor } from './splice-pipes.js';
import { IN_ACCESS, IN_MODIFY } from '../notify/inotify-abi.js';

function fileOf(t: Task, fd: number): OpenFile | undefined {
  return t.process.fds.get(fd)?.file;
}

function readable(f: OpenFile): boolean {
  return !(f.flags & O_PATH) && canRead(f.flags);
}

function writable(f: OpenFile): boolean {
  return !(f.flags & O_PATH) && canWrite(f.flags);
}

/** A loff_t argument: null when the pointer is NULL (the file's own offset is used). */
function readOffset(t: Task, addr: number): bigint | null | number {
  if (addr === 0) return null;
  const v = t.process.mm.readU64(addr);
  return v === null ? -Errno.EFAULT : BigInt.asIntN(64, v);
}

/** Whether a file has positions (FMODE_PREAD/PWRITE): a stream answers a positional call ESPIPE. */
function positional(f: OpenFile, writing: boolean): boolean {
  const empty = new Uint8Array(0);
  return (writing ? f.pwrite(empty, 0n) : f.pread(empty, 0n)) !== -Errno.ESPIPE;
}

interface SpliceEnds {
  input: OpenFile;
  out: OpenFile;
  inPos: bigint | null;
  outPos: bigint | null;
  nonblock: boolean;
}

/** do_splice's checks: EBADF for the access modes, EINVAL for no pipe, one pipe twice, O_APPEND or an offset a file cannot take. */
function spliceEnds(t: Task, fdIn: number, offIn: number, fdOut: number, offOut: number, flags: number): SpliceEnds | number {
  const input = fileOf(t, fdIn);
  const out = input === undefined ? undefined : fileOf(t, fdOut);
  if (input === undefined || out === undefined) return -Errno.EBADF;
  const inPipe = isPipe(input);
  const outPipe = isPipe(out);
  if ((inPipe && offIn !== 0) || (outPipe && offOut !== 0)) return -Errno.ESPIPE;
  const inPos = readOffset(t, offIn);
  if (typeof inPos === 'number') return inPos;
  const outPos = readOffset(t, offOut);
  if (typeof outPos === 'number') return outPos;
  if (!readable(input) || !writable(out)) return -Errno.EBADF;
  let nonblock = (flags & SPLICE_F_NONBLOCK) !== 0;
  if (inPipe && outPipe) {
    if (input instanceof PipeEnd && out instanceof PipeEnd && input.pipe === out.pipe) return -Errno.EINVAL;
    nonblock ||= ((input.flags | out.flags) & O_NONBLOCK) !== 0;
  } else if (inPipe) {
    if (outPos !== null && !positional(out, true)) return -Errno.EINVAL;
    if (out.flags & O_APPEND || (outPos !== null && outPos < 0n)) return -Errno.EINVAL;
    nonblock ||= (input.flags & O_NONBLOCK) !== 0;
  } else if (outPipe) {
    if (inPos !== null && (!positional(input, false) || inPos < 0n)) return -Errno.EINVAL;
    nonblock ||= (out.flags & O_NONBLOCK) !== 0;
  } else {
    return -Errno.EINVAL;
  }
  return { input, out, inPos, outPos, nonblock };
}

/** The input's data for one splice: from a pipe, or read from a file (at inPos, else its offset). */
function spliceData(t: Task, e: SpliceEnds, max: number): Uint8Array | number | Block {
  if (isPipe(e.input)) return pipeData(t, e.input, max, e.nonblock);
  const buf = new Uint8Array(max);
  const r = e.inPos === null ? e.input.read(buf) : e.input.pread(buf, e.inPos);
  if (r === -Errno.EAGAIN) return waitFor(e.input, false, e.nonblock || (e.input.flags & O_NONBLOCK) !== 0);
  return r < 0 ? r : buf.subarray(0, r);
}

/** splice(2): at most one pipe's worth per call, as Linux moves at most the output pipe's free room. */
export function splice(t: Task, fdIn: number, offIn: number, fdOut: number, offOut: number, len: number, flags: number): number | Block {
  if (len === 0) return 0;
  if (flags & ~SPLICE_F_ALL) return -Errno.EINVAL;
  const e = spliceEnds(t, fdIn, offIn, fdOut, offOut, flags);
  if (typeof e === 'number') return e;
  const { input, out } = e;
  let max = Math.min(len, MAX_RW_COUNT);
  // What a host pipe gives is gone from it: take no more than the output surely takes.
  const readsAway = isPipe(input) && !(input instanceof PipeEnd);
  if (isPipe(out) || (readsAway && !isRegular(out))) {
    const room = isPipe(out) ? pipeRoom(t, out, e.nonblock) : streamRoom(out, e.nonblock);
    if (typeof room !== 'number' || room < 0) return room;
    max = Math.min(max, room);
  }
  const data = spliceData(t, e, max);
  if (!(data instanceof Uint8Array)) return data;
  if (data.length === 0) return 0;
  const w = e.outPos === null ? out.write(data) : out.pwrite(data, e.outPos);
  if (w < 0) {
    if (w === -Errno.EAGAIN && e.nonblock) return w;
    return ioResult(t, out, w, 'write');
  }
  consumed(input, w);
  // A file read past what the output took goes back to where the output stopped.
  if (!isPipe(input) && e.inPos === null && w < data.length) input.seek(BigInt(w - data.length), SEEK_CUR);
  const mm = t.process.mm;
  if (e.inPos !== null && !mm.writeU64(offIn, e.inPos + BigInt(w))) return -Errno.EFAULT;
  if (e.outPos !== null && !mm.writeU64(offOut, e.outPos + BigInt(w))) return -Errno.EFAULT;
  t.process.vfs.notifyFile(out, IN_MODIFY);
  t.process.vfs.notifyFile(input, IN_ACCESS);
  return w;
}

/**
 * tee(2): copies what waits in one of ushim's pipes to another without consuming it. Input
 * first (empty without writers: 0), then the output's room (EPIPE without readers).
 */
export function tee(t: Task, fdIn: number, fdOut: number, len: number, flags: number): number | Block {
  if (flags & ~SPLICE_F_ALL) return -Errno.EINVAL;
  if (len === 0) return 0;
  const input = fileOf(t, fdIn);
  const out = input === undefined ? undefined : fileOf(t, fdOut);
  if (input === undefined || out === undefined) return -Errno.EBADF;
  if (!readable(input) || !writable(out)) return -Errno.EBADF;
  if (!(input instanceof PipeEnd) || !(out instanceof PipeEnd) || input.pipe === out.pipe) return -Errno.EINVAL;
  const nonblock = (flags & SPLICE_F_NONBLOCK) !== 0 || ((input.flags | out.flags) & O_NONBLOCK) !== 0;
  if (input.pipe.length === 0) return input.pipe.writers === 0 ? 0 : waitFor(input, false, nonblock);
  const room = pipeRoom(t, out, nonblock);
  if (typeof room !== 'number' || room < 0) return room;
  const data = pipeData(t, input, Math.min(len, room), nonblock);
  if (!(data instanceof Uint8Array)) return data;
  return out.pipe.write(data, true);
}

/**
 * vmsplice(2): into a pipe opened for writing (as writev, at most what it has room for
 * when non-blocking), or out of one opened only for reading (as readv).
 */
export function vmsplice(t: Task, fd: number, iovAddr: number, count: number, flags: number): number | Block {
  if (flags & ~SPLICE_F_ALL) return -Errno.EINVAL;
  const file = fileOf(t, fd);
  if (file === undefined || file.flags & O_PATH || !(canWrite(file.flags) || canRead(file.flags))) return -Errno.EBADF;
  const iovs = readIovecs(t, iovAddr, count);
  if (typeof iovs === 'number') return iovs;
  if (iovs.every((v) => v.len === 0)) return 0;
  if (!isPipe(file)) return -Errno.EBADF;
  const nonblock = (flags & SPLICE_F_NONBLOCK) !== 0 || (file.flags & O_NONBLOCK) !== 0;
  if (canWrite(file.flags)) {
    const room = file instanceof PipeEnd ? pipeRoom(t, file, nonblock) : 0;
    if (isBlock(room) || room < 0) return room;
    return writevFd(t, fd, iovAddr, count);
  }
  if (file instanceof PipeEnd && file.pipe.length === 0 && file.pipe.writers > 0) return waitFor(file, false, nonblock);
  return readvFd(t, fd, iovAddr, count);
}
