// The guest's root directory on the host (--root DIR), held open. Paths are resolved here, one
// component at a time, so that neither `..` nor a symlink (absolute or relative) can leave
// the root: the walk starts from a directory ushim holds open (the root, or the working
// directory or dirfd of a relative path), and the host never sees a guest path containing a
// symlink or `..` (hostat.ts).
import * as fs from 'node:fs';
import { byteString, stringBytes } from '../abi/bytes.js';
import { Errno } from '../errno.js';
import type { BaseDir } from './dirref.js';
import { baseDirPath, heldDirectory } from './dirref.js';
import { S_IFDIR, S_IFMT } from './constants.js';
import type { OpenFile } from './file.js';
import { DirOpener, HostAt, heldPath, readHostLink } from './hostat.js';
import { hostClose } from './hostcalls.js';
import { hostErrno } from './hosterrno.js';
import { ResolveRules, hostMount } from './resolve-flags.js';
import type { VNode, VirtualTree } from './virtual.js';

export const PATH_MAX = 4096;
export const NAME_MAX = 255;
export const MAXSYMLINKS = 40;

/** A path that lives on the host; the final component may not exist. */
export interface HostResolved {
  virtual?: undefined;
  guestPath: string;
  host: HostAt;
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
  | { kind: 'missing' }
  | { kind: 'dir' | 'other'; st?: fs.BigIntStats }
  | { kind: 'link'; target: () => string | number; file?: OpenFile; magic?: boolean };

/**
 * Where a walk stands: `cur`, components checked by this walk, below the host directory fd,
 * whose guest path is `prefix`. held: fd is a working directory or dirfd, not the root.
 * hostDir: the directory's host path now, by which the walk looks names up (faster than
 * through the fd; the guest cannot change anything between), undefined when it has none.
 */
interface Position {
  fd: number;
  prefix: string[];
  cur: string[];
  held: boolean;
  hostDir: string | undefined;
}

function components(path: string): string[] {
  return path.split('/').filter((c) => c !== '');
}

function sameComponents(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((c, i) => c === b[i]);
}

export class FsRoot {
  /** Real host path of the root, without a trailing slash unless it is '/'. */
  readonly hostRoot: string;
  /** The root held open (O_PATH): every absolute path is resolved below it. */
  readonly fd: number;
  /**
   * A process's root after chroot(2): a directory below the root, held open (as Linux holds
   * the dentry, a rename takes it along). Absolute paths start there and `..` stops there;
   * guest paths stay relative to the whole root, and the host side never changes, so a chroot
   * cannot reach past --root. Undefined for the whole root.
   */
  readonly jailDir: OpenFile | undefined;
  private readonly opener: DirOpener;
  private readonly trees: Map<string, VirtualTree>;

  /**
   * Throws when hostRoot does not exist (a configuration error, not a guest one), and
   * RootUnconfinable when the host cannot keep paths inside it. With `outer`: a view of that
   * root whose own root is the directory open as `jailDir` (the caller keeps it open).
   */
  constructor(hostRoot: string, trees: readonly VirtualTree[] = [], outer?: { root: FsRoot; jailDir: OpenFile }) {
    if (outer !== undefined) {
      ({ hostRoot: this.hostRoot, fd: this.fd, opener: this.opener, trees: this.trees } = outer.root);
      this.jailDir = outer.jailDir;
      return;
    }
    // The native form: the JavaScript one turns a Buffer path into UTF-8 text on the way.
    this.hostRoot = byteString(fs.realpathSync.native(stringBytes(hostRoot), { encoding: 'buffer' }));
    ({ opener: this.opener, fd: this.fd } = DirOpener.forRoot(this.hostRoot));
    this.trees = new Map(trees.map((t) => [t.mount, t]));
  }

  /** This root with the directory open as `dir` as the root (chroot). */
  jailedAt(dir: OpenFile): FsRoot {
    return new FsRoot(this.hostRoot, [], { root: this, jailDir: dir });
  }

  /** Where the jail is now ('/' for the whole root). */
  jail(): BaseDir {
    return this.jailDir === undefined ? '/' : heldDirectory(this, this.jailDir);
  }

  /**
   * A guest path as a process with this root names it; undefined when it lies outside. Names
   * that are not paths (anon_inode:[...], socket:[...]) stay as they are.
   */
  pathInside(path: string): string | undefined {
    if (this.jailDir === undefined || !path.startsWith('/')) return path;
    const jail = components(baseDirPath(this.jail()));
    const parts = components(path);
    if (!sameComponents(parts.slice(0, jail.length), jail)) return undefined;
    return '/' + parts.slice(jail.length).join('/');
  }

  /**
   * Resolves a guest path; a relative one starts at cwd (a held directory, or the guest path of
   * a virtual one). Every non-final symlink is followed; the final one only when followLast (or
   * when the path ends in '/'). A missing final component is not an error, so that callers can
   * create it. `resolve` has openat2's RESOLVE_* flags (resolve-flags.ts); a scoped walk is
   * confined to cwd, where it starts even for an absolute path under RESOLVE_IN_ROOT.
   */
  resolve(path: string, cwd: BaseDir, opts: { followLast: boolean; resolve?: number }): Resolved | number {
    if (path === '') return -Errno.ENOENT;
    if (path.length >= PATH_MAX) return -Errno.ENAMETOOLONG;
    const rules = new ResolveRules(opts.resolve ?? 0);
    let mustBeDir = path.endsWith('/');
    const todo = components(path);
    const jail = this.jail();
    const jailParts = components(baseDirPath(jail));
    const absolute = path.startsWith('/') && !rules.inRoot;
    if (absolute && rules.beneath) return -Errno.EXDEV;
    const pos = this.atRoot(jail);
    if (!absolute) {
      if (typeof cwd !== 'string') {
        Object.assign(pos, this.atHeld(cwd.fd, cwd.guestPath, cwd.detached));
      } else if (rules.flags !== 0) {
        // The walk starts at cwd itself (a scope's top, a mount to stay on), not on the way to it.
        Object.assign(pos, this.atTop(), { cur: components(cwd) });
      } else {
        Object.assign(pos, this.atTop());
        todo.unshift(...components(cwd));
      }
    }
    // A scoped walk keeps the scope's fd: it is at the top whenever `cur` is as short as now.
    const scope: Position | undefined = rules.scoped ? { ...pos, cur: [...pos.cur] } : undefined;
    let links = 0;
    // The final component's lstat, when the walk ended on it: stat needs no second call.
    let known: fs.BigIntStats | undefined;
    while (todo.length > 0) {
      const name = todo.shift()!;
      const last = todo.length === 0;
      if (name === '.') continue;
      known = undefined;
      if (name === '..') {
        if (scope && pos.cur.length === scope.cur.length) {
          const refused = rules.aboveScope();
          if (refused) return refused;
          continue;
        }
        if (sameComponents([...pos.prefix, ...pos.cur], jailParts)) continue;
        const refused = rules.step(() => this.differ(pos, pos.cur, pos.cur.length > 0 ? pos.cur.slice(0, -1) : ['..']));
        if (refused) return refused;
        if (pos.cur.length > 0) {
          pos.cur.pop();
        } else if (pos.held) {
          // Above a held directory: its parent, walked again from the root.
          todo.unshift(...pos.prefix.slice(0, -1));
          Object.assign(pos, this.atTop());
        }
        continue;
      }
      if (name.length > NAME_MAX) return -Errno.ENAMETOOLONG;
      const found = this.lookup(pos, name);
      if (typeof found === 'number') return found;
      if (found.kind === 'missing') {
        if (!last) return -Errno.ENOENT;
      } else if (found.kind === 'link' && (!last || opts.followLast || mustBeDir)) {
        const refused = rules.follow(found.magic === true, () => this.staysInTree(pos, found));
        if (refused) return refused;
        // A link to an open description is followed to the file itself by the caller.
        if (found.file && last) {
          pos.cur.push(name);
          break;
        }
        if (found.file) {
          // Through /proc/<pid>/fd/N to the open file itself: only a directory goes on.
          const st = found.file.stat();
          if (typeof st === 'number') return st;
          if ((st.mode & S_IFMT) !== S_IFDIR) return -Errno.ENOTDIR;
          const jump = this.atOpenDir(found.file);
          if (jump) {
            Object.assign(pos, jump);
            continue;
          }
        }
        if (++links > MAXSYMLINKS) return -Errno.ELOOP;
        const target = found.target();
        if (typeof target === 'number') return target;
        if (target === '') return -Errno.ENOENT;
        if (!target.startsWith('/')) {
          if (found.file) return -Errno.ENOTDIR;
        } else {
          const root = scope ?? this.atRoot(jail);
          const refused = found.magic ? 0 : rules.jumpToRoot(() => this.differ(pos, pos.cur, root.cur, root));
          if (refused) return refused;
          Object.assign(pos, root, { cur: [...root.cur] });
        }
        if (last && target.endsWith('/')) mustBeDir = true;
        todo.unshift(...components(target));
        continue;
      } else if (found.kind === 'other' && (!last || mustBeDir)) {
        return -Errno.ENOTDIR;
      }
      if (found.kind === 'dir' || found.kind === 'other') {
        const refused = rules.step(() => this.differ(pos, pos.cur, [...pos.cur, name]));
        if (refused) return refused;
        known = found.st;
      }
      pos.cur.push(name);
    }
    const guestPath = '/' + [...pos.prefix, ...pos.cur].join('/');
    const tree = pos.held ? undefined : this.trees.get(pos.cur[0] ?? '');
    if (tree) return { virtual: tree, guestPath, node: tree.node(pos.cur.slice(1)) };
    return { guestPath, host: new HostAt(this.opener, pos.fd, pos.cur.join('/'), mustBeDir, known) };
  }

  /** The raw target of a host symlink (absolute targets are relative to the root). */
  readlink(hostPath: Buffer): string | number {
    try {
      return readHostLink(hostPath);
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

  /** The root is no longer needed (the kernel is closed); a jailed view leaves it open. */
  close(): void {
    if (this.jailDir === undefined) hostClose(this.fd);
  }

  /** At the top of the whole root. */
  private atTop(): Position {
    return { fd: this.fd, prefix: [], cur: [], held: false, hostDir: this.hostRoot === '/' ? '' : this.hostRoot };
  }

  /** Where absolute paths start: the jail (a virtual one by its path, below the top). */
  private atRoot(jail: BaseDir): Position {
    if (typeof jail !== 'string') return this.atHeld(jail.fd, jail.guestPath, jail.detached);
    return { ...this.atTop(), cur: components(jail) };
  }

  /** At a held directory; the top itself is walked from the top, where /proc and /dev are. */
  private atHeld(fd: number, guestPath: string, detached: boolean): Position {
    const prefix = components(guestPath);
    if (prefix.length === 0 && !detached) return this.atTop();
    const hostDir = detached ? undefined : this.atTop().hostDir + guestPath;
    return { fd, prefix, cur: [], held: true, hostDir };
  }

  /** At the directory open as `file` (following /proc/<pid>/fd/N), if it is a host one. */
  private atOpenDir(file: OpenFile): Position | undefined {
    const dir = heldDirectory(this, file);
    return typeof dir === 'string' ? undefined : this.atHeld(dir.fd, dir.guestPath, dir.detached);
  }

  /** Whether `names` below `at` and `toNames` below `to` are on different mounts (a tree is one). */
  private differ(at: Position, names: string[], toNames: string[], to = at): boolean | number {
    const a = this.mountOf(at, names);
    const b = this.mountOf(to, toNames);
    return typeof a === 'number' ? a : typeof b === 'number' ? b : a !== b;
  }

  private mountOf(pos: Position, names: string[]): string | number {
    if (!pos.held && names.length > 0 && this.trees.has(names[0])) return `tree ${names[0]}`;
    return hostMount(stringBytes(`${pos.hostDir ?? heldPath(pos.fd)}/${names.join('/')}`));
  }

  /** A magic link in a tree whose object is in the same tree (RESOLVE_NO_XDEV lets it through). */
  private staysInTree(pos: Position, link: { target: () => string | number; file?: OpenFile }): boolean {
    if (link.file?.hostFd !== undefined) return false;
    const target = link.file?.path ?? link.target();
    return typeof target === 'string' && components(target)[0] === pos.cur[0];
  }

  private lookup(pos: Position, name: string): Found | number {
    const dir = pos.cur;
    const tree = pos.held ? undefined : this.trees.get(dir.length > 0 ? dir[0] : name);
    if (tree) {
      const node = tree.node(dir.length > 0 ? [...dir.slice(1), name] : []);
      if (!node) return { kind: 'missing' };
      if (node.type === 'lnk') return { kind: 'link', target: () => node.target ?? '', file: node.file, magic: node.magic };
      return { kind: node.type === 'dir' ? 'dir' : 'other' };
    }
    const hostPath = stringBytes(`${pos.hostDir ?? heldPath(pos.fd)}/${[...dir, name].join('/')}`);
    try {
      const st = fs.lstatSync(hostPath, { bigint: true, throwIfNoEntry: false });
      if (!st) return { kind: 'missing' };
      if (st.isSymbolicLink()) return { kind: 'link', target: () => this.readlink(hostPath) };
      return { kind: st.isDirectory() ? 'dir' : 'other', st };
    } catch (e) {
      return hostErrno(e);
    }
  }
}
