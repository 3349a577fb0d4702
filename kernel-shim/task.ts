// A task: one thread of execution. While it runs, its registers live in its process's engine;
// otherwise in its saved CPU context.
import type { CpuContext } from './cpu-port.js';
import type { Kernel } from './kernel.js';
import type { Process } from './process.js';
import { PendingSignals } from './signal/pending.js';
import type { Block } from './wait.js';
import { type SchedState, defaultSchedState } from './sched-policy.js';
import type { MemPolicy } from './mm/mempolicy.js';
import type { CapabilitySets } from './capabilities.js';
import type { RseqRegistration } from './rseq.js';

export type TaskState = 'runnable' | 'blocked' | 'exited';

export interface AltStack {
  sp: number;
  size: number;
  /** SS_DISABLE when none is set, else 0 or SS_AUTODISARM. */
  flags: number;
}

export class Task {
  state: TaskState = 'runnable';
  /** Set while parked in a syscall, and until that syscall's retry completes. */
  wait: Block | null = null;
  /** What the retried syscall returns (futex wake, timeout, signal); undefined = re-run it. */
  wakeResult: number | undefined;
  /** Timeout of the syscall being retried, fixed at its first attempt. */
  deadline: bigint | undefined;
  /** CPU state while not loaded in the engine; null until first switched out. */
  context: CpuContext | null = null;
  readonly pending = new PendingSignals();
  /** set_tid_address / CLONE_CHILD_CLEARTID: zeroed and futex-woken when the task exits. */
  clearChildTid = 0;
  robustList = 0;
  robustListLength = 0;
  /** rseq(2)'s registered area (rseq.ts); undefined: none. */
  rseq: RseqRegistration | undefined;
  signalMask = 0n;
  /** The mask rt_sigsuspend/ppoll/pselect6 replaced, restored after the handler runs. */
  savedMask: bigint | null = null;
  altStack: AltStack = { sp: 0, size: 0, flags: 2 };
  /** Policy, real-time priority and nice (sched-policy.ts). */
  sched: SchedState = defaultSchedState();
  /** set_mempolicy's NUMA policy (mm/mempolicy.ts); undefined: the default. */
  mempolicy: MemPolicy | undefined;
  /** ioprio_set's class and data (ioprio.ts); undefined: the host process's own. */
  ioprio: number | undefined;
  /** Capability sets after a capset; undefined: the host process's own (capabilities.ts). */
  caps: CapabilitySets | undefined;

  constructor(
    readonly tid: number,
    public process: Process,
    readonly kernel: Kernel,
  ) {}

  /** The absolute CLOCK_MONOTONIC deadline for a relative timeout, stable across retries. */
  deadlineAfter(ns: bigint): bigint {
    this.deadline ??= this.kernel.clock.now(1)! + ns;
    return this.deadline;
  }

  get exited(): boolean {
    return this.state === 'exited';
  }
}
