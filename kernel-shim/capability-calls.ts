// capget/capset on a thread's capability sets (capabilities.ts): which thread a pid names,
// and that only the caller's own sets may change.
import { type CapabilitySets, capabilitiesOf, setCapabilities } from './capabilities.js';
import { Errno } from './errno.js';
import type { Kernel } from './kernel.js';
import { taskByTid } from './sched-policy.js';
import type { Task } from './task.js';

/** capget(pid): the sets of thread pid (0: the caller), EINVAL for a negative pid. */
export function capabilitiesFor(k: Kernel, t: Task, pid: number): CapabilitySets | number {
  if (pid < 0) return -Errno.EINVAL;
  const target = taskByTid(k, t, pid);
  return typeof target === 'number' ? target : capabilitiesOf(target);
}

/** capset(pid, next): only the caller's own sets (pid 0 or its tid); next is an errno when unreadable. */
export function changeCapabilities(t: Task, pid: number, next: Omit<CapabilitySets, 'bounding'> | number): number {
  if (pid !== 0 && pid !== t.tid) return -Errno.EPERM;
  return typeof next === 'number' ? next : setCapabilities(t, next);
}
