// Directories held by reference: a dirfd and the working directory. Linux holds the directory
// itself, so a rename carries the reference along and a removed directory still opens as '.'.
// ushim finds the path again from the held host fd each time one is used.
import * as fs from 'node:fs';
import type { Process } from '../process.js';
import { releaseFile, retainFile } from './fdtable.js';
import type { OpenFile } from './file.js';
import type { FsRoot } from './root.js';

/** A removed directory: it has no path any more, only the held host fd reaches it. */
export interface DirAnchor {
  readonly guestPath: string;
  readonly hostPath: string;
}

/** Where a relative path starts: a canonical guest path, or a removed directory. */
export type BaseDir = string | DirAnchor;

export function baseDirPath(base: BaseDir): string {
  return typeof base === 'string' ? base : base.guestPath;
}

/** Where the directory open as `file` is now; its open-time path for virtual directories. */
export function heldDirectory(root: FsRoot, file: OpenFile): BaseDir {
  const fd = file.hostFd;
  if (fd === undefined || file.hostPath === undefined) return file.path;
  const link = `/proc/self/fd/${fd}`;
  try {
    // rmdir leaves the directory with no links; "/." reaches it through the magic link.
    if (fs.fstatSync(fd).nlink === 0) return { guestPath: file.path, hostPath: `${link}/.` };
    return root.guestPathOf(fs.readlinkSync(link)) ?? file.path;
  } catch {
    return file.path;
  }
}

/** The directory behind each process's cwd, when it is a host directory ushim could open. */
const heldCwd = new WeakMap<Process, { path: string; file: OpenFile }>();
/** A process that is gone no longer holds its cwd (and its host fd is closed). */
const dropCwd = new FinalizationRegistry<OpenFile>((file) => releaseFile(file));

/** chdir/fchdir: the process works in `dir` (an open description of it, or none) at path. */
export function holdCwd(proc: Process, path: string, dir: OpenFile | undefined): void {
  const old = heldCwd.get(proc);
  if (old !== undefined) {
    dropCwd.unregister(old);
    releaseFile(old.file);
  }
  heldCwd.delete(proc);
  proc.cwd = path;
  if (dir === undefined) return;
  retainFile(dir);
  const held = { path, file: dir };
  heldCwd.set(proc, held);
  dropCwd.register(proc, dir, held);
}

/**
 * The working directory now. proc.cwd stays the path everyone else reads: a rename of the
 * held directory updates it; a cwd set by anyone but holdCwd (fork, start-up) is a plain path.
 */
export function currentCwd(proc: Process): BaseDir {
  const held = heldCwd.get(proc);
  if (held === undefined || held.path !== proc.cwd) return proc.cwd;
  const now = heldDirectory(proc.vfs.root, held.file);
  if (typeof now === 'string' && now !== held.path) {
    proc.cwd = now;
    held.path = now;
  }
  return now;
}
