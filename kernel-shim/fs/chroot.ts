// chroot(2): a directory becomes the root of the caller's fs context (and of every process
// sharing it through CLONE_FS); fork copies it, exec keeps it. The new root is a view of the
// same host root (root.ts), so no chroot reaches past --root.
import { CAP_SYS_CHROOT, hasCapability } from '../capabilities.js';
import { Errno } from '../errno.js';
import type { Task } from '../task.js';
import { openCanonical } from './cwd.js';

/** chroot(path): the lookup's errors (ENOENT, ENOTDIR, EACCES...) before EPERM, as Linux checks. */
export function changeRoot(t: Task, path: string): number {
  const p = t.process;
  const dir = p.vfs.canonical(path, p.fs.current());
  if (typeof dir === 'number') return dir;
  if (!hasCapability(t, CAP_SYS_CHROOT)) return -Errno.EPERM;
  const held = openCanonical(p, dir);
  if (typeof held === 'number') return held;
  p.fs.chroot(held);
  return 0;
}
