// The programmable API: a guest program under a test's control. It drives the same Machine
// as the CLI, synchronously: run() returns at a breakpoint, a step, a stop() from a callback,
// or when every process has exited. Breakpoints and code hooks are Unicorn code hooks bounded
// to their addresses (nothing is written into guest code), memory hooks are physical-range
// memory hooks, syscall hooks are the Dispatcher's interceptor: none of them exists until
// asked for, and an emulator without them runs as fast as the CLI.
import { TextEncoder } from 'node:util';
import type { StopReason } from '../../cpu/engine.js';
import { GENERAL_REGISTERS, type GeneralRegister } from '../../cpu/registers.js';
import { InstrumentHooks, ReplayFilter } from '../../cpu/trace-hooks.js';
import type { SchedulerDebugHooks } from '../../kernel-shim/sched.js';
import type { Process } from '../../kernel-shim/process.js';
import type { Task } from '../../kernel-shim/task.js';
import type { AddressSpace } from '../../kernel-shim/mm/addrspace.js';
import { Machine } from '../machine.js';
import { symbolsOf } from '../debug/symbols.js';
import { CaptureFile, InputFile } from './capture.js';
import { physicalPieces, readGuest, writeGuest } from './memory.js';
import { GuestSnapshot } from './snapshot.js';
import { ApiSyscalls } from './syscalls.js';
import type {
  Address, CodeEvent, CodeLocation, ExitStatus, HookHandle, LoadOptions, MemoryEvent, RegisterName, Registers,
  StopEvent, SymbolInfo, SyscallHooks,
} from './types.js';

const HLT = 0xf4;
/** Largest single access (SSE): a memory hook's Unicorn range starts this far below the bytes. */
const MAX_ACCESS = 16;

interface CodeHookEntry {
  start: number;
  /** Inclusive. */
  end: number;
  fn: ((e: CodeEvent) => void) | null;
  /** A breakpoint (stops) rather than a callback. */
  breakpoint: boolean;
}

interface MemoryHookEntry {
  mm: AddressSpace;
  pid: number;
  kinds: ('read' | 'write')[];
  start: number;
  end: number;
  fn: (e: MemoryEvent) => void;
  layout: string;
  ids: number[];
}

/** Why the run stopped, as recorded in the hooks. */
interface StopRecord {
  reason: 'breakpoint' | 'stopped' | 'step';
  task: Task;
  /** The stop came before the instruction at rip ran (breakpoint, code hook). */
  beforeInstruction: boolean;
}

function toNumber(a: Address): number {
  const n = typeof a === 'bigint' ? Number(a) : a;
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`bad guest address ${String(a)}`);
  return n;
}

function hex(n: number): string {
  return '0x' + n.toString(16);
}

/**
 * Where a stopped task resumes. Resuming runs the instruction there without stopping at a
 * breakpoint on it again, and without calling the code hooks that already ran for this
 * execution of it (a stop before the instruction); hooks added since run.
 */
interface ResumePoint {
  task: Task;
  address: number;
  /** Ids of the code hooks that already ran at `address`. */
  ran: ReadonlySet<number>;
}

interface SnapshotData {
  guest: GuestSnapshot;
  owner: Emulator;
  resumeAt: ResumePoint | null;
  focus: Task | undefined;
}

const snapshots = new WeakMap<Snapshot, SnapshotData>();

/** A snapshot of the whole guest (see README, "Programmable API", for what it covers). */
export class Snapshot {
  /** Made by Emulator.snapshot() only. */
  private constructor() {}

  /** Releases the saved CPU states and the descriptions the snapshot keeps open. */
  dispose(): void {
    snapshots.get(this)?.guest.dispose();
  }
}

/** A Snapshot holding `data` (kept outside the object: the public type shows none of it). */
function makeSnapshot(data: SnapshotData): Snapshot {
  const s = Object.create(Snapshot.prototype) as Snapshot;
  snapshots.set(s, data);
  return s;
}

export class Emulator {
  private readonly machine: Machine;
  private readonly first: Process;
  private readonly capture: { out: CaptureFile; err: CaptureFile } | undefined;
  private instrument: InstrumentHooks | undefined;
  private replays: ReplayFilter<Task> | undefined;
  private readonly codeHooks = new Map<number, CodeHookEntry>();
  private codeSegmentIds: number[] = [];
  private codeDirty = false;
  private readonly memoryHooks = new Map<number, MemoryHookEntry>();
  private nextHookId = 1;
  private readonly breakpoints = new Map<number, number>();
  private syscalls: ApiSyscalls | undefined;
  /** User callbacks running (code and memory hooks), and memory hooks among them. */
  private callbackDepth = 0;
  private memoryDepth = 0;
  private running = false;
  private closed = false;
  // Run control (the scheduler's debug hooks while run() or step() runs).
  private requested: StopRecord | null = null;
  private pending: StopRecord | null = null;
  private stepTask: Task | null = null;
  private stepFrom = -1;
  private stepping = false;
  /** Where the last stop left its task: hooks there are skipped once on resuming (see ResumePoint). */
  private resumeAt: ResumePoint | null = null;
  private skipAddress = -1;
  private skipIds: ReadonlySet<number> = new Set();
  /** Hooks that ran at the current instruction (recorded for a stop before it). */
  private ranIds = new Set<number>();
  private focusTask: Task | undefined;
  private readonly schedHooks: SchedulerDebugHooks = {
    beforeRun: (task) => this.beforeRun(task),
    afterRun: (task, reason) => this.afterRun(task, reason),
    interruptible: () => false, // run() returns at a stop or exit; nothing interrupts it
  };

  private constructor(options: LoadOptions) {
    const root = options.root ?? '/';
    this.machine = new Machine({ root, deterministic: options.deterministic ?? true, cwd: options.cwd, warn: options.warn });
    let stdio: (CaptureFile | InputFile)[] | undefined;
    if ((options.stdio ?? 'capture') === 'capture') {
      const input = typeof options.stdin === 'string' ? new TextEncoder().encode(options.stdin) : (options.stdin ?? new Uint8Array());
      this.capture = { out: new CaptureFile(), err: new CaptureFile() };
      stdio = [new InputFile(input), this.capture.out, this.capture.err];
    }
    this.first = this.machine.load({ program: options.program, argv: [...(options.argv ?? [options.program])], env: [...(options.env ?? [])], stdio });
    this.focusTask = this.first.mainTask;
  }

  /** Loads a program, stopped before its first instruction. Throws LoadError when it cannot be executed. */
  static load(options: LoadOptions): Emulator {
    return new Emulator(options);
  }

  /** The first process's pid. */
  get pid(): number {
    return this.first.pid;
  }

  /** The first process's exit status once it has exited. */
  get exitStatus(): ExitStatus | undefined {
    const s = this.first.exitStatus;
    return s === undefined ? undefined : { ...s };
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
    if (this.memoryDepth > 0) throw new Error('stop() cannot be called from a memory hook');
    if (this.syscalls !== undefined && this.syscalls.inCallback > 0) {
      const task = this.machine.kernel.current;
      if (task !== undefined && this.requested === null) this.requested = { reason: 'stopped', task, beforeInstruction: false };
      this.machine.kernel.engine.requestStop();
      return;
    }
    const task = this.machine.kernel.current;
    if (task !== undefined && this.requested === null) this.requested = { reason: 'stopped', task, beforeInstruction: true };
    this.machine.kernel.engine.requestStop();
  }

  private resume(step: Task | null): StopEvent {
    this.notInCallback('run');
    this.notClosed();
    const k = this.machine.kernel;
    const sched = k.scheduler;
    this.applyCodeHooks();
    this.rearmMemoryHooks(false);
    this.installSyscallHooks();
    this.pending = null;
    this.requested = null;
    this.stepTask = step;
    sched.debugger = this.schedHooks;
    sched.yieldRequested = false;
    this.running = true;
    let stop: StopRecord | null = null;
    try {
      // A stepped task that exits ends its step; the rest runs on as with run().
      for (;;) {
        const done = sched.runFor(this.first, Infinity);
        stop = this.pending as StopRecord | null; // set by afterRun during runFor
        this.pending = null;
        if (stop !== null && stop.task.state !== 'exited') break;
        stop = null;
        if (done) break;
      }
    } finally {
      this.running = false;
      this.stepTask = null;
      this.setStepping(false);
      sched.debugger = undefined;
    }
    if (stop === null) {
      this.resumeAt = null;
      return this.exitEvent();
    }
    this.focusTask = stop.task;
    const event = this.stopEvent(stop);
    this.resumeAt = { task: stop.task, address: Number(event.reason === 'exited' ? 0n : event.address), ran: stop.beforeInstruction ? this.ranIds : new Set() };
    return event;
  }

  private exitEvent(): StopEvent {
    return { reason: 'exited', status: this.exitStatus ?? { code: 0 } };
  }

  private stopEvent(stop: StopRecord): StopEvent {
    const rip = this.registerOf(stop.task, 'rip');
    const base = { address: rip, pid: stop.task.process.pid, tid: stop.task.tid };
    if (stop.reason === 'breakpoint') {
      const sym = symbolsOf(stop.task.process).containing(Number(rip));
      return { reason: 'breakpoint', ...base, ...(sym !== undefined && sym.address === Number(rip) ? { symbol: sym.name } : {}) };
    }
    return { reason: stop.reason, ...base };
  }

  private setStepping(on: boolean): void {
    const engine = this.machine.kernel.engine;
    // Unicorn counts instructions only in code translated while counting (debug-hooks.ts).
    if (on !== this.stepping) {
      engine.flushCode();
      this.stepping = on;
    }
    engine.instructionLimit = on ? 1 : 0;
  }

  private beforeRun(task: Task): boolean {
    if (this.pending !== null) return false;
    const step = this.stepTask;
    // While a step is pending, only the stepped task runs (unless it is blocked in a syscall).
    if (step !== null && task !== step && step.state === 'runnable') return false;
    const engine = task.process.engine;
    this.setStepping(task === step);
    const rip = Number(engine.readRegister('rip'));
    if (task === step) this.stepFrom = rip;
    this.skipAddress = -1;
    if (this.resumeAt !== null && this.resumeAt.task === task) {
      if (this.resumeAt.address === rip) {
        this.skipAddress = rip;
        this.skipIds = this.resumeAt.ran;
      }
      this.resumeAt = null;
    }
    return true;
  }

  private afterRun(task: Task, reason: StopReason): boolean {
    this.skipAddress = -1;
    this.rearmMemoryHooks(false);
    const req = this.requested;
    this.requested = null;
    if (req !== null && req.task.state !== 'exited') {
      this.pending = req;
      this.machine.kernel.scheduler.yieldRequested = true;
      if (task === this.stepTask) this.stepTask = null;
      return reason.kind === 'requested';
    }
    if (task !== this.stepTask) return false;
    const k = this.machine.kernel;
    if (task.state === 'exited') {
      this.stepTask = null;
      return true;
    }
    if (reason.kind === 'fault' || reason.kind === 'exception' || reason.kind === 'invalid-instruction' ||
        (reason.kind === 'halted' && this.executedHlt(task))) {
      // The scheduler turns it into a signal; the step stops at the faulting instruction.
      this.pending = { reason: 'step', task, beforeInstruction: false };
      this.stepTask = null;
      k.scheduler.yieldRequested = true;
      return false;
    }
    if (task.state === 'runnable' && task.wait === null) {
      this.pending = { reason: 'step', task, beforeInstruction: false };
      this.stepTask = null;
      k.scheduler.yieldRequested = true;
    }
    // Parked in a syscall: the step ends when the call returns.
    return true;
  }

  private executedHlt(task: Task): boolean {
    const rip = Number(task.process.engine.readRegister('rip'));
    return rip === this.stepFrom + 1 && task.process.mm.read(this.stepFrom, 1)?.[0] === HLT;
  }

  // ---- threads, registers, memory -----------------------------------------------------

  /** The task the API works on: inside a callback the one that triggered it, else the last stopped. */
  private focus(tid?: number): Task | undefined {
    this.notClosed();
    const k = this.machine.kernel;
    if (this.callbackDepth > 0 || this.running) {
      const cur = k.current;
      if (tid !== undefined && cur?.tid !== tid) throw new Error('inside a callback only the current thread is accessible');
      return cur;
    }
    if (tid !== undefined) {
      for (const p of k.processes.values()) for (const t of p.tasks) if (t.tid === tid && t.state !== 'exited') return t;
      throw new Error(`no thread ${tid}`);
    }
    const f = this.focusTask;
    if (f !== undefined && f.state !== 'exited') return f;
    for (const p of [this.first, ...k.processes.values()]) {
      const t = p.liveTasks[0];
      if (t !== undefined) return t;
    }
    return undefined;
  }

  private liveFocus(tid?: number): Task {
    const t = this.focus(tid);
    if (t === undefined) throw new Error('no live thread: every process has exited');
    return t;
  }

  /** Thread ids of the live threads of every process. */
  threads(): number[] {
    return [...this.machine.kernel.processes.values()].flatMap((p) => p.liveTasks.map((t) => t.tid));
  }

  private registerOf(task: Task, name: GeneralRegister): bigint {
    if (!this.running && this.callbackDepth === 0) this.machine.kernel.scheduler.load(task);
    return task.process.engine.readRegister(name);
  }

  readRegister(name: RegisterName, tid?: number): bigint {
    if (!GENERAL_REGISTERS.includes(name)) throw new Error(`unknown register ${String(name)}`);
    return this.registerOf(this.liveFocus(tid), name);
  }

  writeRegister(name: RegisterName, value: bigint | number, tid?: number): void {
    if (!GENERAL_REGISTERS.includes(name)) throw new Error(`unknown register ${String(name)}`);
    const task = this.liveFocus(tid);
    if (!this.running && this.callbackDepth === 0) this.machine.kernel.scheduler.load(task);
    task.process.engine.writeRegister(name, BigInt(value));
    // A moved rip starts elsewhere: a breakpoint at the new address stops there.
    if (name === 'rip' && this.resumeAt?.task === task) this.resumeAt = null;
  }

  registers(tid?: number): Registers {
    const task = this.liveFocus(tid);
    if (!this.running && this.callbackDepth === 0) this.machine.kernel.scheduler.load(task);
    return task.process.engine.readRegisters();
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
    const a = toNumber(address);
    const mm = this.liveFocus().process.mm;
    const parts: Uint8Array[] = [];
    for (let at = a; at < a + max; ) {
      const n = Math.min(4096 - (at % 4096), a + max - at);
      const chunk = readGuest(mm, at, n);
      if (chunk === null) throw new RangeError(`guest memory at ${hex(at)} is not mapped`);
      const nul = chunk.indexOf(0);
      if (nul >= 0) {
        parts.push(chunk.subarray(0, nul));
        break;
      }
      parts.push(chunk);
      at += n;
    }
    return Buffer.concat(parts).toString('utf8');
  }

  /** A symbol of the focused process's program (ELF .symtab), or undefined. */
  symbol(name: string): SymbolInfo | undefined {
    const proc = this.focus()?.process ?? this.first;
    const s = symbolsOf(proc).lookup(name);
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
    if (!this.breakpoints.has(address)) {
      const id = this.nextHookId++;
      this.codeHooks.set(id, { start: address, end: address, fn: null, breakpoint: true });
      this.breakpoints.set(address, id);
      this.codeDirty = true;
    }
    return BigInt(address);
  }

  removeBreakpoint(where: Address | string): boolean {
    this.notInCallback('removeBreakpoint');
    const address = this.resolve(where);
    const id = this.breakpoints.get(address);
    if (id === undefined) return false;
    this.breakpoints.delete(address);
    this.codeHooks.delete(id);
    this.codeDirty = true;
    return true;
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
    const id = this.nextHookId++;
    this.codeHooks.set(id, { start, end, fn, breakpoint: false });
    this.codeDirty = true;
    return {
      remove: () => {
        this.notInCallback('remove');
        if (this.codeHooks.delete(id)) this.codeDirty = true;
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
    const proc = this.liveFocus().process;
    const id = this.nextHookId++;
    this.memoryHooks.set(id, {
      mm: proc.mm, pid: proc.pid, kinds: kind === 'access' ? ['read', 'write'] : [kind], start, end, fn, layout: '', ids: [],
    });
    this.rearmMemoryHooks(true);
    return {
      remove: () => {
        this.notInCallback('remove');
        const e = this.memoryHooks.get(id);
        if (e === undefined) return;
        this.memoryHooks.delete(id);
        for (const i of e.ids) this.instrument?.remove(i);
        this.machine.kernel.engine.flushTlb();
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

  private installSyscallHooks(): void {
    // The interceptor exists only while hooks do: the normal path then pays one check.
    const s = this.syscalls;
    this.machine.dispatcher.interceptor = s !== undefined && s.hooks.size > 0 ? s : undefined;
  }

  private hooksObject(): InstrumentHooks {
    this.instrument ??= new InstrumentHooks(this.machine.kernel.engine);
    this.replays ??= new ReplayFilter(this.machine.kernel.engine);
    return this.instrument;
  }

  /**
   * Rebuilds the Unicorn code hooks as disjoint segments, so that each instruction calls
   * at most one (its callbacks then run once per execution, and skipping them once when
   * resuming from a stop before an instruction is exact).
   */
  private applyCodeHooks(): void {
    if (!this.codeDirty) return;
    this.codeDirty = false;
    const hooks = this.hooksObject();
    for (const id of this.codeSegmentIds) hooks.remove(id);
    this.codeSegmentIds = [];
    const entries = [...this.codeHooks.values()];
    const cuts = [...new Set(entries.flatMap((e) => [e.start, e.end + 1]))].sort((a, b) => a - b);
    for (let i = 0; i + 1 < cuts.length; i++) {
      const lo = cuts[i];
      const hi = cuts[i + 1] - 1;
      const covering = entries.filter((e) => e.start <= lo && hi <= e.end);
      if (covering.length === 0) continue;
      // Consecutive segments with the same covering hooks could merge; few hooks make few segments.
      this.codeSegmentIds.push(hooks.addCode(lo, hi, (address, size) => this.onCode(address, size)));
    }
    // Translations made without (or with removed) hooks must go.
    this.machine.kernel.engine.flushCode();
  }

  private onCode(address: number, size: number): void {
    // The first instruction after resuming from a stop: see ResumePoint.
    const resuming = address === this.skipAddress;
    this.skipAddress = -1;
    const task = this.machine.kernel.current;
    if (task === undefined) return;
    // A repeat after a stop another hook requested (not one returned to the user: resuming covers those).
    if (this.replays!.repeated(task, address) && !resuming) return;
    if (this.requested === null) this.ranIds = new Set();
    for (const [id, e] of this.codeHooks) {
      if (address < e.start || address > e.end) continue;
      if (resuming && (e.breakpoint || this.skipIds.has(id))) continue;
      this.ranIds.add(id);
      if (e.breakpoint) {
        if (this.requested === null) {
          this.requested = { reason: 'breakpoint', task, beforeInstruction: true };
          task.process.engine.requestStop();
        }
        continue;
      }
      this.callbackDepth++;
      try {
        e.fn!({ address: BigInt(address), size, pid: task.process.pid, tid: task.tid });
      } finally {
        this.callbackDepth--;
      }
    }
  }

  /** (Re)installs memory hooks whose pages moved to other frames (or all, when forced). */
  private rearmMemoryHooks(force: boolean): void {
    if (this.memoryHooks.size === 0) return;
    let changed = false;
    for (const e of this.memoryHooks.values()) {
      const proc = this.machine.kernel.processes.get(e.pid);
      if (proc === undefined || proc.exited) continue;
      e.mm = proc.mm;
      const pieces = physicalPieces(e.mm, e.start, e.end - e.start);
      const layout = pieces.map((p) => `${p.vaddr}:${p.start}`).join(',');
      if (!force && layout === e.layout) continue;
      changed = true;
      e.layout = layout;
      const hooks = this.hooksObject();
      for (const id of e.ids) hooks.remove(id);
      e.ids = [];
      for (const piece of pieces) {
        for (const kind of e.kinds) {
          e.ids.push(hooks.addMemory(kind, Math.max(0, piece.start - (MAX_ACCESS - 1)), piece.end - 1, (write, paddr, size, value) => {
            if (paddr >= piece.end || paddr + size <= piece.start) return;
            const task = this.machine.kernel.current;
            if (task === undefined || task.process.mm !== e.mm) return;
            this.memoryDepth++;
            this.callbackDepth++;
            try {
              e.fn({ kind: write ? 'write' : 'read', address: BigInt(piece.vaddr + (paddr - piece.start)), size, value, pid: task.process.pid, tid: task.tid });
            } finally {
              this.memoryDepth--;
              this.callbackDepth--;
            }
          }));
        }
      }
    }
    // Accesses through TLB entries made before a memory hook existed bypass it.
    if (changed) this.machine.kernel.engine.flushTlb();
  }

  /** Guest RAM is gone once closed: nothing may look at the guest. */
  private notClosed(): void {
    if (this.closed) throw new Error('the emulator is closed');
  }

  private notInCallback(what: string): void {
    if (this.callbackDepth > 0 || (this.syscalls?.inCallback ?? 0) > 0) throw new Error(`${what}() cannot be called from inside a hook callback`);
  }

  // ---- snapshots ----------------------------------------------------------------------

  /** The whole guest's state now (between runs); see README "Programmable API" for what it covers. */
  snapshot(): Snapshot {
    this.notInCallback('snapshot');
    this.notClosed();
    if (this.running) throw new Error('snapshot() while running');
    const focus = this.focus();
    const guest = new GuestSnapshot(this.machine.kernel);
    return makeSnapshot({ guest, owner: this, resumeAt: this.resumeAt === null ? null : { ...this.resumeAt }, focus });
  }

  /** Puts the guest back to `snap` (taken from this emulator); hooks and breakpoints stay as they are. */
  restore(snap: Snapshot): void {
    this.notInCallback('restore');
    this.notClosed();
    if (this.running) throw new Error('restore() while running');
    const data = snapshots.get(snap);
    if (data === undefined || data.owner !== this) throw new Error('a snapshot restores only into the emulator it was taken from');
    data.guest.restore();
    this.resumeAt = data.resumeAt === null ? null : { ...data.resumeAt };
    this.focusTask = data.focus;
    this.pending = null;
    this.requested = null;
    // Every frame moved: memory hooks are re-resolved before the next run.
    for (const e of this.memoryHooks.values()) e.layout = '';
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
