// memfd_create: an anonymous regular file that exists only in guest RAM. Its pages are one
// SharedObject, so read/write, the file offset and every MAP_SHARED mapping of it (in any
// address space) see the same frames, as Linux's shmem page cache does.
import { Errno } from '../errno.js';
import type { MappedFile } from '../mm/areas.js';
import { PAGE_SIZE } from '../mm/constants.js';
import type { FrameAllocator } from '../mm/frames.js';
import { SharedObject } from '../mm/shared.js';
import { HugetlbObject } from '../mm/hugetlb.js';
import { HPAGE_PAGES, HPAGE_SIZE, type HugePool } from '../mm/hugetlb-pool.js';
import { BaseFile } from './basefile.js';
import { FALLOC_FL_KEEP_SIZE, FALLOC_FL_PUNCH_HOLE } from './fallocate-flags.js';
import { MAX_OFFSET, O_APPEND, SEEK_CUR, SEEK_DATA, SEEK_END, SEEK_HOLE, SEEK_SET, S_IFREG, canRead, canWrite, makedev } from './constants.js';
import type { FileStat } from './file.js';

export const MFD_CLOEXEC = 0x1;
export const MFD_ALLOW_SEALING = 0x2;
export const MFD_HUGETLB = 0x4;
/** MFD_HUGE_MASK << MFD_HUGE_SHIFT: the huge page size (log2) that MFD_HUGETLB asks for. */
export const MFD_HUGE_SIZE_BITS = 0x3f << 26;
export const MFD_NOEXEC_SEAL = 0x8;
export const MFD_EXEC = 0x10;
/** Longest name memfd_create accepts (NAME_MAX minus the "memfd:" prefix). */
export const MFD_NAME_MAX = 249;

/** The internal shmem mount that memfds live on (st_dev 0:1). */
const MEMFD_DEV_MINOR = 1;

export interface MemFileOwner {
  uid: number;
  gid: number;
  /** The realtime clock, for file times. */
  now(): bigint;
}

export class MemFile extends BaseFile {
  /** The file's pages; the file holds one use of them, each mapping another. */
  readonly object: SharedObject;
  /** What mappings of it are backed by. */
  readonly mapped: MappedFile;
  private size = 0n;
  private pos = 0n;
  private mtimeNs: bigint;
  private readonly birthNs: bigint;

  constructor(
    frames: FrameAllocator,
    name: string,
    flags: number,
    private readonly owner: MemFileOwner,
    /** From the kernel's memfd inode numbers (Kernel.memfdInodes). */
    private readonly ino: bigint,
    /** MFD_HUGETLB: a hugetlbfs file whose pages come from this pool. */
    hugePool?: HugePool,
  ) {
    super(`/memfd:${name} (deleted)`, flags);
    this.birthNs = owner.now();
    this.mtimeNs = this.birthNs;
    this.mapped = { hostFd: -1, path: this.path, devMajor: 0, devMinor: MEMFD_DEV_MINOR, ino: this.ino };
    const size = (): number => Number(this.size);
    this.object = hugePool === undefined ? new SharedObject(frames, this.mapped, size) : new HugetlbObject(frames, hugePool, this.mapped, size);
    this.object.users++;
  }

  /** A hugetlbfs file (MFD_HUGETLB): no write(2), sizes in whole huge pages. */
  get hugetlb(): boolean {
    return this.object.hugetlb;
  }

  /** A writable shared mapping reaching past the end makes the hugetlbfs file that long. */
  growTo(bytes: number): void {
    if (BigInt(bytes) > this.size) this.size = BigInt(bytes);
  }

  stat(): FileStat {
    return {
      dev: makedev(0, MEMFD_DEV_MINOR), ino: this.ino, nlink: 0, mode: S_IFREG | 0o777,
      uid: this.owner.uid, gid: this.owner.gid, rdev: 0n, size: this.size, blksize: this.hugetlb ? HPAGE_SIZE : PAGE_SIZE,
      blocks: BigInt((this.object.residentPages * PAGE_SIZE) / 512), atimeNs: this.mtimeNs, mtimeNs: this.mtimeNs,
      ctimeNs: this.mtimeNs, birthtimeNs: this.birthNs,
    };
  }

  override read(buf: Uint8Array): number {
    const n = this.pread(buf, this.pos);
    if (n > 0) this.pos += BigInt(n);
    return n;
  }

  override write(buf: Uint8Array): number {
    const n = this.pwrite(buf, this.pos);
    if (n >= 0) this.pos = (this.flags & O_APPEND ? this.size : this.pos + BigInt(n));
    return n;
  }

  override pread(buf: Uint8Array, pos: bigint): number {
    if (!canRead(this.flags)) return -Errno.EBADF;
    if (pos < 0n) return -Errno.EINVAL;
    if (pos >= this.size) return 0;
    const n = Number(this.size - pos < BigInt(buf.length) ? this.size - pos : BigInt(buf.length));
    this.object.load(buf.subarray(0, n), Number(pos));
    return n;
  }

  override pwrite(buf: Uint8Array, pos: bigint): number {
    if (!canWrite(this.flags)) return -Errno.EBADF;
    if (pos < 0n || this.hugetlb) return -Errno.EINVAL; // hugetlbfs has no write_iter
    const at = this.flags & O_APPEND ? this.size : pos;
    if (at + BigInt(buf.length) > BigInt(Number.MAX_SAFE_INTEGER)) return -Errno.EFBIG;
    this.object.store(buf, Number(at));
    const end = at + BigInt(buf.length);
    if (end > this.size) this.size = end;
    this.mtimeNs = this.owner.now();
    return buf.length;
  }

  override seek(offset: bigint, whence: number): bigint | number {
    let target: bigint;
    if (whence === SEEK_SET) target = offset;
    else if (whence === SEEK_CUR) target = this.pos + offset;
    else if (whence === SEEK_END) target = this.size + offset;
    else if (whence === SEEK_DATA || whence === SEEK_HOLE) {
      if (offset < 0n || offset >= this.size) return -Errno.ENXIO;
      target = whence === SEEK_DATA ? offset : this.size;
    } else return -Errno.EINVAL;
    if (target < 0n || target > MAX_OFFSET) return -Errno.EINVAL;
    this.pos = target;
    return target;
  }

  override truncate(length: bigint): number {
    if (length < 0n || !canWrite(this.flags)) return -Errno.EINVAL;
    if (length > BigInt(Number.MAX_SAFE_INTEGER)) return -Errno.EFBIG;
    const len = Number(length);
    if (this.hugetlb && len % HPAGE_SIZE !== 0) return -Errno.EINVAL;
    if (length < this.size) this.object.shrink(len);
    this.size = length;
    this.mtimeNs = this.owner.now();
    return 0;
  }

  /**
   * fallocate(2) as shmem does it: frames come on first touch anyway, so allocating only
   * grows the size (unless FALLOC_FL_KEEP_SIZE); punching a hole zeroes the resident bytes.
   */
  allocate(mode: number, offset: bigint, length: bigint): number {
    if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE)) return -Errno.EOPNOTSUPP;
    const end = offset + length;
    if (end > BigInt(Number.MAX_SAFE_INTEGER)) return -Errno.EFBIG;
    if (this.object instanceof HugetlbObject) {
      const r = allocateHuge(this.object, mode, Number(offset), Number(end));
      if (r < 0) return r;
      if (!(mode & (FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE)) && end > this.size) this.size = end;
    } else if (mode & FALLOC_FL_PUNCH_HOLE) {
      this.object.zeroRange(Number(offset), Number(end));
    } else if (!(mode & FALLOC_FL_KEEP_SIZE) && end > this.size) {
      this.size = end;
    }
    this.mtimeNs = this.owner.now();
    return 0;
  }

  override fsync(): number {
    return 0;
  }

  override release(): void {
    this.object.release();
  }
}

/**
 * fallocate on a hugetlbfs file (hugetlbfs_fallocate): whole huge pages only. A hole is
 * punched in the pages it covers entirely; allocating instantiates every page the range
 * touches, ENOSPC when the pool runs out.
 */
function allocateHuge(object: HugetlbObject, mode: number, offset: number, end: number): number {
  if (mode & FALLOC_FL_PUNCH_HOLE) {
    const first = Math.ceil(offset / HPAGE_SIZE) * HPAGE_PAGES;
    const last = Math.floor(end / HPAGE_SIZE) * HPAGE_PAGES;
    if (first < last) object.discard(first, last);
    return 0;
  }
  for (let h = Math.floor(offset / HPAGE_SIZE); h * HPAGE_SIZE < end; h++) {
    if (object.frameAt(h * HPAGE_PAGES) < 0) return -Errno.ENOSPC;
  }
  return 0;
}
