// The gdb Target over the running machine: one debugged process (the first one), its
// threads, registers, memory, breakpoints, watchpoints and signals, as ptrace shows them to
// gdbserver. Run control and stop detection are the StopTracker's (stop-tracker.ts), which
// also keeps the per-thread debug state; breakpoints and watchpoints are MachineBreakpoints'
// (machine-breakpoints.ts). This class answers gdb's reads and writes while it is stopped.
import { SIGINFO_SIZE, encodeSiginfo } from '../../kernel-shim/abi/siginfo.js';
import type { Kernel } from '../../kernel-shim/kernel.js';
import { PAGE_SIZE } from '../../kernel-shim/mm/constants.js';
import { debuggerPage } from '../../kernel-shim/mm/debugger-access.js';
import { PTE_EXEC, pteFrame } from '../../kernel-shim/mm/pagetable.js';
import type { Process } from '../../kernel-shim/process.js';
import type { Task } from '../../kernel-shim/task.js';
import type { CpuEngine } from '../../cpu/engine.js';
import { readDebugRegister, writeDebugRegister } from '../../cpu/debug-hooks.js';
import { readGuestFile } from './guest-file.js';
import { type StopTrackerOptions, StopTracker } from './stop-tracker.js';
import {
  AMD64_REGISTERS,
  type BreakpointType,
  type ResumeAction,
  type StopListener,
  type Target,
  type WatchType,
} from './target.js';

export class MachineTarget implements Target {
  readonly pid: number;
  private readonly tracker: StopTracker;

  constructor(
    private readonly k: Kernel,
    private readonly engine: CpuEngine,
    private readonly proc: Process,
    options: StopTrackerOptions,
  ) {
    this.pid = proc.pid;
    this.tracker = new StopTracker(k, engine, proc, options);
  }

  // ---- the driver's side (driver.ts) --------------------------------------------------

  /** True while the machine is parked for gdb (the driver waits in waitForResume). */
  get stopped(): boolean {
    return this.tracker.stopped;
  }

  /** True while gdb controls the process (stops are reported). */
  get tracing(): boolean {
    return this.tracker.tracing;
  }

  /** The task a pending single step is for, if it can run now. */
  get runnableStepTask(): Task | null {
    return this.tracker.runnableStepTask;
  }

  /** Resolves when gdb resumes (or kills, or detaches). */
  waitForResume(): Promise<void> {
    return this.tracker.waitForResume();
  }

  /** After each scheduler turn (outside any hook): turns what happened into a stop report. */
  afterTurn(): void {
    this.tracker.afterTurn();
  }

  // ---- Target: threads and registers --------------------------------------------------

  threads(): readonly number[] {
    if (this.tracker.gone) return [];
    return this.proc.liveTasks.map((t) => t.tid);
  }

  threadName(tid: number): string | null {
    return this.tracker.taskById(tid) === undefined ? null : this.proc.comm;
  }

  readRegister(tid: number, regno: number): Uint8Array | null {
    const task = this.tracker.taskById(tid);
    const reg = AMD64_REGISTERS[regno];
    if (task === undefined || reg === undefined) return null;
    this.tracker.enterTask(task);
    const engine = this.engine;
    if (reg.name === 'orig_rax') {
      const out = Buffer.alloc(8);
      out.writeBigUInt64LE(BigInt.asUintN(64, this.origRax(task)));
      return out;
    }
    return readDebugRegister(engine, reg.name);
  }

  private origRax(task: Task): bigint {
    const st = this.tracker.stateOf(task);
    if (st?.origRax !== undefined) return st.origRax;
    if (st?.signalStop?.ret !== undefined) return BigInt(st.signalStop.ret.nr);
    // Parked in a syscall: rip is back on the `syscall` instruction and rax is its number.
    if (task.wait !== null) return task.kernel.cpu.readRegister('rax');
    return -1n;
  }

  writeRegister(tid: number, regno: number, value: Uint8Array): boolean {
    const task = this.tracker.taskById(tid);
    const reg = AMD64_REGISTERS[regno];
    if (task === undefined || reg === undefined || value.length !== reg.size) return false;
    this.tracker.enterTask(task);
    if (reg.name === 'orig_rax') {
      this.tracker.debugState(task).origRax = BigInt.asIntN(64, Buffer.from(value).readBigUInt64LE(0));
      return true;
    }
    return writeDebugRegister(this.engine, reg.name, value);
  }

  // ---- Target: memory -----------------------------------------------------------------

  private memoryAccess(address: bigint, length: number, write: boolean, fn: (phys: number, n: number, done: number) => void): boolean {
    if (this.tracker.gone || this.proc.exited) return false;
    if (address < 0n || address + BigInt(length) > 2n ** 47n) return false;
    const mm = this.proc.mm;
    let at = Number(address);
    let done = 0;
    const code: number[] = [];
    while (done < length) {
      const page = at - (at % PAGE_SIZE);
      const n = Math.min(length - done, page + PAGE_SIZE - at);
      const pte = debuggerPage(mm, page, write);
      if (pte === 0) return false;
      fn(pteFrame(pte) * PAGE_SIZE + (at - page), n, done);
      if (write && pte & PTE_EXEC) code.push(page);
      done += n;
      at += n;
    }
    if (code.length > 0 && this.tracker.enterProcess()) {
      for (const page of code) this.engine.invalidateCode(page, page + PAGE_SIZE);
    }
    return true;
  }

  readMemory(address: bigint, length: number): Uint8Array | null {
    const out = new Uint8Array(length);
    const memory = this.k.memory;
    return this.memoryAccess(address, length, false, (phys, n, done) => out.set(memory.bytesAt(phys, n), done)) ? out : null;
  }

  writeMemory(address: bigint, data: Uint8Array): boolean {
    const memory = this.k.memory;
    return this.memoryAccess(address, data.length, true, (phys, n, done) => memory.set(data.subarray(done, done + n), phys));
  }

  // ---- Target: breakpoints and watchpoints --------------------------------------------

  insertBreakpoint(type: BreakpointType, address: bigint, kind: number): boolean {
    return this.tracker.code.insertBreakpoint(type, address, kind);
  }

  removeBreakpoint(type: BreakpointType, address: bigint, kind: number): boolean {
    return this.tracker.code.removeBreakpoint(type, address, kind);
  }

  insertWatchpoint(type: WatchType, address: bigint, length: number): boolean {
    return this.tracker.code.insertWatchpoint(type, address, length);
  }

  removeWatchpoint(type: WatchType, address: bigint, length: number): boolean {
    return this.tracker.code.removeWatchpoint(type, address, length);
  }

  // ---- Target: execution --------------------------------------------------------------

  resume(actions: readonly ResumeAction[]): void {
    this.tracker.resume(actions);
  }

  interrupt(): void {
    this.tracker.interrupt();
  }

  kill(): void {
    this.tracker.kill();
  }

  detach(): void {
    this.tracker.detach();
  }

  setStopListener(listener: StopListener | null): void {
    this.tracker.setStopListener(listener);
  }

  // ---- Target: process information ----------------------------------------------------

  siginfo(tid: number): Uint8Array | null {
    const task = this.tracker.taskById(tid);
    const info = task === undefined ? undefined : this.tracker.stateOf(task)?.signalStop?.info;
    if (info === undefined) return null;
    const out = new Uint8Array(SIGINFO_SIZE);
    encodeSiginfo(new DataView(out.buffer), 0, info);
    return out;
  }

  auxv(): Uint8Array | null {
    return this.proc.image?.auxv ?? null;
  }

  execFile(): string | null {
    return this.proc.image?.exeGuestPath ?? null;
  }

  readFile(path: string): Uint8Array | null {
    return readGuestFile(this.k, this.proc, path);
  }
}
