// trampfd v1 (RFC of 28 Jul 2020): trampfd_create(type, data, flags) and kernel-emulated
// trampolines. The application describes a trampoline as contexts (registers to load, data to
// push, PCs it may jump to), maps the fd as one PROT_NONE page and calls the page's invocation
// address; the instruction fetch faults and the kernel does the trampoline's work: loads the
// registers in order (RIP among them), pushes the stack data, and resumes at the target.
// Semantics, limits and errnos follow fs/trampfd/ and arch/x86/kernel/trampfd.c of the v1
// series (../shared/spec/trampfd.md section 1).
//
// Here the fetch fault makes uc_emu_start return (the page has no permissions in ushim's page
// table either); the scheduler calls handleV1Fetch before it would raise SIGSEGV, the
// registers are rewritten, and the task simply runs on (kernel-shim/sched.ts).
import { Errno } from '../errno.js';
import { releaseFile } from '../fs/fdtable.js';
import type { Kernel } from '../kernel.js';
import { MAP_PRIVATE, PAGE_SIZE, PROT_EXEC, PROT_GROWSDOWN, PROT_READ, PROT_WRITE, pageCeil, pageFloor } from '../mm/constants.js';
import type { Task } from '../task.js';
import type { CpuPort, GeneralRegister, RegisterSet } from '../cpu-port.js';
import { hex, traceEvent, tracing, trampolineStats } from './events.js';
import { type ContextMemory, TrampfdFile } from './file.js';
import { type TrampfdMapping, placeTrampfdArea } from './map.js';

export const TRAMPFD_USER = 0;
export const TRAMPFD_NUM_TYPES = 1;

/** Symbolic offsets (enum trampfd_offsets of v1). */
export const TRAMPFD_MAP_OFFSET = 0;
export const TRAMPFD_REGS_OFFSET = 1;
export const TRAMPFD_STACK_OFFSET = 2;
export const TRAMPFD_ALLOWED_PCS_OFFSET = 3;
export const TRAMPFD_NUM_OFFSETS = 4;

const MAP_SIZE = 24;
const REGS_HEADER = 8;
const REG_SIZE = 16;
export const TRAMPFD_MAX_REGS = 40;
const MAX_REGS_SIZE = REGS_HEADER + REG_SIZE * TRAMPFD_MAX_REGS; // 648
const STACK_HEADER = 16;
export const TRAMPFD_MAX_DATA_SIZE = 64;
const MAX_STACK_SIZE = STACK_HEADER + TRAMPFD_MAX_DATA_SIZE; // 80
export const TRAMPFD_MAX_STACK_OFFSET = 256;
export const TRAMPFD_SET_SP = 0x1;
const VALUES_HEADER = 8;
export const TRAMPFD_MAX_PCS = 16;
const MAX_PCS_SIZE = VALUES_HEADER + 8 * TRAMPFD_MAX_PCS; // 136

/** enum reg_64_name of v1: x64_rax = 8 ... x64_r15 = 22, x64_rip = 23, x64_max = 24. */
export const V1_X64_MIN = 8;
export const V1_X64_RIP = 23;
export const V1_X64_MAX = 24;
const V1_X64_REGS: readonly GeneralRegister[] = [
  'rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15', 'rip',
];

/** The mapping parameters of a TRAMPFD_USER trampoline (struct trampfd_map). */
const USER_MAP = { size: PAGE_SIZE, prot: 0, flags: MAP_PRIVATE, offset: 0, ioffset: 0 };

interface RegEntry {
  id: number;
  value: bigint;
}

export class TrampfdV1 extends TrampfdFile {
  /** The register context exactly as written (header + entries), or none. */
  private regs: Uint8Array | null = null;
  private regEntries: RegEntry[] = [];
  /** The stack context as written (header + data), or none. */
  private stack: Uint8Array | null = null;
  private allowedPcs: bigint[] | null = null;
  /**
   * The register context as one batch write: each register once, with its last value (the
   * context is applied in array order), plus rsp when the stack context moves it. Built on
   * the first invocation after a change.
   */
  private compiled: { batch: RegisterSet; rsp: number; target: bigint } | null = null;

  constructor() {
    super(TRAMPFD_NUM_OFFSETS);
  }

  protected blank(): TrampfdV1 {
    return new TrampfdV1();
  }

  protected takeContexts(copy: this): void {
    this.regs = copy.regs;
    this.regEntries = copy.regEntries;
    this.stack = copy.stack;
    this.allowedPcs = copy.allowedPcs;
    this.compiled = null;
  }

  /** The batch that applies the register context (rsp slot: -1 when none), or null. */
  compiledContext(cpu: CpuPort): { batch: RegisterSet; rsp: number; target: bigint } | null {
    if (this.compiled !== null || this.regEntries.length === 0) return this.compiled;
    const values = new Map<GeneralRegister, bigint>();
    for (const e of this.regEntries) values.set(V1_X64_REGS[e.id - V1_X64_MIN], e.value);
    const stack = this.stackContext;
    const names = [...values.keys()];
    if (stack !== null && stack.flags & TRAMPFD_SET_SP) names.push('rsp');
    const batch = cpu.registerSet(names);
    for (const [name, value] of values) batch.set(name, value);
    this.compiled = { batch, rsp: names.indexOf('rsp'), target: values.get('rip')! };
    return this.compiled;
  }

  protected readBytes(mem: ContextMemory, offset: bigint, addr: number, count: number): number {
    let bytes: Uint8Array;
    switch (offset) {
      case BigInt(TRAMPFD_MAP_OFFSET): {
        if (count !== MAP_SIZE) return -Errno.EINVAL;
        bytes = new Uint8Array(MAP_SIZE);
        const dv = new DataView(bytes.buffer);
        [USER_MAP.size, USER_MAP.prot, USER_MAP.flags, USER_MAP.offset, USER_MAP.ioffset, 0].forEach((v, i) => dv.setUint32(4 * i, v, true));
        break;
      }
      case BigInt(TRAMPFD_REGS_OFFSET):
        if (count < REGS_HEADER || count > MAX_REGS_SIZE) return -Errno.EINVAL;
        bytes = this.regs ?? new Uint8Array(REGS_HEADER);
        break;
      case BigInt(TRAMPFD_STACK_OFFSET):
        if (count < STACK_HEADER || count > MAX_STACK_SIZE) return -Errno.EINVAL;
        bytes = this.stack ?? new Uint8Array(STACK_HEADER);
        break;
      default:
        return -Errno.EINVAL;
    }
    // Only the context's own bytes are copied; a read still returns count.
    return mem.write(addr, bytes.subarray(0, Math.min(bytes.length, count))) ? count : -Errno.EFAULT;
  }

  protected writeBytes(mem: ContextMemory, offset: bigint, addr: number, count: number): number {
    switch (offset) {
      case BigInt(TRAMPFD_REGS_OFFSET): return this.setRegs(mem, addr, count);
      case BigInt(TRAMPFD_STACK_OFFSET): return this.setStack(mem, addr, count);
      case BigInt(TRAMPFD_ALLOWED_PCS_OFFSET): return this.setAllowedPcs(mem, addr, count);
      default: return -Errno.EINVAL;
    }
  }

  private setRegs(mem: ContextMemory, addr: number, count: number): number {
    if (count < REGS_HEADER || count > MAX_REGS_SIZE) return -Errno.EINVAL;
    const bytes = mem.read(addr, count);
    if (bytes === null) return -Errno.EFAULT;
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    const nregs = dv.getUint32(0, true);
    if (dv.getUint32(4, true) !== 0 || nregs > TRAMPFD_MAX_REGS || REGS_HEADER + REG_SIZE * nregs !== count) return -Errno.EINVAL;
    const entries: RegEntry[] = [];
    let pcSet = false;
    for (let i = 0; i < nregs; i++) {
      const at = REGS_HEADER + REG_SIZE * i;
      const id = dv.getUint32(at, true);
      const value = dv.getBigUint64(at + 8, true);
      if (id < V1_X64_MIN || id >= V1_X64_MAX || dv.getUint32(at + 4, true) !== 0) return -Errno.EINVAL;
      if (id === V1_X64_RIP && value !== 0n) pcSet = true;
      entries.push({ id, value });
    }
    if (nregs > 0 && !pcSet) return -Errno.EINVAL;
    if (nregs === 0) {
      this.regs = null;
      this.regEntries = [];
      this.compiled = null;
      return count;
    }
    // trampfd_allowed_pc: the last PC entry counts.
    if (this.allowedPcs !== null) {
      let pc = 0n;
      for (const e of entries) if (e.id === V1_X64_RIP) pc = e.value;
      if (!this.allowedPcs.includes(pc)) return -Errno.EINVAL;
    }
    this.regs = bytes.slice();
    this.regEntries = entries;
    this.compiled = null;
    return count;
  }

  private setStack(mem: ContextMemory, addr: number, count: number): number {
    if (count < STACK_HEADER || count > MAX_STACK_SIZE) return -Errno.EINVAL;
    const bytes = mem.read(addr, count);
    if (bytes === null) return -Errno.EFAULT;
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    const flags = dv.getUint32(0, true);
    const off = dv.getUint32(4, true);
    const size = dv.getUint32(8, true);
    if (dv.getUint32(12, true) !== 0 || size > TRAMPFD_MAX_DATA_SIZE || STACK_HEADER + size !== count) return -Errno.EINVAL;
    if (size === 0) {
      this.stack = null;
      this.compiled = null;
      return count;
    }
    if (flags & ~TRAMPFD_SET_SP || off > TRAMPFD_MAX_STACK_OFFSET) return -Errno.EINVAL;
    this.stack = bytes.slice();
    this.compiled = null;
    return count;
  }

  /** Setting the list does not re-check a register context already installed (as in the RFC). */
  private setAllowedPcs(mem: ContextMemory, addr: number, count: number): number {
    if (count < VALUES_HEADER || count > MAX_PCS_SIZE) return -Errno.EINVAL;
    const bytes = mem.read(addr, count);
    if (bytes === null) return -Errno.EFAULT;
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    const n = dv.getUint32(0, true);
    if (dv.getUint32(4, true) !== 0 || n > TRAMPFD_MAX_PCS || VALUES_HEADER + 8 * n !== count) return -Errno.EINVAL;
    const values: bigint[] = [];
    for (let i = 0; i < n; i++) {
      const v = dv.getBigUint64(VALUES_HEADER + 8 * i, true);
      if (v === 0n) return -Errno.EINVAL;
      values.push(v);
    }
    this.allowedPcs = n === 0 ? null : values;
    return count;
  }

  /** The register context in array order (empty: none installed). */
  get registerContext(): readonly RegEntry[] {
    return this.regEntries;
  }

  /** {flags, offset, data} of the stack context, or null. */
  get stackContext(): { flags: number; offset: number; data: Uint8Array } | null {
    const s = this.stack;
    if (s === null) return null;
    const dv = new DataView(s.buffer, s.byteOffset, s.length);
    return { flags: dv.getUint32(0, true), offset: dv.getUint32(4, true), data: s.subarray(STACK_HEADER) };
  }
}

/** trampfd_create(type, data, flags). */
export function trampfdCreate(k: Kernel, t: Task, type: number, dataAddr: number, flags: number): number {
  if (flags !== 0 || dataAddr === 0) return -Errno.EINVAL;
  if (type < 0 || type >= TRAMPFD_NUM_TYPES) return -Errno.EINVAL;
  const user = t.process.mm.read(dataAddr, 8);
  if (user === null) return -Errno.EFAULT;
  const dv = new DataView(user.buffer);
  if (dv.getUint32(0, true) !== 0 || dv.getUint32(4, true) !== 0) return -Errno.EINVAL;
  const file = new TrampfdV1();
  // get_unused_fd_flags(O_CLOEXEC): always close-on-exec.
  const fd = t.process.fds.install(file, true);
  if (fd < 0) {
    releaseFile(file);
    return fd;
  }
  trampolineStats(k).v1Created++;
  return fd;
}

/** mmap of a v1 trampfd: mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE, fd, 0) and nothing else. */
export function mmapV1(t: Task, file: TrampfdV1, hint: number, length: number, prot: number, flags: number, offset: number): number {
  // trampfd_get_unmapped_area: the mapping parameters, exactly (the length after rounding).
  if (pageCeil(length) !== USER_MAP.size || offset !== USER_MAP.offset || flags !== USER_MAP.flags) return -Errno.EINVAL;
  if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN)) return -Errno.EINVAL;
  // trampfd_mmap: no permission at all.
  if (prot & (PROT_READ | PROT_WRITE | PROT_EXEC)) return -Errno.EINVAL;
  const special: TrampfdMapping = {
    kind: 'trampfd-v1', file, dontCopy: true, denyProt: PROT_READ | PROT_WRITE | PROT_EXEC,
  };
  return placeTrampfdArea(t.process.mm, hint, 0, flags, { kind: 'anon' }, 0, special);
}

/**
 * An instruction fetch faulted: if the task's RIP is in a v1 trampoline's page and is its
 * invocation address, do the trampoline and return true (the task continues at the target).
 * False: the fault stands (SIGSEGV), possibly with the registers already loaded (a stack push
 * that faulted), as in the RFC. The page the TLB reported is not trusted: RIP says where the
 * fetch was (an instruction that runs on into a trampoline page starts outside it: refused).
 */
export function handleV1Fetch(k: Kernel, task: Task, _page: number): boolean {
  const mm = task.process.mm;
  const engine = task.kernel.cpu;
  const regs = engine.readRegisters();
  const rip = Number(regs.rip);
  const area = mm.areas.find(rip);
  const special = area?.special as TrampfdMapping | undefined;
  if (area === undefined || special?.kind !== 'trampfd-v1') return false;
  const tramp = special.file as TrampfdV1;
  const stats = trampolineStats(k);
  const invocation = area.start + USER_MAP.ioffset;
  if (rip !== invocation) {
    stats.v1Refused++;
    if (tracing(k)) traceEvent(k, task, `trampfd_v1 {addr=${hex(rip)}, refused="not the invocation address ${hex(invocation)}"}`);
    return false;
  }
  const context = tramp.compiledContext(engine);
  if (context === null) {
    stats.v1Refused++;
    if (tracing(k)) traceEvent(k, task, `trampfd_v1 {addr=${hex(rip)}, refused="no register context"}`);
    return false;
  }
  const stack = tramp.stackContext;
  let pushed = true;
  if (stack !== null) {
    const oldSp = regs.rsp;
    let sp = BigInt.asUintN(64, oldSp - BigInt(stack.data.length) - BigInt(stack.offset));
    if (stack.flags & TRAMPFD_SET_SP) sp = BigInt.asUintN(64, (sp & ~15n) - 8n);
    // access_ok(sp, RSP - sp), then copy_to_user(sp, data, size); RSP moves only if that worked.
    pushed = sp <= oldSp && oldSp <= 2n ** 47n && mm.write(Number(sp), stack.data);
    if (context.rsp >= 0) context.batch.setBigint(context.rsp, pushed ? sp : oldSp);
  }
  context.batch.write();
  if (!pushed) {
    // RIP is the target now; the fault is still the trampoline's (fetchFaultAddress).
    k.trampfd.refusedAt = { task, addr: rip };
    stats.v1Refused++;
    if (tracing(k)) traceEvent(k, task, `trampfd_v1 {addr=${hex(rip)}, target=${hex(context.target)}, refused="stack push faulted"}`);
    return false;
  }
  stats.v1Invocations++;
  if (tracing(k)) traceEvent(k, task, `trampfd_v1 {addr=${hex(rip)}, target=${hex(context.target)}}`);
  return true;
}

/**
 * The address an instruction-fetch fault is about (si_addr, cr2). The TLB reports a page;
 * RIP is exact: if its page may not be executed (no PROT_EXEC, or nothing mapped), the fetch
 * at RIP itself faulted (a jump or call there); otherwise the instruction at RIP ran on into
 * the next page, whose first byte is what faulted.
 */
export function fetchFaultAddress(task: Task, _page: number): number {
  const refused = task.kernel.trampfd.refusedAt;
  task.kernel.trampfd.refusedAt = undefined;
  if (refused?.task === task) return refused.addr;
  const rip = Number(task.kernel.cpu.readRegister('rip'));
  const area = task.process.mm.areas.find(rip);
  return area === undefined || !(area.prot & PROT_EXEC) ? rip : pageFloor(rip) + PAGE_SIZE;
}
