// The interface the gdb stub drives. The machine (kernel + CPU) implements it; tests use a
// scripted fake (test/unit/gdb-fake-target.ts). Everything here is in the guest's terms:
// Linux signal numbers (the stub translates to and from gdb's own numbering), thread ids as
// the guest sees them (tid of the main thread == pid), addresses as bigint.
//
// Execution model (all-stop): the stub calls resume() and returns at once; some time later
// the target reports exactly one StopEvent through the listener set with setStopListener,
// at which point every thread of the process is stopped. interrupt() asks a running target
// to stop soon (it then reports { reason: 'signal', signal: SIGINT }). While stopped, the
// stub may call any read/write method; while running it calls only interrupt(), kill()
// and detach().

/** One register of gdb's amd64 GNU/Linux target description. */
export interface RegisterInfo {
  /** gdb's remote register number (the index in the 'g' packet and for 'p'/'P'). */
  readonly regno: number;
  readonly name: string;
  /** Size in bytes; values are little-endian. */
  readonly size: number;
  /** The target-description feature the register belongs to. */
  readonly feature: 'core' | 'sse' | 'linux' | 'segments';
}

function regs(names: string[], size: number, feature: RegisterInfo['feature'], first: number): RegisterInfo[] {
  return names.map((name, i) => ({ regno: first + i, name, size, feature }));
}

const GPRS = ['rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'rsp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];

/**
 * The registers in gdb's numbering for i386:x86-64 GNU/Linux, i.e. the order of the
 * features in the target description: core (0-39), sse (40-56), linux (orig_rax, 57) and
 * segments (fs_base 58, gs_base 59). This is what gdbserver sends for amd64-linux without
 * AVX. fs_base/gs_base come after orig_rax because gdb numbers them from the separate
 * org.gnu.gdb.i386.segments feature.
 */
export const AMD64_REGISTERS: readonly RegisterInfo[] = Object.freeze(
  [
    ...regs(GPRS, 8, 'core', 0),
    ...regs(['rip'], 8, 'core', 16),
    ...regs(['eflags', 'cs', 'ss', 'ds', 'es', 'fs', 'gs'], 4, 'core', 17),
    ...regs(['st0', 'st1', 'st2', 'st3', 'st4', 'st5', 'st6', 'st7'], 10, 'core', 24),
    ...regs(['fctrl', 'fstat', 'ftag', 'fiseg', 'fioff', 'foseg', 'fooff', 'fop'], 4, 'core', 32),
    ...regs(Array.from({ length: 16 }, (_, i) => `xmm${i}`), 16, 'sse', 40),
    ...regs(['mxcsr'], 4, 'sse', 56),
    ...regs(['orig_rax'], 8, 'linux', 57),
    ...regs(['fs_base', 'gs_base'], 8, 'segments', 58),
  ].map((r) => Object.freeze(r)),
);

/** Register numbers by name (REG.rip === 16, REG.orig_rax === 57, ...). */
export const REG: Readonly<Record<string, number>> = Object.freeze(
  Object.fromEntries(AMD64_REGISTERS.map((r) => [r.name, r.regno])),
);

export const NUM_REGISTERS = AMD64_REGISTERS.length; // 60

export type BreakpointType = 'software' | 'hardware';
export type WatchType = 'write' | 'read' | 'access';

/** What one thread does on resume. Threads given no action stay stopped. */
export interface ResumeAction {
  readonly tid: number;
  /** Execute one instruction and stop (reason 'step'), or run until something stops it. */
  readonly step: boolean;
  /** Linux signal to deliver to the thread as it resumes, or 0 for none. */
  readonly signal: number;
}

/**
 * Why the process stopped (or ended). Reasons with a tid stop every thread; tid is the
 * thread that caused the stop. breakpoint/watchpoint/step/exec/fork imply SIGTRAP.
 */
export type StopEvent =
  /** Stopped by a signal about to be delivered (SIGSEGV, SIGINT after interrupt(), ...). */
  | { readonly reason: 'signal'; readonly tid: number; readonly signal: number }
  /** Reached an inserted breakpoint; rip is the breakpoint address (instruction not run). */
  | { readonly reason: 'breakpoint'; readonly tid: number; readonly type: BreakpointType }
  /** An instruction accessed watched memory; rip is after that instruction. */
  | { readonly reason: 'watchpoint'; readonly tid: number; readonly type: WatchType; readonly address: bigint }
  /** A single step completed. */
  | { readonly reason: 'step'; readonly tid: number }
  /** The process called execve successfully; path is the new executable; tid is now its only thread. */
  | { readonly reason: 'exec'; readonly tid: number; readonly path: string }
  /**
   * The thread forked/vforked. The stub does not trace children (no fork-events): the
   * target lets the child run untraced, and the stub resumes the parent as it was.
   */
  | { readonly reason: 'fork'; readonly tid: number; readonly childPid: number; readonly childTid: number; readonly vfork: boolean }
  /** The process exited with this status (0-255). */
  | { readonly reason: 'exited'; readonly status: number }
  /** The process was terminated by this Linux signal. */
  | { readonly reason: 'killed'; readonly signal: number };

export type StopListener = (event: StopEvent) => void;

export interface Target {
  /** Process id (thread-group id) of the debugged process. */
  readonly pid: number;

  /** Live thread ids, main thread first. */
  threads(): readonly number[];
  /** A thread's name (comm) for `info threads`, or null. */
  threadName(tid: number): string | null;

  /**
   * A register's value as little-endian bytes of AMD64_REGISTERS[regno].size, or null if
   * unavailable (reported to gdb as 'xx..').
   */
  readRegister(tid: number, regno: number): Uint8Array | null;
  /** Set a register from little-endian bytes of its size; false if it cannot be written. */
  writeRegister(tid: number, regno: number, value: Uint8Array): boolean;

  /**
   * Read guest virtual memory as the program would see it (breakpoints never show).
   * Returns null if any byte of the range is unmapped or unreadable.
   */
  readMemory(address: bigint, length: number): Uint8Array | null;
  /** Write guest virtual memory (ignoring page write protection, like ptrace); false if unmapped. */
  writeMemory(address: bigint, data: Uint8Array): boolean;

  /** Insert a breakpoint at an address (kind: gdb's breakpoint kind, 1 for x86 int3). */
  insertBreakpoint(type: BreakpointType, address: bigint, kind: number): boolean;
  removeBreakpoint(type: BreakpointType, address: bigint, kind: number): boolean;
  /** Insert a watchpoint on [address, address + length). */
  insertWatchpoint(type: WatchType, address: bigint, length: number): boolean;
  removeWatchpoint(type: WatchType, address: bigint, length: number): boolean;

  /** Resume: one action per thread to run; returns at once; a StopEvent follows later. */
  resume(actions: readonly ResumeAction[]): void;
  /** Ctrl-C: stop a running process soon, reporting SIGINT. Ignored when stopped. */
  interrupt(): void;
  /** Kill the process. No StopEvent is expected afterwards. */
  kill(): void;
  /** Remove all breakpoints/watchpoints and let the process run on untraced. */
  detach(): void;

  /**
   * The siginfo_t (128 bytes, x86-64 layout) of the signal a thread is stopped with, for
   * qXfer:siginfo:read (gdb's $_siginfo); null when it has none. Optional.
   */
  siginfo?(tid: number): Uint8Array | null;
  /** The process's auxiliary vector (the bytes of /proc/PID/auxv), or null. */
  auxv(): Uint8Array | null;
  /** Absolute path of the executable, as the guest sees it, or null. */
  execFile(): string | null;
  /**
   * Contents of a file as the guest sees it, for gdb's host I/O (vFile) packets: gdb reads
   * /proc/PID/maps (`info proc mappings`), /proc/PID/cmdline, /proc/PID/exe targets and the
   * executable itself (sysroot "target:"). Null if it does not exist or cannot be read.
   */
  readFile(path: string): Uint8Array | null;

  /** Set (or clear with null) the one listener that receives StopEvents. */
  setStopListener(listener: StopListener | null): void;
}

/** Linux x86-64 signal numbers used in this interface. */
export const SIGINT = 2;
export const SIGTRAP = 5;
export const SIGKILL = 9;
export const SIGSEGV = 11;
