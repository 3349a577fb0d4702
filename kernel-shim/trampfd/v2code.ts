// The trampfd v2 code generator: one page of 40-byte x86-64 trampolines. Slot X is
//
//   endbr64                         F3 0F 1E FA
//   movabs $&code_table[X], %C
//   mov    (%C), %C
//   movabs $&data_table[X], %D
//   mov    (%D), %D
//   jmp    *%C
//   nopl   (%rax)                   0F 1F 00
//   zero padding to 40 bytes
//
// as the RFC's generator (arch/x86/kernel/trampfd.c of the v2 series) lays it out, with the
// encodings corrected: the RFC emits ModRM mod=00 for every register, which means
// RIP-relative for rbp/r13 and "SIB follows" for r12; here those get `mov 0(%rbp),%rbp`
// (48 8B 6D 00), `mov 0(%r13),%r13` (4D 8B 6D 00) and `mov (%r12),%r12` (4D 8B 24 24). The
// jump has a REX prefix only when it needs one (the RFC always emits 0x40), so every slot is
// what an assembler produces for the same instructions (test/unit/trampfd.test.ts checks
// every register pair against keystone).
import { PAGE_SIZE } from '../mm/constants.js';

/** struct trampfd_info of a 64-bit process. */
export const V2_CODE_SIZE = 40;
export const V2_NTRAMPOLINES = Math.floor(PAGE_SIZE / V2_CODE_SIZE); // 102
/** TRAMPFD_CODE_PGOFF << PAGE_SHIFT: the file offset of the code page. */
export const V2_CODE_OFFSET = PAGE_SIZE;

/** v2 register ids of a 64-bit process: x64_min = x64_rax = 7 ... x64_r15 = 21, x64_max = 22. */
export const V2_X64_MIN = 7;
export const V2_X64_MAX = 22;
/** Names of the ids 7..21, for messages. */
export const V2_X64_NAMES = ['rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];
/** Hardware register numbers of the ids 7..21. */
const HW = [0, 3, 1, 2, 6, 7, 5, 8, 9, 10, 11, 12, 13, 14, 15];

export function validV2Register(id: number): boolean {
  return Number.isInteger(id) && id >= V2_X64_MIN && id < V2_X64_MAX;
}

function hardware(id: number): number {
  if (!validV2Register(id)) throw new RangeError(`trampfd v2: register id ${id} out of range`);
  return HW[id - V2_X64_MIN];
}

function imm64(out: number[], value: bigint): void {
  let v = BigInt.asUintN(64, value);
  for (let i = 0; i < 8; i++) {
    out.push(Number(v & 0xffn));
    v >>= 8n;
  }
}

/** movabs $value, %reg (REX.W B8+r io). */
function movabs(out: number[], hw: number, value: bigint): void {
  out.push(0x48 | (hw >> 3), 0xb8 | (hw & 7));
  imm64(out, value);
}

/** mov (%reg), %reg in its correct form for every register. */
function loadSelf(out: number[], hw: number): void {
  const ext = hw >> 3;
  const low = hw & 7;
  out.push(0x48 | (ext << 2) | ext, 0x8b);
  if (low === 5) out.push(0x40 | (low << 3) | low, 0x00); // rbp, r13: mod=01 with disp8 0
  else if (low === 4) out.push((low << 3) | low, 0x24); // r12: SIB with base r12, no index
  else out.push((low << 3) | low);
}

/** jmp *%reg. */
function jumpTo(out: number[], hw: number): void {
  if (hw >= 8) out.push(0x41);
  out.push(0xff, 0xe0 | (hw & 7));
}

/** The 40 bytes of one trampoline: code register id, data register id, &code_table[X], &data_table[X]. */
export function trampolineSlot(codeReg: number, dataReg: number, codeAddr: bigint, dataAddr: bigint): Uint8Array {
  const c = hardware(codeReg);
  const d = hardware(dataReg);
  const out: number[] = [0xf3, 0x0f, 0x1e, 0xfa];
  movabs(out, c, codeAddr);
  loadSelf(out, c);
  movabs(out, d, dataAddr);
  loadSelf(out, d);
  jumpTo(out, c);
  out.push(0x0f, 0x1f, 0x00);
  const slot = new Uint8Array(V2_CODE_SIZE);
  slot.set(out);
  return slot;
}

/** The whole page: `count` slots over 8-byte tables at codeTable/dataTable, zeros after. */
export function trampolinePage(codeReg: number, dataReg: number, count: number, codeTable: bigint, dataTable: bigint): Uint8Array {
  const page = new Uint8Array(PAGE_SIZE);
  for (let x = 0; x < count; x++) {
    const i = BigInt(x) * 8n;
    page.set(trampolineSlot(codeReg, dataReg, codeTable + i, dataTable + i), x * V2_CODE_SIZE);
  }
  return page;
}
