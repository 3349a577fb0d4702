// File status: stat family, statx, statfs, access checks and readlink.
import { Errno } from '../kernel-shim/errno.js';
import { encodeStat, STAT_SIZE } from '../kernel-shim/abi/stat.js';
import { encodeStatx, STATX_SIZE } from '../kernel-shim/abi/statx.js';
import { type StatPath, accessAt, fstatFd, readlinkAt, statAt, statxAt } from '../kernel-shim/fs/stat-at.js';
import { encodeStatfs, STATFS_SIZE } from '../kernel-shim/abi/statfs.js';
import type { FileStat } from '../kernel-shim/fs/file.js';
import type { Task } from '../kernel-shim/task.js';
import { AT_FDCWD, AT_SYMLINK_NOFOLLOW, fileOf, pathAt } from './guest.js';
import type { SyscallDef } from './types.js';

function put(t: Task, addr: number, size: number, fill: (dv: DataView) => void): number {
  const b = new Uint8Array(size);
  fill(new DataView(b.buffer));
  return t.process.mm.write(addr, b) ? 0 : -Errno.EFAULT;
}

/** A path argument for the stat family: null for a NULL pointer (AT_EMPTY_PATH accepts it). */
function statPath(t: Task, dirfd: number, addr: number): StatPath {
  const at = pathAt(t, dirfd, addr);
  return at === -Errno.EFAULT && addr === 0 ? null : at;
}

function statInto(t: Task, st: FileStat | number, addr: number): number {
  if (typeof st === 'number') return st;
  return put(t, addr, STAT_SIZE, (dv) => encodeStat(dv, 0, st));
}

function readlinkCall(t: Task, dirfd: number, pathAddr: number, bufAddr: number, size: number): number {
  const bytes = readlinkAt(t.process, pathAt(t, dirfd, pathAddr), size);
  if (typeof bytes === 'number') return bytes;
  return t.process.mm.write(bufAddr, bytes) ? bytes.length : -Errno.EFAULT;
}

export const statSyscalls: SyscallDef[] = [
  { name: 'stat', args: ['path', 'stat_out'], result: 'dec', support: 'full', handler: (_k, t, a) => statInto(t, statAt(t.process, AT_FDCWD, statPath(t, AT_FDCWD, a.arg(0)), 0), a.arg(1)) },
  { name: 'lstat', args: ['path', 'stat_out'], result: 'dec', support: 'full', handler: (_k, t, a) => statInto(t, statAt(t.process, AT_FDCWD, statPath(t, AT_FDCWD, a.arg(0)), AT_SYMLINK_NOFOLLOW), a.arg(1)) },
  { name: 'fstat', args: ['fd', 'stat_out'], result: 'dec', support: 'full', handler: (_k, t, a) => statInto(t, a.int(0) === AT_FDCWD ? -Errno.EBADF : fstatFd(t.process, a.int(0)), a.arg(1)) },
  {
    name: 'newfstatat', args: ['fd', 'path', 'stat_out', 'at_flags'], result: 'dec', support: 'full',
    handler: (_k, t, a) => statInto(t, statAt(t.process, a.int(0), statPath(t, a.int(0), a.arg(1)), a.int(3)), a.arg(2)),
  },
  {
    name: 'statx', args: ['fd', 'path', 'statx_flags', 'statx_mask', 'statx_out'], result: 'dec', support: 'full',
    handler: (_k, t, a) => {
      if (a.int(3) & 0x80000000) return -Errno.EINVAL; // STATX__RESERVED
      const st = statxAt(t.process, a.int(0), statPath(t, a.int(0), a.arg(1)), a.int(2), a.int(3));
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
  { name: 'access', args: ['path', 'access_mode'], result: 'dec', support: 'full', handler: (_k, t, a) => accessAt(t.process, AT_FDCWD, pathAt(t, AT_FDCWD, a.arg(0)), a.int(1), 0) },
  { name: 'faccessat', args: ['fd', 'path', 'access_mode'], result: 'dec', support: 'full', handler: (_k, t, a) => accessAt(t.process, a.int(0), pathAt(t, a.int(0), a.arg(1)), a.int(2), 0) },
  { name: 'faccessat2', args: ['fd', 'path', 'access_mode', 'faccessat_flags'], result: 'dec', support: 'full', handler: (_k, t, a) => accessAt(t.process, a.int(0), pathAt(t, a.int(0), a.arg(1)), a.int(2), a.int(3)) },
  { name: 'readlink', args: ['path', 'buf_out', 'uint'], result: 'dec', support: 'full', handler: (_k, t, a) => readlinkCall(t, AT_FDCWD, a.arg(0), a.arg(1), a.int(2)) },
  { name: 'readlinkat', args: ['fd', 'path', 'buf_out', 'uint'], result: 'dec', support: 'full', handler: (_k, t, a) => readlinkCall(t, a.int(0), a.arg(1), a.arg(2), a.int(3)) },
];
