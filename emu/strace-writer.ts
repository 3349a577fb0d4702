// --strace: one strace-format line per syscall, reading argument memory through the guest's
// page tables (so tracing never faults pages in differently from the guest: reads only).
import type { Kernel } from '../kernel-shim/kernel.js';
import type { Task } from '../kernel-shim/task.js';
import { argKinds } from '../syscalls/argkinds.js';
import type { SyscallTracer } from '../syscalls/dispatch.js';
import { type GuestReader, formatSyscall } from '../syscalls/strace.js';
import type { SyscallDef, SyscallResult } from '../syscalls/types.js';

const utf8 = new TextDecoder();

function readerFor(task: Task): GuestReader {
  const safe = (addr: bigint): number | null => (addr < 2n ** 47n ? Number(addr) : null);
  return {
    readCString(addr, max) {
      const a = safe(addr);
      if (a === null) return null;
      const bytes = task.process.mm.readCString(a, max);
      if (bytes !== null) return utf8.decode(bytes);
      const partial = task.process.mm.read(a, 1);
      return partial === null ? null : utf8.decode(task.process.mm.read(a, max) ?? new Uint8Array());
    },
    readBytes(addr, len) {
      const a = safe(addr);
      return a === null ? null : task.process.mm.read(a, len);
    },
  };
}

export class StraceWriter implements SyscallTracer {
  private readonly reported = new Set<string>();

  constructor(
    private readonly kernel: Kernel,
    private readonly out: (line: string) => void,
  ) {}

  trace(task: Task, name: string, def: SyscallDef | undefined, args: readonly bigint[], result: SyscallResult): void {
    const value = result === null ? null : BigInt(result);
    const multi = [...this.kernel.processes.values()].reduce((n, p) => n + p.tasks.length, 0) > 1;
    const prefix = multi ? `[pid ${task.tid}] ` : '';
    this.out(formatSyscall(name, argKinds(name, args), args, value, readerFor(task), { prefix }));
    if ((def === undefined || def.support === 'none') && !this.reported.has(name)) {
      this.reported.add(name);
      this.out(`${prefix}ushim: ${name} is not implemented (-ENOSYS)`);
    }
  }
}
