// Advisory file locks. flock(2) locks belong to open file descriptions, and every description
// ushim opens on a host file has its own host fd: the host's flock decides, so guest tasks
// and host processes contend with each other exactly. POSIX record locks (F_SETLK) belong to
// a process, and all guest processes are one host process whose host locks never conflict:
// they live in the Kernel's table here, owned by the fd table (as Linux's current->files)
// and dropped by any close of the file through it, and OFD locks (F_OFD_SETLK) by the
// description, living while it is open. Waiting never blocks the host: a task
// that must wait parks, woken when a guest lock changes and retrying on a timer for what
// ushim does not see (a host process, a close that dropped a lock).
import { libcCalls } from '../../host/libc.js';
import { CLOCK_MONOTONIC } from '../clock.js';
import { Errno } from '../errno.js';
import type { Task } from '../task.js';
import { type Block, ERESTARTSYS, WaitQueue, block } from '../wait.js';
import { O_PATH, SEEK_CUR, SEEK_END, SEEK_SET, canRead, canWrite } from './constants.js';
import { FdTable } from './fdtable.js';
import type { OpenFile } from './file.js';

export const F_GETLK = 5, F_SETLK = 6, F_SETLKW = 7, F_OFD_GETLK = 36, F_OFD_SETLK = 37, F_OFD_SETLKW = 38;
const F_RDLCK = 0, F_WRLCK = 1, F_UNLCK = 2;
const LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;
const OFFSET_MAX = 0x7fffffffffffffffn;
/** struct flock: l_type, l_whence (int16), l_start, l_len (int64 at 8, 16), l_pid (int32 at 24). */
const FLOCK_SIZE = 32;
/** How often a waiter retries for what it cannot be woken by (host processes, closes). */
const RETRY_NS = 10_000_000n;

interface RecordLock {
  /** The fd table (POSIX locks) or the description (OFD locks) holding it. */
  readonly owner: FdTable | OpenFile;
  /** What F_GETLK reports as l_pid: the process that set a POSIX lock, -1 for OFD locks. */
  readonly pid: number;
  readonly type: number;
  readonly start: bigint;
  /** Inclusive; OFFSET_MAX: to the end of the file, whatever it grows to. */
  readonly end: bigint;
}

function fileKey(file: OpenFile): string | number {
  const st = file.stat();
  return typeof st === 'number' ? st : `${st.dev}:${st.ino}`;
}

/** The Kernel's record locks by file, and the queue their waiters sleep on. */
export class FileLocks {
  readonly changed = new WaitQueue();
  private readonly byFile = new Map<string, RecordLock[]>();

  /** The first lock of another owner that conflicts with the request, after dropping dead locks. */
  conflict(key: string, req: RecordLock): RecordLock | undefined {
    // Locks of tables emptied without telling (a restored snapshot's) and of closed descriptions are gone.
    const locks = (this.byFile.get(key) ?? []).filter((l) => (l.owner instanceof FdTable ? l.owner.list().length > 0 : l.owner.refs > 0));
    this.byFile.set(key, locks);
    return locks.find((l) => l.owner !== req.owner && l.start <= req.end && req.start <= l.end && (l.type === F_WRLCK || req.type === F_WRLCK));
  }

  /** An fd of `file` was closed: the POSIX locks its table held on the file go (Linux's locks_remove_posix). */
  closed(table: FdTable, file: OpenFile): void {
    if (this.byFile.size === 0) return;
    const key = fileKey(file);
    const locks = typeof key === 'number' ? undefined : this.byFile.get(key);
    if (locks === undefined || !locks.some((l) => l.owner === table)) return;
    this.byFile.set(key as string, locks.filter((l) => l.owner !== table));
    this.changed.wakeAll();
  }

  /** Sets or clears (F_UNLCK) the request's range for its owner, splitting and merging as Linux does. */
  apply(key: string, req: RecordLock): void {
    const out: RecordLock[] = [];
    let merged = req;
    for (const l of this.byFile.get(key) ?? []) {
      if (l.owner !== req.owner) out.push(l);
      else if (req.type !== F_UNLCK && l.type === req.type && l.start <= req.end + 1n && req.start <= l.end + 1n) {
        merged = { ...merged, start: l.start < merged.start ? l.start : merged.start, end: l.end > merged.end ? l.end : merged.end };
      } else if (l.end < req.start || l.start > req.end) out.push(l);
      else {
        if (l.start < req.start) out.push({ ...l, end: req.start - 1n });
        if (l.end > req.end) out.push({ ...l, start: req.end + 1n });
      }
    }
    if (req.type !== F_UNLCK) out.push(merged);
    if (out.length > 0) this.byFile.set(key, out);
    else this.byFile.delete(key);
    this.changed.wakeAll();
  }
}

function retryLater(t: Task): Block {
  const deadline = t.kernel.clock.now(CLOCK_MONOTONIC)! + RETRY_NS;
  return block([t.kernel.locks.changed], { deadline, onTimeout: 'retry', onSignal: -ERESTARTSYS });
}

/** struct flock -> the range it names (Linux's flock_to_posix_lock), or -errno. */
function lockRange(file: OpenFile, view: DataView): { start: bigint; end: bigint } | number {
  const whence = view.getInt16(2, true);
  const len = view.getBigInt64(16, true);
  let base = 0n;
  if (whence === SEEK_CUR || whence === SEEK_END) {
    const at = file.seek(0n, whence);
    base = typeof at === 'number' ? 0n : at;
  } else if (whence !== SEEK_SET) return -Errno.EINVAL;
  let start = base + view.getBigInt64(8, true);
  if (start < 0n) return -Errno.EINVAL;
  let end = OFFSET_MAX;
  if (len > 0n) {
    end = start + len - 1n;
    if (end > OFFSET_MAX) return -Errno.EOVERFLOW;
  } else if (len < 0n) {
    end = start - 1n;
    start += len;
    if (start < 0n) return -Errno.EINVAL;
  }
  return { start, end };
}

/** fcntl's record-lock commands on `file` with the struct flock at `addr`: 0, -errno, or a Block (the *LKW forms). */
export function recordLock(t: Task, file: OpenFile, cmd: number, addr: number): number | Block {
  const mm = t.process.mm;
  const raw = mm.read(addr, FLOCK_SIZE);
  if (raw === null) return -Errno.EFAULT;
  const view = new DataView(raw.buffer, raw.byteOffset, FLOCK_SIZE);
  const ofd = cmd === F_OFD_GETLK || cmd === F_OFD_SETLK || cmd === F_OFD_SETLKW;
  const getting = cmd === F_GETLK || cmd === F_OFD_GETLK;
  const type = view.getInt16(0, true);
  if (ofd && view.getInt32(24, true) !== 0) return -Errno.EINVAL;
  if (type !== F_RDLCK && type !== F_WRLCK && (getting || type !== F_UNLCK)) return -Errno.EINVAL;
  if (file.flags & O_PATH) return -Errno.EBADF;
  if (!getting && ((type === F_RDLCK && !canRead(file.flags)) || (type === F_WRLCK && !canWrite(file.flags)))) return -Errno.EBADF;
  const range = lockRange(file, view);
  if (typeof range === 'number') return range;
  const key = fileKey(file);
  if (typeof key === 'number') return key;
  const req: RecordLock = { owner: ofd ? file : t.process.fds, pid: ofd ? -1 : t.process.pid, type, ...range };
  const locks = t.kernel.locks;
  const held = type === F_UNLCK ? undefined : locks.conflict(key, req);
  if (getting) {
    if (held === undefined) view.setInt16(0, F_UNLCK, true);
    else {
      view.setInt16(0, held.type, true);
      view.setInt16(2, SEEK_SET, true);
      view.setBigInt64(8, held.start, true);
      view.setBigInt64(16, held.end === OFFSET_MAX ? 0n : held.end - held.start + 1n, true);
      view.setInt32(24, held.pid, true);
    }
    return mm.write(addr, raw) ? 0 : -Errno.EFAULT;
  }
  if (held !== undefined) return cmd === F_SETLKW || cmd === F_OFD_SETLKW ? retryLater(t) : -Errno.EAGAIN;
  locks.apply(key, req);
  return 0;
}

/** flock(2): the host's flock on the description's own host fd, never waiting in the host. */
export function flockFile(t: Task, file: OpenFile, op: number): number | Block {
  const kind = op & ~LOCK_NB;
  if (kind !== LOCK_SH && kind !== LOCK_EX && kind !== LOCK_UN) return -Errno.EINVAL;
  if (file.flags & O_PATH) return -Errno.EBADF;
  // Pipes, memfds and virtual files have no host fd: each holder gets its lock at once.
  if (file.hostFd === undefined) return 0;
  const r = libcCalls.flock(file.hostFd, kind | LOCK_NB) === 0 ? 0 : -libcCalls.errno();
  if (kind === LOCK_UN) t.kernel.locks.changed.wakeAll();
  if (r === -Errno.EWOULDBLOCK && !(op & LOCK_NB)) return retryLater(t);
  return r;
}
