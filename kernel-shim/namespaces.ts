// unshare and setns as an unprivileged container answers them: ushim has no namespaces to
// make or enter; unshare can still give a process its own fd table.
import { Errno } from './errno.js';
import { CLONE_FILES, CLONE_FS, CLONE_NEWNS, CLONE_SIGHAND, CLONE_SYSVSEM, CLONE_THREAD, CLONE_VM } from './fork.js';
import type { Kernel } from './kernel.js';
import { PIDFD_PATH } from './pidfd.js';
import type { Task } from './task.js';

const CLONE_NEWCGROUP = 0x02000000, CLONE_NEWUTS = 0x04000000, CLONE_NEWIPC = 0x08000000, CLONE_NEWUSER = 0x10000000,
  CLONE_NEWPID = 0x20000000, CLONE_NEWNET = 0x40000000, CLONE_NEWTIME = 0x80;
const NEW_NAMESPACES = CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWTIME;
const UNSHARE_FLAGS = NEW_NAMESPACES | CLONE_THREAD | CLONE_FS | CLONE_SIGHAND | CLONE_VM | CLONE_FILES | CLONE_SYSVSEM;

/** unshare(flags): new namespaces are EPERM; sharing that cannot be undone here is EINVAL. */
export function unshare(k: Kernel, t: Task, flags: number): number {
  if (flags & ~UNSHARE_FLAGS) return -Errno.EINVAL;
  if (flags & NEW_NAMESPACES) return -Errno.EPERM;
  const p = t.process;
  // Implied as in Linux: VM needs SIGHAND, SIGHAND needs THREAD; refused with other threads.
  if (flags & (CLONE_THREAD | CLONE_SIGHAND | CLONE_VM) && p.liveTasks.length > 1) return -Errno.EINVAL;
  if (flags & CLONE_VM && [...k.processes.values()].some((o) => o !== p && !o.exited && o.mm === p.mm)) return -Errno.EINVAL;
  if (flags & CLONE_FILES && [...k.processes.values()].some((o) => o !== p && !o.exited && o.fds === p.fds)) p.fds = p.fds.clone();
  return 0;
}

/** setns: only namespace files and pidfds may be joined; ushim has neither kind of namespace to enter. */
export function setns(t: Task, fd: number, nstype: number): number {
  const file = t.process.fds.file(fd);
  if (typeof file === 'number') return file;
  if (nstype & ~NEW_NAMESPACES) return -Errno.EINVAL;
  return file.path === PIDFD_PATH && nstype !== 0 ? -Errno.EPERM : -Errno.EINVAL;
}
