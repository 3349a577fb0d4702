// The dispatcher: syscall number -> table entry -> handler, with -ENOSYS for everything
// unimplemented (reported once per name), per-call counters, and strace output.
import { Errno } from '../kernel-shim/errno.js';
import type { Kernel, SyscallDispatcher } from '../kernel-shim/kernel.js';
import type { Task } from '../kernel-shim/task.js';
import type { SyscallTable } from './table.js';
import type { SyscallDef, SyscallFrame, SyscallResult } from './types.js';

/** Receives every completed syscall (strace). */
export interface SyscallTracer {
  trace(task: Task, name: string, def: SyscallDef | undefined, args: readonly bigint[], result: SyscallResult): void;
}

/** x32 syscalls set bit 30 of the number; a pure x86-64 kernel has none of them. */
const X32_SYSCALL_BIT = 0x40000000;

export class Dispatcher implements SyscallDispatcher {
  tracer: SyscallTracer | undefined;

  constructor(
    private readonly kernel: Kernel,
    private readonly table: SyscallTable,
  ) {}

  dispatch(task: Task, frame: SyscallFrame): SyscallResult {
    const nr = frame.nr;
    const def = nr < X32_SYSCALL_BIT ? this.table.byNumber[nr] : undefined;
    const name = def?.name ?? this.table.nameOf(nr);
    const stats = this.kernel.stats;
    stats.syscalls.set(name, (stats.syscalls.get(name) ?? 0) + 1);
    const args = this.tracer === undefined ? [] : [0, 1, 2, 3, 4, 5].map((i) => frame.argBig(i));
    let result: SyscallResult;
    if (def === undefined || def.support === 'none') {
      const seen = stats.unimplemented.get(name) ?? 0;
      stats.unimplemented.set(name, seen + 1);
      result = -Errno.ENOSYS;
    } else {
      result = this.invoke(def, task, frame);
    }
    this.tracer?.trace(task, name, def, args, result);
    return result;
  }

  private invoke(def: SyscallDef, task: Task, frame: SyscallFrame): SyscallResult {
    try {
      return def.handler(this.kernel, task, frame);
    } catch (e) {
      // A handler bug must not become a host crash or reach the guest as anything but an errno.
      this.kernel.warn(`internal error in ${def.name}: ${(e as Error).stack ?? e}`);
      return -Errno.EFAULT;
    }
  }
}
