// The dispatcher: syscall number -> table entry -> handler, with -ENOSYS for everything
// unimplemented (reported once per name), per-call counters, strace output, parking of
// blocked calls, and signal delivery on the way back to user mode.
import { Errno } from '../kernel-shim/errno.js';
import type { Kernel, SyscallDispatcher } from '../kernel-shim/kernel.js';
import { deliverSignal, hasDeliverable } from '../kernel-shim/signal/deliver.js';
import { OutOfFrames } from '../kernel-shim/mm/frames.js';
import type { Task } from '../kernel-shim/task.js';
import { type Block, isBlock } from '../kernel-shim/wait.js';
import type { SyscallTable } from './table.js';
import type { SyscallDef, SyscallFrame, SyscallResult } from './types.js';

/** Receives every completed syscall (strace). */
export interface SyscallTracer {
  trace(task: Task, name: string, def: SyscallDef | undefined, args: readonly bigint[], result: SyscallResult): void;
  /** A call that blocks is shown as "<unfinished ...>" now and "<... resumed>" later. */
  blocked?(task: Task, name: string, args: readonly bigint[]): void;
  /** A call is about to run (not again after it blocked): memory it will rewrite can be read as it was. */
  enter?(task: Task, name: string, args: readonly bigint[]): void;
}

/**
 * Syscall interception for the programmable API (emu/api/syscalls.ts), like ptrace's
 * syscall-enter/exit stops. When Dispatcher.interceptor is set, every call goes to
 * intercept() instead, which runs it with proceed(): with the frame it got, another frame
 * (changed arguments: write them to the registers too, so that a parked call's retry and
 * ptregs handlers see them), or `skip` set to complete the call with that result without
 * running the handler (tracing and signal delivery happen as for any call). proceed returns
 * what dispatch would have. When interceptor is undefined (always, outside the API) the
 * normal path pays one undefined check.
 */
export interface SyscallInterceptor {
  intercept(task: Task, frame: SyscallFrame, proceed: (frame: SyscallFrame, skip?: number) => SyscallResult): SyscallResult;
}

/** A skipped call completes like a parked call woken with a result (see SyscallInterceptor). */
const SKIPPED: Block = { kind: 'block', queues: [], onTimeout: 0, onSignal: 'retry' };

/** x32 syscalls set bit 30 of the number; a pure x86-64 kernel has none of them. */
const X32_SYSCALL_BIT = 0x40000000;

export class Dispatcher implements SyscallDispatcher {
  tracer: SyscallTracer | undefined;
  /** The programmable API's syscall hooks; undefined unless installed (see SyscallInterceptor). */
  interceptor: SyscallInterceptor | undefined;

  constructor(
    private readonly kernel: Kernel,
    private readonly table: SyscallTable,
  ) {}

  dispatch(task: Task, frame: SyscallFrame): SyscallResult {
    if (this.interceptor !== undefined) {
      return this.interceptor.intercept(task, frame, (f, skip) => {
        if (skip !== undefined) {
          task.wait = SKIPPED;
          task.wakeResult = skip;
        }
        return this.dispatchCall(task, f);
      });
    }
    return this.dispatchCall(task, frame);
  }

  private dispatchCall(task: Task, frame: SyscallFrame): SyscallResult {
    const nr = frame.nr;
    const def = nr < X32_SYSCALL_BIT ? this.table.byNumber[nr] : undefined;
    const stats = this.kernel.stats;
    const retry = task.wait !== null;
    if (!retry && nr < stats.syscalls.length) stats.syscalls[nr]++;
    const args = this.tracer === undefined ? [] : [0, 1, 2, 3, 4, 5].map((i) => frame.argBig(i));
    let result: SyscallResult | ReturnType<SyscallDef['handler']>;
    if (retry && task.wakeResult !== undefined) {
      result = task.wakeResult;
    } else if (def === undefined || def.support === 'none') {
      const name = this.table.nameOf(nr);
      stats.unimplemented.set(name, (stats.unimplemented.get(name) ?? 0) + 1);
      result = -Errno.ENOSYS;
    } else {
      if (!retry) this.tracer?.enter?.(task, def.name, args);
      result = this.invoke(def, task, frame);
    }
    task.wait = null;
    task.wakeResult = undefined;
    // A call about to sleep with a signal already deliverable (rt_sigsuspend unblocking a
    // pending one, a read after a signal arrived) is interrupted at once instead.
    if (isBlock(result) && result.onSignal !== 'retry' && hasDeliverable(task)) result = result.onSignal;
    if (isBlock(result)) {
      // Re-execute this `syscall` instruction when the task runs again.
      this.kernel.park(task, result);
      this.kernel.cpu.resumeAt(BigInt(frame.rip));
      this.kernel.cpu.requestStop();
      if (!retry) this.tracer?.blocked?.(task, def?.name ?? this.table.nameOf(nr), args);
      return null;
    }
    task.deadline = undefined;
    this.tracer?.trace(task, def?.name ?? this.table.nameOf(nr), def, args, result);
    if (task.state !== 'runnable') return null;
    if (result === null) {
      // rt_sigreturn and execve set the registers themselves; a signal the restored mask
      // unblocks is delivered now, on the way back to user mode.
      if (hasDeliverable(task)) deliverSignal(this.kernel, task, undefined, true);
      return null;
    }
    const pending = task.pending.mask !== 0n || task.process.pending.mask !== 0n;
    if ((pending && hasDeliverable(task)) || (typeof result === 'number' && result <= -512 && result >= -516)) {
      if (deliverSignal(this.kernel, task, { nr, result, syscallRip: BigInt(frame.rip), returnRip: BigInt(frame.returnAddress) }, true)) return null;
    }
    if (task.savedMask !== null) {
      // ppoll/pselect6/epoll_pwait finished without a handler running: their mask ends here.
      task.signalMask = task.savedMask;
      task.savedMask = null;
    }
    return result;
  }

  private invoke(def: SyscallDef, task: Task, frame: SyscallFrame): ReturnType<SyscallDef['handler']> {
    try {
      // userfaultfd: a tracked page the handler touched makes the result a Block; the call is retried whole.
      return this.kernel.uffd.runSyscall(task, () => def.handler(this.kernel, task, frame));
    } catch (e) {
      // Guest RAM ran out where the kernel itself needed a frame (exec, a userfaultfd copy).
      if (e instanceof OutOfFrames) return -Errno.ENOMEM;
      // A handler bug must not become a host crash or reach the guest as anything but an errno.
      this.kernel.warn(`internal error in ${def.name}: ${(e as Error).stack ?? String(e)}`);
      return -Errno.EFAULT;
    }
  }
}
