// The API's syscall hooks, installed as the Dispatcher's interceptor (syscalls/dispatch.ts)
// only while at least one hook exists.
import type { GeneralRegister, SyscallFrame } from '../../kernel-shim/cpu-port.js';
import type { Task } from '../../kernel-shim/task.js';
import type { SyscallInterceptor } from '../../syscalls/dispatch.js';
import type { SyscallResult } from '../../syscalls/types.js';
import type { SyscallEnterEvent, SyscallExitEvent, SyscallHooks } from './types.js';

const ARG_REGISTERS: readonly GeneralRegister[] = ['rdi', 'rsi', 'rdx', 'r10', 'r8', 'r9'];

/** A syscall frame with replaced arguments. */
class ChangedFrame implements SyscallFrame {
  constructor(
    private readonly base: SyscallFrame,
    private readonly args: readonly bigint[],
  ) {}
  get nr(): number {
    return this.base.nr;
  }
  get rip(): number {
    return this.base.rip;
  }
  get returnAddress(): number {
    return this.base.returnAddress;
  }
  arg(i: number): number {
    return Number(this.args[i] & 0x1fffffffffffffn);
  }
  argBig(i: number): bigint {
    return this.args[i];
  }
  int(i: number): number {
    return Number(BigInt.asIntN(32, this.args[i]));
  }
}

export class ApiSyscalls implements SyscallInterceptor {
  readonly hooks = new Set<SyscallHooks>();
  /** Depth of user callbacks running (the Emulator refuses some calls inside them). */
  inCallback = 0;

  constructor(private readonly nameOf: (nr: number) => string) {}

  intercept(task: Task, frame: SyscallFrame, proceed: (frame: SyscallFrame, skip?: number) => SyscallResult): SyscallResult {
    const nr = frame.nr;
    const name = this.nameOf(nr);
    let result: SyscallResult;
    let f = frame;
    // A retried call (it blocked) had its enter hooks already.
    if (task.wait === null) {
      const original = [0, 1, 2, 3, 4, 5].map((i) => frame.argBig(i));
      let skipped: bigint | undefined;
      const call: SyscallEnterEvent = {
        pid: task.process.pid, tid: task.tid, nr, name, args: [...original],
        skip: (value) => {
          skipped = BigInt.asIntN(64, BigInt(value));
        },
      };
      for (const h of [...this.hooks]) {
        if (h.enter === undefined) continue;
        this.inCallback++;
        try {
          h.enter(call);
        } finally {
          this.inCallback--;
        }
      }
      const args = original.map((v, i) => (call.args[i] === undefined ? v : BigInt.asUintN(64, BigInt(call.args[i]))));
      if (args.some((v, i) => v !== original[i])) {
        // As ptrace changes them: in the registers (retries and ptregs handlers read those).
        const engine = task.kernel.cpu;
        args.forEach((v, i) => {
          if (v !== original[i]) engine.writeRegister(ARG_REGISTERS[i], v);
        });
        f = new ChangedFrame(frame, args);
      }
      result = skipped === undefined ? proceed(f) : proceed(f, Number(skipped));
    } else {
      result = proceed(f);
    }
    // Parked (the retry completes it), or the task is gone (exit): no exit hooks now.
    if (task.wait !== null || task.state === 'exited') return result;
    const exits = [...this.hooks].filter((h) => h.exit !== undefined);
    if (exits.length === 0) return result;
    const value = result === null ? null : BigInt.asIntN(64, BigInt(result));
    const call: SyscallExitEvent = {
      pid: task.process.pid, tid: task.tid, nr, name, args: [0, 1, 2, 3, 4, 5].map((i) => f.argBig(i)), result: value,
    };
    for (const h of exits) {
      this.inCallback++;
      try {
        h.exit!(call);
      } finally {
        this.inCallback--;
      }
    }
    if (value === null || call.result === null || call.result === value) return result;
    return BigInt.asIntN(64, BigInt(call.result));
  }
}
