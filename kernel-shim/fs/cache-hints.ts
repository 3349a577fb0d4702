// Hints about a file's page cache: readahead(2), fadvise64(2) and sync_file_range(2). ushim
// keeps no page cache of its own for files it reads and writes through to the host, so there
// is nothing to fill, drop or flush; what remains are Linux's answers about the fd and the
// arguments, in Linux's order.
import { Errno } from '../errno.js';
import type { Task } from '../task.js';
import { O_PATH, S_IFBLK, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG, canRead } from './constants.js';
import type { OpenFile } from './file.js';

const POSIX_FADV_NOREUSE = 5;
const SYNC_FILE_RANGE_VALID = 1 | 2 | 4;

/** The open file behind fd, or undefined when there is none or it is an O_PATH fd (EBADF). */
function usableFile(t: Task, fd: number): OpenFile | undefined {
  const file = t.process.fds.get(fd)?.file;
  return file === undefined || file.flags & O_PATH ? undefined : file;
}

function fileType(file: OpenFile): number {
  const st = file.stat();
  return typeof st === 'number' ? 0 : st.mode & S_IFMT;
}

/** EBADF unless open for reading; EINVAL for anything but a regular file or block device; else 0. */
export function readahead(t: Task, fd: number): number {
  const file = usableFile(t, fd);
  if (file === undefined || !canRead(file.flags)) return -Errno.EBADF;
  const type = fileType(file);
  return type === S_IFREG || type === S_IFBLK ? 0 : -Errno.EINVAL;
}

/** fadvise64(fd, offset, len, advice): ESPIPE for a FIFO, EINVAL for a negative length or an unknown advice. */
export function fadvise(t: Task, fd: number, len: bigint, advice: number): number {
  const file = usableFile(t, fd);
  if (file === undefined) return -Errno.EBADF;
  if (fileType(file) === S_IFIFO) return -Errno.ESPIPE;
  return len < 0n || advice < 0 || advice > POSIX_FADV_NOREUSE ? -Errno.EINVAL : 0;
}

/** sync_file_range(fd, offset, nbytes, flags): EINVAL for unknown flags or a bad range, ESPIPE for pipes, sockets and devices. */
export function syncFileRange(t: Task, fd: number, offset: bigint, nbytes: bigint, flags: number): number {
  const file = usableFile(t, fd);
  if (file === undefined) return -Errno.EBADF;
  const end = BigInt.asIntN(64, offset + nbytes);
  if (flags & ~SYNC_FILE_RANGE_VALID || offset < 0n || end < 0n || end < offset) return -Errno.EINVAL;
  const type = fileType(file);
  return type === S_IFREG || type === S_IFBLK || type === S_IFDIR || type === S_IFLNK ? 0 : -Errno.ESPIPE;
}
