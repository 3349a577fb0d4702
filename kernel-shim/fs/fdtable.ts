// The per-process fd table. Descriptions are reference counted across tables (fork shares
// them) and other holders (mmap, epoll), so release() runs when the last reference goes.
import { Errno } from '../errno.js';
import { O_CLOEXEC } from './constants.js';
import type { OpenFile } from './file.js';

/** Takes a reference on a description. */
export function retainFile(file: OpenFile): void {
  file.refs++;
}

/** Drops a reference; dropping the last (or one never taken) releases the description. */
export function releaseFile(file: OpenFile): void {
  if (file.refs > 1) {
    file.refs--;
  } else {
    file.refs = 0;
    file.onLastClose?.();
    for (const epoll of file.epollWatchers ?? []) epoll.forget(file);
    file.release();
  }
}

export interface FdEntry {
  readonly file: OpenFile;
  /** FD_CLOEXEC: per fd, not per description. */
  cloexec: boolean;
}

export const DEFAULT_NOFILE = 1024;
const CLOSE_RANGE_UNSHARE = 2, CLOSE_RANGE_CLOEXEC = 4;

export class FdTable {
  private readonly slots: (FdEntry | undefined)[] = [];
  /** RLIMIT_NOFILE: every fd is below it. */
  limit = DEFAULT_NOFILE;
  /** Told of every fd closed (close, dup2 over it, exec, exit): record locks go with any close of their file. */
  onClose: ((table: FdTable, file: OpenFile) => void) | undefined;

  /**
   * Puts a description at the lowest free fd >= minFd, taking a reference. -EMFILE when
   * there is none; the caller then still owns the description (releaseFile() it).
   */
  install(file: OpenFile, cloexec = false, minFd = 0): number {
    for (let fd = minFd; fd < this.limit; fd++) {
      if (!this.slots[fd]) {
        this.place(fd, file, cloexec);
        return fd;
      }
    }
    return -Errno.EMFILE;
  }

  /** Installs a description just made: when there is no free fd it is released again. */
  installNew(file: OpenFile, cloexec: boolean): number {
    const fd = this.install(file, cloexec);
    if (fd < 0) releaseFile(file);
    return fd;
  }

  /**
   * close_range(first, last, flags): closes the open fds in the range, or with
   * CLOSE_RANGE_CLOEXEC marks them close-on-exec (UNSHARE: the table is already private).
   */
  closeRange(first: number, last: number, flags: number): number {
    if (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC) || first > last) return -Errno.EINVAL;
    for (const fd of this.list()) {
      if (fd < first || fd > last) continue;
      if (flags & CLOSE_RANGE_CLOEXEC) this.slots[fd]!.cloexec = true;
      else this.close(fd);
    }
    return 0;
  }

  /** The description behind fd, or EBADF. */
  file(fd: number): OpenFile | number {
    return this.slots[fd]?.file ?? -Errno.EBADF;
  }

  get(fd: number): FdEntry | undefined {
    return this.slots[fd];
  }

  close(fd: number): number {
    const entry = this.slots[fd];
    if (!entry) return -Errno.EBADF;
    this.slots[fd] = undefined;
    this.onClose?.(this, entry.file);
    releaseFile(entry.file);
    return 0;
  }

  /** dup / F_DUPFD / F_DUPFD_CLOEXEC. */
  dup(fd: number, minFd = 0, cloexec = false): number {
    const entry = this.slots[fd];
    if (!entry) return -Errno.EBADF;
    if (minFd < 0 || minFd >= this.limit) return -Errno.EINVAL;
    return this.install(entry.file, cloexec, minFd);
  }

  dup2(oldFd: number, newFd: number): number {
    if (oldFd === newFd) return this.slots[oldFd] ? newFd : -Errno.EBADF;
    return this.dup3(oldFd, newFd, 0);
  }

  dup3(oldFd: number, newFd: number, flags: number): number {
    if (flags & ~O_CLOEXEC || oldFd === newFd) return -Errno.EINVAL;
    if (newFd < 0 || newFd >= this.limit) return -Errno.EBADF;
    const entry = this.slots[oldFd];
    if (!entry) return -Errno.EBADF;
    const previous = this.slots[newFd];
    this.place(newFd, entry.file, (flags & O_CLOEXEC) !== 0);
    if (previous) {
      this.onClose?.(this, previous.file);
      releaseFile(previous.file);
    }
    return newFd;
  }

  /** At execve: closes every fd marked close-on-exec. */
  closeOnExec(): void {
    this.slots.forEach((entry, fd) => {
      if (entry?.cloexec) this.close(fd);
    });
  }

  /** At exit. */
  closeAll(): void {
    this.slots.forEach((entry, fd) => {
      if (entry) this.close(fd);
    });
  }

  /** A copy for fork: same descriptions (shared offsets), same close-on-exec bits. */
  clone(): FdTable {
    const copy = new FdTable();
    copy.limit = this.limit;
    copy.onClose = this.onClose;
    this.slots.forEach((entry, fd) => {
      if (entry) copy.place(fd, entry.file, entry.cloexec);
    });
    return copy;
  }

  /** Open fds in ascending order (for /proc/<pid>/fd, poll, ...). */
  list(): number[] {
    const out: number[] = [];
    this.slots.forEach((entry, fd) => {
      if (entry) out.push(fd);
    });
    return out;
  }

  private place(fd: number, file: OpenFile, cloexec: boolean): void {
    retainFile(file);
    this.slots[fd] = { file, cloexec };
  }
}
