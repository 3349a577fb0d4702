// The trampfd state of one Kernel (k.trampfd): the counters and trace sink behind --stats and
// --strace, whether v2 invocations are counted, and the v1 fault path's scratch.
import type { Task } from '../task.js';

export interface TrampolineStats {
  /** trampfd v1 invocations the fault path carried out. */
  v1Invocations: number;
  /** Fetches in a v1 trampoline page that became SIGSEGV (middle of the page, no register context...). */
  v1Refused: number;
  /**
   * trampfd v2 trampolines run. They are plain guest code: counted only while a counting hook
   * is installed (--stats or --strace), which costs one host call per invocation.
   */
  v2Invocations: number;
  /** trampfd_create / trampfd calls that made an fd, and v2 tables mapped. */
  v1Created: number;
  v2Created: number;
  v2Tables: number;
  /** mmap/mprotect calls refused by --wx=strict. */
  wxRefusals: number;
}

export type TraceSink = (task: Task, text: string) => void;

export class TrampfdState {
  readonly stats: TrampolineStats = { v1Invocations: 0, v1Refused: 0, v2Invocations: 0, v1Created: 0, v2Created: 0, v2Tables: 0, wxRefusals: 0 };
  /** Where trace lines go (the strace writer), if anywhere. */
  sink: TraceSink | undefined;
  /** A v1 invocation that loaded the registers and then failed (stack push): where it faulted. */
  refusedAt: { task: Task; addr: number } | undefined;
  /** Every v2 invocation is counted (and traced) by a code hook on its table (CpuPort.hookCodeRange). */
  instrumented = false;
}
