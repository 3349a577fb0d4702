// readahead(2): ushim keeps no page cache of its own for files it reads, so there is nothing
// to fill; what remains are Linux's answers about the fd.
import { Errno } from '../errno.js';
import type { Task } from '../task.js';
import { O_PATH, S_IFBLK, S_IFMT, S_IFREG, canRead } from './constants.js';

/** EBADF unless open for reading; EINVAL for anything but a regular file or block device; else 0. */
export function readahead(t: Task, fd: number): number {
  const file = t.process.fds.get(fd)?.file;
  if (file === undefined || file.flags & O_PATH || !canRead(file.flags)) return -Errno.EBADF;
  const st = file.stat();
  if (typeof st === 'number') return st;
  const type = st.mode & S_IFMT;
  return type === S_IFREG || type === S_IFBLK ? 0 : -Errno.EINVAL;
}
