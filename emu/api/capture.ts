// The programmable API's stdio: a pipe-like description whose reads come from a fixed input
// and whose writes are collected, so that a test sees exactly what the guest printed.
// Both look like the ends of a pipe (S_IFIFO): glibc then buffers stdout fully, as it does
// when a program's output goes to a pipe.
import { Errno } from '../../kernel-shim/errno.js';
import { BaseFile } from '../../kernel-shim/fs/basefile.js';
import { O_RDONLY, O_WRONLY, POLLIN, POLLOUT, S_IFIFO } from '../../kernel-shim/fs/constants.js';
import type { FileStat } from '../../kernel-shim/fs/file.js';

/** The first inode number of an emulator's stdio pipes (like pipefs', arbitrary but distinct). */
export const FIRST_STDIO_INO = 0x7000n;

function pipeStat(ino: bigint): FileStat {
  return {
    dev: 0xcn, ino, nlink: 1, mode: S_IFIFO | 0o600, uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0,
    rdev: 0n, size: 0n, blksize: 4096, blocks: 0n, atimeNs: 0n, mtimeNs: 0n, ctimeNs: 0n, birthtimeNs: 0n,
  };
}

/** The write end: everything written is kept (output). */
export class CaptureFile extends BaseFile {
  private chunks: Uint8Array[] = [];
  private total = 0;
  constructor(private readonly ino: bigint) {
    super(`pipe:[${ino}]`, O_WRONLY);
  }

  stat(): FileStat {
    return pipeStat(this.ino);
  }

  override write(buf: Uint8Array): number {
    this.chunks.push(buf.slice());
    this.total += buf.length;
    return buf.length;
  }

  override read(_buf: Uint8Array): number {
    return -Errno.EBADF;
  }

  override poll(): number {
    return POLLOUT;
  }

  /** Everything written so far. */
  bytes(): Uint8Array {
    if (this.chunks.length !== 1) {
      const all = new Uint8Array(this.total);
      let at = 0;
      for (const c of this.chunks) {
        all.set(c, at);
        at += c.length;
      }
      this.chunks = [all];
    }
    return this.chunks[0] ?? new Uint8Array();
  }

  get length(): number {
    return this.total;
  }

  /** Forgets what was written after the first `length` bytes (snapshot restore). */
  truncateTo(length: number): void {
    if (length >= this.total) return;
    this.chunks = [this.bytes().slice(0, length)];
    this.total = length;
  }
}

/** The read end: the given input, then end of file. */
export class InputFile extends BaseFile {
  private pos = 0;
  constructor(
    private readonly input: Uint8Array,
    private readonly ino: bigint,
  ) {
    super(`pipe:[${ino}]`, O_RDONLY);
  }

  stat(): FileStat {
    return pipeStat(this.ino);
  }

  override read(buf: Uint8Array): number {
    const n = Math.min(buf.length, this.input.length - this.pos);
    buf.set(this.input.subarray(this.pos, this.pos + n));
    this.pos += n;
    return n;
  }

  override write(_buf: Uint8Array): number {
    return -Errno.EBADF;
  }

  override poll(): number {
    return POLLIN;
  }

  /** How much was read (snapshot); restoring rewinds or advances to it. */
  get position(): number {
    return this.pos;
  }

  set position(pos: number) {
    this.pos = Math.min(Math.max(pos, 0), this.input.length);
  }
}
