// Files and directories: open/close, fd duplication and flags, terminal ioctls, directory
// listing, and the path operations (mkdir, unlink, rename, links, modes, times...).
import { Errno } from '../kernel-shim/errno.js';
import { releaseFile } from '../kernel-shim/fs/fdtable.js';
import {
  SEEK_CUR, O_CLOEXEC, O_CREAT, O_DIRECTORY, O_PATH, O_RDWR, statusFlags, O_TMPFILE, O_WRONLY, O_TRUNC, S_IFDIR, S_IFMT,
} from '../kernel-shim/fs/constants.js';
import { fcntl } from '../kernel-shim/fs/fcntl.js';
import { ioctl } from '../kernel-shim/fs/ioctl.js';
import { RENAME_NOREPLACE, UTIME_NOW, UTIME_OMIT, type UtimeValue } from '../kernel-shim/fs/vfs.js';
import { fchmodFile, fchownFile, futimensFile } from '../kernel-shim/fs/fdops.js';
import type { Task } from '../kernel-shim/task.js';
import type { Kernel } from '../kernel-shim/kernel.js';
import { CLOCK_REALTIME } from '../kernel-shim/clock.js';
import { MFD_ALLOW_SEALING, MFD_CLOEXEC, MFD_EXEC, MFD_NAME_MAX, MFD_NOEXEC_SEAL, MemFile } from '../kernel-shim/fs/memfd.js';
import { userPrefix } from '../kernel-shim/mm/uaccess.js';
import { type BaseDir, baseDirPath, heldDirectory } from '../kernel-shim/fs/dirref.js';
import { encodeDirents64, encodeDirents } from '../kernel-shim/abi/dirent.js';
import { AT_EMPTY_PATH, AT_FDCWD, AT_REMOVEDIR, AT_SYMLINK_FOLLOW, AT_SYMLINK_NOFOLLOW, fileOf, pathAt, readPath } from './guest.js';
import { fcntlArgs, fcntlResult, ioctlArgs, mknodArgs, mknodatArgs, openArgs, openatArgs } from './argkinds-by-value.js';
import type { SyscallDef } from './types.js';

const CLOSE_RANGE_UNSHARE = 2, CLOSE_RANGE_CLOEXEC = 4;

function openAt(t: Task, dirfd: number, pathAddr: number, flags: number, mode: number): number {
  const at = pathAt(t, dirfd, pathAddr);
  if (typeof at === 'number') return at;
  if ((flags & O_TMPFILE) === O_TMPFILE) return -Errno.EOPNOTSUPP;
  const file = t.process.vfs.open(at.path, flags, mode & ~t.process.fs.umask & 0o7777, at.dir);
  if (typeof file === 'number') return file;
  const fd = t.process.fds.install(file, (flags & O_CLOEXEC) !== 0);
  if (fd < 0) releaseFile(file);
  return fd;
}

function getdents(t: Task, fd: number, addr: number, size: number, wide: boolean): number {
  const file = fileOf(t, fd);
  if (typeof file === 'number') return file;
  const entries = file.readdir();
  if (typeof entries === 'number') return entries;
  if (entries.length === 0) return 0;
  const buf = new Uint8Array(Math.min(size, 1 << 20));
  const position = file.seek(0n, SEEK_CUR);
  const first = typeof position === 'bigint' ? Number(position) : 0;
  const encoded = (wide ? encodeDirents64 : encodeDirents)(new DataView(buf.buffer), 0, buf.length, entries, first);
  if (encoded.count === 0) return -Errno.EINVAL;
  if (!t.process.mm.write(addr, buf.subarray(0, encoded.bytes))) return -Errno.EFAULT;
  file.advanceDir(encoded.count);
  return encoded.bytes;
}

function pathOp(t: Task, dirfd: number, addr: number, op: (path: string, cwd: BaseDir) => number): number {
  const at = pathAt(t, dirfd, addr);
  if (typeof at === 'number') return at;
  return op(at.path, at.dir);
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

function utimensAt(t: Task, dirfd: number, pathAddr: number, times: [UtimeValue, UtimeValue] | number, flags: number): number {
  if (typeof times === 'number') return times;
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -Errno.EINVAL;
  if (pathAddr === 0) {
    const file = fileOf(t, dirfd);
    if (typeof file === 'number') return file;
    return futimensFile(file, times[0], times[1]);
  }
  return pathOp(t, dirfd, pathAddr, (p, cwd) => {
    if (p === '' && flags & AT_EMPTY_PATH) {
      const file = fileOf(t, dirfd);
      return typeof file === 'number' ? file : futimensFile(file, times[0], times[1]);
    }
    return t.process.vfs.utimens(p, times[0], times[1], !(flags & AT_SYMLINK_NOFOLLOW), cwd);
  });
}

function chownAt(t: Task, dirfd: number, pathAddr: number, uid: number, gid: number, flags: number): number {
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -Errno.EINVAL;
  return pathOp(t, dirfd, pathAddr, (p, cwd) => {
    if (p === '' && flags & AT_EMPTY_PATH) {
      const file = fileOf(t, dirfd);
      return typeof file === 'number' ? file : fchownFile(file, uid, gid);
    }
    return t.process.vfs.chown(p, uid, gid, !(flags & AT_SYMLINK_NOFOLLOW), cwd);
  });
}

function fchmodAt(t: Task, dirfd: number, pathAddr: number, mode: number, flags: number): number {
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -Errno.EINVAL;
  return pathOp(t, dirfd, pathAddr, (p, cwd) => {
    if (p === '' && flags & AT_EMPTY_PATH) {
      const file = fileOf(t, dirfd);
      return typeof file === 'number' ? file : fchmodFile(file, mode);
    }
    if (flags & AT_SYMLINK_NOFOLLOW) {
      const st = t.process.vfs.stat(p, false, cwd);
      if (typeof st === 'number') return st;
      if ((st.mode & S_IFMT) === 0o120000) return -Errno.EOPNOTSUPP;
    }
    return t.process.vfs.chmod(p, mode & 0o7777, true, cwd);
  });
}

export const fsSyscalls: SyscallDef[] = [
  { name: 'open', args: openArgs, result: 'dec', support: 'full', handler: (_k, t, a) => openAt(t, AT_FDCWD, a.arg(0), a.int(1), a.int(2)) },
  { name: 'openat', args: openatArgs, result: 'dec', support: 'full', handler: (_k, t, a) => openAt(t, a.int(0), a.arg(1), a.int(2), a.int(3)) },
  { name: 'creat', args: ['path', 'mode'], result: 'dec', support: 'full', handler: (_k, t, a) => openAt(t, AT_FDCWD, a.arg(0), O_CREAT | O_WRONLY | O_TRUNC, a.int(1)) },
  {
    name: 'openat2', args: ['fd', 'path', 'open_how', 'uint'], result: 'dec', support: 'partial', note: 'resolve flags other than 0 are EINVAL',
    handler: (_k, t, a) => {
      const size = a.arg(3);
      if (size < 24 || size > 4096) return -Errno.EINVAL;
      const how = t.process.mm.read(a.arg(2), 24);
      if (how === null) return -Errno.EFAULT;
      const dv = new DataView(how.buffer);
      const flags = dv.getBigUint64(0, true);
      const mode = dv.getBigUint64(8, true);
      if (flags > 0xffffffffn || mode > 0o7777n || dv.getBigUint64(16, true) !== 0n) return -Errno.EINVAL;
      if (mode !== 0n && !(Number(flags) & O_CREAT) && (Number(flags) & O_TMPFILE) !== O_TMPFILE) return -Errno.EINVAL;
      return openAt(t, a.int(0), a.arg(1), Number(flags), Number(mode));
    },
  },
  { name: 'close', args: ['fd'], result: 'dec', support: 'full', handler: (_k, t, a) => t.process.fds.close(a.int(0)) },
  {
    name: 'close_range', args: ['uint', 'uint', 'close_range_flags'], result: 'dec', support: 'full',
    handler: (_k, t, a) => {
      const first = a.arg(0);
      const last = Math.min(a.arg(1), t.process.fds.limit - 1);
      const flags = a.int(2);
      if (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC) || first > a.arg(1)) return -Errno.EINVAL;
      for (const fd of t.process.fds.list()) {
        if (fd < first || fd > last) continue;
        if (flags & CLOSE_RANGE_CLOEXEC) t.process.fds.get(fd)!.cloexec = true;
        else t.process.fds.close(fd);
      }
      return 0;
    },
  },
  { name: 'dup', args: ['fd'], result: 'dec', support: 'full', handler: (_k, t, a) => t.process.fds.dup(a.int(0)) },
  { name: 'dup2', args: ['fd', 'fd'], result: 'dec', support: 'full', handler: (_k, t, a) => t.process.fds.dup2(a.int(0), a.int(1)) },
  { name: 'dup3', args: ['fd', 'fd', 'o_flags'], result: 'dec', support: 'full', handler: (_k, t, a) => t.process.fds.dup3(a.int(0), a.int(1), a.int(2)) },
  { name: 'fcntl', args: fcntlArgs, result: fcntlResult, support: 'partial', note: 'record locks always succeed (one process)', handler: (_k, t, a) => fcntl(t.process, a.int(0), a.int(1), a.arg(2)) },
  { name: 'ioctl', args: ioctlArgs, result: 'dec', support: 'partial', note: 'terminal ioctls and FIO*; others -ENOTTY', handler: (_k, t, a) => ioctl(t, a.int(0), a.int(1) >>> 0, a.arg(2)) },
  { name: 'getdents64', args: ['fd', 'dirents_out', 'uint'], result: 'dec', support: 'full', handler: (_k, t, a) => getdents(t, a.int(0), a.arg(1), a.arg(2), true) },
  { name: 'getdents', args: ['fd', 'dirents_out', 'uint'], result: 'dec', support: 'full', handler: (_k, t, a) => getdents(t, a.int(0), a.arg(1), a.arg(2), false) },
  {
    name: 'getcwd', args: ['path_out', 'uint'], result: 'dec', support: 'full',
    handler: (_k, t, a) => {
      const cwd = t.process.fs.current();
      if (typeof cwd !== 'string') return -Errno.ENOENT; // removed: it has no path
      const bytes = Buffer.from(cwd + '\0');
      if (a.arg(1) < bytes.length) return -Errno.ERANGE;
      return t.process.mm.write(a.arg(0), bytes) ? bytes.length : -Errno.EFAULT;
    },
  },
  {
    name: 'chdir', args: ['path'], result: 'dec', support: 'full',
    handler: (_k, t, a) => {
      const path = readPath(t, a.arg(0));
      if (typeof path === 'number') return path;
      const vfs = t.process.vfs;
      const dir = vfs.canonical(path, t.process.fs.current());
      if (typeof dir === 'number') return dir;
      const held = vfs.open(dir, O_PATH | O_DIRECTORY, 0, '/');
      t.process.fs.chdir(dir, typeof held === 'number' ? undefined : held);
      return 0;
    },
  },
  {
    name: 'fchdir', args: ['fd'], result: 'dec', support: 'full',
    handler: (_k, t, a) => {
      const file = fileOf(t, a.int(0));
      if (typeof file === 'number') return file;
      const st = file.stat();
      if (typeof st === 'number') return st;
      if ((st.mode & S_IFMT) !== S_IFDIR) return -Errno.ENOTDIR;
      const dir = heldDirectory(t.process.vfs.root, file);
      t.process.fs.chdir(baseDirPath(dir), file);
      return 0;
    },
  },
  { name: 'mkdir', args: ['path', 'mode'], result: 'dec', support: 'full', handler: (_k, t, a) => pathOp(t, AT_FDCWD, a.arg(0), (p, cwd) => t.process.vfs.mkdir(p, a.int(1) & ~t.process.fs.umask & 0o7777, cwd)) },
  { name: 'mkdirat', args: ['fd', 'path', 'mode'], result: 'dec', support: 'full', handler: (_k, t, a) => pathOp(t, a.int(0), a.arg(1), (p, cwd) => t.process.vfs.mkdir(p, a.int(2) & ~t.process.fs.umask & 0o7777, cwd)) },
  { name: 'rmdir', args: ['path'], result: 'dec', support: 'full', handler: (_k, t, a) => pathOp(t, AT_FDCWD, a.arg(0), (p, cwd) => t.process.vfs.rmdir(p, cwd)) },
  { name: 'unlink', args: ['path'], result: 'dec', support: 'full', handler: (_k, t, a) => pathOp(t, AT_FDCWD, a.arg(0), (p, cwd) => t.process.vfs.unlink(p, cwd)) },
  {
    name: 'unlinkat', args: ['fd', 'path', 'at_flags'], result: 'dec', support: 'full',
    handler: (_k, t, a) => {
      const flags = a.int(2);
      if (flags & ~AT_REMOVEDIR) return -Errno.EINVAL;
      return pathOp(t, a.int(0), a.arg(1), (p, cwd) => (flags & AT_REMOVEDIR ? t.process.vfs.rmdir(p, cwd) : t.process.vfs.unlink(p, cwd)));
    },
  },
  { name: 'rename', args: ['path', 'path'], result: 'dec', support: 'full', handler: (_k, t, a) => renameAt(t, AT_FDCWD, a.arg(0), AT_FDCWD, a.arg(1), 0) },
  { name: 'renameat', args: ['fd', 'path', 'fd', 'path'], result: 'dec', support: 'full', handler: (_k, t, a) => renameAt(t, a.int(0), a.arg(1), a.int(2), a.arg(3), 0) },
  { name: 'renameat2', args: ['fd', 'path', 'fd', 'path', 'rename_flags'], result: 'dec', support: 'partial', note: 'RENAME_EXCHANGE and RENAME_WHITEOUT are EINVAL', handler: (_k, t, a) => renameAt(t, a.int(0), a.arg(1), a.int(2), a.arg(3), a.int(4)) },
  { name: 'link', args: ['path', 'path'], result: 'dec', support: 'full', handler: (_k, t, a) => linkAt(t, AT_FDCWD, a.arg(0), AT_FDCWD, a.arg(1), 0) },
  { name: 'linkat', args: ['fd', 'path', 'fd', 'path', 'at_flags'], result: 'dec', support: 'full', handler: (_k, t, a) => linkAt(t, a.int(0), a.arg(1), a.int(2), a.arg(3), a.int(4)) },
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
  { name: 'chmod', args: ['path', 'mode'], result: 'dec', support: 'full', handler: (_k, t, a) => fchmodAt(t, AT_FDCWD, a.arg(0), a.int(1), 0) },
  { name: 'fchmodat', args: ['fd', 'path', 'mode'], result: 'dec', support: 'full', handler: (_k, t, a) => fchmodAt(t, a.int(0), a.arg(1), a.int(2), 0) },
  { name: 'fchmodat2', args: ['fd', 'path', 'mode', 'at_flags'], result: 'dec', support: 'full', handler: (_k, t, a) => fchmodAt(t, a.int(0), a.arg(1), a.int(2), a.int(3)) },
  {
    name: 'fchmod', args: ['fd', 'mode'], result: 'dec', support: 'full',
    handler: (_k, t, a) => {
      const file = fileOf(t, a.int(0));
      return typeof file === 'number' ? file : fchmodFile(file, a.int(1) & 0o7777);
    },
  },
  { name: 'chown', args: ['path', 'int', 'int'], result: 'dec', support: 'full', handler: (_k, t, a) => chownAt(t, AT_FDCWD, a.arg(0), a.int(1), a.int(2), 0) },
  { name: 'lchown', args: ['path', 'int', 'int'], result: 'dec', support: 'full', handler: (_k, t, a) => chownAt(t, AT_FDCWD, a.arg(0), a.int(1), a.int(2), AT_SYMLINK_NOFOLLOW) },
  { name: 'fchownat', args: ['fd', 'path', 'int', 'int', 'at_flags'], result: 'dec', support: 'full', handler: (_k, t, a) => chownAt(t, a.int(0), a.arg(1), a.int(2), a.int(3), a.int(4)) },
  {
    name: 'fchown', args: ['fd', 'int', 'int'], result: 'dec', support: 'full',
    handler: (_k, t, a) => {
      const file = fileOf(t, a.int(0));
      return typeof file === 'number' ? file : fchownFile(file, a.int(1), a.int(2));
    },
  },
  { name: 'utimensat', args: ['fd', 'path', 'timespec_pair', 'at_flags'], result: 'dec', support: 'full', handler: (_k, t, a) => utimensAt(t, a.int(0), a.arg(1), readTimes(t, a.arg(2)), a.int(3)) },
  { name: 'utimes', args: ['path', 'timeval_pair'], result: 'dec', support: 'full', handler: (_k, t, a) => utimensAt(t, AT_FDCWD, a.arg(0), readMicroTimes(t, a.arg(1), false), 0) },
  { name: 'futimesat', args: ['fd', 'path', 'timeval_pair'], result: 'dec', support: 'full', handler: (_k, t, a) => utimensAt(t, a.int(0), a.arg(1), readMicroTimes(t, a.arg(2), false), 0) },
  { name: 'utime', args: ['path', 'utimbuf'], result: 'dec', support: 'full', handler: (_k, t, a) => utimensAt(t, AT_FDCWD, a.arg(0), readMicroTimes(t, a.arg(1), true), 0) },
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
      return len < 0n ? -Errno.EINVAL : file.truncate(len);
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
    handler: (_k, t, a) => (typeof fileOf(t, a.int(0)) === 'number' ? -Errno.EBADF : 0),
  },
  {
    name: 'fadvise64', args: ['fd', 'long', 'uint', 'fadvise_advice'], result: 'dec', support: 'full',
    handler: (_k, t, a) => {
      const file = fileOf(t, a.int(0));
      if (typeof file === 'number') return file;
      return a.int(3) < 0 || a.int(3) > 5 ? -Errno.EINVAL : 0;
    },
  },
  {
    name: 'flock', args: ['fd', 'flock_op'], result: 'dec', support: 'partial', note: 'always granted (one process holds locks)',
    handler: (_k, t, a) => (typeof fileOf(t, a.int(0)) === 'number' ? -Errno.EBADF : 0),
  },
  {
    name: 'memfd_create', args: ['string', 'memfd_flags'], result: 'dec', support: 'partial', note: 'no file seals; MFD_HUGETLB is EINVAL',
    handler: (k, t, a) => memfdCreate(k, t, a.arg(0), a.int(1)),
  },
  {
    name: 'mknod', args: mknodArgs, result: 'dec', support: 'full',
    handler: (_k, t, a) => pathOp(t, AT_FDCWD, a.arg(0), (p, cwd) => t.process.vfs.mknod(p, a.int(1) & ~t.process.fs.umask, a.argBig(2), cwd)),
  },
  {
    name: 'mknodat', args: mknodatArgs, result: 'dec', support: 'full',
    handler: (_k, t, a) => pathOp(t, a.int(0), a.arg(1), (p, cwd) => t.process.vfs.mknod(p, a.int(2) & ~t.process.fs.umask, a.argBig(3), cwd)),
  },
];

/** memfd_create: the name is at most MFD_NAME_MAX bytes; the file is read-write. */
function memfdCreate(k: Kernel, t: Task, nameAddr: number, flags: number): number {
  if (flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_NOEXEC_SEAL | MFD_EXEC)) return -Errno.EINVAL;
  if (flags & MFD_EXEC && flags & MFD_NOEXEC_SEAL) return -Errno.EINVAL;
  const mm = t.process.mm;
  const name = mm.readCString(nameAddr, MFD_NAME_MAX + 1);
  if (name === null) return userPrefix(mm, nameAddr, MFD_NAME_MAX + 1, false) <= MFD_NAME_MAX ? -Errno.EFAULT : -Errno.EINVAL;
  const p = t.process;
  const file = new MemFile(k.frames, Buffer.from(name).toString('utf8'), statusFlags(O_RDWR), {
    uid: p.uid, gid: p.gid, now: () => k.clock.now(CLOCK_REALTIME) ?? 0n,
  }, k.memfdInodes.take());
  const fd = p.fds.install(file, (flags & MFD_CLOEXEC) !== 0);
  if (fd < 0) releaseFile(file);
  return fd;
}

function renameAt(t: Task, oldDir: number, oldAddr: number, newDir: number, newAddr: number, flags: number): number {
  if (flags & ~RENAME_NOREPLACE) return -Errno.EINVAL;
  const from = pathAt(t, oldDir, oldAddr);
  if (typeof from === 'number') return from;
  const to = pathAt(t, newDir, newAddr);
  if (typeof to === 'number') return to;
  return t.process.vfs.rename(from.path, to.path, flags, from.dir, to.dir);
}

function linkAt(t: Task, oldDir: number, oldAddr: number, newDir: number, newAddr: number, flags: number): number {
  if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) return -Errno.EINVAL;
  const from = pathAt(t, oldDir, oldAddr);
  if (typeof from === 'number') return from;
  const to = pathAt(t, newDir, newAddr);
  if (typeof to === 'number') return to;
  return t.process.vfs.link(from.path, to.path, (flags & AT_SYMLINK_FOLLOW) !== 0, from.dir, to.dir);
}
