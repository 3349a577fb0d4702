// Small helpers the handlers share: reading paths and timespecs from guest memory, resolving
// *at() dirfds, looking up fds.
import { byteString } from '../kernel-shim/abi/bytes.js';
import { TIMESPEC_SIZE, decodeTimespec } from '../kernel-shim/abi/time.js';
import { Errno } from '../kernel-shim/errno.js';
import type { OpenFile } from '../kernel-shim/fs/file.js';
import type { Task } from '../kernel-shim/task.js';
import { S_IFDIR, S_IFMT } from '../kernel-shim/fs/constants.js';
import { userPrefix } from '../kernel-shim/mm/uaccess.js';
import { type BaseDir, baseDirPath, heldDirectory } from '../kernel-shim/fs/dirref.js';

import { AT_FDCWD } from '../kernel-shim/fs/constants.js';
export {
  AT_EACCESS, AT_EMPTY_PATH, AT_FDCWD, AT_NO_AUTOMOUNT, AT_REMOVEDIR, AT_STATX_SYNC_TYPE, AT_SYMLINK_FOLLOW, AT_SYMLINK_NOFOLLOW,
} from '../kernel-shim/fs/constants.js';

const PATH_MAX = 4096;
const NS = 1_000_000_000n;

/** A NUL-terminated path from guest memory: EFAULT for a bad pointer, ENAMETOOLONG past PATH_MAX. */
export function readPath(t: Task, addr: number): string | number {
  const bytes = t.process.mm.readCString(addr, PATH_MAX);
  // No NUL in PATH_MAX bytes: ENAMETOOLONG if they could all be read, else the scan faulted.
  if (bytes === null) return userPrefix(t.process.mm, addr, PATH_MAX, false) < PATH_MAX ? -Errno.EFAULT : -Errno.ENAMETOOLONG;
  return byteString(bytes);
}

export function fileOf(t: Task, fd: number): OpenFile | number {
  return t.process.fds.file(fd);
}

/**
 * The directory a relative path of an *at() call starts from, where it is now; an absolute
 * one too when `rooted` (openat2's RESOLVE_IN_ROOT: dirfd is the root of the lookup).
 */
export function dirOf(t: Task, dirfd: number, path: string, rooted = false): BaseDir | number {
  // An empty path names dirfd itself (AT_EMPTY_PATH) or is ENOENT: the caller decides.
  if (path === '' || (path.startsWith('/') && !rooted) || dirfd === AT_FDCWD) return t.process.fs.current();
  const file = fileOf(t, dirfd);
  if (typeof file === 'number') return file;
  const st = file.stat();
  if (typeof st === 'number') return st;
  if ((st.mode & S_IFMT) !== S_IFDIR) return -Errno.ENOTDIR;
  return heldDirectory(t.process.vfs.root, file);
}

/**
 * Path and base directory of an *at() call, read from guest memory: dir is the base itself
 * (a removed directory is reachable only through it), cwd its guest path.
 */
export function pathAt(t: Task, dirfd: number, addr: number, rooted = false): { path: string; dir: BaseDir; cwd: string } | number {
  const path = readPath(t, addr);
  if (typeof path === 'number') return path;
  const dir = dirOf(t, dirfd, path, rooted);
  if (typeof dir === 'number') return dir;
  return { path, dir, cwd: baseDirPath(dir) };
}

/** A timespec argument as nanoseconds: EFAULT, or EINVAL when out of range. */
export function readTimespec(t: Task, addr: number): bigint | number {
  const raw = t.process.mm.read(addr, TIMESPEC_SIZE);
  if (raw === null) return -Errno.EFAULT;
  const ts = decodeTimespec(new DataView(raw.buffer), 0);
  if (ts.sec < 0n || ts.nsec < 0n || ts.nsec >= NS) return -Errno.EINVAL;
  return ts.sec * NS + ts.nsec;
}

/** The CLOCK_MONOTONIC deadline of a relative timeout argument (NULL: none), or an errno. */
export function timeoutDeadline(t: Task, addr: number): bigint | undefined | number {
  if (addr === 0) return undefined;
  const ns = readTimespec(t, addr);
  return typeof ns === 'number' ? ns : t.deadlineAfter(ns);
}
