// A pidfd: a file description naming a guest process. It polls readable once the process
// has exited (and hung up once it is reaped); read() is EINVAL as in Linux.
import { Errno } from './errno.js';
import { BaseFile, anonInodeStat } from './fs/basefile.js';
import { O_RDWR, POLLIN } from './fs/constants.js';
import type { FileStat } from './fs/file.js';
import type { Kernel } from './kernel.js';
import type { Process } from './process.js';
import type { WaitQueue } from './wait.js';

const POLLHUP = 0x10, POLLRDNORM = 0x40;
export const PIDFD_NONBLOCK = 0x800, PIDFD_THREAD = 0x80;
export const PIDFD_PATH = 'anon_inode:[pidfd]';

export class PidFd extends BaseFile {
  constructor(
    readonly target: Process,
    flags: number,
  ) {
    super(PIDFD_PATH, flags | O_RDWR);
  }

  /** Woken when the target exits: its parent's child-event queue (none left: its own, never woken). */
  get waitQueue(): WaitQueue {
    return (this.target.parent ?? this.target).childEvents;
  }

  override poll(): number {
    if (this.target.reaped) return POLLIN | POLLRDNORM | POLLHUP;
    return this.target.exited ? POLLIN | POLLRDNORM : 0;
  }

  stat(): FileStat {
    return anonInodeStat(1n);
  }
}

/** The process pidfd_open names: EINVAL for pid <= 0 or a thread that leads no process, ESRCH for none. */
export function pidfdTarget(k: Kernel, pid: number, thread: boolean): Process | number {
  if (pid <= 0) return -Errno.EINVAL;
  const proc = k.processes.get(pid);
  if (proc !== undefined && !proc.reaped) return proc;
  for (const p of k.processes.values()) {
    if (!p.reaped && p.tasks.some((t) => t.tid === pid && !t.exited)) return thread ? p : -Errno.EINVAL;
  }
  return -Errno.ESRCH;
}
