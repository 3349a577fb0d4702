// clone/clone3/fork/vfork as the syscall performs them around fork.ts's copy: a fork waits
// until the userfaultfd monitors read its FORK events (its retry returns the child's pid),
// the creator's time slice ends, and a vfork parent sleeps until the child execs or exits.
import { CLONE_THREAD, CLONE_VFORK, CLONE_VM, type CloneRequest, clone } from './fork.js';
import type { Kernel } from './kernel.js';
import type { Task } from './task.js';
import { resumeChain } from './uffd/events.js';
import { cloneWithEvents } from './uffd/mm-events.js';
import { type Block, block } from './wait.js';

/** The child's tid (pid for a new process), -errno, or a Block (FORK events unread; vfork). */
export function cloneCall(k: Kernel, t: Task, req: CloneRequest): number | Block {
  // userfaultfd: a fork waits until its FORK events were read.
  const pending = resumeChain(t);
  if (pending !== undefined) return pending;
  const flags = req.flags;
  const tid = clone(k, t, req);
  // End the creator's slice: from the next one on, the scheduler time-slices between them.
  if (tid > 0) t.process.engine.requestStop();
  if (!(flags & CLONE_VM)) {
    const waiting = cloneWithEvents(k, t, flags, tid);
    if (waiting !== tid) return waiting;
  }
  if (tid < 0 || !(flags & CLONE_VFORK) || flags & CLONE_THREAD) return tid;
  // The vfork parent sleeps until the child execs or exits, then returns the child's pid.
  const child = k.processes.get(tid)!;
  return block([child.vforkDone], { onSignal: tid });
}
