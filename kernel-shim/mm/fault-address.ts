// The exact address of a user-mode page fault. Unicorn's TLB fill hook only says which page
// missed; the faulting instruction (RIP still points at it) says where in the page: its
// memory operands are decoded with Capstone and evaluated with the task's registers.
// Used by userfaultfd for UFFD_FEATURE_EXACT_ADDRESS and for SIGBUS's si_addr.
import { disassemble } from '../../host/capstone.js';
import { Access, type RegisterValues } from '../cpu-port.js';
import type { Task } from '../task.js';
import { PAGE_SIZE } from './constants.js';

const SIZES: Record<string, number> = {
  byte: 1, word: 2, dword: 4, fword: 6, qword: 8, tbyte: 10, xmmword: 16, ymmword: 32, zmmword: 64,
};

const REG64 = ['rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'rsp'] as const;

/** A register named in an address: 64-bit names, their 32-bit forms (address-size prefix), r8d... */
function registerValue(name: string, regs: RegisterValues, nextRip: bigint): bigint | undefined {
  if (name === 'rip') return nextRip;
  if (name === 'eip') return nextRip & 0xffffffffn;
  if ((REG64 as readonly string[]).includes(name)) return regs[name as (typeof REG64)[number]];
  if (/^r(8|9|1[0-5])$/.test(name)) return regs[name as keyof RegisterValues];
  if (/^r(8|9|1[0-5])d$/.test(name)) return regs[name.slice(0, -1) as keyof RegisterValues] & 0xffffffffn;
  if (/^e(ax|bx|cx|dx|si|di|bp|sp)$/.test(name)) return regs[`r${name.slice(1)}` as keyof RegisterValues] & 0xffffffffn;
  return undefined;
}

/** Evaluates "rax + rcx*4 - 0x10" (Capstone's Intel syntax); undefined if unknown. */
function evaluate(expr: string, regs: RegisterValues, nextRip: bigint): bigint | undefined {
  let total = 0n;
  const terms = expr.replace(/\s+/g, '').match(/[+-]?[^+-]+/g) ?? [];
  for (const term of terms) {
    const negative = term.startsWith('-');
    const body = term.replace(/^[+-]/, '');
    let value: bigint | undefined;
    const scaled = /^([a-z0-9]+)\*(\d+)$/.exec(body);
    if (scaled !== null) {
      const r = registerValue(scaled[1], regs, nextRip);
      value = r === undefined ? undefined : r * BigInt(scaled[2]);
    } else if (/^(0x[0-9a-f]+|\d+)$/.test(body)) {
      value = BigInt(body);
    } else {
      value = registerValue(body, regs, nextRip);
    }
    if (value === undefined) return undefined;
    total += negative ? -value : value;
  }
  return BigInt.asUintN(64, total);
}

interface Operand {
  address: number;
  size: number;
}

/** The memory operands of one decoded instruction, with their effective addresses. */
function memoryOperands(mnemonic: string, ops: string, regs: RegisterValues, nextRip: bigint): Operand[] {
  if (/^(lea|nop)/.test(mnemonic)) return [];
  const out: Operand[] = [];
  const re = /(?:([a-z]+) ptr )?(?:([cdefgs]s):)?\[([^\]]+)\]/g;
  for (let m = re.exec(ops); m !== null; m = re.exec(ops)) {
    let ea = evaluate(m[3], regs, nextRip);
    if (ea === undefined) continue;
    if (m[2] === 'fs') ea = BigInt.asUintN(64, ea + regs.fs_base);
    if (m[2] === 'gs') ea = BigInt.asUintN(64, ea + regs.gs_base);
    out.push({ address: Number(ea), size: SIZES[m[1] ?? ''] ?? 1 });
  }
  return out;
}

/** The instruction at the task's rip, decoded, with its memory operands; null if unreadable. */
function decodeAt(task: Task): { mnemonic: string; operands: Operand[]; regs: RegisterValues } | null {
  const regs = task.kernel.cpu.readRegisters();
  const rip = regs.rip;
  const at = Number(rip);
  const room = PAGE_SIZE - (at % PAGE_SIZE);
  const code = task.process.mm.read(at, 15) ?? task.process.mm.read(at, Math.min(15, room));
  if (code === null) return null;
  const insn = disassemble(code, rip, 1)[0];
  if (insn === undefined) return null;
  const space = insn.text.indexOf(' ');
  let mnemonic = space < 0 ? insn.text : insn.text.slice(0, space);
  let ops = space < 0 ? '' : insn.text.slice(space + 1);
  if (/^(rep|repe|repne|repz|repnz|lock|notrack|bnd)$/.test(mnemonic)) {
    const s2 = ops.indexOf(' ');
    mnemonic = s2 < 0 ? ops : ops.slice(0, s2);
    ops = s2 < 0 ? '' : ops.slice(s2 + 1);
  }
  return { mnemonic, operands: memoryOperands(mnemonic, ops, regs, rip + BigInt(insn.size)), regs };
}

/**
 * Where in `page` the access that stopped `task` (loaded in its engine) went; `page` when
 * the instruction cannot be decoded.
 */
export function exactFaultAddress(task: Task, page: number, access: Access): number {
  if (access === Access.Fetch) {
    const rip = task.kernel.cpu.readRegister('rip');
    return rip >= BigInt(page) && rip < BigInt(page + PAGE_SIZE) ? Number(rip) : page;
  }
  const decoded = decodeAt(task);
  if (decoded === null) return page;
  const { mnemonic, operands, regs } = decoded;
  const candidates = operands.filter((o) => o.address < page + PAGE_SIZE && o.address + o.size > page);
  if (candidates.length > 0) {
    // Intel order: the destination comes first (a write), sources after it (a read).
    const chosen = access === Access.Write ? candidates[0] : candidates[candidates.length - 1];
    return Math.max(chosen.address, page);
  }
  // Implicit stack accesses.
  const rsp = Number(regs.rsp);
  if (/^(push|call)/.test(mnemonic) && rsp - 8 >= page && rsp - 8 < page + PAGE_SIZE) return rsp - 8;
  if (/^(pop|ret)/.test(mnemonic) && rsp >= page && rsp < page + PAGE_SIZE) return rsp;
  return page;
}

/**
 * Whether the faulting instruction addresses memory outside the canonical halves: the CPU
 * raises #GP for that, not a page fault, and Linux reports SIGSEGV with SI_KERNEL.
 */
export function nonCanonicalAccess(task: Task): boolean {
  const decoded = decodeAt(task);
  return decoded !== null && decoded.operands.some((o) => o.address >= 2 ** 47 && o.address < 2 ** 64 - 2 ** 47);
}

/** Whether exact addresses can be computed here (Capstone is installed). */
export function exactAddressesAvailable(): boolean {
  return disassemble(new Uint8Array([0x90]), 0n, 1).length === 1;
}
