// One Unicorn engine: an x86-64 CPU whose memory is translated by ushim's own page tables
// (virtual TLB mode) and whose syscalls, faults and exceptions are reported to the kernel
// through the CpuEvents it was created with. Nothing above cpu/ sees Unicorn.
import {
  CTL_WRITE_CPU_MODEL, CTL_WRITE_TB_FLUSH, CTL_WRITE_TB_REMOVE_CACHE, CTL_WRITE_TCG_BUFFER_SIZE,
  CTL_WRITE_TLB_FLUSH, CTL_WRITE_TLB_TYPE, CTL_WRITE_USE_EXITS, InterruptCallback, SyscallCallback, TlbFillCallback,
  UnicornError, check, koffi, uc, uc_arch, uc_cpu_x86, uc_err, uc_hook_type, uc_mode, uc_tlb_type,
  uc_x86_insn, uc_x86_reg,
} from './unicorn.js';
import { RegisterBatch } from './batch.js';
import { EntryFrame, SYSCALL_LENGTH } from './entry-frame.js';
import { RunModes } from './run-modes.js';
import { TICK_GRACE_MS } from './preempt-timer.js';
import { StubPage } from './stub-page.js';
import { libcCalls } from '../host/libc.js';
import type { TypeObject } from 'koffi';
import { readFxsave, writeFxsave } from './fpu.js';
import {
  Access, type CpuContext as CpuContextPort, type CpuEvents, type CpuPort, type GeneralRegister, type GuestRam,
  type RegisterSet, type RegisterValues, type StopReason, TLB_FAULT,
} from '../kernel-shim/cpu-port.js';
import { RangeHooks } from './range-hooks.js';
import { GENERAL_REGISTERS, SYSCALL_ENTRY_REGISTERS, SYSCALL_EXIT_REGISTERS, registerId } from './registers.js';

/** uc_mem_type of the TLB fill hook (READ, WRITE, FETCH) to the kernel's access kinds. */
const ACCESS_OF: Record<number, Access> = { 16: Access.Read, 17: Access.Write, 18: Access.Fetch };

/** uc_emu_start's `until`: ignored, since exits are turned off (see the constructor). */
const UNTIL_NEVER = 0xffffffffffffn;
const TCG_BUFFER_BYTES = 64 << 20;
const PROT_ALL = 7;
/** A run longer than this ends at its next checked syscall (Node's event loop waits meanwhile). */
const YIELD_AFTER_MS = 20;
const YIELD_CHECK_SYSCALLS = 256;
/** Exceptions QEMU counts toward a double fault: #DE, #DF, #TS, #NP, #SS, #GP. */
const CONTRIBUTORY = new Set([0, 8, 10, 11, 12, 13]);
const YMM_REGISTERS = Array.from({ length: 16 }, (_, i) => uc_x86_reg.X86_REG_YMM0 + i);
/**
 * Kernel-half pages that alias a physical frame for a moment, so that UC_CTL_TB_REMOVE_CACHE
 * (which takes a virtual address and needs it executable) can drop translations of any frame
 * (invalidatePhysical). Each use takes the next page, so no TLB entry made for an earlier use
 * is ever consulted; the TLB is flushed when the window wraps.
 */
const SCRATCH_BASE = 2 ** 64 - 2 ** 46;
const SCRATCH_PAGES = 1 << 16;
/** Where the stub page (stub-page.ts) is mapped while the engine runs it: below the scratch window. */
const STUB_VADDR = SCRATCH_BASE - 4096;

/** CR4 bits an x86-64 Linux kernel sets for SSE: FXSAVE/FXRSTOR of XMM, SIMD exceptions. */
const CR4_OSFXSR = 1n << 9n;
const CR4_OSXMMEXCPT = 1n << 10n;

export class CpuEngine implements CpuPort {
  readonly handle: bigint;
  private readonly entry: RegisterBatch;
  private readonly exit: RegisterBatch;
  private readonly all: RegisterBatch;
  private readonly ripBatch: RegisterBatch;
  private readonly frame: EntryFrame;
  private readonly callbacks: unknown[] = [];
  /**
   * Inside the syscall hook, where Unicorn adds SYSCALL_LENGTH to rip once the hook returns:
   * a rip written then is stored that much lower. `resume` is the rip last written there.
   */
  private inSyscall = false;
  private resume: bigint | null = null;
  private stopRequested = false;
  private fault: { addr: number; access: Access } | null = null;
  private exception: number | null = null;
  private hookError: unknown = null;
  private resultViews = new Map<bigint, DataView>();
  private lastResultPtr = -1n;
  private lastResultView: DataView | null = null;
  /** Instructions per run (0: until stopped). Only a debugger sets it (single steps). */
  instructionLimit = 0;
  /** Runs so far, and where the latest started (trace-hooks.ts ReplayFilter). */
  runCount = 0;
  runStart = -1;
  /** Whether a run longer than YIELD_AFTER_MS ends at a syscall (not in deterministic mode). */
  yieldLongRuns = true;
  /** When the current run started (performance.now()), and its syscalls so far (onSyscall). */
  private runStartMs = 0;
  private syscallsThisRun = 0;
  /** --stats: how often translations were dropped (TB removals, whole flushes) and the TLB flushed. */
  readonly counters = { tbRemovals: 0, tbFlushes: 0, tlbFlushes: 0, codeFramesRewritten: 0 };

  constructor(
    private readonly memory: GuestRam,
    private readonly events: CpuEvents,
  ) {
    const out: [bigint | null] = [null];
    check(uc.open(uc_arch.ARCH_X86, uc_mode.MODE_64, out), 'uc_open');
    this.handle = out[0]!;
    this.entry = new RegisterBatch(this.handle, SYSCALL_ENTRY_REGISTERS);
    this.exit = new RegisterBatch(this.handle, SYSCALL_EXIT_REGISTERS);
    this.all = new RegisterBatch(this.handle, GENERAL_REGISTERS);
    this.ripBatch = new RegisterBatch(this.handle, ['rip']);
    this.frame = new EntryFrame(this.entry);
    // Order matters: the CPU model and TCG buffer size are ignored once translation starts,
    // and 2.0.x answers UC_ERR_ARG to the TLB type (the feature test for 2.1).
    check(uc.ctl(this.handle, CTL_WRITE_CPU_MODEL, 'int', uc_cpu_x86.CPU_X86_HASWELL), 'set CPU model');
    check(uc.ctl(this.handle, CTL_WRITE_TCG_BUFFER_SIZE, 'uint32_t', TCG_BUFFER_BYTES), 'set TCG buffer size');
    const tlb = uc.ctl(this.handle, CTL_WRITE_TLB_TYPE, 'int', uc_tlb_type.TLB_VIRTUAL);
    if (tlb !== uc_err.ERR_OK) {
      throw new UnicornError(tlb, 'this Unicorn has no virtual TLB (Unicorn >= 2.1 is required; run npm run setup)');
    }
    check(uc.memMapPtr(this.handle, 0n, memory.size, PROT_ALL, memory.hostPtr), 'map guest RAM');
    // No exit address: uc_emu_start would otherwise drop the translations at its `until`
    // after every run, looking that address up like a fetch: a TLB miss at 0xfffffffff000
    // after every stop, which earlier notes took for QEMU probing the IDT.
    check(uc.ctl(this.handle, CTL_WRITE_USE_EXITS, 'int', 1), 'use exits');
    this.hook(uc_hook_type.HOOK_TLB_FILL, TlbFillCallback, (_uc: unknown, vaddr: number | bigint, type: number, result: bigint) =>
      this.onTlbFill(vaddr, type, result));
    this.hook(uc_hook_type.HOOK_INSN, SyscallCallback, () => this.onSyscall(), uc_x86_insn.X86_INS_SYSCALL);
    this.hook(uc_hook_type.HOOK_INTR, InterruptCallback, (_uc: unknown, intno: number) => this.onInterrupt(intno));
    // The range hooks' one callback is made here, outside any hook (koffi).
    this.rangeHooks = new RangeHooks();
    // As Linux sets them: without CR4.OSFXSR, QEMU's fxsave/fxrstor skip the XMM registers,
    // and ld.so's lazy binding (_dl_runtime_resolve_fxsave) then loses a float argument.
    const cr4: [bigint] = [0n];
    check(uc.regRead(this.handle, uc_x86_reg.X86_REG_CR4, cr4), 'read CR4');
    check(uc.regWrite(this.handle, uc_x86_reg.X86_REG_CR4, [BigInt(cr4[0]) | CR4_OSFXSR | CR4_OSXMMEXCPT]), 'write CR4');
    // The stub page sits just above guest RAM.
    this.stub = new StubPage(this.handle, memory.size, (offset, count) => this.runStub(offset, count));
    // No flush after it: the stub's code sits where no guest code is ever looked up.
    this.stub.enterUserMode(STUB_VADDR);
    this.pristine = this.newContext();
    // Drops the count hook of that counted entry, and the exception state the empty run leaves.
    this.stub.emptyRun();
    this.restoreContext(this.pristine);
    this.modes = new RunModes(this.handle, () => this.flushCode(), () => {
      this.stub.emptyRun();
      this.forgetException();
    });
  }

  private readonly modes: RunModes;
  private readonly stub: StubPage;
  /** Inside a run of the stub page: its `syscall` ends the run. */
  private stubRunning = false;
  private running = false;

  /** Runs the stub page from `offset`, for `count` instructions or until its `syscall` (stub-page.ts). */
  private runStub(offset: number, count: number): void {
    this.scratchVaddr = STUB_VADDR;
    this.scratchPaddr = this.memory.size;
    this.stubRunning = true;
    try {
      check(uc.emuStart(this.handle, BigInt(STUB_VADDR + offset), UNTIL_NEVER, 0n, count), 'run the stub page');
    } finally {
      this.stubRunning = false;
      this.scratchVaddr = -1;
    }
    // No guest reaches the stub through a translation cached meanwhile.
    this.flushTlb();
  }

  /**
   * uc_hook_add for the debugger's, tracing's and range hooks. Added during a run (from a
   * syscall) that translates without exit checks, the run ends, so that the next one
   * translates with them.
   */
  addExtraHook(type: number, callback: unknown, begin: number, end: number): bigint {
    const out: [bigint] = [0n];
    check(uc.hookAdd(this.handle, out, type, callback, null, BigInt(begin), BigInt(end)), 'uc_hook_add');
    this.modes.extraHooks++;
    if (this.running && this.modes.translatingWithoutChecks) this.requestStop();
    return BigInt(out[0]);
  }

  deleteExtraHook(hook: bigint): void {
    check(uc.hookDel(this.handle, hook), 'uc_hook_del');
    this.modes.extraHooks--;
  }

  /** The CPU as made, before any exception: see forgetException. */
  private readonly pristine: CpuContext;
  /** Code hooks bounded to address ranges (trampfd v2 counting under --stats/--strace). */
  private readonly rangeHooks: RangeHooks;

  /**
   * QEMU remembers the last contributory exception (#DE, #TS..#GP) until it has been delivered
   * through the IDT, which never happens here: the interrupt hook takes it. The next #DE would
   * then become a double fault and the one after that a triple fault (a halt). The reset is
   * a context restore of the CPU as made, with the task's registers written back.
   */
  private forgetException(): void {
    const regs = this.readRegisters();
    const fpu = this.readFpu();
    const ymm = YMM_REGISTERS.map((reg) => {
      const b = Buffer.alloc(32);
      check(uc.regReadRaw(this.handle, reg, b), 'uc_reg_read');
      return b;
    });
    this.restoreContext(this.pristine);
    this.writeRegisters(regs);
    this.writeFpu(fpu);
    YMM_REGISTERS.forEach((reg, i) => check(uc.regWriteRaw(this.handle, reg, ymm[i]), 'uc_reg_write'));
  }

  private hook(type: number, proto: TypeObject, fn: (...args: never[]) => unknown, insn?: number): void {
    const guarded = (...args: never[]): unknown => {
      if (this.hookError !== null) return false;
      try {
        return fn(...args);
      } catch (e) {
        this.hookError = e;
        uc.emuStop(this.handle);
        return false;
      }
    };
    const cb = koffi.register(guarded, koffi.pointer(proto));
    this.callbacks.push(cb);
    const out: [bigint] = [0n];
    const extra = insn === undefined ? [] : ['int', insn];
    check(uc.hookAdd(this.handle, out, type, cb, null, 1n, 0n, ...extra), 'uc_hook_add');
  }

  private onTlbFill(vaddr: number | bigint, type: number, result: bigint): boolean {
    const addr = typeof vaddr === 'bigint' ? Number(vaddr) : vaddr < 0 ? vaddr + 2 ** 64 : vaddr;
    const access = ACCESS_OF[type];
    const answer = addr === this.scratchVaddr ? this.scratchPaddr + PROT_ALL : this.events.tlbFill(addr, access);
    if (answer === TLB_FAULT) {
      // Nothing after a stop request is the guest's fault. QEMU also looks up code pages it
      // is not about to run (TB lookups of other address spaces' code after a switch): those
      // misses are told apart in run() by the final rip.
      if (!this.stopRequested) this.fault = { addr, access };
      return false;
    }
    let view = this.lastResultView;
    if (result !== this.lastResultPtr || view === null) {
      view = this.resultViews.get(result) ?? null;
      if (view === null) {
        view = new DataView(koffi.view(result, 16));
        this.resultViews.set(result, view);
      }
      this.lastResultPtr = result;
      this.lastResultView = view;
    }
    // The kernel's PAGE_* bits are UC_PROT_READ/WRITE/EXEC.
    const perms = answer % 8;
    const paddr = answer - perms;
    view.setUint32(0, paddr >>> 0, true);
    view.setUint32(4, Math.floor(paddr / 4294967296), true);
    view.setUint32(8, perms, true);
    return true;
  }

  private onSyscall(): void {
    if (this.stubRunning) {
      uc.emuStop(this.handle);
      return;
    }
    this.entry.read();
    this.inSyscall = true;
    this.resume = null;
    let result: number | bigint | null;
    try {
      result = this.events.syscall(this.frame);
    } finally {
      this.inSyscall = false;
    }
    if (result === null) return;
    if (typeof result === 'bigint') this.exit.setBigint(0, result);
    else this.exit.setNumber(0, result);
    // The CPU's `syscall` saves the return address in rcx and rflags in r11; Unicorn does not.
    this.exit.setNumber(1, this.frame.rip + 2);
    this.exit.setBigint(2, this.frame.rflags);
    this.exit.write();
    // A long run ends at a syscall (where a stop is exact) so that Node's event loop serves
    // host signals: every YIELD_CHECK_SYSCALLS syscalls the clock is read.
    if (this.yieldLongRuns && ++this.syscallsThisRun % YIELD_CHECK_SYSCALLS === 0 && performance.now() - this.runStartMs > YIELD_AFTER_MS) {
      this.requestStop();
    }
  }

  private onInterrupt(intno: number): void {
    this.exception = intno;
    uc.emuStop(this.handle);
  }

  /**
   * A hook outside this class (trace-hooks.ts) failed: the run stops and engine.run()
   * rethrows `e`, as for the engine's own hooks. Only the first error of a run is kept.
   */
  failFromHook(e: unknown): void {
    if (this.hookError === null) this.hookError = e;
    uc.emuStop(this.handle);
  }

  /** Stops the current run after the instruction being executed (from a hook). */
  requestStop(): void {
    this.stopRequested = true;
    uc.emuStop(this.handle);
  }

  /**
   * Runs from the current rip until something needs the kernel, for at most `count`
   * instructions (deterministic slices; Unicorn then counts every instruction, so only
   * deterministic mode uses it, and always, since toggling it flushes translations), or for
   * about `sliceMs` milliseconds (the preemption timer stops it: a 'requested' stop).
   */
  run(count = 0, sliceMs = 0): StopReason {
    this.stopRequested = false;
    this.fault = null;
    this.exception = null;
    // One raw-pointer batch read (uc_reg_read with a JS out-array costs a few microseconds,
    // which matters where runs are short: trampfd v1 restarts after every invocation).
    this.ripBatch.read();
    const rip = this.ripBatch.bigint(0);
    this.runCount++;
    this.runStart = Number(rip);
    this.runStartMs = performance.now();
    this.syscallsThisRun = 0;
    const bounds = this.modes.begin(this.instructionLimit || count, sliceMs);
    this.running = true;
    const code = uc.emuStart(this.handle, rip, UNTIL_NEVER, 0n, bounds.limit);
    this.running = false;

    if (this.hookError !== null) {
      const e = this.hookError;
      this.hookError = null;
      throw e;
    }
    if (this.stopRequested) return { kind: 'requested' };
    const fault = this.fault as { addr: number; access: Access } | null;
    if (fault !== null && code === uc_err.ERR_EXCEPTION && this.faultAtRip(fault)) {
      return { kind: 'fault', addr: fault.addr, access: fault.access };
    }
    if (this.exception !== null) {
      if (CONTRIBUTORY.has(this.exception)) this.forgetException();
      return { kind: 'exception', intno: this.exception };
    }
    if (code === uc_err.ERR_INSN_INVALID) return { kind: 'invalid-instruction' };
    if (code !== uc_err.ERR_OK && code !== uc_err.ERR_EXCEPTION) throw new UnicornError(code, 'uc_emu_start');
    return bounds.timed ? { kind: 'requested' } : { kind: 'halted' };
  }

  /** A fetch fault is the CPU's only if it is on the page of rip or the next (a straddling instruction). */
  private faultAtRip(fault: { addr: number; access: Access }): boolean {
    if (fault.access !== Access.Fetch) return true;
    this.ripBatch.read();
    const page = Math.floor(this.ripBatch.number(0) / 4096) * 4096;
    return fault.addr === page || fault.addr === page + 4096;
  }

  readRegister(name: GeneralRegister): bigint {
    if (name === 'rip' && this.inSyscall && this.resume !== null) return this.resume;
    const out: [bigint] = [0n];
    check(uc.regRead(this.handle, registerId(name), out), 'uc_reg_read');
    return BigInt.asUintN(64, BigInt(out[0]));
  }

  writeRegister(name: GeneralRegister, value: bigint): void {
    if (name === 'rip') value = this.toUnicornRip(value);
    check(uc.regWrite(this.handle, registerId(name), [BigInt.asUintN(64, value)]), 'uc_reg_write');
  }

  readRegisters(): RegisterValues {
    this.all.read();
    const out = {} as RegisterValues;
    for (const n of GENERAL_REGISTERS) out[n] = this.all.get(n);
    if (this.inSyscall && this.resume !== null) out.rip = this.resume;
    return out;
  }

  writeRegisters(values: Partial<RegisterValues>): void {
    this.all.read();
    for (const n of Object.keys(values) as GeneralRegister[]) this.all.set(n, values[n]!);
    if (values.rip !== undefined) this.all.set('rip', this.toUnicornRip(values.rip));
    this.all.write();
  }

  resumeAt(address: bigint): void {
    this.writeRegister('rip', address);
  }

  /** The rip to store for the task to resume at `rip` (see inSyscall). */
  private toUnicornRip(rip: bigint): bigint {
    if (!this.inSyscall) return rip;
    this.resume = BigInt.asUintN(64, rip);
    return rip - BigInt(SYSCALL_LENGTH);
  }

  registerSet(names: readonly GeneralRegister[]): RegisterSet {
    return new RegisterBatch(this.handle, names);
  }

  hookCodeRange(begin: number, end: number, fn: (address: number) => void, onError: (e: unknown) => void): void {
    this.rangeHooks.add(this, begin, end, fn, onError);
  }

  /** A saved CPU state (all registers incl. FPU) of one task on this engine. */
  newContext(): CpuContext {
    const out: [bigint | null] = [null];
    check(uc.contextAlloc(this.handle, out), 'uc_context_alloc');
    const ctx = new CpuContext(out[0]!);
    check(uc.contextSave(this.handle, ctx.handle), 'uc_context_save');
    return ctx;
  }

  saveContext(ctx: CpuContext): void {
    check(uc.contextSave(this.handle, ctx.handle), 'uc_context_save');
  }

  restoreContext(ctx: CpuContext): void {
    check(uc.contextRestore(this.handle, ctx.handle), 'uc_context_restore');
  }

  readFpu(): Uint8Array {
    return readFxsave(this.handle);
  }

  writeFpu(image: Uint8Array | null): void {
    writeFxsave(this.handle, image);
  }

  /** Drops every cached virtual-to-physical translation (after unmap or a protection downgrade). */
  flushTlb(): void {
    this.counters.tlbFlushes++;
    check(uc.ctl(this.handle, CTL_WRITE_TLB_FLUSH), 'flush TLB');
  }

  /** Drops translated code for a virtual range that is mapped executable. */
  invalidateCode(start: number, end: number): void {
    this.counters.tbRemovals++;
    // The removal looks the range up like a fetch (a TLB fill); a miss there is no guest fault.
    const fault = this.fault;
    check(uc.ctl(this.handle, CTL_WRITE_TB_REMOVE_CACHE, 'uint64_t', BigInt(start), 'uint64_t', BigInt(end)), 'remove TB cache');
    this.fault = fault;
  }

  private scratchVaddr = -1;
  private scratchPaddr = 0;
  private scratchNext = 0;

  /**
   * Drops translated code of the physical page at paddr, whatever maps it (the kernel wrote
   * into a frame that held code: a memfd's write(), read() into a JIT buffer). Works inside hooks.
   */
  invalidatePhysical(paddr: number): void {
    this.counters.codeFramesRewritten++;
    if (this.scratchNext === SCRATCH_PAGES) {
      this.scratchNext = 0;
      this.flushTlb();
    }
    this.scratchVaddr = SCRATCH_BASE + this.scratchNext++ * 4096;
    this.scratchPaddr = paddr - (paddr % 4096);
    try {
      this.invalidateCode(this.scratchVaddr, this.scratchVaddr + 4096);
    } finally {
      this.scratchVaddr = -1;
    }
  }

  /** Drops all translated code; never from inside a hook. */
  flushCode(): void {
    this.counters.tbFlushes++;
    check(uc.ctl(this.handle, CTL_WRITE_TB_FLUSH), 'flush TBs');
  }

  close(): void {
    const timed = this.modes.close();
    this.pristine.free();
    // A late tick may still call uc_emu_stop(handle): a timed engine is freed after a grace period.
    if (timed) setTimeout(() => this.free(), TICK_GRACE_MS).unref();
    else this.free();
  }

  private free(): void {
    uc.close(this.handle);
    this.rangeHooks.close();
    for (const cb of this.callbacks) koffi.unregister(cb as bigint);
    this.callbacks.length = 0;
    // glibc keeps what uc_close freed in its heap (about 0.5 MB per engine, fragmented):
    // without a trim, a process that makes and closes engines (the API) grows without end.
    libcCalls.malloc_trim(0);
  }
}

export class CpuContext implements CpuContextPort {
  constructor(readonly handle: bigint) {}

  read(name: GeneralRegister): bigint {
    const out: [bigint] = [0n];
    check(uc.contextRegRead(this.handle, registerId(name), out), 'uc_context_reg_read');
    return BigInt.asUintN(64, BigInt(out[0]));
  }

  write(name: GeneralRegister, value: bigint): void {
    check(uc.contextRegWrite(this.handle, registerId(name), [BigInt.asUintN(64, value)]), 'uc_context_reg_write');
  }

  free(): void {
    uc.contextFree(this.handle);
  }
}

/** What a front end reports when Unicorn is missing or refuses (the binding itself stays in cpu/). */
export { UnicornError, UnicornUnavailable } from './unicorn.js';
