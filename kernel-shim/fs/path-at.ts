// The *at() operations on a resolved path: each takes the path and its base directory as the
// syscall layer read them (or the errno reading failed with, reported in Linux's order after
// the flag checks), and dirfd for AT_EMPTY_PATH, which names dirfd's own file.
import { Errno } from '../errno.js';
import type { Process } from '../process.js';
import type { Task } from '../task.js';
import { type Block, isBlock } from '../wait.js';
import { AT_EMPTY_PATH, AT_REMOVEDIR, AT_SYMLINK_FOLLOW, AT_SYMLINK_NOFOLLOW, O_CLOEXEC, O_TMPFILE, S_IFLNK, S_IFMT } from './constants.js';
import type { BaseDir } from './dirref.js';
import { fchmodFile, fchownFile, futimensFile } from './fdops.js';
import { openPath } from './fifo-open.js';
import { resolveFlagsError } from './resolve-flags.js';
import type { OpenFile } from './file.js';
import { RENAME_EXCHANGE, RENAME_NOREPLACE, RENAME_WHITEOUT, type UtimeValue } from './vfs.js';

/** A path argument and the directory it is relative to. */
export interface PathAt {
  path: string;
  dir: BaseDir;
}

const AT_CHANGE_FLAGS = AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH;

/** at's path with AT_EMPTY_PATH and an empty path: dirfd's file to change through `onFile`. */
function changeAt(p: Process, dirfd: number, at: PathAt | number, flags: number, onFile: (f: OpenFile) => number, onPath: (at: PathAt) => number): number {
  if (typeof at === 'number') return at;
  if (at.path === '' && flags & AT_EMPTY_PATH) {
    const file = p.fds.file(dirfd);
    return typeof file === 'number' ? file : onFile(file);
  }
  return onPath(at);
}

/**
 * open/openat/creat/openat2: the mode is masked by the umask; `resolve` has openat2's RESOLVE_*
 * flags. The new fd, -errno, or a Block (a FIFO waiting for its other end).
 */
export function openAt(t: Task, at: PathAt | number, flags: number, mode: number, resolve = 0n): number | Block {
  const refused = resolveFlagsError(resolve, flags);
  if (refused) return refused;
  if (typeof at === 'number') return at;
  if ((flags & O_TMPFILE) === O_TMPFILE) return -Errno.EOPNOTSUPP;
  const p = t.process;
  const file = openPath(t, at.path, flags, mode & ~p.fs.umask & 0o7777, at.dir, Number(resolve));
  if (typeof file === 'number' || isBlock(file)) return file;
  return p.fds.installNew(file, (flags & O_CLOEXEC) !== 0);
}

/** mkdirat/mkdir: the mode is masked by the umask. */
export function mkdirAt(p: Process, at: PathAt | number, mode: number): number {
  return typeof at === 'number' ? at : p.vfs.mkdir(at.path, mode & ~p.fs.umask & 0o7777, at.dir);
}

/** mknodat/mknod: the permission bits are masked by the umask, the file type kept. */
export function mknodAt(p: Process, at: PathAt | number, mode: number, dev: bigint): number {
  return typeof at === 'number' ? at : p.vfs.mknod(at.path, mode & ~p.fs.umask, dev, at.dir);
}

/** fchmodat/fchmodat2/chmod: a symlink's own mode cannot change (EOPNOTSUPP). */
export function chmodAt(p: Process, dirfd: number, at: PathAt | number, mode: number, flags: number): number {
  if (flags & ~AT_CHANGE_FLAGS) return -Errno.EINVAL;
  return changeAt(p, dirfd, at, flags, (f) => fchmodFile(p.vfs, f, mode), ({ path, dir }) => {
    if (flags & AT_SYMLINK_NOFOLLOW) {
      const st = p.vfs.stat(path, false, dir);
      if (typeof st === 'number') return st;
      if ((st.mode & S_IFMT) === S_IFLNK) return -Errno.EOPNOTSUPP;
    }
    return p.vfs.chmod(path, mode & 0o7777, true, dir);
  });
}

/** fchownat/chown/lchown (-1 keeps an id). */
export function chownAt(p: Process, dirfd: number, at: PathAt | number, uid: number, gid: number, flags: number): number {
  if (flags & ~AT_CHANGE_FLAGS) return -Errno.EINVAL;
  return changeAt(p, dirfd, at, flags, (f) => fchownFile(p.vfs, f, uid, gid), ({ path, dir }) => p.vfs.chown(path, uid, gid, !(flags & AT_SYMLINK_NOFOLLOW), dir));
}

/** utimensat and the older utimes calls; at null: dirfd's own file (a NULL path). */
export function utimensAt(p: Process, dirfd: number, at: PathAt | number | null, times: [UtimeValue, UtimeValue] | number, flags: number): number {
  if (typeof times === 'number') return times;
  if (flags & ~AT_CHANGE_FLAGS) return -Errno.EINVAL;
  const onFile = (f: OpenFile): number => futimensFile(p.vfs, f, times[0], times[1]);
  if (at === null) {
    const file = p.fds.file(dirfd);
    return typeof file === 'number' ? file : onFile(file);
  }
  return changeAt(p, dirfd, at, flags, onFile, ({ path, dir }) => p.vfs.utimens(path, times[0], times[1], !(flags & AT_SYMLINK_NOFOLLOW), dir));
}

/** unlinkat: a directory with AT_REMOVEDIR, anything else without. */
export function unlinkAt(p: Process, at: PathAt | number, flags: number): number {
  if (flags & ~AT_REMOVEDIR) return -Errno.EINVAL;
  if (typeof at === 'number') return at;
  return flags & AT_REMOVEDIR ? p.vfs.rmdir(at.path, at.dir) : p.vfs.unlink(at.path, at.dir);
}

/** renameat2: RENAME_NOREPLACE and RENAME_EXCHANGE, applied atomically by the host. */
export function renameAt(p: Process, from: PathAt | number, to: PathAt | number, flags: number): number {
  // do_renameat2's order: the flags, then CAP_MKNOD for a whiteout (a guest never has it, as
  // in an unprivileged container), then the names.
  if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) return -Errno.EINVAL;
  if (flags & RENAME_EXCHANGE && flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)) return -Errno.EINVAL;
  if (flags & RENAME_WHITEOUT) return -Errno.EPERM;
  if (typeof from === 'number') return from;
  if (typeof to === 'number') return to;
  return p.vfs.rename(from.path, to.path, flags, from.dir, to.dir);
}

/** linkat: AT_SYMLINK_FOLLOW links what a symlink names. */
export function linkAt(p: Process, from: PathAt | number, to: PathAt | number, flags: number): number {
  if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) return -Errno.EINVAL;
  if (typeof from === 'number') return from;
  if (typeof to === 'number') return to;
  return p.vfs.link(from.path, to.path, (flags & AT_SYMLINK_FOLLOW) !== 0, from.dir, to.dir);
}
