// Unicorn's translated code checks for an exit request after every guest load and store
// (check_exit_request in its tcg/tcg-op.c), so that a hook's uc_emu_stop takes effect right
// after the access. An asynchronous stop (the preemption timer's, cpu/preempt-timer.ts)
// trips the same check, in the middle of a block, and cpu_tb_exec then sets pc back to the
// block's start: the instructions already executed run a second time (a counter incremented
// twice, a return address pushed twice). Measured: a static sha256 loop with 1 ms slices
// crashed at a garbage rip within seconds.
//
// Unicorn has a switch that leaves those checks out of the code it translates
// (uc_struct.no_exit_request, which its ARM translator sets inside IT blocks); with them
// out, a stop takes effect at the next block start, where cpu_tb_exec restores pc exactly.
// The switch's offset in the opaque uc_struct is read from the code of check_exit_request_x86_64
// itself: near its start it loads tcg_ctx->uc into some register and tests the switch's byte
// (`mov disp32(%rdi), %reg ; cmpb $0, disp32(%reg)`; 2.1.1 does it first thing, 2.1.4 after a
// stack-protector prologue). So the offset follows the library actually loaded; a library
// without that sequence keeps the checks in and the engine counts instructions instead of
// timing slices.
import { libcCalls } from '../host/libc.js';

const RTLD_NOW = 2;
const RTLD_NOLOAD = 4;
/** How far into the function the sequence is looked for. */
const SCAN_BYTES = 64;
const REX_W = 0x48;
const REX_R = 0x04;
const REX_B = 0x41;
const MOV_LOAD = 0x8b;
const CMP_IMM8 = 0x80;
/** ModRM: mod 2 (disp32), rm = %rdi; and mod 2, reg field 7 (cmp). */
const MODRM_DISP32_RDI = 0x87;
const MODRM_CMP_DISP32 = 0xb8;

/** The switch's offset if `code` holds the load-and-test sequence at `at`, else null. */
function sequenceAt(code: Uint8Array, at: number): number | null {
  const view = new DataView(code.buffer);
  const rex = code[at];
  if ((rex & ~REX_R) !== REX_W || code[at + 1] !== MOV_LOAD || (code[at + 2] & 0xc7) !== MODRM_DISP32_RDI) return null;
  const reg = ((code[at + 2] >> 3) & 7) | (rex & REX_R ? 8 : 0);
  let next = at + 7;
  if (reg >= 8) {
    if (code[next] !== REX_B) return null;
    next++;
  }
  if (code[next] !== CMP_IMM8 || code[next + 1] !== (MODRM_CMP_DISP32 | (reg & 7)) || code[next + 6] !== 0) return null;
  const offset = view.getInt32(next + 2, true);
  return offset > 0 && offset < 1 << 20 ? offset : null;
}

/** The offset of uc_struct.no_exit_request in the loaded library, or null when its code is not the shape known. */
export function noExitRequestOffset(libraryPath: string): number | null {
  const lib = libcCalls.dlopen(libraryPath, RTLD_NOW | RTLD_NOLOAD);
  if (lib === null) return null;
  try {
    const fn = libcCalls.dlsym(lib, 'check_exit_request_x86_64') as number | bigint;
    if (BigInt(fn) === 0n) return null;
    const code = new Uint8Array(SCAN_BYTES + 16);
    libcCalls.peek(code, fn, code.length);
    for (let at = 0; at < SCAN_BYTES; at++) {
      const offset = sequenceAt(code, at);
      if (offset !== null) return offset;
    }
    return null;
  } finally {
    libcCalls.dlclose(lib);
  }
}

/** Turns the mid-block exit checks of code translated from now on off (false) or back on. */
export function setExitChecks(handle: bigint, offset: number, on: boolean): void {
  libcCalls.poke(handle + BigInt(offset), Uint8Array.of(on ? 0 : 1), 1);
}
