// Running the guest at CPL 3, as Linux runs user code. Unicorn's x86-64 CPU starts in ring
// 0, where `hlt` halts the CPU instead of raising #GP: a run that ended at a `hlt` could not
// be told from a counted run that ran out just after an instruction whose last byte is 0xf4
// (V8's code has many), so guests got false SIGSEGVs. Privileged instructions (cli, in, out,
// wrmsr, ...) also ran instead of faulting. In ring 3 each of them raises #GP at the
// instruction, reported through the interrupt hook like any exception.
//
// The only way into ring 3 is an instruction: the CS and SS register writes check the
// descriptor's privilege against the current one. `sysretq` loads the user CS and SS from
// MSR_STAR without reading a descriptor table, so the engine runs one, once, from a page
// mapped only for that run; every context saved afterwards (tasks, forks, the pristine
// context) is in ring 3.
import { check, uc } from './unicorn.js';
import { uc_x86_reg } from './unicorn-consts.js';

const MSR_EFER = 0xc0000080;
const MSR_STAR = 0xc0000081;
const EFER_SCE = 1n;
/** Linux's selectors: sysret loads CS = base + 16 (__USER_CS 0x33) and SS = base + 8 (__USER_DS 0x2b). */
const STAR_SYSRET_BASE = 0x23n;
const USER_CS = 0x33n;
const SYSRETQ = [0x48, 0x0f, 0x07];
const PAGE = 4096;
const PROT_EXEC_READ = 5;
const RFLAGS_IF = 0x202n;

function writeMsr(handle: bigint, msr: number, value: bigint): void {
  // struct uc_x86_msr { uint32_t rid; uint64_t value; }
  const b = Buffer.alloc(16);
  b.writeUInt32LE(msr, 0);
  b.writeBigUInt64LE(value, 8);
  check(uc.regWriteRaw(handle, uc_x86_reg.X86_REG_MSR, b), 'uc_reg_write MSR');
}

function readMsr(handle: bigint, msr: number): bigint {
  const b = Buffer.alloc(16);
  b.writeUInt32LE(msr, 0);
  check(uc.regReadRaw(handle, uc_x86_reg.X86_REG_MSR, b), 'uc_reg_read MSR');
  return b.readBigUInt64LE(8);
}

/**
 * Drops the CPU to ring 3. `stubPaddr` is a free physical page (above guest RAM) and
 * `stubVaddr` the virtual address the engine's TLB fill maps to it for this one run.
 */
export function enterUserMode(handle: bigint, stubPaddr: number, stubVaddr: number): void {
  writeMsr(handle, MSR_EFER, readMsr(handle, MSR_EFER) | EFER_SCE);
  writeMsr(handle, MSR_STAR, STAR_SYSRET_BASE << 48n);
  check(uc.memMap(handle, BigInt(stubPaddr), PAGE, PROT_EXEC_READ), 'map the ring-3 entry page');
  check(uc.memWrite(handle, BigInt(stubPaddr), Buffer.from(SYSRETQ), SYSRETQ.length), 'write the ring-3 entry');
  // sysret jumps to rcx with rflags from r11: back to the stub itself, where the
  // one-instruction count stops the run (translating a block elsewhere would fault).
  check(uc.regWrite(handle, uc_x86_reg.X86_REG_RCX, [BigInt(stubVaddr)]), 'uc_reg_write');
  check(uc.regWrite(handle, uc_x86_reg.X86_REG_R11, [RFLAGS_IF]), 'uc_reg_write');
  check(uc.emuStart(handle, BigInt(stubVaddr), 0n, 0n, 1), 'run sysretq');
  const cs: [bigint] = [0n];
  check(uc.regRead(handle, uc_x86_reg.X86_REG_CS, cs), 'uc_reg_read');
  if (BigInt(cs[0]) !== USER_CS) throw new Error(`entering ring 3 left CS at ${cs[0]}`);
  for (const reg of [uc_x86_reg.X86_REG_RCX, uc_x86_reg.X86_REG_R11, uc_x86_reg.X86_REG_RIP]) check(uc.regWrite(handle, reg, [0n]), 'uc_reg_write');
}
