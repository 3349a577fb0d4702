// File status: stat family, statx, statfs, access checks and readlink.
import { Errno } from '../kernel-shim/errno.js';
import { encodeStat, STAT_SIZE } from '../kernel-shim/abi/stat.js';
import { encodeStatx, STATX_SIZE, type StatxValue } from '../kernel-shim/abi/statx.js';
import { statxOfFile } from '../kernel-shim/fs/vfs.js';
import type { BaseDir } from '../kernel-shim/fs/dirref.js';
import { encodeStatfs, STATFS_SIZE } from '../kernel-shim/abi/statfs.js';
import type { FileStat } from '../kernel-shim/fs/file.js';
import type { Task } from '../kernel-shim/task.js';
import { AT_EACCESS, AT_EMPTY_PATH, AT_FDCWD, AT_NO_AUTOMOUNT, AT_STATX_SYNC_TYPE, AT_SYMLINK_NOFOLLOW, fileOf, pathAt } from './guest.js';
import type { SyscallDef } from './types.js';

function put(t: Task, addr: number, size: number, fill: (dv: DataView) => void): number {
  const b = new Uint8Array(size);
  fill(new DataView(b.buffer));
  return t.process.mm.write(addr, b) ? 0 : -Errno.EFAULT;
}

/**
 * What (dirfd, path, flags) names, as fstatat and statx resolve it: a path from a base
 * directory, or with AT_EMPTY_PATH and an empty (or, since Linux 6.11, NULL) path dirfd itself.
 */
function statTarget<T>(
  t: Task, dirfd: number, pathAddr: number, flags: number,
  byPath: (path: string, dir: BaseDir, follow: boolean) => T | number, byFd: (fd: number) => T | number,
): T | number {
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE)) return -Errno.EINVAL;
  const at = pathAt(t, dirfd, pathAddr);
  if (typeof at === 'number') return at === -Errno.EFAULT && pathAddr === 0 && flags & AT_EMPTY_PATH ? byFd(dirfd) : at;
  if (at.path === '') return flags & AT_EMPTY_PATH ? byFd(dirfd) : -Errno.ENOENT;
  return byPath(at.path, at.dir, !(flags & AT_SYMLINK_NOFOLLOW));
}

function statAt(t: Task, dirfd: number, pathAddr: number, flags: number): FileStat | number {
  return statTarget(t, dirfd, pathAddr, flags, (p, dir, follow) => t.process.vfs.stat(p, follow, dir), (fd) => fstatFd(t, fd));
}

function statxAt(t: Task, dirfd: number, pathAddr: number, flags: number, mask: number): StatxValue | number {
  const sync = flags & AT_STATX_SYNC_TYPE;
  const vfs = t.process.vfs;
  return statTarget(t, dirfd, pathAddr, flags, (p, dir, follow) => vfs.statx(p, follow, dir, mask, sync), (fd) => {
    if (fd === AT_FDCWD) return vfs.statx('.', true, t.process.fs.current(), mask, sync);
    const file = fileOf(t, fd);
    return typeof file === 'number' ? file : statxOfFile(file, mask, sync);
  });
}

function fstatFd(t: Task, fd: number): FileStat | number {
  if (fd === AT_FDCWD) return t.process.vfs.stat('.', true, t.process.fs.current());
  const file = fileOf(t, fd);
  return typeof file === 'number' ? file : file.stat();
}

function statInto(t: Task, st: FileStat | number, addr: number): number {
  if (typeof st === 'number') return st;
  return put(t, addr, STAT_SIZE, (dv) => encodeStat(dv, 0, st));
}

function accessAt(t: Task, dirfd: number, pathAddr: number, mode: number, flags: number): number {
  if (mode & ~7) return -Errno.EINVAL;
  if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -Errno.EINVAL;
  const at = pathAt(t, dirfd, pathAddr);
  if (typeof at === 'number') return at;
  if (at.path === '' && flags & AT_EMPTY_PATH) {
    const st = fstatFd(t, dirfd);
    return typeof st === 'number' ? st : 0;
  }
  return t.process.vfs.access(at.path, mode, at.dir, !(flags & AT_SYMLINK_NOFOLLOW));
}

function readlinkAt(t: Task, dirfd: number, pathAddr: number, bufAddr: number, size: number): number {
  if (size <= 0) return -Errno.EINVAL;
  const at = pathAt(t, dirfd, pathAddr);
  if (typeof at === 'number') return at;
  const target = t.process.vfs.readlink(at.path, at.dir);
  if (typeof target === 'number') return target;
  const bytes = Buffer.from(target).subarray(0, size);
  return t.process.mm.write(bufAddr, bytes) ? bytes.length : -Errno.EFAULT;
}

export const statSyscalls: SyscallDef[] = [
  { name: 'stat', args: ['path', 'stat_out'], result: 'dec', support: 'full', handler: (_k, t, a) => statInto(t, statAt(t, AT_FDCWD, a.arg(0), 0), a.arg(1)) },
  { name: 'lstat', args: ['path', 'stat_out'], result: 'dec', support: 'full', handler: (_k, t, a) => statInto(t, statAt(t, AT_FDCWD, a.arg(0), AT_SYMLINK_NOFOLLOW), a.arg(1)) },
  { name: 'fstat', args: ['fd', 'stat_out'], result: 'dec', support: 'full', handler: (_k, t, a) => statInto(t, a.int(0) === AT_FDCWD ? -Errno.EBADF : fstatFd(t, a.int(0)), a.arg(1)) },
  {
    name: 'newfstatat', args: ['fd', 'path', 'stat_out', 'at_flags'], result: 'dec', support: 'full',
    handler: (_k, t, a) => statInto(t, statAt(t, a.int(0), a.arg(1), a.int(3)), a.arg(2)),
  },
  {
    name: 'statx', args: ['fd', 'path', 'statx_flags', 'statx_mask', 'statx_out'], result: 'dec', support: 'full',
    handler: (_k, t, a) => {
      if (a.int(3) & 0x80000000) return -Errno.EINVAL; // STATX__RESERVED
      const st = statxAt(t, a.int(0), a.arg(1), a.int(2), a.int(3));
      if (typeof st === 'number') return st;
      return put(t, a.arg(4), STATX_SIZE, (dv) => encodeStatx(dv, 0, st));
    },
  },
  {
    name: 'statfs', args: ['path', 'statfs_out'], result: 'dec', support: 'full',
    handler: (_k, t, a) => {
      const at = pathAt(t, AT_FDCWD, a.arg(0));
      if (typeof at === 'number') return at;
      const fs = t.process.vfs.statfs(at.path, at.dir);
      if (typeof fs === 'number') return fs;
      return put(t, a.arg(1), STATFS_SIZE, (dv) => encodeStatfs(dv, 0, fs));
    },
  },
  {
    name: 'fstatfs', args: ['fd', 'statfs_out'], result: 'dec', support: 'full',
    handler: (_k, t, a) => {
      const file = fileOf(t, a.int(0));
      if (typeof file === 'number') return file;
      const fs = t.process.vfs.statfs(file.path, '/');
      if (typeof fs === 'number') return fs;
      return put(t, a.arg(1), STATFS_SIZE, (dv) => encodeStatfs(dv, 0, fs));
    },
  },
  { name: 'access', args: ['path', 'access_mode'], result: 'dec', support: 'full', handler: (_k, t, a) => accessAt(t, AT_FDCWD, a.arg(0), a.int(1), 0) },
  { name: 'faccessat', args: ['fd', 'path', 'access_mode'], result: 'dec', support: 'full', handler: (_k, t, a) => accessAt(t, a.int(0), a.arg(1), a.int(2), 0) },
  { name: 'faccessat2', args: ['fd', 'path', 'access_mode', 'faccessat_flags'], result: 'dec', support: 'full', handler: (_k, t, a) => accessAt(t, a.int(0), a.arg(1), a.int(2), a.int(3)) },
  { name: 'readlink', args: ['path', 'buf_out', 'uint'], result: 'dec', support: 'full', handler: (_k, t, a) => readlinkAt(t, AT_FDCWD, a.arg(0), a.arg(1), a.int(2)) },
  { name: 'readlinkat', args: ['fd', 'path', 'buf_out', 'uint'], result: 'dec', support: 'full', handler: (_k, t, a) => readlinkAt(t, a.int(0), a.arg(1), a.arg(2), a.int(3)) },
];
