// A scripted stand-in for the machine, implementing the gdb stub's Target: a register file
// per thread, a few mapped pages, and a "program" of instructions keyed by address. Every
// instruction is insnSize bytes long (default 4); an address with no entry is a no-op.
// Stepping runs one instruction; continuing runs instructions round-robin over the resumed
// threads in slices on the event loop until a breakpoint, watchpoint, fault, exit or
// interrupt stops it.

import {
  AMD64_REGISTERS,
  REG,
  SIGINT,
  SIGSEGV,
  type BreakpointType,
  type ResumeAction,
  type StopEvent,
  type StopListener,
  type Target,
  type WatchType,
} from '../../emu/debug/target.js';

export type FakeOp =
  | { readonly op: 'nop' }
  /** reg += value */
  | { readonly op: 'add'; readonly reg: number; readonly value: bigint }
  | { readonly op: 'store'; readonly address: bigint; readonly data: readonly number[] }
  | { readonly op: 'load'; readonly address: bigint; readonly length: number }
  | { readonly op: 'jump'; readonly to: bigint }
  | { readonly op: 'exit'; readonly status: number }
  /** A faulting instruction: stops with the signal, rip left on the instruction. */
  | { readonly op: 'fault'; readonly signal: number }
  /** execve: one thread left, registers reset, rip = entry (default CODE). */
  | { readonly op: 'exec'; readonly path: string; readonly entry?: bigint }
  | { readonly op: 'fork'; readonly childPid: number };

export interface FakeRegion {
  readonly start: bigint;
  readonly data: Buffer;
  readonly perms: string; // 'r-xp', 'rw-p', ...
  readonly name: string;
}

export interface FakeTargetOptions {
  pid?: number;
  /** Thread ids; the first is the main thread. Default [pid]. */
  threads?: number[];
  insnSize?: number;
  program?: ReadonlyMap<bigint, FakeOp>;
  execPath?: string;
  /** Extra files readable through readFile (path -> contents). */
  files?: ReadonlyMap<string, Uint8Array>;
  /** Instructions per slice while continuing. */
  slice?: number;
  /** Report stops synchronously from inside resume() (default: on a later tick). */
  sync?: boolean;
}

export const CODE = 0x1000n;
export const DATA = 0x2000n;
export const STACK_TOP = 0x7ffffffff000n;
export const STACK_SIZE = 0x21000;

/** The first bytes of the code page: push %rbp; mov %rsp,%rbp; ... */
export const CODE_BYTES = [0x55, 0x48, 0x89, 0xe5, 0x48, 0x83, 0xc0, 0x01];

function u64(v: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt.asUintN(64, v));
  return b;
}

export class FakeTarget implements Target {
  readonly pid: number;
  readonly regions: FakeRegion[];
  readonly program: Map<bigint, FakeOp>;
  readonly insnSize: number;
  execPath: string;
  private tids: number[];
  private readonly regs = new Map<number, Map<number, Buffer>>();
  private readonly files: ReadonlyMap<string, Uint8Array>;
  private readonly sliceSize: number;
  private readonly sync: boolean;

  readonly swBreakpoints = new Set<bigint>();
  readonly hwBreakpoints = new Set<bigint>();
  readonly watchpoints: { type: WatchType; address: bigint; length: number }[] = [];

  /** Every resume, interrupt, kill and detach, for tests to inspect. */
  readonly log: string[] = [];
  /** Signals delivered on resume, in order. */
  readonly delivered: { tid: number; signal: number }[] = [];

  state: 'stopped' | 'running' | 'exited' | 'killed' | 'detached' = 'stopped';
  private actions: readonly ResumeAction[] = [];
  private interruptRequested = false;
  private listener: StopListener | null = null;
  private generation = 0;

  constructor(options: FakeTargetOptions = {}) {
    this.pid = options.pid ?? 100;
    this.tids = [...(options.threads ?? [this.pid])];
    this.insnSize = options.insnSize ?? 4;
    this.program = new Map(options.program ?? []);
    this.execPath = options.execPath ?? '/fake/prog';
    this.files = options.files ?? new Map();
    this.sliceSize = options.slice ?? 64;
    this.sync = options.sync ?? false;
    const code = Buffer.alloc(0x1000, 0x90);
    Buffer.from(CODE_BYTES).copy(code);
    this.regions = [
      { start: CODE, data: code, perms: 'r-xp', name: this.execPath },
      { start: DATA, data: Buffer.alloc(0x1000), perms: 'rw-p', name: this.execPath },
      { start: STACK_TOP - BigInt(STACK_SIZE), data: Buffer.alloc(STACK_SIZE), perms: 'rw-p', name: '[stack]' },
    ];
    for (const [i, tid] of this.tids.entries()) this.regs.set(tid, this.initialRegisters(i));
  }

  private initialRegisters(index: number): Map<number, Buffer> {
    const m = new Map<number, Buffer>();
    for (const r of AMD64_REGISTERS) m.set(r.regno, Buffer.alloc(r.size));
    m.set(REG.rip, u64(CODE));
    m.set(REG.rsp, u64(STACK_TOP - 0x100n - BigInt(index) * 0x1000n));
    m.set(REG.rax, u64(0x1111n * BigInt(index + 1)));
    m.set(REG.rbx, u64(0xdeadbeefcafef00dn));
    m.set(REG.orig_rax, u64(-1n));
    m.set(REG.fs_base, u64(0x2800n));
    const w32 = (v: number): Buffer => {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(v);
      return b;
    };
    m.set(REG.eflags, w32(0x202));
    m.set(REG.cs, w32(0x33));
    m.set(REG.ss, w32(0x2b));
    m.set(REG.fctrl, w32(0x37f));
    m.set(REG.mxcsr, w32(0x1f80));
    return m;
  }

  // ---- convenience for tests ----------------------------------------------------------

  reg(tid: number, regno: number): bigint {
    const b = this.regs.get(tid)?.get(regno);
    if (!b) throw new Error(`no register ${regno} for ${tid}`);
    return b.length === 8 ? b.readBigUInt64LE() : BigInt(b.readUIntLE(0, Math.min(b.length, 6)));
  }

  setReg(tid: number, regno: number, value: bigint): void {
    this.regs.get(tid)?.set(regno, u64(value).subarray(0, AMD64_REGISTERS[regno].size));
  }

  /** Emit a stop event as the machine would (tests use it for spontaneous stops). */
  report(event: StopEvent): void {
    this.deliver(event);
  }

  // ---- Target -------------------------------------------------------------------------

  threads(): readonly number[] {
    return this.state === 'exited' || this.state === 'killed' ? [] : this.tids;
  }

  threadName(tid: number): string | null {
    return this.tids.includes(tid) ? (tid === this.pid ? 'prog' : `worker-${tid}`) : null;
  }

  readRegister(tid: number, regno: number): Uint8Array | null {
    const v = this.regs.get(tid)?.get(regno);
    return v ? Buffer.from(v) : null;
  }

  writeRegister(tid: number, regno: number, value: Uint8Array): boolean {
    const m = this.regs.get(tid);
    if (!m || regno >= AMD64_REGISTERS.length || value.length !== AMD64_REGISTERS[regno].size) return false;
    m.set(regno, Buffer.from(value));
    return true;
  }

  private region(address: bigint, length: number): { r: FakeRegion; off: number } | null {
    for (const r of this.regions) {
      const end = r.start + BigInt(r.data.length);
      if (address >= r.start && address + BigInt(length) <= end) return { r, off: Number(address - r.start) };
    }
    return null;
  }

  readMemory(address: bigint, length: number): Uint8Array | null {
    const hit = this.region(address, length);
    return hit ? Buffer.from(hit.r.data.subarray(hit.off, hit.off + length)) : null;
  }

  writeMemory(address: bigint, data: Uint8Array): boolean {
    const hit = this.region(address, data.length);
    if (!hit) return false;
    Buffer.from(data).copy(hit.r.data, hit.off);
    return true;
  }

  insertBreakpoint(type: BreakpointType, address: bigint, _kind: number): boolean {
    if (!this.region(address, 1)) return false;
    (type === 'software' ? this.swBreakpoints : this.hwBreakpoints).add(address);
    return true;
  }

  removeBreakpoint(type: BreakpointType, address: bigint, _kind: number): boolean {
    return (type === 'software' ? this.swBreakpoints : this.hwBreakpoints).delete(address);
  }

  insertWatchpoint(type: WatchType, address: bigint, length: number): boolean {
    if (this.watchpoints.length >= 4) return false; // like the four x86 debug registers
    this.watchpoints.push({ type, address, length });
    return true;
  }

  removeWatchpoint(type: WatchType, address: bigint, length: number): boolean {
    const i = this.watchpoints.findIndex((w) => w.type === type && w.address === address && w.length === length);
    if (i < 0) return false;
    this.watchpoints.splice(i, 1);
    return true;
  }

  resume(actions: readonly ResumeAction[]): void {
    if (this.state !== 'stopped') throw new Error(`resume while ${this.state}`);
    this.log.push(
      'resume ' + actions.map((a) => `${a.tid}:${a.step ? 's' : 'c'}${a.signal ? a.signal : ''}`).join(','),
    );
    this.state = 'running';
    this.actions = actions;
    this.interruptRequested = false;
    const gen = ++this.generation;
    // Pending signals: with no handlers in the fake, a delivered signal (other than
    // SIGTRAP/SIGINT, which gdb does not pass) kills the process.
    for (const a of actions) {
      if (a.signal === 0) continue;
      this.delivered.push({ tid: a.tid, signal: a.signal });
      this.finish({ reason: 'killed', signal: a.signal });
      return;
    }
    if (this.sync) this.runSlice(gen);
    else setImmediate(() => this.runSlice(gen));
  }

  interrupt(): void {
    this.log.push('interrupt');
    if (this.state === 'running') this.interruptRequested = true;
  }

  kill(): void {
    this.log.push('kill');
    this.generation++;
    this.state = 'killed';
  }

  detach(): void {
    this.log.push('detach');
    this.generation++;
    this.swBreakpoints.clear();
    this.hwBreakpoints.clear();
    this.watchpoints.length = 0;
    this.state = 'detached';
  }

  auxv(): Uint8Array | null {
    const entries: [number, bigint][] = [
      [6, 0x1000n], // AT_PAGESZ
      [9, CODE], // AT_ENTRY
      [11, 1000n], // AT_UID
      [0, 0n], // AT_NULL
    ];
    const b = Buffer.alloc(entries.length * 16);
    entries.forEach(([k, v], i) => {
      b.writeBigUInt64LE(BigInt(k), i * 16);
      b.writeBigUInt64LE(v, i * 16 + 8);
    });
    return b;
  }

  execFile(): string | null {
    return this.execPath;
  }

  mapsText(): string {
    return this.regions
      .map((r) => {
        const end = r.start + BigInt(r.data.length);
        const pad = (v: bigint): string => v.toString(16).padStart(8, '0');
        const head = `${pad(r.start)}-${pad(end)} ${r.perms} 00000000 00:00 0`;
        return r.name === '' ? head + '\n' : head.padEnd(73) + r.name + '\n';
      })
      .join('');
  }

  readFile(path: string): Uint8Array | null {
    const extra = this.files.get(path);
    if (extra) return extra;
    const m = /^\/proc\/(\d+|self)\/(.*)$/.exec(path);
    if (m === null || (m[1] !== 'self' && Number(m[1]) !== this.pid)) return null;
    switch (m[2]) {
      case 'maps':
        return Buffer.from(this.mapsText());
      case 'cmdline':
        return Buffer.from(`${this.execPath}\0--fake\0`);
      case 'auxv':
        return this.auxv();
      default:
        return null;
    }
  }

  setStopListener(listener: StopListener | null): void {
    this.listener = listener;
  }

  // ---- execution ----------------------------------------------------------------------

  private deliver(event: StopEvent): void {
    this.listener?.(event);
  }

  private finish(event: StopEvent): void {
    if (event.reason === 'exited') this.state = 'exited';
    else if (event.reason === 'killed') this.state = 'killed';
    else this.state = 'stopped';
    this.generation++;
    if (this.sync) this.deliver(event);
    else setImmediate(() => this.deliver(event));
  }

  private runSlice(gen: number): void {
    if (gen !== this.generation || this.state !== 'running') return;
    const stepping = this.actions.find((a) => a.step);
    if (stepping) {
      const ev = this.execute(stepping.tid);
      this.finish(ev ?? { reason: 'step', tid: stepping.tid });
      return;
    }
    for (let n = 0; n < this.sliceSize; n++) {
      if (this.interruptRequested) {
        this.finish({ reason: 'signal', tid: this.actions[0].tid, signal: SIGINT });
        return;
      }
      for (const a of this.actions) {
        const rip = this.reg(a.tid, REG.rip);
        if (this.swBreakpoints.has(rip) || this.hwBreakpoints.has(rip)) {
          this.finish({ reason: 'breakpoint', tid: a.tid, type: this.swBreakpoints.has(rip) ? 'software' : 'hardware' });
          return;
        }
        const ev = this.execute(a.tid);
        if (ev) {
          if (ev.reason === 'fork') {
            // Report and keep going: the stub resumes us if it does not follow forks.
            this.finish(ev);
            return;
          }
          this.finish(ev);
          return;
        }
      }
    }
    setImmediate(() => this.runSlice(gen));
  }

  /** Run one instruction of a thread; a stop event if it stops, else null. */
  private execute(tid: number): StopEvent | null {
    const rip = this.reg(tid, REG.rip);
    const hit = this.region(rip, this.insnSize);
    if (!hit || hit.r.perms[2] !== 'x') return { reason: 'signal', tid, signal: SIGSEGV };
    const op = this.program.get(rip) ?? { op: 'nop' };
    let next = rip + BigInt(this.insnSize);
    let event: StopEvent | null = null;
    switch (op.op) {
      case 'nop':
        break;
      case 'add':
        this.setReg(tid, op.reg, this.reg(tid, op.reg) + op.value);
        break;
      case 'store':
        if (!this.writeMemory(op.address, Buffer.from(op.data))) return { reason: 'signal', tid, signal: SIGSEGV };
        event = this.watchHit(tid, op.address, op.data.length, 'write');
        break;
      case 'load':
        if (!this.readMemory(op.address, op.length)) return { reason: 'signal', tid, signal: SIGSEGV };
        event = this.watchHit(tid, op.address, op.length, 'read');
        break;
      case 'jump':
        next = op.to;
        break;
      case 'exit':
        return { reason: 'exited', status: op.status };
      case 'fault':
        return { reason: 'signal', tid, signal: op.signal };
      case 'exec':
        this.execPath = op.path;
        this.tids = [this.pid];
        for (const t of [...this.regs.keys()]) if (t !== this.pid) this.regs.delete(t);
        this.regs.set(this.pid, this.initialRegisters(0));
        this.setReg(this.pid, REG.rip, op.entry ?? CODE);
        this.swBreakpoints.clear();
        this.hwBreakpoints.clear();
        this.watchpoints.length = 0;
        return { reason: 'exec', tid: this.pid, path: op.path };
      case 'fork':
        event = { reason: 'fork', tid, childPid: op.childPid, childTid: op.childPid, vfork: false };
        break;
    }
    this.setReg(tid, REG.rip, next);
    return event;
  }

  private watchHit(tid: number, address: bigint, length: number, access: 'write' | 'read'): StopEvent | null {
    const end = address + BigInt(length);
    for (const w of this.watchpoints) {
      if (w.type !== access && w.type !== 'access') continue;
      const wend = w.address + BigInt(w.length);
      if (address < wend && w.address < end) {
        return { reason: 'watchpoint', tid, type: w.type, address: address > w.address ? address : w.address };
      }
    }
    return null;
  }
}
