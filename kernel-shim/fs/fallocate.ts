// fallocate(2): the checks vfs_fallocate makes on every file, in Linux's order, then the
// file's own operation: shmem's for memfds (OpenFile.allocate), the host's fallocate for files
// with a host fd (the host file system answers what it supports), else EOPNOTSUPP.
import { libcCalls } from '../../host/libc.js';
import { Errno } from '../errno.js';
import type { Task } from '../task.js';
import { O_PATH, S_IFBLK, S_IFDIR, S_IFIFO, S_IFMT, S_IFREG, canWrite } from './constants.js';
import {
  FALLOC_FL_COLLAPSE_RANGE, FALLOC_FL_INSERT_RANGE, FALLOC_FL_KEEP_SIZE, FALLOC_FL_PUNCH_HOLE, FALLOC_FL_UNSHARE_RANGE,
  FALLOC_FL_WRITE_ZEROES, FALLOC_FL_ZERO_RANGE,
} from './fallocate-flags.js';

/** The modes proper: a call names at most one of them (none: allocate the range). */
const MODES = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_ZERO_RANGE | FALLOC_FL_INSERT_RANGE |
  FALLOC_FL_UNSHARE_RANGE | FALLOC_FL_WRITE_ZEROES;
const MAX_FILE_BYTES = 2n ** 63n - 1n;

/** The errno for a mode Linux (6.17 and later) refuses before it looks at the file, or 0. */
function modeError(mode: number, offset: bigint, length: bigint): number {
  if (offset < 0n || length <= 0n) return -Errno.EINVAL;
  if (mode & ~(MODES | FALLOC_FL_KEEP_SIZE)) return -Errno.EOPNOTSUPP;
  switch (mode & MODES) {
    case 0: case FALLOC_FL_UNSHARE_RANGE: case FALLOC_FL_ZERO_RANGE:
      return 0;
    case FALLOC_FL_PUNCH_HOLE:
      return mode & FALLOC_FL_KEEP_SIZE ? 0 : -Errno.EOPNOTSUPP;
    case FALLOC_FL_COLLAPSE_RANGE: case FALLOC_FL_INSERT_RANGE: case FALLOC_FL_WRITE_ZEROES:
      return mode & FALLOC_FL_KEEP_SIZE ? -Errno.EOPNOTSUPP : 0;
    default:
      return -Errno.EOPNOTSUPP;
  }
}

export function fallocateFd(t: Task, fd: number, mode: number, offset: bigint, length: bigint): number {
  const file = t.process.fds.get(fd)?.file;
  // An O_PATH description is not a file for fallocate: EBADF, as fdget() skips it.
  if (file === undefined || file.flags & O_PATH) return -Errno.EBADF;
  const refused = modeError(mode, offset, length);
  if (refused !== 0) return refused;
  if (!canWrite(file.flags)) return -Errno.EBADF;
  const st = file.stat();
  if (typeof st === 'number') return st;
  const type = st.mode & S_IFMT;
  if (type === S_IFIFO) return -Errno.ESPIPE;
  if (type === S_IFDIR) return -Errno.EISDIR;
  if (type !== S_IFREG && type !== S_IFBLK) return -Errno.ENODEV;
  if (offset + length > MAX_FILE_BYTES) return -Errno.EFBIG;
  if (file.allocate !== undefined) return file.allocate(mode, offset, length);
  if (file.hostFd !== undefined) {
    // A punched or collapsed range of a host file that a guest also maps keeps its old bytes
    // in ushim's page cache until the mapping is dropped, as before any truncation hook.
    return libcCalls.fallocate(file.hostFd, mode, offset, length) === 0 ? 0 : -libcCalls.errno();
  }
  return -Errno.EOPNOTSUPP;
}
