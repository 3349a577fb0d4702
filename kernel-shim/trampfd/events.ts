// Counters and trace lines for trampolines and W^X (--stats, --strace). They live beside the
// kernel (one set per Kernel) so that nothing else has to carry them.
import type { Kernel } from '../kernel.js';
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

interface Extras {
  stats: TrampolineStats;
  sink: TraceSink | undefined;
  /** Count (and trace) every v2 invocation with a code hook. */
  instrument: boolean;
}

const extras = new WeakMap<Kernel, Extras>();

function of(k: Kernel): Extras {
  let e = extras.get(k);
  if (e === undefined) {
    e = {
      stats: { v1Invocations: 0, v1Refused: 0, v2Invocations: 0, v1Created: 0, v2Created: 0, v2Tables: 0, wxRefusals: 0 },
      sink: undefined,
      instrument: false,
    };
    extras.set(k, e);
  }
  return e;
}

export function trampolineStats(k: Kernel): TrampolineStats {
  return of(k).stats;
}

/** Where trace lines go (the strace writer); also turns on v2 invocation hooks. */
export function setTraceSink(k: Kernel, sink: TraceSink | undefined): void {
  const e = of(k);
  e.sink = sink;
  if (sink !== undefined) instrumentTrampolines(k);
}

/** --stats: count v2 invocations too (needs a hook on every v2 table). */
export function instrumentTrampolines(k: Kernel): void {
  of(k).instrument = true;
}

export function instrumented(k: Kernel): boolean {
  return of(k).instrument;
}

export function tracing(k: Kernel): boolean {
  return of(k).sink !== undefined;
}

/** One trace line, printed like strace prints signals: "--- text ---". */
export function traceEvent(k: Kernel, task: Task, text: string): void {
  of(k).sink?.(task, text);
}

export function hex(n: number | bigint): string {
  return '0x' + BigInt.asUintN(64, BigInt(n)).toString(16);
}
