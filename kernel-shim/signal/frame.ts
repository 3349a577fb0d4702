// The x86-64 rt_sigframe (signals-x86_64.md 5.2-5.6): built on the guest stack when a handler
// runs, read back by rt_sigreturn.
import type { RegisterValues } from '../cpu-port.js';
import { SIGINFO_SIZE, encodeSiginfo, type Siginfo } from '../abi/siginfo.js';

export const RT_SIGFRAME_SIZE = 440;
export const FPSTATE_SIZE = 512;
const RED_ZONE = 128;
const UC_OFFSET = 8;
const STACK_OFFSET = UC_OFFSET + 16;
const SIGCONTEXT_OFFSET = UC_OFFSET + 40;
const SIGMASK_OFFSET = UC_OFFSET + 296;
const SIGINFO_OFFSET = 312;
const UC_SIGCONTEXT_SS = 0x2, UC_STRICT_RESTORE_SS = 0x4;
const USER_CS = 0x33, USER_DS = 0x2b;

/** sigcontext general registers in layout order (r8 at +0 ... rip at +128, eflags +136). */
const SC_REGISTERS: (keyof RegisterValues)[] = [
  'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15', 'rdi', 'rsi', 'rbp', 'rbx', 'rdx', 'rax', 'rcx', 'rsp', 'rip', 'rflags',
];

export interface TrapInfo {
  trapno: number;
  err: number;
  cr2: bigint;
}

export interface FrameInput {
  regs: RegisterValues;
  fpu: Uint8Array;
  info: Siginfo;
  restorer: bigint;
  oldMask: bigint;
  altStack: { sp: number; size: number; flags: number };
  /** Top of the stack to build on (RSP, or the top of the alternate stack). */
  stackTop: bigint;
  useAltStack: boolean;
  trap?: TrapInfo;
}

export interface BuiltFrame {
  addr: bigint;
  bytes: Uint8Array;
  infoAddr: bigint;
  ucAddr: bigint;
}

/** Lays out fpstate (64-aligned) above the 440-byte frame, as get_sigframe does. */
export function buildFrame(input: FrameInput): BuiltFrame {
  let sp = input.useAltStack ? input.stackTop : input.stackTop - BigInt(RED_ZONE);
  const fpAddr = (sp - BigInt(FPSTATE_SIZE)) & ~63n;
  const frameAddr = ((fpAddr - BigInt(RT_SIGFRAME_SIZE)) & ~15n) - 8n;
  sp = frameAddr;
  const total = Number(fpAddr + BigInt(FPSTATE_SIZE) - frameAddr);
  const bytes = new Uint8Array(total);
  const dv = new DataView(bytes.buffer);
  dv.setBigUint64(0, input.restorer, true);
  dv.setBigUint64(UC_OFFSET, BigInt(UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS), true);
  dv.setBigUint64(STACK_OFFSET, BigInt(input.altStack.sp), true);
  dv.setInt32(STACK_OFFSET + 8, input.altStack.flags, true);
  dv.setBigUint64(STACK_OFFSET + 16, BigInt(input.altStack.size), true);
  SC_REGISTERS.forEach((r, i) => dv.setBigUint64(SIGCONTEXT_OFFSET + 8 * i, input.regs[r], true));
  dv.setUint16(SIGCONTEXT_OFFSET + 144, USER_CS, true);
  dv.setUint16(SIGCONTEXT_OFFSET + 150, USER_DS, true);
  if (input.trap !== undefined) {
    dv.setBigUint64(SIGCONTEXT_OFFSET + 152, BigInt(input.trap.err), true);
    dv.setBigUint64(SIGCONTEXT_OFFSET + 160, BigInt(input.trap.trapno), true);
    dv.setBigUint64(SIGCONTEXT_OFFSET + 176, input.trap.cr2, true);
  }
  dv.setBigUint64(SIGCONTEXT_OFFSET + 168, input.oldMask, true);
  dv.setBigUint64(SIGCONTEXT_OFFSET + 184, fpAddr, true);
  dv.setBigUint64(SIGMASK_OFFSET, input.oldMask, true);
  encodeSiginfo(new DataView(bytes.buffer, SIGINFO_OFFSET, SIGINFO_SIZE), 0, input.info);
  bytes.set(input.fpu.subarray(0, FPSTATE_SIZE), Number(fpAddr - frameAddr));
  return { addr: sp, bytes, infoAddr: sp + BigInt(SIGINFO_OFFSET), ucAddr: sp + BigInt(UC_OFFSET) };
}

export interface RestoredFrame {
  regs: Partial<RegisterValues>;
  mask: bigint;
  altStack: { sp: number; size: number; flags: number };
  fpAddr: bigint;
}

/** Decodes the ucontext of a frame at `addr` (rt_sigreturn: RSP - 8). */
export function readFrame(bytes: Uint8Array): RestoredFrame {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const regs: Partial<RegisterValues> = {};
  SC_REGISTERS.forEach((r, i) => (regs[r] = dv.getBigUint64(SIGCONTEXT_OFFSET + 8 * i, true)));
  return {
    regs,
    mask: dv.getBigUint64(SIGMASK_OFFSET, true),
    altStack: {
      sp: Number(dv.getBigUint64(STACK_OFFSET, true)),
      flags: dv.getInt32(STACK_OFFSET + 8, true),
      size: Number(dv.getBigUint64(STACK_OFFSET + 16, true)),
    },
    fpAddr: dv.getBigUint64(SIGCONTEXT_OFFSET + 184, true),
  };
}
