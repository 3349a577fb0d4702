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
// The switch's offset in the opaque uc_struct is read from the first instructions of
// check_exit_request_x86_64 itself (load tcg_ctx->uc, test the byte), so it follows the
// library actually loaded; another code shape leaves the checks in and the engine counts
// instructions instead of timing slices.
import { libcCalls } from '../host/libc.js';

const RTLD_NOW = 2;
const RTLD_NOLOAD = 4;
const ENDBR64 = [0xf3, 0x0f, 0x1e, 0xfa];
/** mov disp32(%rdi), %rax ; cmpb $0, disp32(%rax) */
const LOAD_UC = [0x48, 0x8b, 0x87];
const CMPB_ZERO = [0x80, 0xb8];

function startsWith(code: Uint8Array, at: number, bytes: readonly number[]): boolean {
  return bytes.every((b, i) => code[at + i] === b);
}

/** The offset of uc_struct.no_exit_request in the loaded library, or null when its code is not the shape known. */
export function noExitRequestOffset(libraryPath: string): number | null {
  const lib = libcCalls.dlopen(libraryPath, RTLD_NOW | RTLD_NOLOAD);
  if (lib === null) return null;
  try {
    const fn = libcCalls.dlsym(lib, 'check_exit_request_x86_64') as number | bigint;
    if (BigInt(fn) === 0n) return null;
    const code = new Uint8Array(32);
    libcCalls.peek(code, fn, code.length);
    let at = startsWith(code, 0, ENDBR64) ? ENDBR64.length : 0;
    if (!startsWith(code, at, LOAD_UC)) return null;
    at += LOAD_UC.length + 4;
    if (!startsWith(code, at, CMPB_ZERO) || code[at + 6] !== 0) return null;
    const offset = new DataView(code.buffer).getInt32(at + CMPB_ZERO.length, true);
    return offset > 0 && offset < 1 << 20 ? offset : null;
  } finally {
    libcCalls.dlclose(lib);
  }
}

/** Turns the mid-block exit checks of code translated from now on off (false) or back on. */
export function setExitChecks(handle: bigint, offset: number, on: boolean): void {
  libcCalls.poke(handle + BigInt(offset), Uint8Array.of(on ? 0 : 1), 1);
}
