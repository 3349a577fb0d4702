// The programmable API: a guest program under a test's control. It drives the same Machine
// as the CLI, synchronously: run() returns at a breakpoint, a step, a stop() from a callback,
// or when every process has exited. Breakpoints and code hooks are Unicorn code hooks bounded
// to their addresses (nothing is written into guest code), memory hooks are physical-range
// memory hooks, syscall hooks are the Dispatcher's interceptor: none of them exists until
// asked for, and an emulator without them runs as fast as the CLI.
import { GENERAL_REGISTERS } from '../../cpu/registers.js';
import type { Task } from '../../kernel-shim/task.js';
import type { CaptureFile } from './capture.js';
import { readGuest, readGuestCString, writeGuest } from './memory.js';
import { type ResumePoint, Snapshot, makeSnapshot } from './snapshot-handle.js';
import { GuestSnapshot } from './snapshot.js';
import { ApiSyscalls } from './syscalls.js';
import { RunControl } from './run-control.js';
import type {
  Address, CodeEvent, CodeLocation, HookHandle, LoadOptions, MemoryEvent, RegisterName, Registers,
  StopEvent, SymbolInfo, SyscallHooks,
} from './types.js';

function toNumber(a: Address): number {
  const n = typeof a === 'bigint' ? Number(a) : a;
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`bad guest address ${String(a)}`);
  return n;
}

function hex(n: number): string {
  return '0x' + n.toString(16);
}

interface SnapshotData {
  guest: GuestSnapshot;
  resumeAt: ResumePoint | null;
  focus: Task | undefined;
}

export { Snapshot };

export class Emulator extends RunControl {
  /** The snapshots this emulator took, by handle. */
  private readonly snapshots = new WeakMap<Snapshot, SnapshotData>();

  private constructor(options: LoadOptions) {
    super(options);
  }

  /** Loads a program, stopped before its first instruction. Throws LoadError when it cannot be executed. */
  static load(options: LoadOptions): Emulator {
    return new Emulator(options);
  }

  /** The first process's pid. */
  get pid(): number {
    return this.first.pid;
  }


  /** What the guest wrote to fd 1 so far (stdio 'capture'). */
  get stdout(): string {
    return new TextDecoder().decode(this.stdoutBytes());
  }

  get stderr(): string {
    return new TextDecoder().decode(this.stderrBytes());
  }

  stdoutBytes(): Uint8Array {
    return this.captured().out.bytes().slice();
  }

  stderrBytes(): Uint8Array {
    return this.captured().err.bytes().slice();
  }

  private captured(): { out: CaptureFile; err: CaptureFile } {
    if (this.capture === undefined) throw new Error("output is only captured with stdio: 'capture'");
    return this.capture;
  }

  // ---- running ----------------------------------------------------------------------

  /** Runs until a breakpoint, a stop() from a callback, or the end of every process. */
  run(): StopEvent {
    return this.resume(null);
  }

  /**
   * Runs one instruction of the focused thread (the one that stopped last), others held. A
   * `syscall` that blocks lets the others run until it completes. Stepping into a fault
   * stops at the faulting instruction with the signal pending.
   */
  step(): StopEvent {
    const task = this.focus();
    if (task === undefined || task.state === 'exited') return this.exitEvent();
    return this.resume(task);
  }

  /** From inside a code or syscall callback: run() / step() returns after it (see StopEvent 'stopped'). */
  stop(): void {
    if (!this.running) return;
    if (this.depth.memory > 0) throw new Error('stop() cannot be called from a memory hook');
    if (this.syscalls !== undefined && this.syscalls.inCallback > 0) {
      const task = this.machine.kernel.current;
      if (task !== undefined && this.requested === null) this.requested = { reason: 'stopped', task, beforeInstruction: false };
      this.machine.engine.requestStop();
      return;
    }
    const task = this.machine.kernel.current;
    if (task !== undefined && this.requested === null) this.requested = { reason: 'stopped', task, beforeInstruction: true };
    this.machine.engine.requestStop();
  }



  /** Thread ids of the live threads of every process. */
  threads(): number[] {
    return [...this.machine.kernel.processes.values()].flatMap((p) => p.liveTasks.map((t) => t.tid));
  }


  readRegister(name: RegisterName, tid?: number): bigint {
    if (!GENERAL_REGISTERS.includes(name)) throw new Error(`unknown register ${String(name)}`);
    return this.registerOf(this.liveFocus(tid), name);
  }

  writeRegister(name: RegisterName, value: bigint | number, tid?: number): void {
    if (!GENERAL_REGISTERS.includes(name)) throw new Error(`unknown register ${String(name)}`);
    const task = this.liveFocus(tid);
    if (!this.running && this.depth.callbacks === 0) this.machine.kernel.scheduler.load(task);
    task.kernel.cpu.writeRegister(name, BigInt(value));
    // A moved rip starts elsewhere: a breakpoint at the new address stops there.
    if (name === 'rip' && this.resumeAt?.task === task) this.resumeAt = null;
  }

  registers(tid?: number): Registers {
    const task = this.liveFocus(tid);
    if (!this.running && this.depth.callbacks === 0) this.machine.kernel.scheduler.load(task);
    return task.kernel.cpu.readRegisters();
  }

  /** Bytes of the focused thread's memory; faults pages in as a debugger would. Throws where unmapped. */
  readMemory(address: Address, length: number): Uint8Array {
    const a = toNumber(address);
    const out = readGuest(this.liveFocus().process.mm, a, length);
    if (out === null) throw new RangeError(`guest memory [${hex(a)}, ${hex(a + length)}) is not mapped`);
    return out;
  }

  /** Writes guest memory, even read-only pages (code: its translations are dropped). Throws where unmapped. */
  writeMemory(address: Address, data: Uint8Array): void {
    const a = toNumber(address);
    if (!writeGuest(this.liveFocus().process.mm, a, data)) throw new RangeError(`guest memory [${hex(a)}, ${hex(a + data.length)}) is not mapped`);
  }

  /** A NUL-terminated string (at most max bytes), decoded as UTF-8. */
  readCString(address: Address, max = 4096): string {
    return readGuestCString(this.liveFocus().process.mm, toNumber(address), max);
  }

  /** A symbol of the focused process's program (ELF .symtab), or undefined. */
  symbol(name: string): SymbolInfo | undefined {
    const proc = this.focus()?.process ?? this.first;
    const s = this.symbols.of(proc).lookup(name);
    return s === undefined ? undefined : { name: s.name, address: BigInt(s.address), size: s.size, type: s.type };
  }

  private resolve(where: Address | string): number {
    if (typeof where !== 'string') return toNumber(where);
    const s = this.symbol(where);
    if (s === undefined) throw new Error(`no symbol '${where}' in the program`);
    return Number(s.address);
  }

  // ---- breakpoints and hooks ----------------------------------------------------------

  /** A breakpoint at an address or a symbol; returns its address. run() stops before that instruction. */
  addBreakpoint(where: Address | string): bigint {
    this.notInCallback('addBreakpoint');
    const address = this.resolve(where);
    this.codeHooks.addBreakpoint(address);
    return BigInt(address);
  }

  removeBreakpoint(where: Address | string): boolean {
    this.notInCallback('removeBreakpoint');
    return this.codeHooks.removeBreakpoint(this.resolve(where));
  }

  /**
   * Calls fn before each instruction at `where` (an address, a symbol's first instruction, or
   * every instruction in [start, end)), in every process. fn may read and write registers
   * and memory and call stop().
   */
  hookCode(where: CodeLocation, fn: (e: CodeEvent) => void): HookHandle {
    this.notInCallback('hookCode');
    let start: number;
    let end: number;
    if (typeof where === 'object' && where !== null && !(typeof where === 'bigint')) {
      start = toNumber(where.start);
      end = toNumber(where.end) - 1;
      if (end < start) throw new RangeError('empty code range');
    } else {
      start = end = this.resolve(where);
    }
    const id = this.codeHooks.add(start, end, fn);
    return {
      remove: () => {
        this.notInCallback('remove');
        this.codeHooks.remove(id);
      },
    };
  }

  /**
   * Calls fn for the guest's own loads ('read'), stores ('write') or both ('access') that
   * touch [start, end) of the focused process's memory. Observation only: stop() is refused
   * inside. Accesses by the kernel on the guest's behalf (read() filling a buffer) are not
   * seen, and pages mapped (or moved by copy-on-write) while running are covered from the
   * next scheduler slice on.
   */
  hookMemory(range: { start: Address; end: Address }, kind: 'read' | 'write' | 'access', fn: (e: MemoryEvent) => void): HookHandle {
    this.notInCallback('hookMemory');
    const start = toNumber(range.start);
    const end = toNumber(range.end);
    if (end <= start) throw new RangeError('empty memory range');
    const id = this.memoryHooks.add(this.liveFocus().process, kind === 'access' ? ['read', 'write'] : [kind], start, end, fn);
    return {
      remove: () => {
        this.notInCallback('remove');
        this.memoryHooks.remove(id);
      },
    };
  }

  /** Calls the hooks' enter/exit around every syscall of every process. */
  onSyscall(hooks: SyscallHooks): HookHandle {
    this.notInCallback('onSyscall');
    this.syscalls ??= new ApiSyscalls(this.machine.syscallName);
    this.syscalls.hooks.add(hooks);
    this.installSyscallHooks();
    return {
      remove: () => {
        this.syscalls?.hooks.delete(hooks);
        this.installSyscallHooks();
      },
    };
  }


  // ---- snapshots ----------------------------------------------------------------------

  /** The whole guest's state now (between runs); see README "Programmable API" for what it covers. */
  snapshot(): Snapshot {
    this.notInCallback('snapshot');
    this.notClosed();
    if (this.running) throw new Error('snapshot() while running');
    const focus = this.focus();
    const guest = new GuestSnapshot(this.machine.kernel);
    const snap = makeSnapshot(() => guest.dispose());
    this.snapshots.set(snap, { guest, resumeAt: this.resumeAt === null ? null : { ...this.resumeAt }, focus });
    return snap;
  }

  /** Puts the guest back to `snap` (taken from this emulator); hooks and breakpoints stay as they are. */
  restore(snap: Snapshot): void {
    this.notInCallback('restore');
    this.notClosed();
    if (this.running) throw new Error('restore() while running');
    const data = this.snapshots.get(snap);
    if (data === undefined) throw new Error('a snapshot restores only into the emulator it was taken from');
    data.guest.restore();
    this.resumeAt = data.resumeAt === null ? null : { ...data.resumeAt };
    this.focusTask = data.focus;
    this.pending = null;
    this.requested = null;
    // Every frame moved: memory hooks are re-resolved before the next run.
    this.memoryHooks.forgetLayouts();
  }

  /** Ends the emulator: the engine, its hooks and guest RAM are released. */
  close(): void {
    if (this.closed) return;
    this.notInCallback('close');
    this.closed = true;
    this.machine.dispatcher.interceptor = undefined;
    this.machine.kernel.close();
    this.instrument?.close();
  }
}
