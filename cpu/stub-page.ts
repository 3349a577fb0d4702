// A page of code the engine runs itself, at a kernel address mapped only for those runs
// (through the TLB scratch window): `sysretq` to enter ring 3, then `syscall`, whose hook
// ends the run at once.
//
// Ring 3: Unicorn's x86-64 CPU starts in ring 0, where `hlt` halts the CPU instead of raising
// #GP, so a run that ended at a `hlt` could not be told from a counted run that ran out just
// after an instruction whose last byte is 0xf4 (V8's code has many): guests got false
// SIGSEGVs. Privileged instructions (cli, wrmsr, ...) also ran instead of faulting. In ring 3
// each raises #GP at the instruction, reported through the interrupt hook. The only way
// there is an instruction: the CS and SS register writes check the descriptor's privilege
// against the current one, while `sysretq` loads the user CS and SS from MSR_STAR without
// reading a descriptor table. Every context saved afterwards (tasks, forks) is in ring 3.
//
// A run that only executes the `syscall` drops what an earlier counted run left: Unicorn
// deletes its count hook when the next uncounted run starts and frees it when that run
// ends, and while it lingers, an asynchronous stop leaves pc unsynchronized.
import { check, uc } from './unicorn.js';
import { uc_x86_reg } from './unicorn-consts.js';

const MSR_EFER = 0xc0000080;
const MSR_STAR = 0xc0000081;
const EFER_SCE = 1n;
/** Linux's selectors: sysret loads CS = base + 16 (__USER_CS 0x33) and SS = base + 8 (__USER_DS 0x2b). */
const STAR_SYSRET_BASE = 0x23n;
const USER_CS = 0x33n;
const SYSRETQ = [0x48, 0x0f, 0x07];
const SYSCALL = [0x0f, 0x05];
export const STUB_PAGE_SIZE = 4096;
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

function readRegister(handle: bigint, reg: number): bigint {
  const out: [bigint] = [0n];
  check(uc.regRead(handle, reg, out), 'uc_reg_read');
  return BigInt(out[0]);
}

function writeRegister(handle: bigint, reg: number, value: bigint): void {
  check(uc.regWrite(handle, reg, [value]), 'uc_reg_write');
}

export class StubPage {
  /**
   * `paddr`: a free physical page (above guest RAM); `run(entry)` runs the stub from that
   * offset with the page mapped, until its `syscall`.
   */
  constructor(
    private readonly handle: bigint,
    paddr: number,
    private readonly run: (offset: number) => void,
  ) {
    const code = Buffer.from([...SYSRETQ, ...SYSCALL]);
    check(uc.memMap(handle, BigInt(paddr), STUB_PAGE_SIZE, PROT_EXEC_READ), 'map the stub page');
    check(uc.memWrite(handle, BigInt(paddr), code, code.length), 'write the stub page');
  }

  /** Drops the CPU to ring 3; the registers are left zero. */
  enterUserMode(stubVaddr: number): void {
    writeMsr(this.handle, MSR_EFER, readMsr(this.handle, MSR_EFER) | EFER_SCE);
    writeMsr(this.handle, MSR_STAR, STAR_SYSRET_BASE << 48n);
    // sysret jumps to rcx (the stub's syscall) with rflags from r11.
    writeRegister(this.handle, uc_x86_reg.X86_REG_RCX, BigInt(stubVaddr + SYSRETQ.length));
    writeRegister(this.handle, uc_x86_reg.X86_REG_R11, RFLAGS_IF);
    this.run(0);
    const cs = readRegister(this.handle, uc_x86_reg.X86_REG_CS);
    if (cs !== USER_CS) throw new Error(`entering ring 3 left CS at ${cs}`);
    for (const reg of [uc_x86_reg.X86_REG_RCX, uc_x86_reg.X86_REG_R11, uc_x86_reg.X86_REG_RIP]) writeRegister(this.handle, reg, 0n);
  }

  /** A run of the `syscall` alone, leaving every register as it was. */
  emptyRun(): void {
    const rip = readRegister(this.handle, uc_x86_reg.X86_REG_RIP);
    this.run(SYSRETQ.length);
    writeRegister(this.handle, uc_x86_reg.X86_REG_RIP, rip);
  }
}
