// openat2(2)'s resolve flags (struct open_how.resolve): which symlinks a path walk may follow
// and where it may go. FsRoot.resolve asks these rules at each step of its walk, as Linux's
// namei does: RESOLVE_BENEATH and RESOLVE_IN_ROOT scope the walk to the directory it starts
// from (the dirfd's, or the working directory), RESOLVE_NO_XDEV keeps it on one mount.
import { Errno } from '../errno.js';
import { O_CREAT, O_DIRECTORY, O_TMPFILE, O_TRUNC } from './constants.js';
import { hostStatx } from './hostcalls.js';

export const RESOLVE_NO_XDEV = 0x01;
export const RESOLVE_NO_MAGICLINKS = 0x02;
export const RESOLVE_NO_SYMLINKS = 0x04;
export const RESOLVE_BENEATH = 0x08;
export const RESOLVE_IN_ROOT = 0x10;
export const RESOLVE_CACHED = 0x20;
const RESOLVE_VALID = 0x3fn;

/** The bit that makes O_TMPFILE (which includes O_DIRECTORY). */
const TMPFILE_BIT = O_TMPFILE & ~O_DIRECTORY;

/**
 * openat2's checks of `resolve` against the open flags: 0, or -EINVAL for unknown bits and
 * for both scopes at once, -EAGAIN for RESOLVE_CACHED with an open that creates or truncates
 * (ushim has no dentry cache to miss: other cached lookups are resolved as usual).
 */
export function resolveFlagsError(resolve: bigint, flags: number): number {
  if (resolve & ~RESOLVE_VALID) return -Errno.EINVAL;
  const r = Number(resolve);
  if (r & RESOLVE_BENEATH && r & RESOLVE_IN_ROOT) return -Errno.EINVAL;
  if (r & RESOLVE_CACHED && flags & (O_CREAT | O_TRUNC | TMPFILE_BIT)) return -Errno.EAGAIN;
  return 0;
}

/** RESOLVE_IN_ROOT: even an absolute path starts at the lookup's directory (dirfd). */
export function isRootedAtDir(resolve: bigint): boolean {
  return (resolve & BigInt(RESOLVE_IN_ROOT)) !== 0n;
}

/** Whether a walk is confined to the directory it starts from. */
export function isScoped(resolve: number): boolean {
  return (resolve & (RESOLVE_BENEATH | RESOLVE_IN_ROOT)) !== 0;
}

/** The rules of one walk; the callbacks answer mount questions only when NO_XDEV asks them. */
export class ResolveRules {
  constructor(readonly flags: number) {}

  get scoped(): boolean {
    return isScoped(this.flags);
  }

  get beneath(): boolean {
    return (this.flags & RESOLVE_BENEATH) !== 0;
  }

  get inRoot(): boolean {
    return (this.flags & RESOLVE_IN_ROOT) !== 0;
  }

  get noXdev(): boolean {
    return (this.flags & RESOLVE_NO_XDEV) !== 0;
  }

  /**
   * Following a symlink: NO_SYMLINKS refuses every one (ELOOP). A magic link (procfs's links
   * to open objects) jumps to its object instead of naming a path: NO_MAGICLINKS refuses it
   * (ELOOP), NO_XDEV when the object is on another mount, and a scoped walk always (EXDEV).
   */
  follow(magic: boolean, sameMount: () => boolean): number {
    if (this.flags & RESOLVE_NO_SYMLINKS) return -Errno.ELOOP;
    if (!magic) return 0;
    if (this.flags & RESOLVE_NO_MAGICLINKS) return -Errno.ELOOP;
    if (this.noXdev && !sameMount()) return -Errno.EXDEV;
    return this.scoped ? -Errno.EXDEV : 0;
  }

  /** An absolute symlink target: never below RESOLVE_BENEATH; with NO_XDEV only from the root's own mount. */
  jumpToRoot(crosses: () => boolean | number): number {
    return this.beneath ? -Errno.EXDEV : this.step(crosses);
  }

  /** `..` at the directory the walk is scoped to: RESOLVE_IN_ROOT stays there, RESOLVE_BENEATH refuses. */
  aboveScope(): number {
    return this.beneath ? -Errno.EXDEV : 0;
  }

  /** A step into or out of a mount (decided by `crosses` only under NO_XDEV). */
  step(crosses: () => boolean | number): number {
    if (!this.noXdev) return 0;
    const c = crosses();
    return typeof c === 'number' ? c : c ? -Errno.EXDEV : 0;
  }
}

const STATX_MNT_ID = 0x1000;
const AT_SYMLINK_NOFOLLOW = 0x100;

/**
 * Which host mount the object at hostPath is on: its mount id, or its device where the host
 * (an older kernel, or ushim under ushim) does not report mount ids.
 */
export function hostMount(hostPath: Buffer): string | number {
  const st = hostStatx(hostPath, AT_SYMLINK_NOFOLLOW, STATX_MNT_ID);
  if (typeof st === 'number') return st;
  if (st.getUint32(0, true) & STATX_MNT_ID) return `mnt ${st.getBigUint64(0x90, true)}`;
  return `dev ${st.getUint32(0x88, true)}:${st.getUint32(0x8c, true)}`;
}
