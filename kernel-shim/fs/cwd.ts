// The working directory: getcwd, chdir and fchdir on a process's FsContext. A directory
// ushim can open is held open, so the working directory follows it through a rename.
import { Errno } from '../errno.js';
import type { Process } from '../process.js';
import { O_DIRECTORY, O_PATH, S_IFDIR, S_IFMT } from './constants.js';
import { baseDirPath, heldDirectory } from './dirref.js';
import type { OpenFile } from './file.js';

/**
 * getcwd: the guest path of the working directory; ENOENT once it was removed (it has no
 * path); outside the root (a chroot elsewhere), "(unreachable)" and the whole path, as Linux.
 */
export function currentDirectory(p: Process): string | number {
  const cwd = p.fs.current();
  if (typeof cwd !== 'string' && cwd.detached) return -Errno.ENOENT;
  const path = baseDirPath(cwd);
  return p.vfs.root.pathInside(path) ?? `(unreachable)${path}`;
}

/** chdir(path). */
export function changeDirectory(p: Process, path: string): number {
  const dir = p.vfs.canonical(path, p.fs.current());
  if (typeof dir === 'number') return dir;
  const held = openCanonical(p, dir);
  p.fs.chdir(dir, typeof held === 'number' ? undefined : held);
  return 0;
}

/**
 * The directory at a path canonical() answered, held open (O_PATH). Such a path names the
 * directory from the top of the whole root, not from a chroot's.
 */
export function openCanonical(p: Process, dir: string): OpenFile | number {
  return p.kernel.vfs.open(dir, O_PATH | O_DIRECTORY, 0, '/');
}

/** fchdir(fd): ENOTDIR unless fd is a directory. */
export function changeDirectoryTo(p: Process, fd: number): number {
  const file = p.fds.file(fd);
  if (typeof file === 'number') return file;
  const st = file.stat();
  if (typeof st === 'number') return st;
  if ((st.mode & S_IFMT) !== S_IFDIR) return -Errno.ENOTDIR;
  p.fs.chdir(baseDirPath(heldDirectory(p.vfs.root, file)), file);
  return 0;
}
