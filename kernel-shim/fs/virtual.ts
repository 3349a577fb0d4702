// Trees of files that exist only in the shim (/proc, /dev). A tree maps the components
// after its mount point to nodes; the generic parts (stat, open, listings, permission
// checks) live here so each tree only describes its nodes.
import { Errno } from '../errno.js';
import { DirFile, PathFile } from './basefile.js';
import {
  DT_CHR,
  DT_DIR,
  DT_LNK,
  DT_REG,
  O_ACCMODE,
  O_CREAT,
  O_DIRECTORY,
  O_PATH,
  O_RDONLY,
  O_TRUNC,
  S_IFCHR,
  S_IFDIR,
  S_IFLNK,
  S_IFREG,
  canRead,
  canWrite,
  statusFlags,
} from './constants.js';
import type { DirEntry, FileStat, OpenFile } from './file.js';

export type VNodeType = 'dir' | 'reg' | 'lnk' | 'chr';

export interface VNode {
  type: VNodeType;
  /** Permission bits (0o7777 part of st_mode). */
  perm: number;
  /** Owned by the user the guest runs as (otherwise by root). */
  owned?: boolean;
  rdev?: bigint;
  /** lnk: what readlink returns. */
  target?: string;
  /** lnk to an open description (/proc/<pid>/fd/N): following it reaches this file, not a path. */
  file?: OpenFile;
  /** lnk: a procfs magic link (Linux jumps to the object it stands for, whatever readlink says). */
  magic?: boolean;
  /** dir: the names it lists. */
  children?(): string[];
  /** reg/chr: a new description with these status flags (already checked against perm). */
  open?(guestPath: string, flags: number): OpenFile | number;
}

const typeBits: Record<VNodeType, number> = { dir: S_IFDIR, reg: S_IFREG, lnk: S_IFLNK, chr: S_IFCHR };
const dtypes: Record<VNodeType, number> = { dir: DT_DIR, reg: DT_REG, lnk: DT_LNK, chr: DT_CHR };

/** A stable inode number per path (FNV-1a), so repeated stats agree without a table. */
export function inodeOf(guestPath: string): bigint {
  let h = 0x811c9dc5;
  for (let i = 0; i < guestPath.length; i++) h = Math.imul(h ^ guestPath.charCodeAt(i), 0x01000193) >>> 0;
  return BigInt(h || 1);
}

function parentOf(guestPath: string): string {
  const i = guestPath.lastIndexOf('/');
  return i <= 0 ? '/' : guestPath.slice(0, i);
}

export interface VirtualTreeOptions {
  /** atime/mtime/ctime of every node (the mount time). */
  timeNs: bigint;
  /** The user the guest runs as: owner of `owned` nodes, and the caller of access checks. */
  uid: number;
  gid: number;
}

export abstract class VirtualTree {
  /**
   * @param mount top-level directory name ('proc' serves /proc)
   * @param dev st_dev of every node
   * @param fsType statfs f_type magic
   */
  constructor(
    readonly mount: string,
    readonly dev: bigint,
    readonly fsType: number,
    protected readonly opts: VirtualTreeOptions,
  ) {}

  /** The node at /mount/rest..., or undefined when it does not exist. */
  abstract node(rest: string[]): VNode | undefined;

  stat(node: VNode, guestPath: string): FileStat {
    const t = this.opts.timeNs;
    return {
      dev: this.dev,
      ino: inodeOf(guestPath),
      nlink: node.type === 'dir' ? 2 : 1,
      mode: typeBits[node.type] | node.perm,
      uid: node.owned ? this.opts.uid : 0,
      gid: node.owned ? this.opts.gid : 0,
      rdev: node.rdev ?? 0n,
      size: node.type === 'lnk' ? BigInt((node.target ?? '').length) : 0n,
      blksize: 1024,
      blocks: 0n,
      atimeNs: t,
      mtimeNs: t,
      ctimeNs: t,
      birthtimeNs: t,
    };
  }

  /** access(2) for a node. Root gets no override: these files are read-only even for root. */
  access(node: VNode, mode: number): number {
    const owner = node.owned || this.opts.uid === 0;
    const granted = owner ? (node.perm >> 6) & 7 : node.perm & 7;
    return (mode & 7 & ~granted) === 0 ? 0 : -Errno.EACCES;
  }

  /** Opens a node reached by resolution (a lnk only when the final link was not followed). */
  open(node: VNode, guestPath: string, flags: number): OpenFile | number {
    if (flags & O_DIRECTORY && node.type !== 'dir') return -Errno.ENOTDIR;
    if (flags & O_PATH) return new PathFile(guestPath, statusFlags(flags), () => this.stat(node, guestPath));
    if (node.type === 'lnk') return -Errno.ELOOP;
    if (node.type === 'dir') {
      if ((flags & O_ACCMODE) !== O_RDONLY || flags & (O_CREAT | O_TRUNC)) return -Errno.EISDIR;
      return new VirtualDir(this, guestPath, statusFlags(flags));
    }
    const want = (canRead(flags) ? 4 : 0) | (canWrite(flags) || flags & O_TRUNC ? 2 : 0);
    if (this.access(node, want) < 0) return -Errno.EACCES;
    return node.open ? node.open(guestPath, statusFlags(flags)) : -Errno.ENXIO;
  }

  /** The node of an absolute guest path inside this tree. */
  lookup(guestPath: string): VNode | undefined {
    return this.node(guestPath.split('/').slice(2));
  }

  /** getdents entries of a directory node, '.' and '..' first. */
  list(guestPath: string): DirEntry[] | number {
    const node = this.lookup(guestPath);
    if (node?.type !== 'dir' || !node.children) return -Errno.ENOENT;
    const entries: DirEntry[] = [
      { ino: inodeOf(guestPath), type: DT_DIR, name: '.' },
      { ino: inodeOf(parentOf(guestPath)), type: DT_DIR, name: '..' },
    ];
    for (const name of node.children()) {
      const path = `${guestPath}/${name}`;
      const child = this.lookup(path);
      if (child) entries.push({ ino: inodeOf(path), type: dtypes[child.type], name });
    }
    return entries;
  }
}

class VirtualDir extends DirFile {
  constructor(
    private readonly tree: VirtualTree,
    path: string,
    flags: number,
  ) {
    super(path, flags);
  }
  stat(): FileStat | number {
    const node = this.tree.lookup(this.path);
    return node ? this.tree.stat(node, this.path) : -Errno.ENOENT;
  }
  protected scan(): DirEntry[] | number {
    return this.tree.list(this.path);
  }
}
