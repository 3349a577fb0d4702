// Copying a process: the one place that knows what a process and a task carry. fork makes a
// child from its parent (the state a child inherits; memory, files, fs context and handlers
// shared or copied as the clone flags say); a snapshot saves every process and task into a
// copy and later puts them back from it (everything).
import type { FdTable } from './fs/fdtable.js';
import type { FsContext } from './fs/fscontext.js';
import type { AddressSpace } from './mm/addrspace.js';
import { Process } from './process.js';
import type { SignalHandlers } from './signal/handlers.js';
import { Task } from './task.js';
import { inheritSched } from './sched-policy.js';
import { inheritedIoprio, ioprioOf } from './ioprio.js';

/** What the copy holds of the parts clone can share: the original's, or copies of them. */
export interface ProcessParts {
  mm: AddressSpace;
  fds: FdTable;
  fs: FsContext;
  sighand: SignalHandlers;
}

/** 'fork': what a child inherits; 'whole': all of the state (snapshots). */
export type CopyScope = 'fork' | 'whole';

/**
 * Copies `from`'s state into `to`, which then holds `parts`: the session, supplementary
 * groups, name, exec image and rlimits a fork child inherits and, for a whole copy, the
 * rest of the thread group: parent, exit status, exit signal, job control, subreaper and
 * parent-death signal, pending signals, children, the ITIMER_REAL timer, a vfork parent.
 */
export function copyProcessState(from: Process, to: Process, parts: ProcessParts, scope: CopyScope): void {
  to.mm = parts.mm;
  to.fds = parts.fds;
  to.fs = parts.fs;
  to.sighand = parts.sighand;
  to.pgid = from.pgid;
  to.sid = from.sid;
  to.groups = from.groups;
  to.comm = from.comm;
  to.image = from.image;
  from.rlimits.forEach((l, i) => (to.rlimits[i] = { ...l }));
  if (scope === 'fork') return;
  to.ppid = from.ppid;
  to.exitStatus = from.exitStatus === undefined ? undefined : { ...from.exitStatus };
  to.reaped = from.reaped;
  to.exitSignal = from.exitSignal;
  to.stopped = from.stopped;
  to.jobReport = from.jobReport === undefined ? undefined : { ...from.jobReport };
  to.childSubreaper = from.childSubreaper;
  to.parentDeathSignal = from.parentDeathSignal;
  to.pending.clear();
  for (const info of from.pending.queued) to.pending.add({ ...info });
  to.children.splice(0, to.children.length, ...from.children);
  to.realTimer = from.realTimer === undefined ? undefined : { ...from.realTimer };
  to.vforkParent = from.vforkParent;
}

/** A new process `pid` (not in the process table) holding `parts`, with `from`'s state copied in. */
export function copyProcess(from: Process, pid: number, parts: ProcessParts, scope: CopyScope): Process {
  const k = from.kernel;
  const startTime = scope === 'fork' ? k.clock.uptime() : from.startTimeNs;
  const copy = new Process(k, pid, from.ppid, parts.mm, parts.fds, parts.fs, from.uid, from.gid, startTime);
  copyProcessState(from, copy, parts, scope);
  return copy;
}

/**
 * Copies `from`'s state into `to`: the signal mask (and alternate stack, which a thread
 * sharing the memory does not inherit: the caller decides) a new task inherits and, for a
 * whole copy, the rest: the mask sigsuspend swapped out, clear_child_tid, the robust list,
 * pending signals. Registers are the caller's: they live in the engine or a saved context.
 */
export function copyTaskState(from: Task, to: Task, scope: CopyScope): void {
  to.signalMask = from.signalMask;
  to.mempolicy = from.mempolicy;
  to.caps = from.caps;
  if (scope === 'fork') {
    to.sched = inheritSched(from.sched);
    to.ioprio = inheritedIoprio(ioprioOf(from));
    return;
  }
  to.sched = { ...from.sched };
  to.ioprio = from.ioprio;
  to.altStack = { ...from.altStack };
  to.savedMask = from.savedMask;
  to.clearChildTid = from.clearChildTid;
  to.robustList = from.robustList;
  to.robustListLength = from.robustListLength;
  to.rseq = from.rseq;
  to.pending.clear();
  for (const info of from.pending.queued) to.pending.add({ ...info });
}

/** A task outside any process's task list with `from`'s whole state (a snapshot's saved copy). */
export function copyTask(from: Task): Task {
  const copy = new Task(from.tid, from.process, from.kernel);
  copyTaskState(from, copy, 'whole');
  return copy;
}
