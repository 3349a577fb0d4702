// Process lifecycle: starting a program in a process, replacing its image (execve), exiting.
import type { ExecResult } from './exec.js';
import type { ExitStatus, Process } from './process.js';
import { munmap } from './mm/mapping.js';
import { TASK_SIZE } from './mm/constants.js';

const RFLAGS_AT_ENTRY = 0x202n; // IF set, as the kernel's iret leaves it

function nulJoined(parts: Uint8Array[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length + 1, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length + 1;
  }
  return out;
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Installs an exec result in the process: new address space, close-on-exec, signal handlers
 * reset, registers cleared. `inSyscall` is true when called from the syscall hook, where
 * Unicorn adds 2 to rip after the hook returns.
 */
export function replaceImage(proc: Process, result: ExecResult, inSyscall: boolean): void {
  const old = proc.mm;
  proc.mm = result.mm;
  proc.mm.listener = { invalidate: () => proc.engine.flushTlb() };
  munmap(old, 0, TASK_SIZE);
  proc.engine.flushTlb();
  proc.fds.closeOnExec();
  for (const action of proc.sigactions) {
    if (action.handler > 1n) action.handler = 0n;
    action.flags = 0n;
    action.mask = 0n;
  }
  proc.comm = basename(result.exeGuestPath).slice(0, 15);
  proc.image = {
    exeGuestPath: result.exeGuestPath,
    exeHostPath: result.exeHostPath,
    cmdline: nulJoined(result.argv),
    environ: nulJoined(result.envp),
    auxv: result.auxv,
    entry: result.entry,
  };
  const zero = 0n;
  proc.engine.writeRegisters({
    rax: zero, rbx: zero, rcx: zero, rdx: zero, rsi: zero, rdi: zero, rbp: zero, rsp: BigInt(result.sp),
    r8: zero, r9: zero, r10: zero, r11: zero, r12: zero, r13: zero, r14: zero, r15: zero,
    rip: BigInt(result.entry) - (inSyscall ? 2n : 0n), rflags: RFLAGS_AT_ENTRY, fs_base: zero, gs_base: zero,
  });
}

/** Ends the process: every task stops, memory and files are released. */
export function exitProcess(proc: Process, status: ExitStatus): void {
  if (proc.exitStatus !== undefined) return;
  proc.exitStatus = status;
  for (const t of proc.tasks) t.exited = true;
  munmap(proc.mm, 0, TASK_SIZE);
  proc.fds.closeAll();
  proc.engine.requestStop();
}
