// What splice, tee and vmsplice need of the pipes at their ends: whether a file is a pipe,
// the room the output has, the data waiting at the input, and waiting for either as a
// pipe's own read and write wait (only the calling task parks).
import { pollHostFds } from '../../host/poll.js';
import { Errno } from '../errno.js';
import type { Task } from '../task.js';
import { type Block, block } from '../wait.js';
import { ioResult } from './blocking-io.js';
import { S_IFIFO, S_IFMT, S_IFREG } from './constants.js';
import type { OpenFile } from './file.js';
import { PIPE_BUF, PIPE_CAPACITY, PipeEnd } from './pipe.js';

export const SPLICE_F_NONBLOCK = 2;
/** SPLICE_F_MOVE, SPLICE_F_NONBLOCK, SPLICE_F_MORE, SPLICE_F_GIFT: anything else is EINVAL. */
export const SPLICE_F_ALL = 0xf;

/** A pipe or FIFO: one of ushim's pipes, or a host one (a FIFO opened by path, an inherited pipe). */
export function isPipe(file: OpenFile): boolean {
  if (file instanceof PipeEnd) return true;
  const st = file.stat();
  return typeof st !== 'number' && (st.mode & S_IFMT) === S_IFIFO;
}

export function isRegular(file: OpenFile): boolean {
  const st = file.stat();
  return typeof st !== 'number' && (st.mode & S_IFMT) === S_IFREG;
}

/** Would block: EAGAIN when non-blocking, else the task parks until the file is ready. */
export function waitFor(file: OpenFile, writing: boolean, nonblock: boolean): number | Block {
  if (nonblock) return -Errno.EAGAIN;
  if (file.waitQueue !== undefined) return block([file.waitQueue]);
  if (file.hostFd === undefined) return -Errno.EAGAIN;
  return writing ? block([], { hostWritableFds: [file.hostFd] }) : block([], { hostFds: [file.hostFd] });
}

/** How much an output pipe takes now: EPIPE (and SIGPIPE) without readers; a wait when full. */
export function pipeRoom(t: Task, out: OpenFile, nonblock: boolean): number | Block {
  if (out instanceof PipeEnd) {
    if (out.pipe.readers === 0) return ioResult(t, out, -Errno.EPIPE, 'write');
    const room = PIPE_CAPACITY - out.pipe.length;
    return room > 0 ? room : waitFor(out, true, nonblock);
  }
  // A host pipe that polls writable takes PIPE_BUF bytes at least.
  if (out.hostFd !== undefined && pollHostFds([], 0n, [out.hostFd]).length > 0) return PIPE_BUF;
  return out.hostFd === undefined ? PIPE_BUF : waitFor(out, true, nonblock);
}

/** How much a stream output (a socket, a terminal) surely takes now: PIPE_BUF while the host polls it writable. */
export function streamRoom(out: OpenFile, nonblock: boolean): number | Block {
  if (out.hostFd === undefined || pollHostFds([], 0n, [out.hostFd]).length > 0) return PIPE_BUF;
  return waitFor(out, true, nonblock);
}

/**
 * Up to max bytes waiting in an input pipe: ushim's own are only looked at (the caller
 * consumes what the output took); a host pipe's are read. Empty without writers: end of
 * data (an empty array).
 */
export function pipeData(t: Task, input: OpenFile, max: number, nonblock: boolean): Uint8Array | number | Block {
  if (input instanceof PipeEnd) {
    const pipe = input.pipe;
    if (pipe.length === 0) return pipe.writers === 0 ? new Uint8Array(0) : waitFor(input, false, nonblock);
    const buf = new Uint8Array(Math.min(max, pipe.length));
    return buf.subarray(0, pipe.peek(buf));
  }
  // A host pipe holds a pipe's worth at a time: the copy never needs more.
  const buf = new Uint8Array(Math.min(max, PIPE_CAPACITY));
  const r = input.read(buf);
  if (r === -Errno.EAGAIN) return waitFor(input, false, nonblock);
  return r < 0 ? r : buf.subarray(0, r);
}

/** The output took `taken` bytes of what pipeData returned: ushim's own pipe gives them up now. */
export function consumed(input: OpenFile, taken: number): void {
  if (input instanceof PipeEnd && taken > 0) input.pipe.read(new Uint8Array(taken));
}
