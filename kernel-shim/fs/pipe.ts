// Pipes: a 64 KiB buffer between a read end and a write end. Writes of at most PIPE_BUF bytes
// are atomic; reading an empty pipe with writers, or writing a full one, would block (-EAGAIN,
// which the syscall layer turns into a sleep on the pipe's wait queue unless O_NONBLOCK).
import { Errno } from '../errno.js';
import { WaitQueue } from '../wait.js';
import { BaseFile } from './basefile.js';
import { FIONREAD, O_NONBLOCK, O_RDONLY, O_WRONLY, POLLIN, POLLOUT, S_IFIFO } from './constants.js';
import type { FileStat } from './file.js';

export const PIPE_CAPACITY = 65536;
export const PIPE_BUF = 4096;
const POLLERR = 8, POLLHUP = 16;

export class Pipe {
  /** Buffered data in write order; a blocking writer may push past PIPE_CAPACITY (see write). */
  private readonly chunks: Uint8Array[] = [];
  length = 0;
  readers = 0;
  writers = 0;
  readonly queue = new WaitQueue();
  constructor(
    readonly timeNs: bigint,
    /** From the kernel's pipefs inode numbers (Kernel.pipeInodes). */
    readonly ino: bigint,
  ) {}

  read(buf: Uint8Array): number {
    if (this.length === 0) return this.writers > 0 ? -Errno.EAGAIN : 0;
    let n = 0;
    while (n < buf.length && this.chunks.length > 0) {
      const chunk = this.chunks[0];
      const take = Math.min(chunk.length, buf.length - n);
      buf.set(chunk.subarray(0, take), n);
      n += take;
      if (take === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(take);
    }
    this.length -= n;
    this.queue.wakeAll();
    return n;
  }

  /** Copies up to buf.length buffered bytes without consuming them (tee, splice before the output took them). */
  peek(buf: Uint8Array): number {
    let n = 0;
    for (const chunk of this.chunks) {
      if (n >= buf.length) break;
      const take = Math.min(chunk.length, buf.length - n);
      buf.set(chunk.subarray(0, take), n);
      n += take;
    }
    return n;
  }

  /**
   * -EPIPE without readers. A non-blocking write takes what fits (all or nothing up to
   * PIPE_BUF). A blocking write is taken whole: Linux would sleep until readers drained it,
   * and the retried syscall could not resume half-way, so the buffer grows instead.
   */
  write(buf: Uint8Array, blocking: boolean): number {
    if (this.readers === 0) return -Errno.EPIPE;
    const space = PIPE_CAPACITY - this.length;
    let n = buf.length;
    if (!blocking || space >= buf.length) {
      if (space === 0 || (buf.length <= PIPE_BUF && space < buf.length)) return -Errno.EAGAIN;
      n = Math.min(buf.length, space);
    } else if (buf.length <= PIPE_BUF ? space < buf.length : space === 0) {
      return -Errno.EAGAIN;
    }
    this.chunks.push(buf.slice(0, n));
    this.length += n;
    this.queue.wakeAll();
    return n;
  }
}

export class PipeEnd extends BaseFile {
  readonly waitQueue: WaitQueue;

  constructor(
    readonly pipe: Pipe,
    readonly readEnd: boolean,
    flags: number,
  ) {
    super(`pipe:[${pipe.ino}]`, (flags & ~3) | (readEnd ? O_RDONLY : O_WRONLY));
    this.waitQueue = pipe.queue;
    if (readEnd) pipe.readers++;
    else pipe.writers++;
  }

  override read(buf: Uint8Array): number {
    return this.readEnd ? this.pipe.read(buf) : -Errno.EBADF;
  }

  override write(buf: Uint8Array): number {
    return this.readEnd ? -Errno.EBADF : this.pipe.write(buf, !(this.flags & O_NONBLOCK));
  }

  override poll(): number {
    const p = this.pipe;
    if (this.readEnd) return (p.length > 0 ? POLLIN : 0) | (p.writers === 0 ? POLLHUP : 0);
    return (PIPE_CAPACITY - p.length >= PIPE_BUF ? POLLOUT : 0) | (p.readers === 0 ? POLLERR : 0);
  }

  override ioctl(cmd: number, arg: Uint8Array | null): number {
    if (cmd !== FIONREAD) return -Errno.ENOTTY;
    if (arg === null || arg.length < 4) return -Errno.EFAULT;
    new DataView(arg.buffer, arg.byteOffset, 4).setInt32(0, this.pipe.length, true);
    return 0;
  }

  stat(): FileStat {
    const t = this.pipe.timeNs;
    return {
      dev: 0xcn, ino: this.pipe.ino, nlink: 1, mode: S_IFIFO | 0o600, uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0,
      rdev: 0n, size: 0n, blksize: 4096, blocks: 0n, atimeNs: t, mtimeNs: t, ctimeNs: t, birthtimeNs: 0n,
    };
  }

  override release(): void {
    if (this.readEnd) this.pipe.readers--;
    else this.pipe.writers--;
    this.pipe.queue.wakeAll();
  }
}
