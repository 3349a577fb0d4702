// What the stat family, access and readlink report about (dirfd, path, flags): a path from
// a base directory, or with AT_EMPTY_PATH and an empty (or, since Linux 6.11, NULL) path
// dirfd itself. The path comes as the syscall layer read it, or as the errno reading failed
// with, reported after the flag checks as Linux does.
import type { StatxValue } from '../abi/statx.js';
import { stringBytes } from '../abi/bytes.js';
import { Errno } from '../errno.js';
import type { Process } from '../process.js';
import { AT_EACCESS, AT_EMPTY_PATH, AT_FDCWD, AT_NO_AUTOMOUNT, AT_STATX_SYNC_TYPE, AT_SYMLINK_NOFOLLOW } from './constants.js';
import type { BaseDir } from './dirref.js';
import type { FileStat } from './file.js';
import type { PathAt } from './path-at.js';
import { statxOfFile } from './vfs.js';

/** The path argument: read (PathAt), its errno, or NULL. */
export type StatPath = PathAt | number | null;

const STAT_FLAGS = AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE;

function statTarget<T>(
  dirfd: number, at: StatPath, flags: number, byPath: (path: string, dir: BaseDir, follow: boolean) => T | number, byFd: (fd: number) => T | number,
): T | number {
  if (flags & ~STAT_FLAGS) return -Errno.EINVAL;
  if (at === null) return flags & AT_EMPTY_PATH ? byFd(dirfd) : -Errno.EFAULT;
  if (typeof at === 'number') return at;
  if (at.path === '') return flags & AT_EMPTY_PATH ? byFd(dirfd) : -Errno.ENOENT;
  return byPath(at.path, at.dir, !(flags & AT_SYMLINK_NOFOLLOW));
}

/** fstat (and fstatat's dirfd): AT_FDCWD is the working directory. */
export function fstatFd(p: Process, fd: number): FileStat | number {
  if (fd === AT_FDCWD) return p.vfs.stat('.', true, p.fs.current());
  const file = p.fds.file(fd);
  return typeof file === 'number' ? file : file.stat();
}

/** newfstatat/stat/lstat. */
export function statAt(p: Process, dirfd: number, at: StatPath, flags: number): FileStat | number {
  return statTarget(dirfd, at, flags, (path, dir, follow) => p.vfs.stat(path, follow, dir), (fd) => fstatFd(p, fd));
}

/** statx: mask selects the fields; the AT_STATX_SYNC_TYPE bits pass through. */
export function statxAt(p: Process, dirfd: number, at: StatPath, flags: number, mask: number): StatxValue | number {
  const sync = flags & AT_STATX_SYNC_TYPE;
  return statTarget(dirfd, at, flags, (path, dir, follow) => p.vfs.statx(path, follow, dir, mask, sync), (fd) => {
    if (fd === AT_FDCWD) return p.vfs.statx('.', true, p.fs.current(), mask, sync);
    const file = p.fds.file(fd);
    return typeof file === 'number' ? file : statxOfFile(file, mask, sync);
  });
}

/** faccessat2/faccessat/access: mode is R/W/X_OK bits (0: existence). */
export function accessAt(p: Process, dirfd: number, at: PathAt | number, mode: number, flags: number): number {
  if (mode & ~7) return -Errno.EINVAL;
  if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -Errno.EINVAL;
  if (typeof at === 'number') return at;
  if (at.path === '' && flags & AT_EMPTY_PATH) {
    const st = fstatFd(p, dirfd);
    return typeof st === 'number' ? st : 0;
  }
  return p.vfs.access(at.path, mode, at.dir, !(flags & AT_SYMLINK_NOFOLLOW));
}

/** readlinkat: the link's target, cut to size bytes (no NUL), or EINVAL for a size <= 0. */
export function readlinkAt(p: Process, at: PathAt | number, size: number): Uint8Array | number {
  if (size <= 0) return -Errno.EINVAL;
  if (typeof at === 'number') return at;
  const target = p.vfs.readlink(at.path, at.dir);
  return typeof target === 'number' ? target : stringBytes(target).subarray(0, size);
}
