// fcntl(2) on a process's fd table: duplication, the close-on-exec and status flags, record
// locks (locks.ts), owners and leases, pipe sizes and seals.
import { Errno } from '../errno.js';
import type { Task } from '../task.js';
import type { Block } from '../wait.js';
import { O_APPEND, O_DIRECT, O_NOATIME, O_NONBLOCK, O_PATH } from './constants.js';
import { F_GETLK, F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW, F_SETLK, F_SETLKW, recordLock } from './locks.js';
import { PIPE_CAPACITY, PipeEnd } from './pipe.js';

const F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4,
  F_SETOWN = 8, F_GETOWN = 9, F_SETSIG = 10, F_GETSIG = 11,
  F_SETLEASE = 1024, F_GETLEASE = 1025, F_NOTIFY = 1026, F_DUPFD_CLOEXEC = 1030, F_SETPIPE_SZ = 1031, F_GETPIPE_SZ = 1032,
  F_ADD_SEALS = 1033, F_GET_SEALS = 1034;
const FD_CLOEXEC = 1;
/** Status flags F_SETFL may change (Linux SETFL_MASK). */
const SETFL_MASK = O_APPEND | O_NONBLOCK | 0x2000 /* O_ASYNC */ | O_DIRECT | O_NOATIME;

/** fcntl(fd, cmd, arg) for task t; arg is an int or, for locks, the struct flock address (locks.ts). */
const O_PATH_COMMANDS = new Set([F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL]);

export function fcntl(t: Task, fd: number, cmd: number, arg: number): number | Block {
  const fds = t.process.fds;
  const entry = fds.get(fd);
  if (entry === undefined) return -Errno.EBADF;
  // An O_PATH fd answers only the commands about the fd itself (check_fcntl_cmd).
  if (entry.file.flags & O_PATH && !O_PATH_COMMANDS.has(cmd)) return -Errno.EBADF;
  const int = arg | 0;
  switch (cmd) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC:
      if (int < 0 || int >= fds.limit) return -Errno.EINVAL;
      return fds.dup(fd, int, cmd === F_DUPFD_CLOEXEC);
    case F_GETFD: return entry.cloexec ? FD_CLOEXEC : 0;
    case F_SETFD:
      entry.cloexec = (int & FD_CLOEXEC) !== 0;
      return 0;
    case F_GETFL: return entry.file.flags;
    case F_SETFL:
      entry.file.flags = (entry.file.flags & ~SETFL_MASK) | (int & SETFL_MASK);
      return 0;
    case F_GETLK: case F_OFD_GETLK: case F_SETLK: case F_SETLKW: case F_OFD_SETLK: case F_OFD_SETLKW:
      return recordLock(t, entry.file, cmd, arg);
    case F_GETOWN: case F_GETSIG: case F_GETLEASE: return 0;
    case F_SETOWN: case F_SETSIG: case F_NOTIFY: return 0;
    case F_SETLEASE: return -Errno.EAGAIN;
    case F_GETPIPE_SZ:
      return entry.file instanceof PipeEnd ? PIPE_CAPACITY : -Errno.EBADF;
    case F_SETPIPE_SZ:
      // The capacity is fixed: sizes up to it are granted as it is, larger ones refused.
      if (!(entry.file instanceof PipeEnd)) return -Errno.EBADF;
      return int <= PIPE_CAPACITY ? PIPE_CAPACITY : -Errno.EPERM;
    case F_ADD_SEALS: case F_GET_SEALS: return -Errno.EINVAL;
    default: return -Errno.EINVAL;
  }
}
