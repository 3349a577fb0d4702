import type { WaitQueue } from '../wait.js';
import type { Task } from '../task.js';

// The open file description: what an fd points at. dup'ed fds share one description
// (offset, status flags); the fd table holds the per-fd close-on-exec bit.

/** File metadata in host-neutral form; the stat/statx codecs in kernel-shim/abi/ encode it. */
export interface FileStat {
  dev: bigint;
  ino: bigint;
  nlink: number;
  mode: number; // S_IFMT | permission bits
  uid: number;
  gid: number;
  rdev: bigint;
  size: bigint;
  blksize: number;
  blocks: bigint; // 512-byte units
  atimeNs: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  birthtimeNs: bigint;
}

/** One directory entry as getdents64 reports it. */
export interface DirEntry {
  ino: bigint;
  type: number; // DT_* value
  name: string;
}

/** What a file can report to poll/select/epoll (POLLIN 1, POLLPRI 2, POLLOUT 4, POLLERR 8, POLLHUP 16). */
export type PollMask = number;

/**
 * An open file description. Every method returns a non-negative result or a negative errno,
 * and never throws for conditions a guest can cause.
 */
export interface OpenFile {
  /** Guest-visible path (for /proc/self/fd and strace), e.g. "/etc/passwd" or "pipe:[3]". */
  readonly path: string;
  /** Status flags: access mode (O_ACCMODE) and O_APPEND/O_NONBLOCK/... as F_GETFL reports them. */
  flags: number;
  /** Reads at the current offset; advances it. -EAGAIN when it would block. */
  read(buf: Uint8Array): number;
  /** Writes at the current offset (or the end with O_APPEND); advances it. */
  write(buf: Uint8Array): number;
  /**
   * read(2) and write(2) straight between the file and the caller's memory, `spans` being
   * views of its pages in order (mm/uaccess.ts userSpans), for files a host call reads or
   * writes (host sockets): no copy through a buffer of ushim's.
   */
  readSpans?(spans: readonly Uint8Array[]): number;
  writeSpans?(spans: readonly Uint8Array[]): number;
  /** Positional read; -ESPIPE when the file is not seekable. */
  pread(buf: Uint8Array, pos: bigint): number;
  pwrite(buf: Uint8Array, pos: bigint): number;
  /** lseek; returns the new offset as a bigint, or a negative errno as a number. */
  seek(offset: bigint, whence: number): bigint | number;
  stat(): FileStat | number;
  /** Next directory entries from the current directory offset; -ENOTDIR for non-directories. */
  readdir(): DirEntry[] | number;
  /** Directory position handling for getdents64: how many entries were consumed. */
  advanceDir(count: number): void;
  /** Terminal and other ioctls that only need the fd itself; -ENOTTY when unsupported. */
  ioctl(cmd: number, arg: Uint8Array | null): number;
  /**
   * ioctls that read and write their argument in the caller's memory themselves (userfaultfd);
   * when present, every request the generic fd ioctls (FIOCLEX, FIONBIO...) leave goes here.
   */
  guestIoctl?(t: Task, cmd: number, argAddr: number): number;
  truncate(length: bigint): number;
  fsync(): number;
  poll(): PollMask;
  /**
   * What a read or write of `count` bytes answers before it touches the caller's buffer (an
   * errno, or 0: the copy is reached), for files whose checks depend on the count; without
   * it an empty transfer asks the file.
   */
  refusalFor?(count: number, writing: boolean): number;
  /**
   * fallocate(2) past the generic checks, for files ushim keeps itself (memfd); a file with a
   * host fd leaves it to the host's fallocate.
   */
  allocate?(mode: number, offset: bigint, length: bigint): number;
  /** The host fd behind this description, when there is one (mmap of files, sendfile). */
  readonly hostFd?: number;
  /**
   * Where the host object behind this description is reopened (/proc/self/fd/N of ushim's own
   * host fd, which reaches the object itself, as Linux's magic links do), when it can be.
   */
  readonly hostPath?: string;
  /**
   * poll() asks the host about hostFd itself (host sockets): readiness is what it reports,
   * and a waiter waits on hostFd for the events it asks (readable, writable).
   */
  readonly hostReadiness?: boolean;
  /** Woken whenever poll() may have changed (pipes, eventfd, ...); absent for always-ready files. */
  readonly waitQueue?: WaitQueue;
  /** References taken by fd tables and other holders (fdtable.ts retainFile / releaseFile). */
  refs: number;
  /** Called when the last fd referring to the description is closed. */
  release(): void;
  /** Called before release(), set by the VFS for the files it opens (inotify's IN_CLOSE_*). */
  onLastClose?: () => void;
  /**
   * The epoll instances with an entry for this description (fs/epoll.ts). An entry holds no
   * reference: as Linux's eventpoll_release, the last close drops the entries instead.
   */
  epollWatchers?: Set<{ forget(file: OpenFile): void }>;
}
