// Unicorn ids of the kernel's register names, and the sets ushim reads and writes in batches.
import type { GeneralRegister } from '../kernel-shim/cpu-port.js';
import { uc_x86_reg } from './unicorn.js';

const idOf: Record<GeneralRegister, number> = {
  rax: uc_x86_reg.X86_REG_RAX, rbx: uc_x86_reg.X86_REG_RBX, rcx: uc_x86_reg.X86_REG_RCX,
  rdx: uc_x86_reg.X86_REG_RDX, rsi: uc_x86_reg.X86_REG_RSI, rdi: uc_x86_reg.X86_REG_RDI,
  rbp: uc_x86_reg.X86_REG_RBP, rsp: uc_x86_reg.X86_REG_RSP, r8: uc_x86_reg.X86_REG_R8,
  r9: uc_x86_reg.X86_REG_R9, r10: uc_x86_reg.X86_REG_R10, r11: uc_x86_reg.X86_REG_R11,
  r12: uc_x86_reg.X86_REG_R12, r13: uc_x86_reg.X86_REG_R13, r14: uc_x86_reg.X86_REG_R14,
  r15: uc_x86_reg.X86_REG_R15, rip: uc_x86_reg.X86_REG_RIP, rflags: uc_x86_reg.X86_REG_EFLAGS,
  fs_base: uc_x86_reg.X86_REG_FS_BASE, gs_base: uc_x86_reg.X86_REG_GS_BASE,
};

/** Every general register (struct pt_regs order is irrelevant here). */
export const GENERAL_REGISTERS = Object.keys(idOf) as readonly GeneralRegister[];

export function registerId(name: GeneralRegister): number {
  return idOf[name];
}

/** Syscall entry batch: number, six arguments, and what `syscall` saves in rcx/r11. */
export const SYSCALL_ENTRY_REGISTERS: readonly GeneralRegister[] = ['rax', 'rdi', 'rsi', 'rdx', 'r10', 'r8', 'r9', 'rip', 'rflags'];
/** Syscall exit batch: the result, and rcx/r11 as the CPU's `syscall` sets them. */
export const SYSCALL_EXIT_REGISTERS: readonly GeneralRegister[] = ['rax', 'rcx', 'r11'];
