// The CPU as the kernel sees it: the one interface between kernel-shim/ and the engine that
// runs guest code (cpu/engine.ts implements it with Unicorn). Everything here is in the
// kernel's terms (Linux access kinds and PROT_* permissions, register names, "resume at");
// no emulator constant, register id or instruction-length arithmetic crosses it.

/** The kind of a guest memory access (what a TLB miss or a fault was for). */
export const enum Access {
  Read = 0,
  Write = 1,
  Fetch = 2,
}

/** Page permissions in a TLB answer: Linux's PROT_READ, PROT_WRITE and PROT_EXEC bits. */
export const PAGE_READ = 1;
export const PAGE_WRITE = 2;
export const PAGE_EXEC = 4;

/**
 * The kernel's answer to a TLB miss: the page-aligned physical address of the frame plus its
 * permissions (PAGE_* bits, in the low bits), or TLB_FAULT.
 */
export const TLB_FAULT = -1;

/** The general register file as the kernel sees it. */
export type GeneralRegister =
  | 'rax' | 'rbx' | 'rcx' | 'rdx' | 'rsi' | 'rdi' | 'rbp' | 'rsp'
  | 'r8' | 'r9' | 'r10' | 'r11' | 'r12' | 'r13' | 'r14' | 'r15'
  | 'rip' | 'rflags' | 'fs_base' | 'gs_base';
export type RegisterValues = Record<GeneralRegister, bigint>;

/** A task's system call as it entered the kernel. */
export interface SyscallFrame {
  readonly nr: number;
  /** Argument i (0..5) as its low 53 bits; exact for pointers, sizes and small integers. */
  arg(i: number): number;
  argBig(i: number): bigint;
  /** Argument i as a signed 32-bit int (fds, flags, pids). */
  int(i: number): number;
  /** Address of the `syscall` instruction (where a restarted call resumes). */
  readonly rip: number;
  /** Address after the `syscall` instruction (where the call returns to). */
  readonly returnAddress: number;
}

/** What the CPU asks of the kernel while it runs. */
export interface CpuEvents {
  /** Returns paddr + permissions (see TLB_FAULT) for a miss at vaddr. */
  tlbFill(vaddr: number, access: Access): number;
  /** Returns the value for rax, or null when the handler replaced the register state itself. */
  syscall(frame: SyscallFrame): number | bigint | null;
  /** A CPU exception other than a page fault (0 #DE, 1 #DB, 3 #BP, 6 #UD, 13 #GP...). */
  interrupt(intno: number): void;
}

export type StopReason =
  | { kind: 'requested' }
  | { kind: 'fault'; addr: number; access: Access }
  | { kind: 'exception'; intno: number }
  | { kind: 'invalid-instruction' }
  /** Nothing explains the stop: the instruction count ran out, or QEMU could not deliver an exception. */
  | { kind: 'halted' };

/** A saved CPU state (all registers incl. FPU) of one task. */
export interface CpuContext {
  read(name: GeneralRegister): bigint;
  write(name: GeneralRegister, value: bigint): void;
  free(): void;
}

/** A fixed set of registers read or written together (one host call: hot paths). */
export interface RegisterSet {
  read(): void;
  write(): void;
  /** Slot i (the i-th name) as its low 53 bits. */
  number(i: number): number;
  bigint(i: number): bigint;
  setBigint(i: number, value: bigint): void;
  set(name: GeneralRegister, value: bigint): void;
}

/**
 * The CPU. During a syscall (inside CpuEvents.syscall) a rip written is where the task
 * resumes, and reads of rip give the `syscall` instruction's address until one is written.
 */
export interface CpuPort {
  /**
   * Runs the loaded task until something needs the kernel, for at most `count` instructions,
   * or for about `sliceMs` milliseconds (then a 'requested' stop, from a timer thread).
   */
  run(count?: number, sliceMs?: number): StopReason;
  /** Ends the current run after the instruction being executed. */
  requestStop(): void;
  readRegister(name: GeneralRegister): bigint;
  writeRegister(name: GeneralRegister, value: bigint): void;
  readRegisters(): RegisterValues;
  writeRegisters(values: Partial<RegisterValues>): void;
  /** The task continues at `address` (after a syscall: instead of returning after it). */
  resumeAt(address: bigint): void;
  registerSet(names: readonly GeneralRegister[]): RegisterSet;
  /** The x87/SSE state as a 512-byte FXSAVE image; null writes the initial state. */
  readFpu(): Uint8Array;
  writeFpu(image: Uint8Array | null): void;
  /** A context holding the current state; save/restore move states in and out of the CPU. */
  newContext(): CpuContext;
  saveContext(ctx: CpuContext): void;
  restoreContext(ctx: CpuContext): void;
  /** Drops every cached virtual-to-physical translation (after unmap or a protection downgrade). */
  flushTlb(): void;
  /** Drops translated code for a virtual range that is mapped executable. */
  invalidateCode(start: number, end: number): void;
  /** Drops translated code of the physical page at paddr (the kernel wrote into it). */
  invalidatePhysical(paddr: number): void;
  /** Drops all translated code; never from inside a run. */
  flushCode(): void;
  /** Calls fn(address) before every instruction in [begin, end] (fresh pages only). */
  hookCodeRange(begin: number, end: number, fn: (address: number) => void, onError: (e: unknown) => void): void;
  /** Whether a run longer than a few milliseconds ends at a syscall (not in deterministic runs). */
  yieldLongRuns: boolean;
  /** --stats: how often translations were dropped and the TLB flushed. */
  readonly counters: { tbRemovals: number; tbFlushes: number; tlbFlushes: number; codeFramesRewritten: number };
  close(): void;
}

/** Guest RAM as the engine maps it (host/physmem.ts). */
export interface GuestRam {
  readonly size: number;
  readonly hostPtr: bigint;
}

/** Makes the kernel's one CPU; the front end supplies it (emu/machine.ts). */
export type CpuFactory = (memory: GuestRam, events: CpuEvents) => CpuPort;
