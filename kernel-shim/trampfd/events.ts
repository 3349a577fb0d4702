// Counters and trace lines for trampolines and W^X (--stats, --strace), kept in the Kernel's
// trampfd state (state.ts).
import type { Kernel } from '../kernel.js';
import type { Task } from '../task.js';
import type { TraceSink, TrampolineStats } from './state.js';

export function trampolineStats(k: Kernel): TrampolineStats {
  return k.trampfd.stats;
}

/** Where trace lines go (the strace writer); also turns on v2 invocation hooks. */
export function setTraceSink(k: Kernel, sink: TraceSink | undefined): void {
  k.trampfd.sink = sink;
  if (sink !== undefined) instrumentTrampolines(k);
}

/** --stats: count v2 invocations too (needs a hook on every v2 table). */
export function instrumentTrampolines(k: Kernel): void {
  k.trampfd.instrumented = true;
}

export function instrumented(k: Kernel): boolean {
  return k.trampfd.instrumented;
}

export function tracing(k: Kernel): boolean {
  return k.trampfd.sink !== undefined;
}

/** One trace line, printed like strace prints signals: "--- text ---". */
export function traceEvent(k: Kernel, task: Task, text: string): void {
  k.trampfd.sink?.(task, text);
}

export function hex(n: number | bigint): string {
  return '0x' + BigInt.asUintN(64, BigInt(n)).toString(16);
}
