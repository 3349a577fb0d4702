// Host objects named through directories ushim holds open, never through a path string the
// host walks again. FsRoot resolves a guest path to a held directory (the root, a working
// directory or a dirfd) and the components below it, each checked on the way. A host call
// then gets `/proc/self/fd/<P>/<name>`: P is ushim's own fd of the final component's parent,
// opened with openat2(RESOLVE_IN_ROOT) below the held directory, and Linux's magic link
// /proc/self/fd/P reaches that directory object itself. Whatever the guest renames, removes
// or links meanwhile, the host walks only the final name, inside a directory of the root.
import * as fs from 'node:fs';
import { hostClose, hostOpenat, hostOpenat2 } from './hostcalls.js';
import { Errno, errnoName } from '../errno.js';
import { byteString, byteStringText, stringBytes } from '../abi/bytes.js';

const O_DIRECTORY = 0o200000;
const O_CLOEXEC = 0o2000000;
const O_PATH = 0o10000000;
const DIR_FLAGS = O_PATH | O_DIRECTORY | O_CLOEXEC;
const RESOLVE_NO_MAGICLINKS = 0x02;
const RESOLVE_IN_ROOT = 0x10;
const AT_FDCWD = -100;

/** --root was given but the host kernel cannot keep paths inside it (no openat2: Linux < 5.6). */
export class RootUnconfinable extends Error {}

/** The host path of an object ushim holds open as host fd `fd`. */
export function heldPath(fd: number): string {
  return `/proc/self/fd/${fd}`;
}

/** A host symlink's target as a byte string (Node's string form decodes it as UTF-8, losing bytes). */
export function readHostLink(hostPath: string | Buffer): string {
  return byteString(fs.readlinkSync(typeof hostPath === 'string' ? stringBytes(hostPath) : hostPath, { encoding: 'buffer' }));
}

/** Opens directories below a held one: confined to it by openat2, or by openat where the host lacks openat2 and the root is the host's own '/'. */
export class DirOpener {
  private constructor(private readonly confined: boolean) {}

  /** The opener for a root, and the root held open as an O_PATH fd. */
  static forRoot(hostRoot: string): { opener: DirOpener; fd: number } {
    let fd = hostOpenat2(AT_FDCWD, hostRoot, DIR_FLAGS, 0);
    if (fd >= 0) {
      // A kernel (or an emulator: ushim inside ushim) may have openat2 without the resolve
      // flags open() uses; it answers EINVAL to them.
      const probe = hostOpenat2(fd, '.', DIR_FLAGS, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
      if (probe >= 0) hostClose(probe);
      if (probe !== -Errno.EINVAL) return { opener: new DirOpener(true), fd };
      hostClose(fd);
    } else if (fd !== -Errno.ENOSYS) {
      return { opener: new DirOpener(true), fd: check(fd, hostRoot) };
    }
    if (hostRoot !== '/') {
      throw new RootUnconfinable(`--root needs openat2 with RESOLVE_IN_ROOT (Linux 5.6 or later) to keep paths inside ${byteStringText(hostRoot)}; this host kernel lacks it`);
    }
    fd = hostOpenat(AT_FDCWD, hostRoot, DIR_FLAGS);
    return { opener: new DirOpener(false), fd: check(fd, hostRoot) };
  }

  /** An O_PATH fd of the directory `path` below dirFd (relative, without '..'), or -errno. */
  open(dirFd: number, path: string): number {
    if (!this.confined) return hostOpenat(dirFd, path, DIR_FLAGS);
    return hostOpenat2(dirFd, path, DIR_FLAGS, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
  }
}

function check(fd: number, hostRoot: string): number {
  if (fd < 0) throw new Error(`cannot open the root ${byteStringText(hostRoot)}: ${errnoName(-fd)}`);
  return fd;
}

/** A resolved host object: `rel` ('' for the directory itself) below the held directory dirFd. */
export class HostAt {
  constructor(
    private readonly opener: DirOpener,
    readonly dirFd: number,
    readonly rel: string,
    /** The guest path ended in '/': the host applies its "must be a directory" rules. */
    readonly mustBeDir: boolean,
    /** Its lstat, taken by the resolution that found it (within the same guest call). */
    readonly known?: fs.BigIntStats,
  ) {}

  /** Runs fn with a host path of the object that stays valid during the call; -errno when its directory is gone. */
  use<T>(fn: (hostPath: Buffer) => T): T | number {
    const slash = this.rel.lastIndexOf('/');
    const suffix = this.mustBeDir ? '/' : '';
    if (slash < 0) return fn(stringBytes(`${heldPath(this.dirFd)}/${this.rel === '' ? '.' : this.rel}${suffix}`));
    const parent = this.opener.open(this.dirFd, this.rel.slice(0, slash));
    if (parent < 0) return parent;
    try {
      return fn(stringBytes(`${heldPath(parent)}/${this.rel.slice(slash + 1)}${suffix}`));
    } finally {
      hostClose(parent);
    }
  }
}
