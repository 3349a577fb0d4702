// --strace: one strace-format line per syscall, reading argument memory through the guest's
// page tables (so tracing never faults pages in differently from the guest: reads only).
import { byteString } from '../kernel-shim/abi/bytes.js';
import type { Kernel } from '../kernel-shim/kernel.js';
import type { Task } from '../kernel-shim/task.js';
import type { SyscallTracer } from '../syscalls/dispatch.js';
import { type GuestReader, formatResumed, formatSyscall, formatUnfinished } from '../syscalls/strace.js';
import { argKinds } from '../syscalls/strace-signature.js';
import { entryCaptures } from '../syscalls/strace-socket.js';
import type { SyscallDef, SyscallResult } from '../syscalls/types.js';

/** Memory as a call found it on entry, by address (the lengths it rewrites). */
type EntryMemory = ReadonlyMap<bigint, Uint8Array>;

function readerFor(task: Task, entry?: EntryMemory): GuestReader {
  const safe = (addr: bigint): number | null => (addr < 2n ** 47n ? Number(addr) : null);
  return {
    entryBytes(addr, len) {
      const bytes = entry?.get(addr);
      return bytes !== undefined && bytes.length >= len ? bytes : null;
    },
    readCString(addr, max) {
      const a = safe(addr);
      if (a === null) return null;
      const bytes = task.process.mm.readCString(a, max);
      if (bytes !== null) return byteString(bytes);
      const partial = task.process.mm.read(a, 1);
      return partial === null ? null : byteString(task.process.mm.read(a, max) ?? new Uint8Array());
    },
    readBytes(addr, len) {
      const a = safe(addr);
      return a === null ? null : task.process.mm.read(a, len);
    },
  };
}

export class StraceWriter implements SyscallTracer {
  private readonly reported = new Set<string>();
  /** Tasks whose current syscall was printed as "<unfinished ...>". */
  private readonly unfinished = new WeakSet<Task>();
  /** What each task's current call will rewrite, as it was on entry. */
  private readonly entries = new WeakMap<Task, EntryMemory>();

  constructor(
    private readonly kernel: Kernel,
    private readonly out: (line: string) => void,
  ) {}

  /** Like strace -f: once a second task has existed, every line names its task. */
  private multi = false;

  private prefix(task: Task): string {
    this.multi ||= [...this.kernel.processes.values()].reduce((n, p) => n + p.liveTasks.length, 0) > 1;
    return this.multi ? `[pid ${task.tid}] ` : '';
  }

  /** A kernel event that is not a syscall (trampfd invocations, W^X refusals), as strace prints signals. */
  event(task: Task, text: string): void {
    this.out(`${this.prefix(task)}--- ${text} ---`);
  }

  enter(task: Task, name: string, args: readonly bigint[]): void {
    const captures = entryCaptures(argKinds(name, args), args);
    if (captures.length === 0) return;
    const reader = readerFor(task);
    const memory = new Map<bigint, Uint8Array>();
    for (const [addr, len] of captures) {
      const bytes = reader.readBytes(addr, len);
      if (bytes !== null) memory.set(addr, bytes);
    }
    this.entries.set(task, memory);
  }

  blocked(task: Task, name: string, args: readonly bigint[]): void {
    this.unfinished.add(task);
    this.out(formatUnfinished(name, argKinds(name, args), args, readerFor(task), { prefix: this.prefix(task) }));
  }

  trace(task: Task, name: string, def: SyscallDef | undefined, args: readonly bigint[], result: SyscallResult): void {
    const value = result === null ? null : BigInt(result);
    const prefix = this.prefix(task);
    const kinds = argKinds(name, args);
    const reader = readerFor(task, this.entries.get(task));
    this.entries.delete(task);
    if (this.unfinished.has(task)) {
      this.unfinished.delete(task);
      this.out(formatResumed(name, kinds, args, value, reader, { prefix }));
    } else {
      this.out(formatSyscall(name, kinds, args, value, reader, { prefix }));
    }
    if ((def === undefined || def.support === 'none') && !this.reported.has(name)) {
      this.reported.add(name);
      this.out(`${prefix}ushim: ${name} is not implemented (-ENOSYS)`);
    }
  }
}
