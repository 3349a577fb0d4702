// unshare, setns and membarrier: what an unprivileged container answers for namespaces
// (ushim has none to make or enter), and membarrier's registrations.
import { Errno } from '../kernel-shim/errno.js';
import {
  CLONE_FILES, CLONE_FS, CLONE_NEWNS, CLONE_SIGHAND, CLONE_SYSVSEM, CLONE_THREAD, CLONE_VM,
} from '../kernel-shim/fork.js';
import type { Kernel } from '../kernel-shim/kernel.js';
import { membarrier } from '../kernel-shim/membarrier.js';
import type { Task } from '../kernel-shim/task.js';
import { membarrierResult } from './argkinds-by-value.js';
import { fileOf } from './guest.js';
import type { SyscallDef } from './types.js';

const CLONE_NEWCGROUP = 0x02000000, CLONE_NEWUTS = 0x04000000, CLONE_NEWIPC = 0x08000000, CLONE_NEWUSER = 0x10000000,
  CLONE_NEWPID = 0x20000000, CLONE_NEWNET = 0x40000000, CLONE_NEWTIME = 0x80;
const NEW_NAMESPACES = CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWTIME;
const UNSHARE_FLAGS = NEW_NAMESPACES | CLONE_THREAD | CLONE_FS | CLONE_SIGHAND | CLONE_VM | CLONE_FILES | CLONE_SYSVSEM;

function unshare(k: Kernel, t: Task, flags: number): number {
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
function setns(t: Task, fd: number, nstype: number): number {
  const file = fileOf(t, fd);
  if (typeof file === 'number') return file;
  if (nstype & ~NEW_NAMESPACES) return -Errno.EINVAL;
  return file.path === 'anon_inode:[pidfd]' && nstype !== 0 ? -Errno.EPERM : -Errno.EINVAL;
}

export const namespaceSyscalls: SyscallDef[] = [
  {
    name: 'unshare', args: ['clone_flags'], result: 'dec', support: 'partial', handler: (k, t, a) => unshare(k, t, a.int(0)),
    note: 'new namespaces: EPERM (as in an unprivileged container); CLONE_FILES copies a table shared with another process',
  },
  { name: 'setns', args: ['fd', 'clone_flags'], result: 'dec', support: 'partial', handler: (_k, t, a) => setns(t, a.int(0), a.int(1)), note: 'no namespaces to join: EINVAL, or EPERM for a pidfd' },
  {
    name: 'membarrier', args: ['membarrier_cmd', 'hex'], result: membarrierResult, support: 'full', handler: (_k, t, a) => membarrier(t, a.int(0), a.int(1)),
    note: 'one guest task runs at a time: every barrier holds already; registrations per address space',
  },
];
