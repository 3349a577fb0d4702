// A task: one thread of execution with its own registers (kept in the process's engine while
// it runs), tid and thread-local kernel state.
import type { Process } from './process.js';

export class Task {
  /** set_tid_address / CLONE_CHILD_CLEARTID: zeroed and futex-woken when the task exits. */
  clearChildTid = 0;
  robustList = 0;
  robustListLength = 0;
  rseq = 0;
  signalMask = 0n;
  altStack = { sp: 0, size: 0, flags: 2 /* SS_DISABLE */ };
  exited = false;

  constructor(
    readonly tid: number,
    readonly process: Process,
  ) {}
}
