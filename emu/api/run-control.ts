// Run control of the programmable API (the base of Emulator, emulator.ts): the machine, the
// scheduler's debug hooks while run() or step() runs, where a stop leaves its task, the
// focused thread, and the dispatch of code hooks and breakpoints.
import { TextEncoder } from 'node:util';
import { textByteString } from '../../kernel-shim/abi/bytes.js';
import type { GeneralRegister, StopReason } from '../../kernel-shim/cpu-port.js';
import { InstrumentHooks, ReplayFilter } from '../../cpu/trace-hooks.js';
import type { SchedulerDebugHooks } from '../../kernel-shim/sched.js';
import type { Process } from '../../kernel-shim/process.js';
import type { Task } from '../../kernel-shim/task.js';
import { Machine } from '../machine.js';
import { SymbolTables } from '../debug/symbols.js';
import { CaptureFile, FIRST_STDIO_INO, InputFile } from './capture.js';
import { type CallbackDepth, MemoryHooks } from './memory-hooks.js';
import { CodeHookTable } from './code-hooks.js';
import type { ResumePoint } from './snapshot-handle.js';
import { ApiSyscalls } from './syscalls.js';
import type { ExitStatus, LoadOptions, StopEvent } from './types.js';

/** Why the run stopped, as recorded in the hooks. */
interface StopRecord {
  reason: 'breakpoint' | 'stopped' | 'step';
  task: Task;
  /** The stop came before the instruction at rip ran (breakpoint, code hook). */
  beforeInstruction: boolean;
}

export abstract class RunControl {
  protected readonly machine: Machine;
  protected readonly first: Process;
  protected readonly capture: { out: CaptureFile; err: CaptureFile } | undefined;
  protected instrument: InstrumentHooks | undefined;
  protected replays: ReplayFilter<Task> | undefined;
  protected readonly codeHooks = new CodeHookTable();
  protected readonly depth: CallbackDepth = { callbacks: 0, memory: 0 };
  protected readonly memoryHooks: MemoryHooks;
  protected syscalls: ApiSyscalls | undefined;
  protected running = false;
  protected closed = false;
  // Run control (the scheduler's debug hooks while run() or step() runs).
  protected requested: StopRecord | null = null;
  protected pending: StopRecord | null = null;
  protected stepTask: Task | null = null;
  protected stepping = false;
  /** Where the last stop left its task: hooks there are skipped once on resuming (see ResumePoint). */
  protected resumeAt: ResumePoint | null = null;
  protected skipAddress = -1;
  protected skipIds: ReadonlySet<number> = new Set();
  /** Hooks that ran at the current instruction (recorded for a stop before it). */
  protected ranIds = new Set<number>();
  protected focusTask: Task | undefined;
  protected readonly schedHooks: SchedulerDebugHooks = {
    beforeRun: (task) => this.beforeRun(task),
    afterRun: (task, reason) => this.afterRun(task, reason),
    interruptible: () => false, // run() returns at a stop or exit; nothing interrupts it
  };

  protected readonly symbols = new SymbolTables();

  protected constructor(options: LoadOptions) {
    // The API takes text; the kernel's names are the bytes of its UTF-8 encoding.
    const root = textByteString(options.root ?? '/');
    const cwd = options.cwd === undefined ? undefined : textByteString(options.cwd);
    this.machine = new Machine({ root, deterministic: options.deterministic ?? true, cwd, warn: options.warn });
    let stdio: (CaptureFile | InputFile)[] | undefined;
    if ((options.stdio ?? 'capture') === 'capture') {
      const input = typeof options.stdin === 'string' ? new TextEncoder().encode(options.stdin) : (options.stdin ?? new Uint8Array());
      this.capture = { out: new CaptureFile(FIRST_STDIO_INO), err: new CaptureFile(FIRST_STDIO_INO + 1n) };
      stdio = [new InputFile(input, FIRST_STDIO_INO + 2n), this.capture.out, this.capture.err];
    }
    this.first = this.machine.load({
      program: textByteString(options.program),
      argv: (options.argv ?? [options.program]).map(textByteString),
      env: (options.env ?? []).map(textByteString),
      stdio,
    });
    this.focusTask = this.first.mainTask;
    this.memoryHooks = new MemoryHooks(this.machine.kernel, () => this.hooksObject(), this.depth);
  }

  protected resume(step: Task | null): StopEvent {
    this.notInCallback('run');
    this.notClosed();
    const k = this.machine.kernel;
    const sched = k.scheduler;
    this.applyCodeHooks();
    this.memoryHooks.rearm(false);
    this.installSyscallHooks();
    this.pending = null;
    this.requested = null;
    this.stepTask = step;
    sched.debugger = this.schedHooks;
    sched.yieldRequested = false;
    this.running = true;
    let stop: StopRecord | null;
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

  protected exitEvent(): StopEvent {
    return { reason: 'exited', status: this.exitStatus ?? { code: 0 } };
  }

  protected stopEvent(stop: StopRecord): StopEvent {
    const rip = this.registerOf(stop.task, 'rip');
    const base = { address: rip, pid: stop.task.process.pid, tid: stop.task.tid };
    if (stop.reason === 'breakpoint') {
      const sym = this.symbols.of(stop.task.process).containing(Number(rip));
      return { reason: 'breakpoint', ...base, ...(sym !== undefined && sym.address === Number(rip) ? { symbol: sym.name } : {}) };
    }
    return { reason: stop.reason, ...base };
  }

  protected setStepping(on: boolean): void {
    const engine = this.machine.engine;
    // Unicorn counts instructions only in code translated while counting (debug-hooks.ts).
    if (on !== this.stepping) {
      engine.flushCode();
      this.stepping = on;
    }
    engine.instructionLimit = on ? 1 : 0;
  }

  protected beforeRun(task: Task): boolean {
    if (this.pending !== null) return false;
    const step = this.stepTask;
    // While a step is pending, only the stepped task runs (unless it is blocked in a syscall).
    if (step !== null && task !== step && step.state === 'runnable') return false;
    const engine = task.kernel.cpu;
    this.setStepping(task === step);
    const rip = Number(engine.readRegister('rip'));
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

  protected afterRun(task: Task, reason: StopReason): boolean {
    this.skipAddress = -1;
    this.memoryHooks.rearm(false);
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
    if (reason.kind === 'fault' || reason.kind === 'exception' || reason.kind === 'invalid-instruction') {
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

  // ---- threads, registers, memory -----------------------------------------------------

  /** The task the API works on: inside a callback the one that triggered it, else the last stopped. */
  protected focus(tid?: number): Task | undefined {
    this.notClosed();
    const k = this.machine.kernel;
    if (this.depth.callbacks > 0 || this.running) {
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

  protected liveFocus(tid?: number): Task {
    const t = this.focus(tid);
    if (t === undefined) throw new Error('no live thread: every process has exited');
    return t;
  }

  protected installSyscallHooks(): void {
    // The interceptor exists only while hooks do: the normal path then pays one check.
    const s = this.syscalls;
    this.machine.dispatcher.interceptor = s !== undefined && s.hooks.size > 0 ? s : undefined;
  }

  protected hooksObject(): InstrumentHooks {
    this.instrument ??= new InstrumentHooks(this.machine.engine);
    this.replays ??= new ReplayFilter(this.machine.engine);
    return this.instrument;
  }

  protected applyCodeHooks(): void {
    if (this.codeHooks.apply(this.hooksObject(), (address, size) => this.onCode(address, size))) this.machine.engine.flushCode();
  }

  protected onCode(address: number, size: number): void {
    // The first instruction after resuming from a stop: see ResumePoint.
    const resuming = address === this.skipAddress;
    this.skipAddress = -1;
    const task = this.machine.kernel.current;
    if (task === undefined) return;
    // A repeat after a stop another hook requested (not one returned to the user: resuming covers those).
    if (this.replays!.repeated(task, address) && !resuming) return;
    if (this.requested === null) this.ranIds = new Set();
    for (const [id, e] of this.codeHooks.entries) {
      if (address < e.start || address > e.end) continue;
      if (resuming && (e.breakpoint || this.skipIds.has(id))) continue;
      this.ranIds.add(id);
      if (e.breakpoint) {
        if (this.requested === null) {
          this.requested = { reason: 'breakpoint', task, beforeInstruction: true };
          task.kernel.cpu.requestStop();
        }
        continue;
      }
      this.depth.callbacks++;
      try {
        e.fn!({ address: BigInt(address), size, pid: task.process.pid, tid: task.tid });
      } finally {
        this.depth.callbacks--;
      }
    }
  }

  /** Guest RAM is gone once closed: nothing may look at the guest. */
  protected notClosed(): void {
    if (this.closed) throw new Error('the emulator is closed');
  }

  protected notInCallback(what: string): void {
    if (this.depth.callbacks > 0 || (this.syscalls?.inCallback ?? 0) > 0) throw new Error(`${what}() cannot be called from inside a hook callback`);
  }

  /** The first process's exit status once it has exited. */
  get exitStatus(): ExitStatus | undefined {
    const s = this.first.exitStatus;
    return s === undefined ? undefined : { ...s };
  }

  protected registerOf(task: Task, name: GeneralRegister): bigint {
    if (!this.running && this.depth.callbacks === 0) this.machine.kernel.scheduler.load(task);
    return task.kernel.cpu.readRegister(name);
  }
}
