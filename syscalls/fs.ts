// Files and directories: open/close, fd duplication and flags, terminal ioctls, directory
// listing, and the path operations (mkdir, unlink, rename, links, modes, times...).
import { stringBytes } from '../kernel-shim/abi/bytes.js';
import { Errno } from '../kernel-shim/errno.js';
import { O_CREAT, O_TMPFILE, O_WRONLY, O_TRUNC } from '../kernel-shim/fs/constants.js';
import { createMemfd } from '../kernel-shim/fs/anon-files.js';
import { changeDirectory, changeDirectoryTo, currentDirectory } from '../kernel-shim/fs/cwd.js';
import { changeRoot } from '../kernel-shim/fs/chroot.js';
import { fcntl } from '../kernel-shim/fs/fcntl.js';
import { flockFd } from '../kernel-shim/fs/locks.js';
import { fchmodFile, fchownFile, ftruncateFile } from '../kernel-shim/fs/fdops.js';
import { fadvise, readahead, syncFileRange } from '../kernel-shim/fs/cache-hints.js';
import { getdents } from '../kernel-shim/fs/getdents.js';
import { ioctl } from '../kernel-shim/fs/ioctl.js';
import { MFD_NAME_MAX } from '../kernel-shim/fs/memfd.js';
import { isRootedAtDir } from '../kernel-shim/fs/resolve-flags.js';
import {
  type PathAt, chmodAt, chownAt, linkAt, mkdirAt, mknodAt, openAt, renameAt, unlinkAt, utimensAt,
} from '../kernel-shim/fs/path-at.js';
import { UTIME_NOW, UTIME_OMIT, type UtimeValue } from '../kernel-shim/fs/vfs.js';
import type { BaseDir } from '../kernel-shim/fs/dirref.js';
import { userPrefix } from '../kernel-shim/mm/uaccess.js';
import type { Task } from '../kernel-shim/task.js';
import { AT_FDCWD, AT_SYMLINK_NOFOLLOW, fileOf, pathAt, readPath } from './guest.js';
import { fcntlArgs, fcntlResult, ioctlArgs, mknodArgs, mknodatArgs, openArgs, openatArgs } from './argkinds-by-value.js';
import type { SyscallDef } from './types.js';

function pathOp(t: Task, dirfd: number, addr: number, op: (path: string, cwd: BaseDir) => number): number {
  const at = pathAt(t, dirfd, addr);
  if (typeof at === 'number') return at;
  return op(at.path, at.dir);
}

/** A path argument that may be NULL (utimensat: dirfd's own file). */
function pathOrNull(t: Task, dirfd: number, addr: number): PathAt | number | null {
  return addr === 0 ? null : pathAt(t, dirfd, addr);
}

/** memfd_create's name: EFAULT, or EINVAL when longer than MFD_NAME_MAX. */
function readMemfdName(t: Task, addr: number): Uint8Array | number {
  const mm = t.process.mm;
  const name = mm.readCString(addr, MFD_NAME_MAX + 1);
  if (name !== null) return name;
  return userPrefix(mm, addr, MFD_NAME_MAX + 1, false) <= MFD_NAME_MAX ? -Errno.EFAULT : -Errno.EINVAL;
}

/** Reads struct timespec[2] for utimensat (NULL means both now). */
function readTimes(t: Task, addr: number): [UtimeValue, UtimeValue] | number {
  if (addr === 0) return [UTIME_NOW, UTIME_NOW];
  const raw = t.process.mm.read(addr, 32);
  if (raw === null) return -Errno.EFAULT;
  const dv = new DataView(raw.buffer);
  const one = (off: number): UtimeValue | number => {
    const sec = dv.getBigInt64(off, true);
    const nsec = dv.getBigInt64(off + 8, true);
    if (nsec === BigInt(UTIME_NOW)) return UTIME_NOW;
    if (nsec === BigInt(UTIME_OMIT)) return UTIME_OMIT;
    if (nsec < 0n || nsec >= 1_000_000_000n) return -Errno.EINVAL;
    return sec * 1_000_000_000n + nsec;
  };
  const at = one(0);
  const mt = one(16);
  if (typeof at === 'number' && at < 0 && at !== UTIME_NOW && at !== UTIME_OMIT) return at;
  if (typeof mt === 'number' && mt < 0 && mt !== UTIME_NOW && mt !== UTIME_OMIT) return mt;
  return [at as UtimeValue, mt as UtimeValue];
}

/** Reads struct timeval[2] (utimes, futimesat) or struct utimbuf (utime) as nanoseconds. */
function readMicroTimes(t: Task, addr: number, utimbuf: boolean): [UtimeValue, UtimeValue] | number {
  if (addr === 0) return [UTIME_NOW, UTIME_NOW];
  const raw = t.process.mm.read(addr, utimbuf ? 16 : 32);
  if (raw === null) return -Errno.EFAULT;
  const dv = new DataView(raw.buffer);
  if (utimbuf) return [dv.getBigInt64(0, true) * 1_000_000_000n, dv.getBigInt64(8, true) * 1_000_000_000n];
  const one = (off: number): bigint | number => {
    const usec = dv.getBigInt64(off + 8, true);
    if (usec < 0n || usec >= 1_000_000n) return -Errno.EINVAL;
    return dv.getBigInt64(off, true) * 1_000_000_000n + usec * 1000n;
  };
  const at = one(0);
  const mt = one(16);
  if (typeof at === 'number') return at;
  if (typeof mt === 'number') return mt;
  return [at, mt];
}

export const fsSyscalls: SyscallDef[] = [
  { name: 'open', args: openArgs, result: 'dec', support: 'full', handler: (_k, t, a) => openAt(t, pathAt(t, AT_FDCWD, a.arg(0)), a.int(1), a.int(2)) },
  { name: 'openat', args: openatArgs, result: 'dec', support: 'full', handler: (_k, t, a) => openAt(t, pathAt(t, a.int(0), a.arg(1)), a.int(2), a.int(3)) },
  { name: 'creat', args: ['path', 'mode'], result: 'dec', support: 'full', handler: (_k, t, a) => openAt(t, pathAt(t, AT_FDCWD, a.arg(0)), O_CREAT | O_WRONLY | O_TRUNC, a.int(1)) },
  {
    name: 'openat2', args: ['fd', 'path', 'open_how', 'uint'], result: 'dec', support: 'full', note: 'RESOLVE_CACHED fails with EAGAIN only for O_CREAT, O_TRUNC and O_TMPFILE: ushim has no dentry cache to miss',
    handler: (_k, t, a) => {
      const size = a.arg(3);
      if (size < 24 || size > 4096) return -Errno.EINVAL;
      const how = t.process.mm.read(a.arg(2), size);
      if (how === null) return -Errno.EFAULT;
      // A newer program's larger struct: what this kernel does not know must be zero.
      if (how.subarray(24).some((b) => b !== 0)) return -Errno.E2BIG;
      const dv = new DataView(how.buffer);
      const flags = dv.getBigUint64(0, true);
      const mode = dv.getBigUint64(8, true);
      if (flags > 0xffffffffn || mode > 0o7777n) return -Errno.EINVAL;
      if (mode !== 0n && !(Number(flags) & O_CREAT) && (Number(flags) & O_TMPFILE) !== O_TMPFILE) return -Errno.EINVAL;
      const resolve = dv.getBigUint64(16, true);
      return openAt(t, pathAt(t, a.int(0), a.arg(1), isRootedAtDir(resolve)), Number(flags), Number(mode), resolve);
    },
  },
  { name: 'close', args: ['fd'], result: 'dec', support: 'full', handler: (_k, t, a) => t.process.fds.close(a.int(0)) },
  {
    name: 'close_range', args: ['uint', 'uint', 'close_range_flags'], result: 'dec', support: 'full',
    handler: (_k, t, a) => t.process.fds.closeRange(a.arg(0), a.arg(1), a.int(2)),
  },
  { name: 'dup', args: ['fd'], result: 'dec', support: 'full', handler: (_k, t, a) => t.process.fds.dup(a.int(0)) },
  { name: 'dup2', args: ['fd', 'fd'], result: 'dec', support: 'full', handler: (_k, t, a) => t.process.fds.dup2(a.int(0), a.int(1)) },
  { name: 'dup3', args: ['fd', 'fd', 'o_flags'], result: 'dec', support: 'full', handler: (_k, t, a) => t.process.fds.dup3(a.int(0), a.int(1), a.int(2)) },
  { name: 'fcntl', args: fcntlArgs, result: fcntlResult, support: 'partial', note: 'no EDEADLK detection; record locks are seen by guest processes only, not by host processes', handler: (_k, t, a) => fcntl(t, a.int(0), a.int(1), a.arg(2)) },
  { name: 'ioctl', args: ioctlArgs, result: 'dec', support: 'partial', note: 'terminal ioctls and FIO*; others -ENOTTY', handler: (_k, t, a) => ioctl(t, a.int(0), a.int(1) >>> 0, a.arg(2)) },
  { name: 'getdents64', args: ['fd', 'dirents_out', 'uint'], result: 'dec', support: 'full', handler: (_k, t, a) => getdents(t.process, a.int(0), a.arg(1), a.arg(2), true) },
  { name: 'getdents', args: ['fd', 'dirents_out', 'uint'], result: 'dec', support: 'full', handler: (_k, t, a) => getdents(t.process, a.int(0), a.arg(1), a.arg(2), false) },
  {
    name: 'getcwd', args: ['path_out', 'uint'], result: 'dec', support: 'full',
    handler: (_k, t, a) => {
      const cwd = currentDirectory(t.process);
      if (typeof cwd === 'number') return cwd;
      const bytes = stringBytes(cwd + '\0');
      if (a.arg(1) < bytes.length) return -Errno.ERANGE;
      return t.process.mm.write(a.arg(0), bytes) ? bytes.length : -Errno.EFAULT;
    },
  },
  {
    name: 'chdir', args: ['path'], result: 'dec', support: 'full',
    handler: (_k, t, a) => {
      const path = readPath(t, a.arg(0));
      return typeof path === 'number' ? path : changeDirectory(t.process, path);
    },
  },
  {
    name: 'fchdir', args: ['fd'], result: 'dec', support: 'full',
    handler: (_k, t, a) => changeDirectoryTo(t.process, a.int(0)),
  },
  {
    name: 'chroot', args: ['path'], result: 'dec', support: 'partial',
    note: "inside --root only; /proc/<pid>/maps names and links to places outside the caller's root are not translated",
    handler: (_k, t, a) => {
      const path = readPath(t, a.arg(0));
      return typeof path === 'number' ? path : changeRoot(t, path);
    },
  },
  { name: 'mkdir', args: ['path', 'mode'], result: 'dec', support: 'full', handler: (_k, t, a) => mkdirAt(t.process, pathAt(t, AT_FDCWD, a.arg(0)), a.int(1)) },
  { name: 'mkdirat', args: ['fd', 'path', 'mode'], result: 'dec', support: 'full', handler: (_k, t, a) => mkdirAt(t.process, pathAt(t, a.int(0), a.arg(1)), a.int(2)) },
  { name: 'rmdir', args: ['path'], result: 'dec', support: 'full', handler: (_k, t, a) => pathOp(t, AT_FDCWD, a.arg(0), (p, cwd) => t.process.vfs.rmdir(p, cwd)) },
  { name: 'unlink', args: ['path'], result: 'dec', support: 'full', handler: (_k, t, a) => pathOp(t, AT_FDCWD, a.arg(0), (p, cwd) => t.process.vfs.unlink(p, cwd)) },
  {
    name: 'unlinkat', args: ['fd', 'path', 'at_flags'], result: 'dec', support: 'full',
    handler: (_k, t, a) => unlinkAt(t.process, pathAt(t, a.int(0), a.arg(1)), a.int(2)),
  },
  { name: 'rename', args: ['path', 'path'], result: 'dec', support: 'full', handler: (_k, t, a) => renameAt(t.process, pathAt(t, AT_FDCWD, a.arg(0)), pathAt(t, AT_FDCWD, a.arg(1)), 0) },
  { name: 'renameat', args: ['fd', 'path', 'fd', 'path'], result: 'dec', support: 'full', handler: (_k, t, a) => renameAt(t.process, pathAt(t, a.int(0), a.arg(1)), pathAt(t, a.int(2), a.arg(3)), 0) },
  { name: 'renameat2', args: ['fd', 'path', 'fd', 'path', 'rename_flags'], result: 'dec', support: 'full', note: 'RENAME_WHITEOUT is EPERM: no CAP_MKNOD, as in an unprivileged container', handler: (_k, t, a) => renameAt(t.process, pathAt(t, a.int(0), a.arg(1)), pathAt(t, a.int(2), a.arg(3)), a.int(4)) },
  { name: 'link', args: ['path', 'path'], result: 'dec', support: 'full', handler: (_k, t, a) => linkAt(t.process, pathAt(t, AT_FDCWD, a.arg(0)), pathAt(t, AT_FDCWD, a.arg(1)), 0) },
  { name: 'linkat', args: ['fd', 'path', 'fd', 'path', 'at_flags'], result: 'dec', support: 'full', handler: (_k, t, a) => linkAt(t.process, pathAt(t, a.int(0), a.arg(1)), pathAt(t, a.int(2), a.arg(3)), a.int(4)) },
  {
    name: 'symlink', args: ['path', 'path'], result: 'dec', support: 'full',
    handler: (_k, t, a) => {
      const target = readPath(t, a.arg(0));
      if (typeof target === 'number') return target;
      return pathOp(t, AT_FDCWD, a.arg(1), (p, cwd) => t.process.vfs.symlink(target, p, cwd));
    },
  },
  {
    name: 'symlinkat', args: ['path', 'fd', 'path'], result: 'dec', support: 'full',
    handler: (_k, t, a) => {
      const target = readPath(t, a.arg(0));
      if (typeof target === 'number') return target;
      return pathOp(t, a.int(1), a.arg(2), (p, cwd) => t.process.vfs.symlink(target, p, cwd));
    },
  },
  { name: 'chmod', args: ['path', 'mode'], result: 'dec', support: 'full', handler: (_k, t, a) => chmodAt(t.process, AT_FDCWD, pathAt(t, AT_FDCWD, a.arg(0)), a.int(1), 0) },
  { name: 'fchmodat', args: ['fd', 'path', 'mode'], result: 'dec', support: 'full', handler: (_k, t, a) => chmodAt(t.process, a.int(0), pathAt(t, a.int(0), a.arg(1)), a.int(2), 0) },
  { name: 'fchmodat2', args: ['fd', 'path', 'mode', 'at_flags'], result: 'dec', support: 'full', handler: (_k, t, a) => chmodAt(t.process, a.int(0), pathAt(t, a.int(0), a.arg(1)), a.int(2), a.int(3)) },
  {
    name: 'fchmod', args: ['fd', 'mode'], result: 'dec', support: 'full',
    handler: (_k, t, a) => {
      const file = fileOf(t, a.int(0));
      return typeof file === 'number' ? file : fchmodFile(t.process.vfs, file, a.int(1) & 0o7777);
    },
  },
  { name: 'chown', args: ['path', 'int', 'int'], result: 'dec', support: 'full', handler: (_k, t, a) => chownAt(t.process, AT_FDCWD, pathAt(t, AT_FDCWD, a.arg(0)), a.int(1), a.int(2), 0) },
  { name: 'lchown', args: ['path', 'int', 'int'], result: 'dec', support: 'full', handler: (_k, t, a) => chownAt(t.process, AT_FDCWD, pathAt(t, AT_FDCWD, a.arg(0)), a.int(1), a.int(2), AT_SYMLINK_NOFOLLOW) },
  { name: 'fchownat', args: ['fd', 'path', 'int', 'int', 'at_flags'], result: 'dec', support: 'full', handler: (_k, t, a) => chownAt(t.process, a.int(0), pathAt(t, a.int(0), a.arg(1)), a.int(2), a.int(3), a.int(4)) },
  {
    name: 'fchown', args: ['fd', 'int', 'int'], result: 'dec', support: 'full',
    handler: (_k, t, a) => {
      const file = fileOf(t, a.int(0));
      return typeof file === 'number' ? file : fchownFile(t.process.vfs, file, a.int(1), a.int(2));
    },
  },
  { name: 'utimensat', args: ['fd', 'path', 'timespec_pair', 'at_flags'], result: 'dec', support: 'full', handler: (_k, t, a) => utimensAt(t.process, a.int(0), pathOrNull(t, a.int(0), a.arg(1)), readTimes(t, a.arg(2)), a.int(3)) },
  { name: 'utimes', args: ['path', 'timeval_pair'], result: 'dec', support: 'full', handler: (_k, t, a) => utimensAt(t.process, AT_FDCWD, pathOrNull(t, AT_FDCWD, a.arg(0)), readMicroTimes(t, a.arg(1), false), 0) },
  { name: 'futimesat', args: ['fd', 'path', 'timeval_pair'], result: 'dec', support: 'full', handler: (_k, t, a) => utimensAt(t.process, a.int(0), pathOrNull(t, a.int(0), a.arg(1)), readMicroTimes(t, a.arg(2), false), 0) },
  { name: 'utime', args: ['path', 'utimbuf'], result: 'dec', support: 'full', handler: (_k, t, a) => utimensAt(t.process, AT_FDCWD, pathOrNull(t, AT_FDCWD, a.arg(0)), readMicroTimes(t, a.arg(1), true), 0) },
  {
    name: 'truncate', args: ['path', 'long'], result: 'dec', support: 'full',
    handler: (_k, t, a) => {
      const len = BigInt.asIntN(64, a.argBig(1));
      if (len < 0n) return -Errno.EINVAL;
      return pathOp(t, AT_FDCWD, a.arg(0), (p, cwd) => t.process.vfs.truncate(p, len, cwd));
    },
  },
  {
    name: 'ftruncate', args: ['fd', 'long'], result: 'dec', support: 'full',
    handler: (_k, t, a) => {
      const file = fileOf(t, a.int(0));
      if (typeof file === 'number') return file;
      const len = BigInt.asIntN(64, a.argBig(1));
      return len < 0n ? -Errno.EINVAL : ftruncateFile(t.process.vfs, file, len);
    },
  },
  ...(['fsync', 'fdatasync', 'syncfs'] as const).map((name): SyscallDef => ({
    name, args: ['fd'], result: 'dec', support: 'full',
    handler: (_k, t, a) => {
      const file = fileOf(t, a.int(0));
      if (typeof file === 'number') return file;
      return name === 'syncfs' ? 0 : file.fsync();
    },
  })),
  { name: 'sync', args: [], result: 'dec', support: 'full', handler: () => 0 },
  {
    name: 'sync_file_range', args: ['fd', 'long', 'long', 'sync_file_range_flags'], result: 'dec', support: 'full',
    handler: (_k, t, a) => syncFileRange(t, a.int(0), BigInt.asIntN(64, a.argBig(1)), BigInt.asIntN(64, a.argBig(2)), a.int(3)),
  },
  {
    name: 'fadvise64', args: ['fd', 'long', 'long', 'fadvise_advice'], result: 'dec', support: 'full',
    handler: (_k, t, a) => fadvise(t, a.int(0), BigInt.asIntN(64, a.argBig(2)), a.int(3)),
  },
  {
    name: 'readahead', args: ['fd', 'long', 'uint'], result: 'dec', support: 'full', note: 'nothing is read ahead (ushim has no page cache of its own to fill)',
    handler: (_k, t, a) => readahead(t, a.int(0)),
  },
  {
    name: 'flock', args: ['fd', 'flock_op'], result: 'dec', support: 'partial', note: 'pipes, memfds and virtual files: always granted',
    handler: (_k, t, a) => flockFd(t, a.int(0), a.int(1)),
  },
  {
    name: 'memfd_create', args: ['string', 'memfd_flags'], result: 'dec', support: 'partial', note: 'no file seals; MFD_HUGETLB takes 2 MiB pages from the huge page pool (--hugepages, vm.nr_hugepages)',
    handler: (_k, t, a) => createMemfd(t, readMemfdName(t, a.arg(0)), a.int(1)),
  },
  {
    name: 'mknod', args: mknodArgs, result: 'dec', support: 'full',
    handler: (_k, t, a) => mknodAt(t.process, pathAt(t, AT_FDCWD, a.arg(0)), a.int(1), a.argBig(2)),
  },
  {
    name: 'mknodat', args: mknodatArgs, result: 'dec', support: 'full',
    handler: (_k, t, a) => mknodAt(t.process, pathAt(t, a.int(0), a.arg(1)), a.int(2), a.argBig(3)),
  },
];
