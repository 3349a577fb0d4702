// --trace: execution tracing. `insn` prints every executed instruction with its Capstone
// disassembly (Intel syntax) and, with `regs`, the registers it changed; `block` prints one
// line each time a translated block is entered (executed, not translated: a translation
// happens once and is then reused, so per-translation lines would say what Unicorn's code
// cache did, not what the program did; a loop body shows once per iteration here).
//
// Lines (tid prefix once a second thread or process has existed, as strace -f does):
//   0x401000 <_start>: mov eax, 1
//       rax=0x1                       (insn,regs: what the line above changed)
//   block 0x401000 <_start>: 5 insns, 20 bytes
//
// The hooks are the engine's instrumentation hooks (cpu/trace-hooks.ts), bounded to the
// --trace-range ranges when there are any, so code outside them runs at full speed; without
// --trace nothing is hooked at all. Instruction bytes are read through the page table
// without faulting anything in. Output is buffered and flushed before every `syscall`
// instruction (so it interleaves correctly with the guest's own output and --strace), when
// the buffer is large, and at exit.
import type { Kernel } from '../../kernel-shim/kernel.js';
import type { AddressSpace } from '../../kernel-shim/mm/addrspace.js';
import { PAGE_SIZE } from '../../kernel-shim/mm/constants.js';
import type { Task } from '../../kernel-shim/task.js';
import { disassemble } from '../../host/capstone.js';
import { GENERAL_REGISTERS } from '../../cpu/registers.js';
import type { RegisterValues } from '../../kernel-shim/cpu-port.js';
import { type InstrumentHooks, ReplayFilter } from '../../cpu/trace-hooks.js';
import { SymbolTables } from './symbols.js';

export interface TraceRange {
  start: number;
  /** Exclusive, as in /proc/self/maps. */
  end: number;
}

export interface TraceOptions {
  insn: boolean;
  /** With insn: the registers each instruction changed (rip excepted), on the next line. */
  regs: boolean;
  block: boolean;
  /** Only code in these ranges is traced (instructions; blocks that start in them); none: everything. */
  ranges: readonly TraceRange[];
  write(text: string): void;
}

const FLUSH_CHARS = 1 << 16;
const BRANCH = /^(?:call|j[a-z]+) 0x([0-9a-f]+)$/;
const MAX_INSN = 15;

/** Bytes [addr, addr + len) of guest memory if every page is present; never faults pages in. */
export function peekGuest(mm: AddressSpace, addr: number, len: number): Uint8Array | null {
  const out = new Uint8Array(len);
  const memory = mm.frames.memory;
  let done = 0;
  while (done < len) {
    const va = addr + done;
    const within = va % PAGE_SIZE;
    const n = Math.min(len - done, PAGE_SIZE - within);
    const frame = mm.residentFrame(va - within);
    if (frame < 0) return null;
    const phys = frame + within;
    out.set(memory.bytesAt(phys, n), done);
    done += n;
  }
  return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

interface Decoded {
  bytes: Uint8Array;
  texts: string[];
}

export class ExecutionTracer {
  private buffer: string[] = [];
  private buffered = 0;
  private multi = false;
  /** Per task, the registers at its previous traced instruction (insn,regs). */
  private readonly previous = new WeakMap<Task, RegisterValues>();
  /** Disassembly by address (instructions, blocks), revalidated against the bytes (self-modifying code, exec). */
  private readonly insns = new Map<number, Decoded>();
  private readonly blocks = new Map<number, Decoded>();
  private readonly symbols = new SymbolTables();
  private replays: ReplayFilter<Task> | undefined;

  constructor(
    private readonly k: Kernel,
    private readonly options: TraceOptions,
  ) {}

  /** Adds the hooks; call before the guest's code is translated, or it flushes translations. */
  attach(hooks: InstrumentHooks): void {
    this.replays = new ReplayFilter(hooks.engine);
    const bounds: [number, number][] = this.options.ranges.length === 0 ? [[1, 0]] : this.options.ranges.map((r) => [r.start, r.end - 1]);
    for (const [begin, end] of bounds) {
      if (this.options.insn || this.options.regs) hooks.addCode(begin, end, (a, s) => this.onInstruction(a, s));
      if (this.options.block) hooks.addBlock(begin, end, (a, s) => this.onBlock(a, s));
    }
    hooks.engine.flushCode();
  }

  flush(): void {
    if (this.buffer.length === 0) return;
    const text = this.buffer.join('');
    this.buffer = [];
    this.buffered = 0;
    this.options.write(text);
  }

  private emit(line: string): void {
    this.buffer.push(line, '\n');
    this.buffered += line.length + 1;
    if (this.buffered >= FLUSH_CHARS) this.flush();
  }

  private prefix(task: Task): string {
    if (!this.multi) {
      let n = 0;
      for (const p of this.k.processes.values()) n += p.tasks.length;
      this.multi = n > 1;
    }
    return this.multi ? `[pid ${task.tid}] ` : '';
  }

  /** Disassembles up to `count` instructions of `bytes` at addr (cached). */
  private decode(cache: Map<number, Decoded>, task: Task, addr: number, size: number, count: number): string[] {
    const bytes = peekGuest(task.process.mm, addr, size);
    if (bytes === null) return ['(not readable)'];
    const hit = cache.get(addr);
    if (hit !== undefined && sameBytes(hit.bytes, bytes)) return hit.texts;
    const insns = disassemble(bytes, BigInt(addr), count);
    const texts = insns.length === 0 ? [`(bad) ${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ')}`] : insns.map((i) => i.text);
    cache.set(addr, { bytes, texts });
    return texts;
  }

  private onInstruction(address: number, size: number): void {
    const task = this.k.current;
    if (task === undefined || this.replays?.repeated(task, address)) return;
    const prefix = this.prefix(task);
    if (this.options.regs) this.changedRegisters(task, prefix);
    const text = this.decode(this.insns, task, address, Math.min(Math.max(size, 1), MAX_INSN), 1)[0];
    const symbols = this.symbols.of(task.process);
    // Direct call/jump targets get their symbol too: "call 0x40a860 <puts>".
    const target = BRANCH.exec(text);
    const where = target === null ? '' : symbols.describe(parseInt(target[1], 16));
    this.emit(`${prefix}0x${address.toString(16)}${symbols.describe(address)}: ${text}${where}`);
    if (text === 'syscall') this.flush();
  }

  private changedRegisters(task: Task, prefix: string): void {
    const now = task.kernel.cpu.readRegisters();
    const before = this.previous.get(task);
    this.previous.set(task, now);
    if (before === undefined) return;
    const changed: string[] = [];
    for (const r of GENERAL_REGISTERS) {
      if (r !== 'rip' && now[r] !== before[r]) changed.push(`${r}=0x${now[r].toString(16)}`);
    }
    if (changed.length > 0) this.emit(`${prefix}    ${changed.join(' ')}`);
  }

  private onBlock(address: number, size: number): void {
    const task = this.k.current;
    if (task === undefined) return;
    const texts = size > 0 ? this.decode(this.blocks, task, address, size, 0) : [];
    this.emit(`${this.prefix(task)}block 0x${address.toString(16)}${this.symbols.of(task.process).describe(address)}: ${texts.length} insns, ${size} bytes`);
    if (texts[texts.length - 1] === 'syscall') this.flush();
  }
}
