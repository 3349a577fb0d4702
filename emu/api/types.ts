// The public types of the programmable API (emu/index.ts). No `any`: addresses and register
// values are bigints (numbers are accepted where an address goes in).
import type { GeneralRegister } from '../../kernel-shim/cpu-port.js';

/** A guest address: a bigint, or a number (exact below 2^53, which every user address is). */
export type Address = bigint | number;

/** The general registers: rax..r15, rip, rflags, fs_base, gs_base. */
export type RegisterName = GeneralRegister;

export type Registers = Record<RegisterName, bigint>;

export interface LoadOptions {
  /** The program: a path inside `root` (relative to `cwd`), a static x86-64 ELF or a #! script. */
  program: string;
  /** argv, including argv[0] (default: [program]). */
  argv?: readonly string[];
  /** The environment as NAME=VALUE strings (default: none). */
  env?: readonly string[];
  /** The guest's root directory on the host (default '/'). */
  root?: string;
  /** The guest's working directory (default: the host's, when inside root, else '/'). */
  cwd?: string;
  /** Fixed time, randomness, pids and addresses: identical runs (default true). */
  deterministic?: boolean;
  /**
   * 'capture' (default): fd 0 reads `stdin`, fds 1 and 2 are collected in stdout/stderr
   * (pipes to the guest). 'inherit': the guest uses this process's own fds.
   */
  stdio?: 'capture' | 'inherit';
  /** What the guest reads from fd 0 with stdio 'capture' (default: nothing, end of file). */
  stdin?: string | Uint8Array;
  /** Diagnostics from ushim (unimplemented syscalls...); default: this process's stderr. */
  warn?: (line: string) => void;
}

/** How a process ended: exit code, or the signal that killed it (code is then 128 + signal). */
export interface ExitStatus {
  code: number;
  signal?: number;
  core?: boolean;
}

/** Why run() or step() returned. */
export type StopEvent =
  /** A breakpoint: the instruction at `address` has not run yet. */
  | { reason: 'breakpoint'; address: bigint; symbol?: string; pid: number; tid: number }
  /** step(): one instruction ran; `address` is the next one. */
  | { reason: 'step'; address: bigint; pid: number; tid: number }
  /** A callback called stop(): a code hook stops before its instruction, a syscall hook after the call. */
  | { reason: 'stopped'; address: bigint; pid: number; tid: number }
  /** Every process has exited; status is the first process's. */
  | { reason: 'exited'; status: ExitStatus };

/** A code hook's view of the instruction about to run. */
export interface CodeEvent {
  address: bigint;
  /** Length of the instruction in bytes. */
  size: number;
  pid: number;
  tid: number;
}

/** A guest load or store that touched a hooked range. */
export interface MemoryEvent {
  kind: 'read' | 'write';
  /** Guest virtual address of the access. */
  address: bigint;
  size: number;
  /** The value read (after the load) or about to be written (before the store), zero-extended. */
  value: bigint;
  pid: number;
  tid: number;
}

/** A syscall about to run. */
export interface SyscallEnterEvent {
  readonly pid: number;
  readonly tid: number;
  readonly nr: number;
  /** The syscall's name, e.g. 'write'. */
  readonly name: string;
  /**
   * rdi, rsi, rdx, r10, r8, r9 as unsigned 64-bit values. Assign elements to change the
   * call's arguments: the registers are changed too, as with ptrace.
   */
  args: bigint[];
  /** Do not run the call: the guest gets `result` (a value, or -errno). */
  skip(result: number | bigint): void;
}

/** A syscall that completed (or was skipped). */
export interface SyscallExitEvent {
  readonly pid: number;
  readonly tid: number;
  readonly nr: number;
  readonly name: string;
  readonly args: readonly bigint[];
  /**
   * What the guest gets in rax, signed (-errno for errors). Assign to replace it. null when
   * the kernel set the registers itself (execve, rt_sigreturn, a signal handler about to
   * run): nothing to replace then.
   */
  result: bigint | null;
}

export interface SyscallHooks {
  /** Before each call (once per call: not again when a blocked call is retried). */
  enter?(call: SyscallEnterEvent): void;
  /** After each call, with its result (a call that blocks: when it finally completes). */
  exit?(call: SyscallExitEvent): void;
}

export interface HookHandle {
  remove(): void;
}

export interface SymbolInfo {
  name: string;
  /** Run-time address (load bias applied for static-pie programs). */
  address: bigint;
  size: number;
  type: 'FUNC' | 'OBJECT';
}

/** Where a code hook applies: an address, a symbol name (its first instruction), or [start, end). */
export type CodeLocation = Address | string | { start: Address; end: Address };
