// Path operations of the guest's filesystem namespace: the host root with /proc and /dev
// mounted on it. Paths are guest paths resolved against a cwd the caller supplies (the
// process's cwd, or a dirfd's path for the *at calls).
import * as fs from 'node:fs';
import { Errno } from '../errno.js';
import { stringBytes } from '../abi/bytes.js';
import { PathFile } from './basefile.js';
import {
  O_CREAT,
  O_EXCL,
  O_NOFOLLOW,
  O_PATH,
  O_TRUNC,
  S_IFBLK,
  S_IFCHR,
  S_IFDIR,
  S_IFIFO,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
  S_IFSOCK,
  statusFlags,
} from './constants.js';
import { DevFs } from './devices.js';
import type { BaseDir } from './dirref.js';
import { lastComponent, notAName, parentError, resolveNew } from './create-path.js';
import type { FileStat, OpenFile } from './file.js';
import { hostErrno } from './hosterrno.js';
import { hostMknod, hostRename, hostStatx, hostUtimens } from './hostcalls.js';
import { STATX_MASK, type StatxValue, decodeStatx, statxFromFileStat } from '../abi/statx.js';
import { fromHostStat, openHost } from './hostfile.js';
import { PageCache } from '../mm/pagecache.js';
import { ProcFs, type ProcProvider } from './procfs.js';
import { isScoped } from './resolve-flags.js';
import { FsRoot, PATH_MAX, type Resolved, type VirtualResolved } from './root.js';
import { FsNotify } from '../notify/fsnotify.js';
import { IN_ATTRIB, IN_MODIFY, IN_OPEN } from '../notify/inotify-abi.js';
import { closeEvent, created, fileSubject, hostSubject, linked, removing, renaming, utimeEvent } from '../notify/vfs-events.js';

export const UTIME_NOW = 0x3fffffff;
export const UTIME_OMIT = 0x3ffffffe;
/** A new file time: nanoseconds since the epoch, or one of the special tv_nsec values. */
export type UtimeValue = bigint | typeof UTIME_NOW | typeof UTIME_OMIT;

export const RENAME_NOREPLACE = 1;
export const RENAME_EXCHANGE = 2;
export const RENAME_WHITEOUT = 4;

const ST_VALID = 0x20;

/** struct statfs contents (kernel-shim/abi encodes it). */
export interface FsStats {
  type: number;
  bsize: bigint;
  blocks: bigint;
  bfree: bigint;
  bavail: bigint;
  files: bigint;
  ffree: bigint;
  fsid: [number, number];
  namelen: number;
  frsize: bigint;
  flags: number;
}

export interface VfsOptions {
  /** Host directory that is the guest's '/'. */
  root: string;
  proc: ProcProvider;
  /** Source of /dev/random and /dev/urandom. */
  randomBytes(n: number): Uint8Array;
  /** Host terminal behind /dev/tty (default /dev/tty). */
  hostTty?: string;
  /** Timestamps of /proc and /dev nodes (default: now). */
  timeNs?: bigint;
  /** The user the guest runs as (default: the shim's). */
  uid?: number;
  gid?: number;
  /**
   * qemu-user's -L: a host directory searched first for every absolute path (the ELF
   * interpreter, absolute library paths); what it lacks comes from the root.
   */
  prefix?: string;
}

function existsOnHost(hostPath: Buffer): boolean {
  try {
    fs.lstatSync(hostPath);
    return true;
  } catch {
    return false;
  }
}

function hostCall(fn: () => void): number {
  try {
    fn();
    return 0;
  } catch (e) {
    return hostErrno(e);
  }
}

function hostLstat(hostPath: Buffer): FileStat | number {
  try {
    return fromHostStat(fs.lstatSync(hostPath, { bigint: true }));
  } catch (e) {
    return hostErrno(e);
  }
}

/** Creating an entry in /proc or /dev: the trees are not writable. */
function virtualCreate(r: VirtualResolved): number {
  return r.node ? -Errno.EEXIST : -Errno.EACCES;
}

/** Two-path operations (rename, link) touching /proc or /dev. */
function virtualPair(from: Resolved, to: Resolved): number {
  if (from.virtual && !from.node) return -Errno.ENOENT;
  return from.virtual !== to.virtual ? -Errno.EXDEV : -Errno.EACCES;
}

const AT_SYMLINK_NOFOLLOW = 0x100;

/** The host's struct statx as the guest gets it: only the fields ushim encodes are claimed. */
export function statxOfHost(raw: DataView | number): StatxValue | number {
  if (typeof raw === 'number') return raw;
  const v = decodeStatx(raw, 0);
  v.mask &= STATX_MASK.BASIC_STATS | STATX_MASK.BTIME;
  return v;
}

/** statx of an open file: through its host fd when it has one. */
export function statxOfFile(file: OpenFile, mask: number, syncFlags: number): StatxValue | number {
  if (file.hostFd !== undefined) return statxOfHost(hostStatx(file.hostFd, syncFlags, mask));
  const st = file.stat();
  return typeof st === 'number' ? st : statxFromFileStat(st);
}

export class Vfs {
  readonly root: FsRoot;
  /** -L DIR (VfsOptions.prefix), resolved like a root of its own so its links stay inside it. */
  readonly prefix: FsRoot | undefined;
  readonly proc: ProcFs;
  readonly dev: DevFs;
  /** Pages of host files that are (or were) mapped, which file I/O must see and update. */
  readonly pageCache: PageCache;
  /** Where the changes guests make are reported, for their inotify watches (one for every view). */
  readonly notify: FsNotify;

  /** The namespace of opts; or a view of `opts` (a Vfs) whose root is jailed at a directory (chroot). */
  constructor(opts: VfsOptions | { outer: Vfs; root: FsRoot }) {
    if ('outer' in opts) {
      ({ proc: this.proc, dev: this.dev, pageCache: this.pageCache, notify: this.notify } = opts.outer);
      this.root = opts.root;
      // qemu's -L applies to the whole root, not inside a chroot.
      this.prefix = undefined;
      return;
    }
    const tree = {
      timeNs: opts.timeNs ?? BigInt(Date.now()) * 1_000_000n,
      uid: opts.uid ?? process.getuid?.() ?? 0,
      gid: opts.gid ?? process.getgid?.() ?? 0,
    };
    this.pageCache = new PageCache();
    this.notify = new FsNotify();
    this.proc = new ProcFs(opts.proc, tree);
    this.dev = new DevFs({ ...tree, randomBytes: opts.randomBytes, hostTty: opts.hostTty });
    this.root = new FsRoot(opts.root, [this.proc, this.dev]);
    this.prefix = opts.prefix === undefined ? undefined : new FsRoot(opts.prefix);
  }

  /** This namespace with the directory open as `dir` as its root: a process's view after chroot. */
  jailedAt(dir: OpenFile): Vfs {
    return new Vfs({ outer: this, root: this.root.jailedAt(dir) });
  }

  /** A path; `resolve` has openat2's RESOLVE_* flags (a scoped path stays below cwd, away from -L). */
  resolve(path: string, followLast: boolean, cwd: BaseDir, resolve = 0): Resolved | number {
    if (this.prefix !== undefined && path.startsWith('/') && !isScoped(resolve)) {
      const r = this.prefix.resolve(path, cwd, { followLast, resolve });
      if (typeof r !== 'number' && !r.virtual && r.host.use(existsOnHost) === true) return r;
    }
    return this.root.resolve(path, cwd, { followLast, resolve });
  }

  /** open/openat/openat2 (with its RESOLVE_* flags). mode has the guest's umask applied already. */
  open(path: string, flags: number, mode: number, cwd: BaseDir, resolve = 0): OpenFile | number {
    const exclusive = (flags & (O_CREAT | O_EXCL)) === (O_CREAT | O_EXCL);
    const follow = !(flags & O_NOFOLLOW) && !exclusive;
    const r = this.resolve(path, follow, cwd, resolve);
    if (typeof r === 'number') return r;
    if (!r.virtual) {
      return r.host.use((p) => {
        const existed = !(flags & O_CREAT) || !this.notify.active || existsOnHost(p);
        const file = openHost(p, r.guestPath, flags, mode, this.pageCache);
        if (typeof file !== 'number' && !existed) created(this.notify, p, 0);
        return this.opened(file, existed && (flags & O_TRUNC) !== 0);
      });
    }
    if (!r.node) return flags & O_CREAT ? -Errno.EACCES : -Errno.ENOENT;
    if (exclusive) return -Errno.EEXIST;
    if (r.node.file && follow) return this.opened(this.reopen(r.node.file, flags), false);
    return this.opened(r.virtual.open(r.node, r.guestPath, flags), false);
  }

  /** An event about an open file, for its own watches and its directory's (inotify). */
  notifyFile(file: OpenFile, event: number): void {
    if (!this.notify.active) return;
    const subject = fileSubject(file, (dir) => this.stat(dir, true, '/'));
    if (subject !== undefined) this.notify.onObject(subject, event);
  }

  /** A file just opened: IN_OPEN, IN_MODIFY when O_TRUNC emptied a regular file, and IN_CLOSE_* at its last close. */
  private opened(file: OpenFile | number, truncating: boolean): OpenFile | number {
    if (typeof file === 'number' || file.flags & O_PATH) return file;
    this.notifyFile(file, IN_OPEN);
    if (truncating && this.notify.active) {
      const st = file.stat();
      if (typeof st !== 'number' && (st.mode & S_IFMT) === S_IFREG) this.notifyFile(file, IN_MODIFY);
    }
    if (file.refs === 0) {
      this.notify.opened(file);
      file.onLastClose = () => {
        this.notifyFile(file, closeEvent(file));
        this.notify.closed(file);
      };
    }
    return file;
  }

  /** After a host call changed the object at hostPath: `event` for its watches and its directory's. */
  reportChange(hostPath: Buffer, follow: boolean, event: number, result: number): number {
    if (result < 0 || event === 0 || !this.notify.active) return result;
    const subject = hostSubject(hostPath, follow);
    if (subject !== undefined) this.notify.onObject(subject, event);
    return result;
  }

  /** stat/lstat/newfstatat on a path. */
  stat(path: string, followLast: boolean, cwd: BaseDir): FileStat | number {
    const r = this.resolve(path, followLast, cwd);
    if (typeof r === 'number') return r;
    if (!r.virtual) return r.host.known ? fromHostStat(r.host.known) : r.host.use(hostLstat);
    if (!r.node) return -Errno.ENOENT;
    if (r.node.file && followLast) return r.node.file.stat();
    return r.virtual.stat(r.node, r.guestPath);
  }

  /**
   * statx on a path. Host files answer with the host's own statx, whose stx_mask depends on
   * the request the way the host kernel decides (it may leave out times nobody asked for).
   */
  statx(path: string, followLast: boolean, cwd: BaseDir, mask: number, syncFlags: number): StatxValue | number {
    const r = this.resolve(path, followLast, cwd);
    if (typeof r === 'number') return r;
    if (!r.virtual) return r.host.use((p) => statxOfHost(hostStatx(p, (followLast ? 0 : AT_SYMLINK_NOFOLLOW) | syncFlags, mask)));
    if (!r.node) return -Errno.ENOENT;
    if (r.node.file && followLast) return statxOfFile(r.node.file, mask, syncFlags);
    const st = r.virtual.stat(r.node, r.guestPath);
    return typeof st === 'number' ? st : statxFromFileStat(st);
  }

  /** access/faccessat: mode is F_OK 0 or a mix of R_OK 4, W_OK 2, X_OK 1. */
  access(path: string, mode: number, cwd: BaseDir, followLast = true): number {
    if (mode & ~7) return -Errno.EINVAL;
    const r = this.resolve(path, followLast, cwd);
    if (typeof r === 'number') return r;
    if (!r.virtual) {
      return r.host.use((p) => {
        // A symlink's own permissions are rwxrwxrwx (faccessat2 AT_SYMLINK_NOFOLLOW).
        if (!followLast && !r.host.mustBeDir) {
          const st = hostLstat(p);
          if (typeof st !== 'number' && (st.mode & S_IFMT) === S_IFLNK) return 0;
        }
        return hostCall(() => fs.accessSync(p, mode));
      });
    }
    return r.node ? r.virtual.access(r.node, mode) : -Errno.ENOENT;
  }

  readlink(path: string, cwd: BaseDir): string | number {
    const r = this.resolve(path, false, cwd);
    if (typeof r === 'number') return r;
    if (!r.virtual) return r.host.use((p) => this.root.readlink(p));
    if (!r.node) return -Errno.ENOENT;
    return r.node.type === 'lnk' ? r.node.target ?? '' : -Errno.EINVAL;
  }

  /** The canonical guest path of a directory, for chdir (and fchdir through a dir's path). */
  canonical(path: string, cwd: BaseDir): string | number {
    const r = this.resolve(path, true, cwd);
    if (typeof r === 'number') return r;
    if (r.virtual) {
      if (!r.node) return -Errno.ENOENT;
      if (r.node.type !== 'dir') return -Errno.ENOTDIR;
      const err = r.virtual.access(r.node, 1);
      return err < 0 ? err : r.guestPath;
    }
    const err = r.host.use((p) => {
      const st = hostLstat(p);
      if (typeof st === 'number') return st;
      if ((st.mode & S_IFMT) !== S_IFDIR) return -Errno.ENOTDIR;
      return hostCall(() => fs.accessSync(p, fs.constants.X_OK));
    });
    return err < 0 ? err : r.guestPath;
  }

  /** mkdir; mode has the guest's umask applied already. */
  mkdir(path: string, mode: number, cwd: BaseDir): number {
    const r = resolveNew(this, path, cwd, true);
    if (typeof r === 'number') return r;
    if (r.virtual) return virtualCreate(r);
    return r.host.use((p) =>
      created(this.notify, p, hostCall(() => {
        fs.mkdirSync(p, mode & 0o1777);
        // Undo the host's umask; keep a setgid bit inherited from the parent.
        const st = fs.lstatSync(p);
        if ((st.mode & 0o1777) !== (mode & 0o1777)) fs.chmodSync(p, (st.mode & 0o6000) | (mode & 0o1777));
      })),
    );
  }

  rmdir(path: string, cwd: BaseDir): number {
    const last = lastComponent(path);
    if (last === '.') return -Errno.EINVAL;
    if (last === '..') return -Errno.ENOTEMPTY;
    const r = this.resolve(path, false, cwd);
    if (typeof r === 'number') return r;
    if (r.guestPath === '/') return -Errno.EBUSY;
    if (r.virtual) {
      if (!r.node) return -Errno.ENOENT;
      return r.node.type === 'dir' ? -Errno.EACCES : -Errno.ENOTDIR;
    }
    return r.host.use((p) => removing(this.notify, p, () => hostCall(() => fs.rmdirSync(p))));
  }

  unlink(path: string, cwd: BaseDir): number {
    const r = this.resolve(path, false, cwd);
    if (typeof r === 'number') return r;
    if (r.virtual) {
      if (!r.node) return -Errno.ENOENT;
      return r.node.type === 'dir' ? -Errno.EISDIR : -Errno.EACCES;
    }
    return r.host.use((p) => removing(this.notify, p, () => hostCall(() => fs.unlinkSync(p))));
  }

  /** rename/renameat/renameat2; flags (RENAME_NOREPLACE, RENAME_EXCHANGE) were checked by renameAt. */
  rename(oldPath: string, newPath: string, flags: number, oldCwd: BaseDir, newCwd = oldCwd): number {
    if (notAName(oldPath) || notAName(newPath)) {
      // Linux looks both parents up before it refuses a last component that is not a name:
      // a missing or non-directory parent is reported first.
      const err = parentError(this, oldPath, oldCwd) || parentError(this, newPath, newCwd);
      if (err < 0) return err;
      return !notAName(oldPath) && flags & RENAME_NOREPLACE ? -Errno.EEXIST : -Errno.EBUSY;
    }
    const from = this.resolve(oldPath, false, oldCwd);
    if (typeof from === 'number') return from;
    const to = this.resolve(newPath, false, newCwd);
    if (typeof to === 'number') return to;
    if (from.virtual || to.virtual) return virtualPair(from, to);
    return from.host.use((src) =>
      to.host.use((dst) => renaming(this.notify, src, dst, () => hostRename(src, dst, flags))),
    );
  }

  /** link/linkat; follow is AT_SYMLINK_FOLLOW (the old path's final symlink). */
  link(oldPath: string, newPath: string, follow: boolean, oldCwd: BaseDir, newCwd = oldCwd): number {
    const from = this.resolve(oldPath, follow, oldCwd);
    if (typeof from === 'number') return from;
    const to = resolveNew(this, newPath, newCwd, false);
    if (typeof to === 'number') return to;
    if (from.virtual || to.virtual) return virtualPair(from, to);
    return from.host.use((src) => to.host.use((dst) => linked(this.notify, src, dst, follow, hostCall(() => fs.linkSync(src, dst)))));
  }

  /** symlink/symlinkat: the target is stored verbatim. */
  symlink(target: string, linkPath: string, cwd: BaseDir): number {
    if (target.length >= PATH_MAX) return -Errno.ENAMETOOLONG;
    const r = resolveNew(this, linkPath, cwd, false);
    if (typeof r === 'number') return r;
    if (r.virtual) return virtualCreate(r);
    return r.host.use((p) => created(this.notify, p, hostCall(() => fs.symlinkSync(stringBytes(target), p))));
  }

  chmod(path: string, mode: number, follow: boolean, cwd: BaseDir): number {
    const r = this.resolve(path, follow, cwd);
    if (typeof r === 'number') return r;
    if (r.virtual) return r.node ? -Errno.EPERM : -Errno.ENOENT;
    return r.host.use((p) => {
      const st = hostLstat(p);
      if (typeof st === 'number') return st;
      // Linux has no lchmod: fchmodat(AT_SYMLINK_NOFOLLOW) on a link is EOPNOTSUPP.
      if ((st.mode & S_IFMT) === S_IFLNK) return -Errno.EOPNOTSUPP;
      return this.reportChange(p, true, IN_ATTRIB, hostCall(() => fs.chmodSync(p, mode & 0o7777)));
    });
  }

  /** chown/lchown/fchownat; -1 (or 0xffffffff) leaves an id unchanged. */
  chown(path: string, uid: number, gid: number, follow: boolean, cwd: BaseDir): number {
    const r = this.resolve(path, follow, cwd);
    if (typeof r === 'number') return r;
    if (r.virtual) return r.node ? -Errno.EPERM : -Errno.ENOENT;
    const event = (uid | 0) === -1 && (gid | 0) === -1 ? 0 : IN_ATTRIB;
    return r.host.use((p) => this.reportChange(p, follow, event, hostCall(() => fs.lchownSync(p, uid | 0, gid | 0))));
  }

  /** utimensat on a path. */
  utimens(path: string, atime: UtimeValue, mtime: UtimeValue, follow: boolean, cwd: BaseDir): number {
    const r = this.resolve(path, follow, cwd);
    if (typeof r === 'number') return r;
    if (r.virtual) return r.node ? -Errno.EPERM : -Errno.ENOENT;
    return r.host.use((p) => this.reportChange(p, follow, utimeEvent(atime !== UTIME_OMIT, mtime !== UTIME_OMIT), hostUtimens(p, atime, mtime, !follow)));
  }

  truncate(path: string, length: bigint, cwd: BaseDir): number {
    if (length < 0n) return -Errno.EINVAL;
    if (length > BigInt(Number.MAX_SAFE_INTEGER)) return -Errno.EFBIG;
    const r = this.resolve(path, true, cwd);
    if (typeof r === 'number') return r;
    if (r.virtual) {
      if (!r.node) return -Errno.ENOENT;
      if (r.node.type === 'dir') return -Errno.EISDIR;
      return r.node.type === 'reg' ? -Errno.EACCES : -Errno.EINVAL;
    }
    return r.host.use((p) =>
      this.reportChange(p, true, IN_MODIFY, hostCall(() => {
        const before = fs.statSync(p, { bigint: true });
        fs.truncateSync(p, Number(length));
        this.pageCache.truncated(before, Number(length));
      })),
    );
  }

  statfs(path: string, cwd: BaseDir): FsStats | number {
    const r = this.resolve(path, true, cwd);
    if (typeof r === 'number') return r;
    const base = { fsid: [0, 0] as [number, number], namelen: 255, flags: ST_VALID };
    if (r.virtual) {
      if (!r.node) return -Errno.ENOENT;
      const zero = { blocks: 0n, bfree: 0n, bavail: 0n, files: 0n, ffree: 0n };
      return { ...base, ...zero, type: r.virtual.fsType, bsize: 4096n, frsize: 4096n };
    }
    return r.host.use((p) => {
      try {
        const s = fs.statfsSync(p, { bigint: true });
        const { blocks, bfree, bavail, files, ffree, bsize } = s;
        return { ...base, type: Number(s.type), bsize, blocks, bfree, bavail, files, ffree, frsize: bsize };
      } catch (e) {
        return hostErrno(e);
      }
    });
  }

  /** mknod/mknodat; mode has the guest's umask applied already. */
  mknod(path: string, mode: number, dev: bigint, cwd: BaseDir): number {
    const type = mode & S_IFMT;
    if (type === S_IFDIR) return -Errno.EPERM;
    if (![0, S_IFREG, S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK].includes(type)) return -Errno.EINVAL;
    const r = resolveNew(this, path, cwd, false);
    if (typeof r === 'number') return r;
    if (r.virtual) return virtualCreate(r);
    return r.host.use((p) => {
      // Device nodes need CAP_MKNOD, which a guest never has (as in an unprivileged container).
      if (type === S_IFCHR || type === S_IFBLK) return existsOnHost(p) ? -Errno.EEXIST : -Errno.EPERM;
      const err = hostMknod(p, type === 0 ? S_IFREG | (mode & 0o7777) : mode, dev);
      // Undo the host's umask: the guest's was applied already.
      return created(this.notify, p, err < 0 ? err : hostCall(() => fs.chmodSync(p, mode & 0o7777)));
    });
  }

  /** The held root directories are closed (the kernel is closed). */
  close(): void {
    this.root.close();
    this.prefix?.close();
  }

  /** Following /proc/<pid>/fd/N reaches the open file itself, as Linux does. */
  private reopen(file: OpenFile, flags: number): OpenFile | number {
    if (file.hostPath !== undefined) return openHost(stringBytes(file.hostPath), file.path, flags & ~(O_CREAT | O_EXCL), 0, this.pageCache);
    if (flags & O_PATH) return new PathFile(file.path, statusFlags(flags), () => file.stat());
    // Descriptions without a host path (pipes, stdio, devices) are shared.
    return file;
  }
}
