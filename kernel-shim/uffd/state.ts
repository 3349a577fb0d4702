// The userfaultfd state of one kernel (Kernel.uffd): the --stats counters, the features
// UFFDIO_API offers, the event chains tasks wait on, and the syscall whose guest-memory
// access hit a tracked page (the dispatcher parks that call on it and retries it whole).
import * as A from '../abi/uffd.js';
import type { Task } from '../task.js';
import type { Block } from '../wait.js';
import { exactAddressesAvailable } from '../mm/fault-address.js';
import type { EventChain } from './chain.js';

/** The features ushim always implements. */
const BASE_FEATURES =
  A.UFFD_FEATURE_PAGEFAULT_FLAG_WP | A.UFFD_FEATURE_EVENT_FORK | A.UFFD_FEATURE_EVENT_REMAP |
  A.UFFD_FEATURE_EVENT_REMOVE | A.UFFD_FEATURE_MISSING_SHMEM | A.UFFD_FEATURE_EVENT_UNMAP |
  A.UFFD_FEATURE_SIGBUS | A.UFFD_FEATURE_THREAD_ID | A.UFFD_FEATURE_MINOR_SHMEM |
  A.UFFD_FEATURE_POISON | A.UFFD_FEATURE_MOVE | A.UFFD_FEATURE_MISSING_HUGETLBFS | A.UFFD_FEATURE_MINOR_HUGETLBFS |
  A.UFFD_FEATURE_WP_HUGETLBFS_SHMEM;

/**
 * What UFFDIO_API reports: exactly the features ushim implements. EXACT_ADDRESS needs the
 * faulting instruction decoded (Capstone), so it is offered only where that works.
 */
export function uffdSupportedFeatures(): number {
  return BASE_FEATURES | (exactAddressesAvailable() ? A.UFFD_FEATURE_EXACT_ADDRESS : 0);
}

export interface UffdStats {
  /** userfaultfd contexts made (syscall, /dev/userfaultfd, fork events). */
  contexts: number;
  missing: number;
  wp: number;
  minor: number;
  /** Of the faults above, those taken by a syscall touching guest memory. */
  kernel: number;
  sigbus: number;
  /** Pages supplied by a host-side handler (Machine.serviceFaults). */
  host: number;
  /** Page-fault messages read. */
  messages: number;
  /** Event messages read (fork, remap, remove, unmap). */
  events: number;
  /** Tasks woken by a resolving ioctl, WAKE, UNREGISTER or close. */
  wakes: number;
  /** Total time woken tasks spent parked, ms. */
  parkedMs: number;
}

function zeroStats(): UffdStats {
  return { contexts: 0, missing: 0, wp: 0, minor: 0, kernel: 0, sigbus: 0, host: 0, messages: 0, events: 0, wakes: 0, parkedMs: 0 };
}

export class UffdState {
  readonly stats: UffdStats = zeroStats();
  /** The chain of events each task's operation (munmap, mremap, madvise, fork) waits on. */
  readonly chains = new Map<Task, EventChain>();
  /** madvise calls whose REMOVE events were read: the retried call goes ahead. */
  readonly approved = new Map<Task, string>();
  private features: number | undefined;
  /** The task whose syscall handler runs now (kernel-mode faults of its address space may park it). */
  private handling: Task | undefined;
  /** The Block the running handler's access to a tracked page parked it on. */
  private parked: Block | undefined;

  /** UFFDIO_API's answer (computed once: it probes Capstone). */
  get supportedFeatures(): number {
    this.features ??= uffdSupportedFeatures();
    return this.features;
  }

  /**
   * Runs a syscall handler for `task`. When one of its accesses to guest memory hit a
   * userfaultfd-tracked page, that access failed (and every later one of the call fails),
   * and the call's result is the Block it parks on: it is retried whole once the page is
   * resolved, whatever the handler made of the EFAULT.
   */
  runSyscall<T>(task: Task, handler: () => T): T | Block {
    this.handling = task;
    this.parked = undefined;
    try {
      const result = handler();
      return this.parked ?? result;
    } finally {
      this.handling = undefined;
      this.parked = undefined;
    }
  }

  /** The running handler's task when it may sleep on a fault in `mm`, else undefined. */
  sleeperIn(mm: unknown): Task | undefined {
    const t = this.handling;
    return t !== undefined && t.process.mm === mm && this.parked === undefined ? t : undefined;
  }

  /** The running call hit a tracked page: it parks on `block` when its handler returns. */
  parkCall(block: Block): void {
    this.parked = block;
  }

  /** True once the running call is to park: its further guest-memory accesses fail at once. */
  get callParked(): boolean {
    return this.parked !== undefined;
  }

  /**
   * A copy for a snapshot of the kernel: the counters, finished chains (their results) and
   * approvals, with each task replaced by `mapTask`'s answer (undefined: left out). A chain
   * still waiting is not copied: its task restarts the call from scratch on restore.
   */
  copy(mapTask: (t: Task) => Task | undefined): UffdState {
    const out = new UffdState();
    Object.assign(out.stats, this.stats);
    out.features = this.features;
    for (const [t, chain] of this.chains) {
      const to = mapTask(t);
      if (to !== undefined && chain.done) out.chains.set(to, chain.copyFor(to));
    }
    for (const [t, key] of this.approved) {
      const to = mapTask(t);
      if (to !== undefined) out.approved.set(to, key);
    }
    return out;
  }
}
