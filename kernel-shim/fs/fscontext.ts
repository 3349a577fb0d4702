// A process's place in the file system (Linux's fs_struct): the root it resolves against (the
// namespace as seen from it, changed by chroot), the working directory and the umask.
// clone(CLONE_FS) shares one between processes (a chdir, chroot or umask in one is seen by
// the other); fork copies it; exec keeps it.
import type { OpenFile } from './file.js';
import { releaseFile, retainFile } from './fdtable.js';
import { type BaseDir, heldDirectory } from './dirref.js';
import type { FsRoot } from './root.js';
import type { Vfs } from './vfs.js';

export class FsContext {
  /** The working directory as a canonical guest path: what getcwd and /proc/<pid>/cwd show. */
  cwd: string;
  umask = 0o022;
  /**
   * The directory behind cwd, held open when it is a host directory ushim could open (a
   * rename carries the working directory along; a removed one still opens as '.').
   */
  private held: { path: string; file: OpenFile } | undefined;

  constructor(
    /** The file system namespace, seen from this context's root. */
    public vfs: Vfs,
    cwd: string,
  ) {
    this.cwd = cwd;
  }

  get root(): FsRoot {
    return this.vfs.root;
  }

  /** chroot: `dir`, an open description of a directory, is the root from now on. */
  chroot(dir: OpenFile): void {
    retainFile(dir);
    this.releaseRoot();
    this.vfs = this.vfs.jailedAt(dir);
  }

  /** umask(2): the permission bits of mask become the umask; the old one is the answer. */
  setUmask(mask: number): number {
    const old = this.umask;
    this.umask = mask & 0o777;
    return old;
  }

  /** chdir/fchdir: work in `dir` (an open description of it, or none) at `path`. */
  chdir(path: string, dir: OpenFile | undefined): void {
    this.releaseCwd();
    this.cwd = path;
    if (dir === undefined) return;
    retainFile(dir);
    this.held = { path, file: dir };
  }

  /**
   * The working directory now: the held directory, wherever a rename took it (cwd follows);
   * the guest path for a virtual directory.
   */
  current(): BaseDir {
    const held = this.held;
    if (held === undefined || held.path !== this.cwd) return this.cwd;
    const now = heldDirectory(this.root, held.file);
    if (typeof now !== 'string' && !now.detached && now.guestPath !== held.path) {
      this.cwd = now.guestPath;
      held.path = now.guestPath;
    }
    return now;
  }

  /** A separate context in the same place (fork; a snapshot's saved copy). */
  copy(): FsContext {
    const copy = new FsContext(this.vfs, this.cwd);
    copy.umask = this.umask;
    const jail = this.root.jailDir;
    if (jail !== undefined) retainFile(jail);
    if (this.held !== undefined) {
      retainFile(this.held.file);
      copy.held = { ...this.held };
    }
    return copy;
  }

  /** The last process using this context is gone: the held directories are closed. */
  drop(): void {
    this.releaseCwd();
    this.releaseRoot();
  }

  private releaseCwd(): void {
    if (this.held !== undefined) releaseFile(this.held.file);
    this.held = undefined;
  }

  private releaseRoot(): void {
    const jail = this.root.jailDir;
    if (jail !== undefined) releaseFile(jail);
  }
}
