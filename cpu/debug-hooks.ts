// Debugger support on one engine: breakpoints, watchpoints, single steps and the full
// register file as gdb sees it. Only attached while a debugger is; an engine without it has
// no extra hooks and runs exactly as fast as before.
//
// Measured on Unicorn 2.1.1 (see design.md):
// - A UC_HOOK_CODE bounded to [addr, addr] that calls uc_emu_stop stops with rip == addr,
//   before the instruction runs. Translated code does not see a hook added or removed
//   later (a deleted hook is even still called from old translations): drop the address's
//   translation (UC_CTL_TB_REMOVE_CACHE) after both.
// - uc_emu_start with count=1 runs one instruction only after a TB flush when the cached
//   translations were made without counting; flush whenever stepping is switched on or off.
// - Memory hooks see physical addresses (virtual TLB mode) and filter on the access's first
//   byte. Stopping inside one leaves rip at the accessing instruction with its store already
//   done; so a memory hook only records the hit and an unbounded code hook stops before the
//   next instruction (rip after the access, as x86 data breakpoints trap). That code hook
//   costs a JS call per instruction (~165 ns), so it exists only while watchpoints do.
import type { TypeObject } from 'koffi';
import type { CpuEngine } from './engine.js';
import { CodeCallback, check, koffi, uc, uc_hook_type, uc_x86_reg } from './unicorn.js';

export type WatchKind = 'write' | 'read' | 'access';

/** A physically contiguous piece of a watched range. */
export interface PhysicalWatch {
  kind: WatchKind;
  /** Physical range [start, end). */
  start: number;
  end: number;
  /** The guest virtual address of `start`. */
  vaddr: number;
}

export type DebugHit =
  | { kind: 'breakpoint'; address: number }
  | { kind: 'watchpoint'; watch: WatchKind; address: number };

const MemCallback = koffi.proto('void uc_cb_hookmem_dbg_t(void *uc, int type, uint64_t address, int size, int64_t value, void *user)');
const UC_MEM_WRITE = 17;
/** Largest single access (SSE): a hook range starts this far below the watched bytes. */
const MAX_ACCESS = 16;

function u64(x: number | bigint): number {
  if (typeof x === 'bigint') return Number(BigInt.asUintN(64, x));
  return x < 0 ? x + 2 ** 64 : x;
}

export class EngineDebugHooks {
  /** Hits count only while true (a vfork child borrowing this engine is not debugged). */
  active = true;
  /** The next breakpoint hit at this address is ignored (resuming from that breakpoint). */
  ignoreOnce = -1;
  private hit: DebugHit | null = null;
  private pendingWatch: DebugHit | null = null;
  private error: unknown = null;
  private stepping = false;
  private readonly breakpoints = new Map<number, bigint>();
  private watchHandles: bigint[] = [];
  private watches: PhysicalWatch[] = [];
  private stopperHandle: bigint | null = null;
  private readonly callbacks: unknown[] = [];
  private readonly codeCb: unknown;
  private readonly memCb: unknown;
  private readonly stopperCb: unknown;

  constructor(readonly engine: CpuEngine) {
    this.codeCb = this.register(CodeCallback, (_uc: unknown, address: number | bigint) => this.onBreakpoint(u64(address)));
    this.memCb = this.register(MemCallback, (_uc: unknown, type: number, address: number | bigint, size: number) =>
      this.onAccess(type, u64(address), size));
    this.stopperCb = this.register(CodeCallback, () => this.onInstruction());
  }

  private register(proto: TypeObject, fn: (...args: never[]) => void): unknown {
    const guarded = (...args: never[]): void => {
      if (this.error !== null) return;
      try {
        fn(...args);
      } catch (e) {
        this.error = e;
        this.engine.requestStop();
      }
    };
    const cb = koffi.register(guarded, koffi.pointer(proto));
    this.callbacks.push(cb);
    return cb;
  }

  private addHook(type: number, cb: unknown, begin: number, end: number): bigint {
    return this.engine.addExtraHook(type, cb, begin, end);
  }

  private onBreakpoint(address: number): void {
    if (!this.active || this.hit !== null) return;
    if (!this.breakpoints.has(address)) return; // a removed breakpoint still in old code
    if (address === this.ignoreOnce) {
      this.ignoreOnce = -1;
      return;
    }
    this.hit = { kind: 'breakpoint', address };
    this.engine.requestStop();
  }

  private onAccess(type: number, paddr: number, size: number): void {
    if (!this.active || this.pendingWatch !== null || this.hit !== null) return;
    const write = type === UC_MEM_WRITE;
    for (const w of this.watches) {
      if (w.kind === 'write' && !write) continue;
      if (w.kind === 'read' && write) continue;
      if (paddr >= w.end || paddr + size <= w.start) continue;
      this.pendingWatch = { kind: 'watchpoint', watch: w.kind, address: w.vaddr + Math.max(0, paddr - w.start) };
      return;
    }
  }

  private onInstruction(): void {
    if (this.pendingWatch === null) return;
    this.hit = this.pendingWatch;
    this.pendingWatch = null;
    this.engine.requestStop();
  }

  /** Call before each run of the engine. */
  beginRun(): void {
    this.hit = null;
    this.pendingWatch = null;
  }

  /** What stopped the last run, if it was a breakpoint or watchpoint. Rethrows hook errors. */
  takeHit(): DebugHit | null {
    if (this.error !== null) {
      const e = this.error;
      this.error = null;
      throw e;
    }
    // An access by the last instruction of a run (a single step, or a stop right after it)
    // has no next instruction to stop at: it is still the run's stop reason.
    const hit = this.hit ?? this.pendingWatch;
    this.hit = null;
    this.pendingWatch = null;
    return hit;
  }

  hasBreakpoint(address: number): boolean {
    return this.breakpoints.has(address);
  }

  /** Never from inside a hook; the engine's TLB fill must resolve `address` (kernel current task). */
  insertBreakpoint(address: number): void {
    if (this.breakpoints.has(address)) return;
    this.breakpoints.set(address, this.addHook(uc_hook_type.HOOK_CODE, this.codeCb, address, address));
    this.engine.invalidateCode(address, address + 1);
  }

  removeBreakpoint(address: number): void {
    const handle = this.breakpoints.get(address);
    if (handle === undefined) return;
    this.breakpoints.delete(address);
    this.engine.deleteExtraHook(handle);
    this.engine.invalidateCode(address, address + 1);
  }

  /** Replaces the watched physical ranges (never from inside a hook). */
  setWatches(watches: PhysicalWatch[]): void {
    for (const h of this.watchHandles) this.engine.deleteExtraHook(h);
    this.watchHandles = [];
    this.watches = watches;
    for (const w of watches) {
      const begin = Math.max(0, w.start - (MAX_ACCESS - 1));
      if (w.kind !== 'read') this.watchHandles.push(this.addHook(uc_hook_type.HOOK_MEM_WRITE, this.memCb, begin, w.end - 1));
      if (w.kind !== 'write') this.watchHandles.push(this.addHook(uc_hook_type.HOOK_MEM_READ, this.memCb, begin, w.end - 1));
    }
    const want = watches.length > 0;
    if (want && this.stopperHandle === null) {
      this.stopperHandle = this.addHook(uc_hook_type.HOOK_CODE, this.stopperCb, 1, 0);
      this.engine.flushCode();
    } else if (!want && this.stopperHandle !== null) {
      this.engine.deleteExtraHook(this.stopperHandle);
      this.stopperHandle = null;
      this.engine.flushCode();
    }
    // Cached TLB entries may let accesses bypass the hooks' slow path.
    this.engine.flushTlb();
  }

  /** Single-step mode: each run executes one instruction. */
  setStepping(on: boolean): void {
    if (on !== this.stepping) {
      this.engine.flushCode();
      this.stepping = on;
    }
    this.engine.instructionLimit = on ? 1 : 0;
  }

  /** Removes every hook; the engine runs as if never debugged (never from inside a hook). */
  close(): void {
    for (const address of [...this.breakpoints.keys()]) this.removeBreakpoint(address);
    this.setWatches([]);
    this.setStepping(false);
    this.engine.flushCode();
    // The callbacks stay registered: translations made while they were hooked are gone, but
    // koffi trampolines are cheap and unregistering one Unicorn might still call would crash.
  }
}

// ---- the register file as gdb's amd64 GNU/Linux description has it ----------------------

type RegSpec = { id: number; size: number; read: number };

const GPR: Record<string, number> = {
  rax: uc_x86_reg.X86_REG_RAX, rbx: uc_x86_reg.X86_REG_RBX, rcx: uc_x86_reg.X86_REG_RCX, rdx: uc_x86_reg.X86_REG_RDX,
  rsi: uc_x86_reg.X86_REG_RSI, rdi: uc_x86_reg.X86_REG_RDI, rbp: uc_x86_reg.X86_REG_RBP, rsp: uc_x86_reg.X86_REG_RSP,
  r8: uc_x86_reg.X86_REG_R8, r9: uc_x86_reg.X86_REG_R9, r10: uc_x86_reg.X86_REG_R10, r11: uc_x86_reg.X86_REG_R11,
  r12: uc_x86_reg.X86_REG_R12, r13: uc_x86_reg.X86_REG_R13, r14: uc_x86_reg.X86_REG_R14, r15: uc_x86_reg.X86_REG_R15,
  rip: uc_x86_reg.X86_REG_RIP, fs_base: uc_x86_reg.X86_REG_FS_BASE, gs_base: uc_x86_reg.X86_REG_GS_BASE,
};

function spec(name: string): RegSpec | undefined {
  if (name in GPR) return { id: GPR[name], size: 8, read: 8 };
  if (/^st[0-7]$/.test(name)) return { id: uc_x86_reg.X86_REG_ST0 + Number(name[2]), size: 10, read: 16 };
  if (/^xmm([0-9]|1[0-5])$/.test(name)) return { id: uc_x86_reg.X86_REG_XMM0 + Number(name.slice(3)), size: 16, read: 16 };
  const four: Record<string, number> = {
    eflags: uc_x86_reg.X86_REG_EFLAGS,
    fctrl: uc_x86_reg.X86_REG_FPCW, fstat: uc_x86_reg.X86_REG_FPSW, ftag: uc_x86_reg.X86_REG_FPTAG,
    fiseg: uc_x86_reg.X86_REG_FCS, fioff: uc_x86_reg.X86_REG_FIP, foseg: uc_x86_reg.X86_REG_FDS,
    fooff: uc_x86_reg.X86_REG_FDP, fop: uc_x86_reg.X86_REG_FOP, mxcsr: uc_x86_reg.X86_REG_MXCSR,
  };
  if (name in four) return { id: four[name], size: 4, read: 8 };
  return undefined;
}

/** Registers whose value is a 16-bit quantity in a 4-byte gdb slot. */
const SIXTEEN = new Set(['fctrl', 'fstat', 'ftag', 'fiseg', 'foseg', 'fop']);

function readRaw(engine: CpuEngine, s: RegSpec): Buffer {
  const b = Buffer.alloc(Math.max(s.read, 16));
  check(uc.regReadRaw(engine.handle, s.id, b), 'uc_reg_read');
  return b;
}

/**
 * Selectors as a Linux x86-64 process has them (__USER_CS, __USER_DS; the rest null). The
 * flat CPU Unicorn emulates has no descriptor tables and reports zeros.
 */
const LINUX_SELECTORS: Record<string, number> = { cs: 0x33, ss: 0x2b, ds: 0, es: 0, fs: 0, gs: 0 };

/** A register of the engine's current state by gdb name, little-endian, or null if unknown. */
export function readDebugRegister(engine: CpuEngine, name: string): Uint8Array | null {
  if (name in LINUX_SELECTORS) {
    const out = Buffer.alloc(4);
    out.writeUInt32LE(LINUX_SELECTORS[name]);
    return out;
  }
  const s = spec(name);
  if (s === undefined) return null;
  const raw = readRaw(engine, s);
  const out = Buffer.alloc(s.size);
  raw.copy(out, 0, 0, s.size);
  if (SIXTEEN.has(name)) out.writeUInt32LE(out.readUInt32LE(0) & 0xffff, 0);
  return out;
}

/** Sets a register by gdb name from little-endian bytes; false if it cannot be set. */
export function writeDebugRegister(engine: CpuEngine, name: string, value: Uint8Array): boolean {
  if (name in LINUX_SELECTORS) {
    // Selectors cannot change in a flat CPU: accept only what they already are.
    return value.length === 4 && (Buffer.from(value).readUInt32LE(0) & 0xffff) === LINUX_SELECTORS[name];
  }
  const s = spec(name);
  if (s === undefined || value.length !== s.size) return false;
  const current = readRaw(engine, s);
  if (Buffer.compare(current.subarray(0, s.size), Buffer.from(value)) === 0) return true;
  const b = Buffer.alloc(Math.max(s.read, 16));
  current.copy(b);
  Buffer.from(value).copy(b, 0);
  return uc.regWriteRaw(engine.handle, s.id, b) === 0;
}
