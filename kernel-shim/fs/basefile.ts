// Default behaviour shared by the OpenFile implementations, so each one only states what
// differs. The defaults are those of a Linux file without the corresponding operation.
import { Errno } from '../errno.js';
import { POLLIN, POLLNVAL, POLLOUT, SEEK_CUR, SEEK_SET } from './constants.js';
import type { DirEntry, FileStat, OpenFile, PollMask } from './file.js';

export abstract class BaseFile implements OpenFile {
  refs = 0;

  constructor(
    readonly path: string,
    public flags: number,
  ) {}

  abstract stat(): FileStat | number;

  read(_buf: Uint8Array): number {
    return -Errno.EINVAL;
  }
  write(_buf: Uint8Array): number {
    return -Errno.EINVAL;
  }
  pread(_buf: Uint8Array, _pos: bigint): number {
    return -Errno.ESPIPE;
  }
  pwrite(_buf: Uint8Array, _pos: bigint): number {
    return -Errno.ESPIPE;
  }
  seek(_offset: bigint, _whence: number): bigint | number {
    return -Errno.ESPIPE;
  }
  readdir(): DirEntry[] | number {
    return -Errno.ENOTDIR;
  }
  advanceDir(_count: number): void {}
  ioctl(_cmd: number, _arg: Uint8Array | null): number {
    return -Errno.ENOTTY;
  }
  truncate(_length: bigint): number {
    return -Errno.EINVAL;
  }
  fsync(): number {
    return -Errno.EINVAL;
  }
  poll(): PollMask {
    return POLLIN | POLLOUT;
  }
  release(): void {}
}

/**
 * A directory listing. The snapshot is taken on the first readdir and retaken after a rewind
 * (lseek to 0), so entries created meanwhile show up as they do on Linux; the position is an
 * entry index, which is also what getdents64 reports in d_off.
 */
export abstract class DirFile extends BaseFile {
  private entries: DirEntry[] | undefined;
  private pos = 0;

  /** The entries, '.' and '..' first. */
  protected abstract scan(): DirEntry[] | number;

  override read(_buf: Uint8Array): number {
    return -Errno.EISDIR;
  }
  override write(_buf: Uint8Array): number {
    return -Errno.EBADF;
  }
  override pread(_buf: Uint8Array, _pos: bigint): number {
    return -Errno.EISDIR;
  }
  override pwrite(_buf: Uint8Array, _pos: bigint): number {
    return -Errno.EBADF;
  }
  override readdir(): DirEntry[] | number {
    if (this.entries === undefined) {
      const scanned = this.scan();
      if (typeof scanned === 'number') return scanned;
      this.entries = scanned;
    }
    return this.entries.slice(this.pos);
  }
  override advanceDir(count: number): void {
    this.pos += count;
  }
  override seek(offset: bigint, whence: number): bigint | number {
    let target: bigint;
    if (whence === SEEK_SET) target = offset;
    else if (whence === SEEK_CUR) target = BigInt(this.pos) + offset;
    else return -Errno.EINVAL;
    if (target < 0n || target > BigInt(Number.MAX_SAFE_INTEGER)) return -Errno.EINVAL;
    if (target === 0n) this.entries = undefined;
    this.pos = Number(target);
    return target;
  }
}

/** An O_PATH description: it names a file but permits no I/O (everything but fstat is EBADF). */
export class PathFile extends BaseFile {
  constructor(
    path: string,
    flags: number,
    private readonly statFn: () => FileStat | number,
    private readonly onRelease: () => void = () => {},
    readonly hostFd?: number,
    readonly hostPath?: string,
  ) {
    super(path, flags);
  }
  stat(): FileStat | number {
    return this.statFn();
  }
  override read(): number {
    return -Errno.EBADF;
  }
  override write(): number {
    return -Errno.EBADF;
  }
  override pread(): number {
    return -Errno.EBADF;
  }
  override pwrite(): number {
    return -Errno.EBADF;
  }
  override seek(): number {
    return -Errno.EBADF;
  }
  override readdir(): number {
    return -Errno.EBADF;
  }
  override ioctl(): number {
    return -Errno.EBADF;
  }
  override truncate(): number {
    return -Errno.EBADF;
  }
  override fsync(): number {
    return -Errno.EBADF;
  }
  override poll(): PollMask {
    return POLLNVAL;
  }
  override release(): void {
    this.onRelease();
  }
}

/** fstat of a file on Linux's anonymous inode (eventfd, epoll, inotify, signalfd, timerfd, pidfd). */
export function anonInodeStat(ino: bigint): FileStat {
  return {
    dev: 0xdn, ino, nlink: 1, mode: 0o600, uid: 0, gid: 0, rdev: 0n, size: 0n, blksize: 4096, blocks: 0n,
    atimeNs: 0n, mtimeNs: 0n, ctimeNs: 0n, birthtimeNs: 0n,
  };
}

/**
 * A file whose lseek is noop_llseek (eventfd, epoll, signalfd, timerfd, userfaultfd and
 * /dev/userfaultfd): any seek succeeds and leaves the position at 0.
 */
export abstract class NoopSeekFile extends BaseFile {
  override seek(_offset: bigint, _whence: number): bigint {
    return 0n;
  }
}
