// System V shared memory segments (shmget, shmat, shmdt). A segment's pages are a
// SharedObject, the memory of MAP_SHARED anonymous mappings: each attachment is a shared
// area of it, so fork shares it, and exit, exec and munmap let go of it like any mapping.
// The segment holds one use of the object itself until IPC_RMID; shm_nattch is the rest
// (areas, as Linux counts VMAs), and a removed segment lives on until its last area goes.
import { Errno } from '../errno.js';
import type { Kernel } from '../kernel.js';
import type { MappedFile, VmArea } from '../mm/areas.js';
import { MAP_FIXED, MAP_SHARED, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE, pageCeil } from '../mm/constants.js';
import { munmap } from '../mm/mapping.js';
import { exceedsCommitLimit } from '../mm/overcommit.js';
import { SharedObject } from '../mm/shared.js';
import { taskMapChecked } from '../mm/task-memory.js';
import type { Task } from '../task.js';
import type { Block } from '../wait.js';
import { ipcGet } from './ipc-ids.js';
import { ipcNow } from './ipc-namespace.js';
import { IPC_PRIVATE, IpcPerm, S_IRUGO, S_IRWXUGO, S_IWUGO, S_IXUGO, ipcPermits } from './ipc-perm.js';

export const SHM_RDONLY = 0o10000, SHM_RND = 0o20000, SHM_REMAP = 0o40000, SHM_EXEC = 0o100000;
/** shm_perm.mode bits: removed but still attached; SHM_LOCK'ed. */
export const SHM_DEST = 0o1000, SHM_LOCKED = 0o2000;
/** Linux's defaults: SHMMAX and SHMALL (pages) are ULONG_MAX - 2^24, SHMMNI 4096. */
export const SHMMIN = 1n, SHMMAX = 2n ** 64n - 2n ** 24n, SHMALL = SHMMAX, SHMMNI = 4096;
/** shmget: the segment is not charged against the overcommit limit (mm/overcommit.ts). */
const SHM_NORESERVE = 0o10000;

/** The segment as /proc/<pid>/maps names it: /SYSV<key> (deleted), on the shm mount (00:01), its id as inode. */
class ShmFile implements MappedFile {
  readonly hostFd = -1;
  readonly devMajor = 0;
  readonly devMinor = 1;
  readonly path: string;

  constructor(private readonly segment: ShmSegment, key: number) {
    this.path = `/SYSV${(key >>> 0).toString(16).padStart(8, '0')} (deleted)`;
  }

  get ino(): bigint {
    return BigInt(this.segment.perm.id);
  }
}

export class ShmSegment {
  readonly object: SharedObject;
  atime = 0n;
  dtime = 0n;
  lpid = 0;
  /** IPC_RMID happened: the key is IPC_PRIVATE and the segment goes with its last attachment. */
  destroyed = false;

  constructor(k: Kernel, readonly perm: IpcPerm, readonly size: bigint, readonly cpid: number) {
    this.object = new SharedObject(k.frames, new ShmFile(this, perm.key));
    this.object.users = 1;
  }

  get pages(): number {
    return Math.ceil(Number(this.size) / PAGE_SIZE);
  }

  get nattch(): number {
    return this.object.users - (this.destroyed ? 0 : 1);
  }
}

/** Drops removed segments whose last attachment went since (munmap, exit and exec do not tell). */
export function reapSegments(k: Kernel): void {
  for (const seg of [...k.ipc.shm.values()]) if (seg.destroyed && seg.object.users === 0) k.ipc.shm.remove(seg);
}

/** The segment of a live id (removed and detached ones are gone). */
export function segmentOf(k: Kernel, shmid: number): ShmSegment | undefined {
  reapSegments(k);
  return k.ipc.shm.get(shmid);
}

/** IPC_RMID: the key becomes IPC_PRIVATE and the segment's own use of its memory ends. */
export function destroySegment(k: Kernel, seg: ShmSegment): void {
  if (seg.destroyed) return;
  seg.destroyed = true;
  seg.perm.key = IPC_PRIVATE;
  seg.perm.mode |= SHM_DEST;
  seg.object.release();
  reapSegments(k);
}

export function totalShmPages(k: Kernel): number {
  let pages = 0;
  for (const seg of k.ipc.shm.values()) pages += seg.pages;
  return pages;
}

export function shmget(k: Kernel, t: Task, key: number, size: bigint, flg: number): number {
  reapSegments(k);
  const create = (): ShmSegment | number => {
    if (size < SHMMIN || size > SHMMAX) return -Errno.EINVAL;
    if (k.ipc.shm.size >= SHMMNI) return -Errno.ENOSPC;
    if (BigInt(totalShmPages(k)) + (size + BigInt(PAGE_SIZE) - 1n) / BigInt(PAGE_SIZE) > SHMALL) return -Errno.ENOSPC;
    if (!(flg & SHM_NORESERVE) && exceedsCommitLimit(k.frames, Number(size))) return -Errno.ENOMEM;
    return new ShmSegment(k, new IpcPerm(key, flg & S_IRWXUGO, t, ipcNow(k)), size, t.process.pid);
  };
  return ipcGet(t, k.ipc.shm, key, flg, create, (seg) => (seg.size < size ? -Errno.EINVAL : 0));
}

/** shmat(2): the address the segment is attached at, -errno, or a Block (userfaultfd UNMAP events of SHM_REMAP). */
export function shmat(k: Kernel, t: Task, shmid: number, shmaddr: number, flg: number): number | Block {
  if (shmid < 0) return -Errno.EINVAL;
  let addr = shmaddr;
  let flags = MAP_SHARED;
  if (addr !== 0) {
    if (addr % PAGE_SIZE !== 0) {
      if (!(flg & SHM_RND)) return -Errno.EINVAL;
      addr -= addr % PAGE_SIZE;
      if (addr === 0 && flg & SHM_REMAP) return -Errno.EINVAL;
    }
    flags |= MAP_FIXED;
  } else if (flg & SHM_REMAP) {
    return -Errno.EINVAL;
  }
  let prot = flg & SHM_RDONLY ? PROT_READ : PROT_READ | PROT_WRITE;
  let access = flg & SHM_RDONLY ? S_IRUGO : S_IRUGO | S_IWUGO;
  if (flg & SHM_EXEC) {
    prot |= PROT_EXEC;
    access |= S_IXUGO;
  }
  const seg = segmentOf(k, shmid);
  if (seg === undefined) return -Errno.EINVAL;
  if (!ipcPermits(t, seg.perm, access)) return -Errno.EACCES;
  const length = Number(seg.size);
  // Linux checks the segment's own size here, not the whole pages the mapping takes.
  if (addr !== 0 && !(flg & SHM_REMAP) && !t.process.mm.areas.isFree(addr, addr + length)) return -Errno.EINVAL;
  const object = seg.object;
  const file = { file: object.file!, writable: !(flg & SHM_RDONLY), sharedObject: () => object };
  const result = taskMapChecked(k, t, { addr, length, prot, flags, file, offset: 0 });
  if (typeof result === 'number' && result >= 0) {
    seg.atime = ipcNow(k);
    seg.lpid = t.process.pid;
  }
  return result;
}

/**
 * shmdt(2): the first attachment found at or above addr whose offset 0 would lie at addr,
 * and the further areas of the same segment that continue it within the segment's size.
 */
export function shmdt(k: Kernel, t: Task, addr: number): number {
  if (addr % PAGE_SIZE !== 0) return -Errno.EINVAL;
  const mm = t.process.mm;
  const segmentAt = (a: VmArea): ShmSegment | undefined => {
    if (a.backing.kind !== 'shared' || a.start - addr !== a.offset) return undefined;
    const object = a.backing.object;
    for (const seg of k.ipc.shm.values()) if (seg.object === object) return seg;
    return undefined;
  };
  const first = mm.areas.items.find((a) => a.end > addr && segmentAt(a) !== undefined);
  if (first === undefined) return -Errno.EINVAL;
  const seg = segmentAt(first)!;
  const end = addr + pageCeil(Number(seg.size));
  const ranges = mm.areas.items.filter((a) => a === first || (a.start > first.start && a.end <= end && segmentAt(a) === seg)).map((a) => [a.start, a.end]);
  for (const [start, stop] of ranges) munmap(mm, start, stop - start);
  seg.dtime = ipcNow(k);
  seg.lpid = t.process.pid;
  reapSegments(k);
  return 0;
}
