// The crash report: what a guest killed by a fatal signal was doing — the signal and fault
// address, the faulting instruction disassembled, registers, a backtrace with symbols from
// the ELF symbol table, and the memory map.
import { readFileSync } from 'node:fs';
import type { Siginfo } from '../../kernel-shim/abi/siginfo.js';
import type { Task } from '../../kernel-shim/task.js';
import { signalDescription, signalName } from '../../kernel-shim/signal/numbers.js';
import { type ElfSymbol, planImage, readSymbols } from '../../loader/index.js';
import { disassemble } from '../../host/capstone.js';
import { GENERAL_REGISTERS } from '../../cpu/registers.js';
import { stringBytes } from '../../kernel-shim/abi/bytes.js';

const MAX_FRAMES = 32;
const STACK_SCAN_WORDS = 256;

const SEGV_CODES: Record<number, string> = { 1: 'SEGV_MAPERR', 2: 'SEGV_ACCERR' };

/** Function symbols of the running program, relocated by its load bias. */
function symbolsOf(task: Task): { symbols: ElfSymbol[]; bias: bigint } {
  const image = task.process.image;
  if (image === undefined) return { symbols: [], bias: 0n };
  try {
    const bytes = readFileSync(stringBytes(image.exeHostPath));
    const type = planImage(bytes).type;
    const first = task.process.mm.areas.items.find((a) => a.backing.kind === 'file' && a.backing.file.path === image.exeGuestPath && a.offset === 0);
    const bias = type === 'dyn' && first !== undefined ? BigInt(first.start) : 0n;
    return { symbols: readSymbols(bytes).filter((s) => s.type === 'FUNC'), bias };
  } catch {
    return { symbols: [], bias: 0n };
  }
}

function symbolize(addr: bigint, syms: { symbols: ElfSymbol[]; bias: bigint }): string {
  const rel = addr - syms.bias;
  for (const s of syms.symbols) {
    const start = BigInt(s.value);
    if (rel >= start && rel < start + BigInt(Math.max(s.size, 1))) return ` <${s.name}+0x${(rel - start).toString(16)}>`;
  }
  return '';
}

function isCode(task: Task, addr: bigint): boolean {
  if (addr <= 0n || addr >= 2n ** 47n) return false;
  const area = task.process.mm.areas.find(Number(addr));
  return area !== undefined && (area.prot & 4) !== 0;
}

function hex(v: bigint): string {
  return '0x' + v.toString(16).padStart(16, '0');
}

/** Return addresses: the frame-pointer chain when it holds, else a scan of the stack for code addresses. */
function backtrace(task: Task, rip: bigint, rsp: bigint, rbp: bigint): { addr: bigint; how: string }[] {
  const mm = task.process.mm;
  const frames = [{ addr: rip, how: 'pc' }];
  let fp = rbp;
  while (frames.length < MAX_FRAMES && fp > rsp && fp < 2n ** 47n && fp % 8n === 0n) {
    const ret = mm.readU64(Number(fp) + 8);
    const next = mm.readU64(Number(fp));
    if (ret === null || next === null || !isCode(task, ret)) break;
    frames.push({ addr: ret, how: 'fp' });
    if (next <= fp) break;
    fp = next;
  }
  if (frames.length === 1) {
    const words = mm.read(Number(rsp), 8 * STACK_SCAN_WORDS) ?? mm.read(Number(rsp), 8) ?? new Uint8Array();
    const dv = new DataView(words.buffer, words.byteOffset, words.length);
    for (let i = 0; i + 8 <= words.length && frames.length < MAX_FRAMES; i += 8) {
      const v = dv.getBigUint64(i, true);
      if (isCode(task, v)) frames.push({ addr: v, how: 'scan' });
    }
  }
  return frames;
}

export function crashReport(task: Task, info: Siginfo): string {
  const proc = task.process;
  const regs = proc.kernel.cpu.readRegisters();
  const lines: string[] = [];
  let what = `${signalName(info.signo)} (${signalDescription(info.signo)})`;
  if (info.layout === 'fault') {
    const code = info.signo === 11 ? SEGV_CODES[info.code] ?? `si_code ${info.code}` : `si_code ${info.code}`;
    what += ` ${code} at ${hex(info.addr)}`;
  }
  lines.push(`ushim: crash report: process ${proc.pid} (${proc.comm}) thread ${task.tid} killed by ${what}`);
  const syms = symbolsOf(task);
  const code = proc.mm.read(Number(regs.rip), 16) ?? proc.mm.read(Number(regs.rip), 1);
  const insn = code === null ? undefined : disassemble(code, regs.rip, 1)[0];
  lines.push(`  instruction: ${hex(regs.rip)}${symbolize(regs.rip, syms)}: ${insn?.text ?? (code === null ? '(not readable)' : '(cannot disassemble)')}`);
  lines.push('  registers:');
  for (let i = 0; i < GENERAL_REGISTERS.length; i += 4) {
    lines.push('    ' + GENERAL_REGISTERS.slice(i, i + 4).map((r) => `${r.padStart(7)} ${hex(regs[r])}`).join('  '));
  }
  lines.push('  backtrace:');
  backtrace(task, regs.rip, regs.rsp, regs.rbp).forEach((f, i) => lines.push(`    #${i} ${hex(f.addr)}${symbolize(f.addr, syms)}${f.how === 'scan' ? ' (stack scan)' : ''}`));
  lines.push('  memory map:');
  for (const l of proc.mm.maps().trimEnd().split('\n')) lines.push('    ' + l);
  return lines.join('\n') + '\n';
}
