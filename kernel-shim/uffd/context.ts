// A userfaultfd context: the monitor's side of userfaultfd (the file in kernel-shim/fs/
// uffd-file.ts wraps it). It holds the tasks parked on its faults, the events queued for it,
// and the readers of its fd; registration itself lives on the areas (VmArea.uffd/uffdModes).
import * as A from '../abi/uffd.js';
import { Errno } from '../errno.js';
import type { Kernel } from '../kernel.js';
import type { AddressSpace } from '../mm/addrspace.js';
import { TASK_SIZE } from '../mm/constants.js';
import type { Process } from '../process.js';
import type { Task } from '../task.js';
import { type Block, WaitQueue } from '../wait.js';
import { type PendingEvent, finishEvent } from './chain.js';
import type { UffdStats } from './state.js';

/** One parked fault: what its message says, and whether it was read. */
export interface FaultRecord {
  readonly ctx: UffdCtx;
  /** Reported address (page-aligned). */
  readonly address: number;
  readonly flags: number;
  readonly ptid: number;
  read: boolean;
  readonly parkedAt: number;
}

/** A Block that is not a syscall's (a user-mode fault, a fork child held back): task.wait is cleared when the task runs. */
export interface ResumeBlock extends Block {
  readonly uffdResume?: true;
}

/** The Block of a task parked on a fault. */
export interface FaultBlock extends ResumeBlock {
  readonly uffdFault: FaultRecord;
}

export class UffdCtx {
  /** Enabled features; meaningful once initialized. */
  features = 0;
  initialized = false;
  released = false;
  /** Tasks parked on faults of this context, in arrival order (read or not: FaultRecord.read). */
  readonly faults = new WaitQueue();
  readonly faultQueues: readonly WaitQueue[] = [this.faults];
  /** Unread events, oldest first. */
  readonly events: PendingEvent[] = [];
  /** Readers and pollers of the fd. */
  readonly fdQueue = new WaitQueue();
  /** mmap_changing: events prepared and not yet read (resolving ioctls answer EAGAIN). */
  changing = 0;

  constructor(
    readonly kernel: Kernel,
    /** The process whose address space this context serves. */
    readonly owner: Process,
    readonly mm: AddressSpace,
    /** O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY as given at creation. */
    readonly flags: number,
  ) {
    kernel.uffd.stats.contexts++;
  }

  /**
   * The same context for another process and address space (a snapshot's copy): flags and
   * negotiated features; no parked faults or queued events (their tasks retry on restore).
   */
  copyFor(owner: Process, mm: AddressSpace): UffdCtx {
    const copy = new UffdCtx(this.kernel, owner, mm, this.flags);
    copy.features = this.features;
    copy.initialized = this.initialized;
    copy.released = this.released;
    return copy;
  }

  /** The address space was torn down (exit or exec): ioctls answer ESRCH. */
  get mmGone(): boolean {
    return this.owner.exited || this.owner.mm !== this.mm;
  }

  get stats(): UffdStats {
    return this.kernel.uffd.stats;
  }

  notify(): void {
    this.fdQueue.wakeAll();
  }

  /** poll(): EPOLLIN iff an unread fault or event exists. */
  hasUnread(): boolean {
    for (const t of this.faults.tasks()) if (recordOf(t)?.read === false) return true;
    return this.events.some((e) => e.chain === undefined || e.chain.task.state !== 'exited');
  }

  /**
   * The next message for a reader: pending faults first (oldest first), then events. null
   * when there is none; a negative errno when a FORK event's fd cannot be installed (the
   * event stays queued). installFork makes the new context an fd of the reader.
   */
  takeMessage(installFork: (ctx: UffdCtx) => number): A.UffdMsg | number | null {
    for (const t of this.faults.tasks()) {
      const rec = recordOf(t);
      if (rec === undefined || rec.read) continue;
      rec.read = true;
      this.stats.messages++;
      return { event: A.UFFD_EVENT_PAGEFAULT, flags: rec.flags, address: BigInt(rec.address), ptid: rec.ptid };
    }
    while (this.events.length > 0) {
      const ev = this.events[0];
      // A task killed while waiting takes its event with it.
      if (ev.chain !== undefined && ev.chain.task.state === 'exited') {
        this.events.shift();
        finishEvent(ev, true);
        continue;
      }
      let msg = ev.msg;
      if (ev.forkCtx !== undefined) {
        const fd = installFork(ev.forkCtx);
        if (fd < 0) return fd;
        msg = { event: A.UFFD_EVENT_FORK, ufd: fd };
      }
      this.events.shift();
      this.stats.events++;
      finishEvent(ev, false);
      return msg;
    }
    return null;
  }

  /** Wakes tasks parked on faults whose reported address is in [start, start+len); len 0: all. */
  wake(start: number, len: number): void {
    const now = performance.now();
    for (const t of this.faults.tasks()) {
      const rec = recordOf(t);
      if (rec === undefined) continue;
      if (len !== 0 && (rec.address < start || rec.address >= start + len)) continue;
      this.stats.wakes++;
      this.stats.parkedMs += now - rec.parkedAt;
      this.kernel.wake(t);
    }
  }

  /** The last fd went away: unregister everything, release every waiter. */
  release(): void {
    if (this.released) return;
    this.released = true;
    const mm = this.mm;
    let any = false;
    for (const a of mm.areas.items) {
      if (a.uffd !== this) continue;
      if (a.uffdModes & A.UFFDIO_REGISTER_MODE_WP) mm.uffd?.clearWp(a.start, a.end);
      a.uffd = undefined;
      a.uffdModes = 0;
      any = true;
    }
    if (any) {
      mm.areas.mergeAround(0, TASK_SIZE);
      mm.changed();
    }
    this.wake(0, 0);
    for (const ev of this.events.splice(0)) finishEvent(ev, true);
    this.notify();
  }
}

function recordOf(t: Task): FaultRecord | undefined {
  return (t.wait as FaultBlock | null)?.uffdFault;
}

/**
 * The Block of a task parked on a fault: a user-mode fault resumes the faulting instruction
 * (a signal runs its handler first), a syscall's fault retries the call (a signal: EFAULT).
 */
export function faultBlock(rec: FaultRecord, resume: boolean): FaultBlock {
  return {
    kind: 'block',
    queues: rec.ctx.faultQueues,
    onTimeout: 0,
    onSignal: resume ? 'retry' : -Errno.EFAULT,
    uffdFault: rec,
    ...(resume ? { uffdResume: true as const } : {}),
  };
}

/** A new fault record of `task` on ctx, counted (kernel: taken by a syscall) and announced to readers. */
export function recordFault(ctx: UffdCtx, task: Task, address: number, flags: number, kernel: boolean): FaultRecord {
  const ptid = ctx.features & A.UFFD_FEATURE_THREAD_ID ? task.tid : 0;
  countFault(ctx, flags, kernel);
  return { ctx, address, flags, ptid, read: false, parkedAt: performance.now() };
}

function countFault(ctx: UffdCtx, flags: number, kernel: boolean): void {
  const s = ctx.stats;
  if (flags & A.UFFD_PAGEFAULT_FLAG_WP) s.wp++;
  else if (flags & A.UFFD_PAGEFAULT_FLAG_MINOR) s.minor++;
  else s.missing++;
  if (kernel) s.kernel++;
}
