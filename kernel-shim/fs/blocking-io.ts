// Turning "would block" into sleeping: a read or write that returns -EAGAIN on a blocking
// description parks the task on the file's wait queue (the call is retried when woken), and
// a read from or write to a host pipe, FIFO or terminal waits in the scheduler's host poll
// instead of stalling every task in a blocking host call.
import { pollHostFds } from '../../host/poll.js';
import { Errno } from '../errno.js';
import { isatty } from 'node:tty';
import { O_NONBLOCK, S_IFCHR, S_IFIFO, S_IFMT, S_IFREG, S_IFSOCK } from './constants.js';
import type { OpenFile } from './file.js';
import { libcCalls } from '../../host/libc.js';
import { hasDeliverable, signalTask } from '../signal/deliver.js';
import { SIGPIPE } from '../signal/numbers.js';
import type { Task } from '../task.js';
import { type Block, ERESTARTSYS, block } from '../wait.js';

/**
 * Before reading a host fd that is not a regular file: sleep until it has data. Host
 * sockets of ushim's own (hostReadiness) never block on the host and park on -EAGAIN.
 */
export function hostReadGate(file: OpenFile): Block | null {
  if (file.hostFd === undefined || file.flags & O_NONBLOCK || file.hostReadiness === true) return null;
  const st = file.stat();
  if (typeof st === 'number' || (st.mode & S_IFMT) === S_IFREG) return null;
  if (pollHostFds([file.hostFd], 0n).length > 0) return null;
  return block([], { hostFds: [file.hostFd] });
}

/**
 * After a read or write: EAGAIN on a blocking file sleeps; EPIPE also raises SIGPIPE. The
 * guest's view of blocking is ushim's, never the host's: a host pipe that another process
 * (Node, for ushim's own stderr on the same pipe) put in non-blocking mode answers EAGAIN,
 * and the guest's blocking write then waits in the scheduler's host poll for room.
 */
export function ioResult(t: Task, file: OpenFile, result: number, op: 'read' | 'write'): number | Block {
  if (result === -Errno.EAGAIN && !(file.flags & O_NONBLOCK)) {
    if (file.waitQueue !== undefined) return block([file.waitQueue]);
    if (file.hostFd !== undefined) return op === 'read' ? block([], { hostFds: [file.hostFd] }) : block([], { hostWritableFds: [file.hostFd] });
  }
  if (result === -Errno.EPIPE) {
    signalTask(t.kernel, t, { signo: SIGPIPE, errno: 0, code: 0, layout: 'kill', pid: t.process.pid, uid: t.process.uid });
  }
  return result;
}

interface PartialWrite {
  readonly file: OpenFile;
  readonly addr: number;
  readonly count: number;
  readonly done: number;
}

const F_GETFL = 3;
const HOST_O_NONBLOCK = 0o4000;
/** Writes of at most PIPE_BUF bytes to a pipe that polls writable never block. */
const PIPE_BUF = 4096;

/** How much of a blocking write(2) to a host stream went out before it parked, by task. */
export class PartialWrites {
  private readonly byTask = new Map<Task, PartialWrite>();
  /** Host descriptions known to be streams (pipes, ttys, devices) or not. */
  private readonly streams = new WeakMap<OpenFile, boolean>();

  /** What this same call (file, buffer, count) wrote before it parked; entries of others are dropped. */
  take(t: Task, file: OpenFile, addr: number, count: number): number {
    for (const [task] of this.byTask) if (task.state === 'exited') this.byTask.delete(task);
    const p = this.byTask.get(t);
    this.byTask.delete(t);
    return p !== undefined && p.file === file && p.addr === addr && p.count === count ? p.done : 0;
  }

  keep(t: Task, p: PartialWrite): void {
    this.byTask.set(t, p);
  }

  /**
   * Whether a write to the file's host fd could block the host: a stream whose host
   * description is in blocking mode, as inherited fds may be (ushim leaves their flags as it
   * found them; every file ushim opens itself is non-blocking on the host).
   */
  hostMayBlock(file: OpenFile): boolean {
    const fd = file.hostFd;
    if (fd === undefined || file.waitQueue !== undefined || file.hostReadiness === true || libcCalls.fcntl(fd, F_GETFL, 0) & HOST_O_NONBLOCK) return false;
    let stream = this.streams.get(file);
    if (stream === undefined) {
      // Pipes, sockets and terminals fill up; /dev/null and other devices take everything.
      const st = file.stat();
      const type = typeof st === 'number' ? 0 : st.mode & S_IFMT;
      stream = type === S_IFIFO || type === S_IFSOCK || (type === S_IFCHR && isatty(fd));
      this.streams.set(file, stream);
    }
    return stream;
  }
}

/**
 * Writes to a host stream in blocking mode without blocking the host: PIPE_BUF-sized pieces
 * while the host polls it writable; -EAGAIN when it has no room at all.
 */
function writeWhileRoom(fd: number, addr: number, count: number, write: (addr: number, count: number) => number): number {
  let done = 0;
  while (done < count && pollHostFds([], 0n, [fd]).length > 0) {
    const r = write(addr + done, Math.min(PIPE_BUF, count - done));
    if (r <= 0) return done > 0 ? done : r;
    done += r;
  }
  return done > 0 || count === 0 ? done : -Errno.EAGAIN;
}

/**
 * write(2): the host fd of a pipe, FIFO, tty or device is non-blocking (or written in pieces
 * that cannot block, when inherited in blocking mode), so the host may take only part of
 * the buffer; a blocking guest write then waits for room and goes on where it stopped, as
 * Linux's blocking pipe write does, and a signal ends it with the count written so far
 * (-ERESTARTSYS when nothing was). `write(addr, count)` writes from guest memory.
 */
export function blockingWrite(t: Task, file: OpenFile, addr: number, count: number, write: (addr: number, count: number) => number): number | Block {
  const partial = t.kernel.partialWrites;
  const before = partial.take(t, file, addr, count);
  const r = partial.hostMayBlock(file) ? writeWhileRoom(file.hostFd!, addr + before, count - before, write) : write(addr + before, count - before);
  const done = before + Math.max(r, 0);
  const waits = file.hostFd !== undefined && file.waitQueue === undefined && !(file.flags & O_NONBLOCK) && (r === -Errno.EAGAIN || (r >= 0 && done < count));
  if (!waits) {
    const result = ioResult(t, file, r, 'write');
    return before > 0 ? done : result;
  }
  if (hasDeliverable(t)) return done > 0 ? done : -ERESTARTSYS;
  partial.keep(t, { file, addr, count, done });
  return block([], { hostWritableFds: [file.hostFd!], onSignal: 'retry' });
}
