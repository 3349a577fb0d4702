// Register names and Unicorn ids for the frames ushim reads and writes in batches.
import { uc_x86_reg } from './unicorn.js';

/** The general register file as the kernel sees it (struct pt_regs order is irrelevant here). */
export const GENERAL_REGISTERS = [
  'rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'rsp',
  'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15',
  'rip', 'rflags', 'fs_base', 'gs_base',
] as const;
export type GeneralRegister = (typeof GENERAL_REGISTERS)[number];
export type RegisterValues = Record<GeneralRegister, bigint>;

const idOf: Record<GeneralRegister, number> = {
  rax: uc_x86_reg.X86_REG_RAX, rbx: uc_x86_reg.X86_REG_RBX, rcx: uc_x86_reg.X86_REG_RCX,
  rdx: uc_x86_reg.X86_REG_RDX, rsi: uc_x86_reg.X86_REG_RSI, rdi: uc_x86_reg.X86_REG_RDI,
  rbp: uc_x86_reg.X86_REG_RBP, rsp: uc_x86_reg.X86_REG_RSP, r8: uc_x86_reg.X86_REG_R8,
  r9: uc_x86_reg.X86_REG_R9, r10: uc_x86_reg.X86_REG_R10, r11: uc_x86_reg.X86_REG_R11,
  r12: uc_x86_reg.X86_REG_R12, r13: uc_x86_reg.X86_REG_R13, r14: uc_x86_reg.X86_REG_R14,
  r15: uc_x86_reg.X86_REG_R15, rip: uc_x86_reg.X86_REG_RIP, rflags: uc_x86_reg.X86_REG_EFLAGS,
  fs_base: uc_x86_reg.X86_REG_FS_BASE, gs_base: uc_x86_reg.X86_REG_GS_BASE,
};

export function registerId(name: GeneralRegister): number {
  return idOf[name];
}

/** Syscall entry batch: number, six arguments, and what `syscall` saves in rcx/r11. */
export const SYSCALL_ENTRY_REGISTERS: readonly GeneralRegister[] = ['rax', 'rdi', 'rsi', 'rdx', 'r10', 'r8', 'r9', 'rip', 'rflags'];
/** Syscall exit batch: the result, and rcx/r11 as the CPU's `syscall` sets them. */
export const SYSCALL_EXIT_REGISTERS: readonly GeneralRegister[] = ['rax', 'rcx', 'r11'];
