// The guest's root directory on the host (--root DIR). Paths are resolved here, one
// component at a time, so that neither `..` nor a symlink (absolute or relative) can leave
// the root: the host kernel never sees a guest path containing a symlink or `..`.
import * as fs from 'node:fs';
import { Errno } from '../errno.js';
import { type BaseDir, baseDirPath } from './dirref.js';
import type { OpenFile } from './file.js';
import { hostErrno } from './hosterrno.js';
import type { VNode, VirtualTree } from './virtual.js';

export const PATH_MAX = 4096;
export const NAME_MAX = 255;
export const MAXSYMLINKS = 40;

/** A path that lives on the host. hostPath ends in '/' when the guest path did (so the host
 * applies its "must be a directory" rules); the final component may not exist. */
export interface HostResolved {
  virtual?: undefined;
  guestPath: string;
  hostPath: string;
}

/** A path inside a virtual tree; node is undefined when the final component does not exist. */
export interface VirtualResolved {
  virtual: VirtualTree;
  guestPath: string;
  node: VNode | undefined;
}

export type Resolved = HostResolved | VirtualResolved;

/** A link's target is read only when the link is followed: reading it updates its atime. */
type Found =
  | { kind: 'missing' | 'dir' | 'other' }
  | { kind: 'link'; target: () => string | number; file?: OpenFile };

function components(path: string): string[] {
  return path.split('/').filter((c) => c !== '');
}

export class FsRoot {
  /** Real host path of the root, without a trailing slash unless it is '/'. */
  readonly hostRoot: string;
  private readonly trees = new Map<string, VirtualTree>();

  /** Throws when hostRoot does not exist: that is a configuration error, not a guest one. */
  constructor(hostRoot: string, trees: readonly VirtualTree[] = []) {
    this.hostRoot = fs.realpathSync(hostRoot);
    for (const t of trees) this.trees.set(t.mount, t);
  }

  /**
   * Resolves a guest path against cwd (a canonical guest path or a removed directory). Every non-final symlink is
   * followed; the final one only when followLast (or when the path ends in '/'). A missing
   * final component is not an error, so that callers can create it.
   */
  resolve(path: string, cwd: BaseDir, opts: { followLast: boolean }): Resolved | number {
    if (path === '') return -Errno.ENOENT;
    if (Buffer.byteLength(path) >= PATH_MAX) return -Errno.ENAMETOOLONG;
    let mustBeDir = path.endsWith('/');
    const cur = path.startsWith('/') ? [] : components(baseDirPath(cwd));
    // A path that never leaves a removed base directory reaches it through its anchor.
    let anchor = typeof cwd !== 'string' && !path.startsWith('/') ? cwd : undefined;
    const todo = components(path);
    let links = 0;
    while (todo.length > 0) {
      const name = todo.shift()!;
      const last = todo.length === 0;
      if (name === '.') continue;
      anchor = undefined;
      if (name === '..') {
        cur.pop();
        continue;
      }
      if (Buffer.byteLength(name) > NAME_MAX) return -Errno.ENAMETOOLONG;
      const found = this.lookup(cur, name);
      if (typeof found === 'number') return found;
      if (found.kind === 'missing') {
        if (!last) return -Errno.ENOENT;
      } else if (found.kind === 'link' && (!last || opts.followLast || mustBeDir)) {
        // A link to an open description is followed to the file itself by the caller.
        if (found.file && last) {
          cur.push(name);
          break;
        }
        if (++links > MAXSYMLINKS) return -Errno.ELOOP;
        const target = found.target();
        if (typeof target === 'number') return target;
        if (target === '') return -Errno.ENOENT;
        if (!target.startsWith('/')) {
          if (found.file) return -Errno.ENOTDIR;
        } else {
          cur.length = 0;
        }
        if (last && target.endsWith('/')) mustBeDir = true;
        todo.unshift(...components(target));
        continue;
      } else if (found.kind === 'other' && (!last || mustBeDir)) {
        return -Errno.ENOTDIR;
      }
      cur.push(name);
    }
    const guestPath = '/' + cur.join('/');
    if (anchor !== undefined) return { guestPath, hostPath: anchor.hostPath };
    const tree = this.trees.get(cur[0] ?? '');
    if (tree) return { virtual: tree, guestPath, node: tree.node(cur.slice(1)) };
    const hostPath = this.hostPathOf(guestPath);
    return { guestPath, hostPath: mustBeDir && cur.length > 0 ? hostPath + '/' : hostPath };
  }

  /** The raw target of a host symlink (absolute targets are relative to the root). */
  readlink(hostPath: string): string | number {
    try {
      return fs.readlinkSync(hostPath);
    } catch (e) {
      return hostErrno(e);
    }
  }

  /** The guest path of a host path, undefined when it lies outside the root. */
  guestPathOf(hostPath: string): string | undefined {
    if (this.hostRoot === '/') return hostPath;
    if (hostPath === this.hostRoot) return '/';
    return hostPath.startsWith(this.hostRoot + '/') ? hostPath.slice(this.hostRoot.length) : undefined;
  }

  private hostPathOf(guestPath: string): string {
    if (this.hostRoot === '/') return guestPath;
    return guestPath === '/' ? this.hostRoot : this.hostRoot + guestPath;
  }

  private lookup(dir: string[], name: string): Found | number {
    const tree = this.trees.get(dir.length > 0 ? dir[0] : name);
    if (tree) {
      const node = tree.node(dir.length > 0 ? [...dir.slice(1), name] : []);
      if (!node) return { kind: 'missing' };
      if (node.type === 'lnk') return { kind: 'link', target: () => node.target ?? '', file: node.file };
      return { kind: node.type === 'dir' ? 'dir' : 'other' };
    }
    const hostPath = this.hostPathOf('/' + [...dir, name].join('/'));
    try {
      const st = fs.lstatSync(hostPath, { throwIfNoEntry: false });
      if (!st) return { kind: 'missing' };
      if (st.isSymbolicLink()) return { kind: 'link', target: () => this.readlink(hostPath) };
      return { kind: st.isDirectory() ? 'dir' : 'other' };
    } catch (e) {
      return hostErrno(e);
    }
  }
}
