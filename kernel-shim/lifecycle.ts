// Process lifecycle: installing a new image (execve), thread exit, process exit and death by
// signal, and what the parent sees of it (zombie, SIGCHLD, wait queues).
import type { ExecResult } from './exec.js';
import type { ExitStatus, Process } from './process.js';
import type { Task } from './task.js';
import { munmap } from './mm/mapping.js';
import { TASK_SIZE } from './mm/constants.js';
import { signalProcess } from './signal/deliver.js';
import { SIGCHLD } from './signal/numbers.js';
import { futexKey } from './futex.js';
import { undoOnExit } from './ipc/sem.js';
import { heldElsewhere, releaseParts, unshareForExec } from './process-parts.js';

const RFLAGS_AT_ENTRY = 0x202n; // IF set, as the kernel's iret leaves it
const SA_NOCLDWAIT = 2n;
const SIG_IGN = 1n;
const CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3;
const SI_USER = 0;

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
 * Installs an exec result in the process: new address space, close-on-exec, caught signals
 * reset, registers cleared.
 */
export function replaceImage(proc: Process, result: ExecResult): void {
  const old = proc.mm;
  proc.mm = result.mm;
  proc.mm.listener = { invalidate: () => proc.kernel.cpu.flushTlb() };
  if (old !== result.mm && !heldElsewhere(proc, old, (p) => p.mm)) {
    proc.kernel.aio.release(old);
    munmap(old, 0, TASK_SIZE);
  }
  proc.kernel.cpu.flushTlb();
  unshareForExec(proc);
  proc.kernel.posixTimers.deleteAll(proc);
  for (const t of proc.tasks) {
    t.altStack = { sp: 0, size: 0, flags: 2 };
    t.rseq = undefined;
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
  proc.kernel.cpu.writeRegisters({
    rax: zero, rbx: zero, rcx: zero, rdx: zero, rsi: zero, rdi: zero, rbp: zero, rsp: BigInt(result.sp),
    r8: zero, r9: zero, r10: zero, r11: zero, r12: zero, r13: zero, r14: zero, r15: zero,
    rip: BigInt(result.entry), rflags: RFLAGS_AT_ENTRY, fs_base: zero, gs_base: zero,
  });
  proc.kernel.cpu.writeFpu(null);
  releaseVforkParent(proc);
}

/** The vfork parent resumes once the child has its own memory (exec) or is gone. */
export function releaseVforkParent(proc: Process): void {
  if (proc.vforkParent === undefined) return;
  proc.vforkParent = undefined;
  proc.vforkDone.wakeAll(proc.pid);
}

/** CLONE_CHILD_CLEARTID: zero the word and wake one futex waiter (pthread_join). */
function clearChildTid(task: Task): void {
  if (task.clearChildTid === 0) return;
  const mm = task.process.mm;
  if (mm.writeU32(task.clearChildTid, 0)) {
    const key = futexKey(task, task.clearChildTid);
    if (typeof key === 'string') task.kernel.futexes.wake(key, 1);
  }
  task.clearChildTid = 0;
}

/** One thread ends (exit); the last one ends the process. */
export function exitTask(task: Task, code: number): void {
  if (task.state === 'exited') return;
  clearChildTid(task);
  task.kernel.retire(task);
  if (task.process.liveTasks.length === 0) exitProcess(task.process, { code: code & 0xff });
}

/** The whole process ends: every task stops, memory and files go, the parent is told. */
export function exitProcess(proc: Process, status: ExitStatus): void {
  if (proc.exitStatus !== undefined) return;
  proc.exitStatus = status;
  const k = proc.kernel;
  for (const t of proc.tasks) {
    if (t.state !== 'exited') {
      clearChildTid(t);
      k.retire(t);
    }
  }
  releaseParts(proc);
  undoOnExit(k, proc);
  releaseVforkParent(proc);
  proc.realTimer = undefined;
  k.posixTimers.deleteAll(proc);
  reparentChildren(proc);
  const parent = proc.parent;
  if (parent === undefined || parent.exited) {
    proc.reaped = true;
    return;
  }
  const action = parent.sighand.actions[SIGCHLD];
  if (proc.exitSignal === SIGCHLD && (action.handler === SIG_IGN || action.flags & SA_NOCLDWAIT)) {
    proc.reaped = true;
    parent.children.splice(parent.children.indexOf(proc), 1);
  } else if (proc.exitSignal !== 0) {
    signalProcess(k, parent, { signo: proc.exitSignal, errno: 0, ...exitReport(status), layout: 'chld', pid: proc.pid, uid: proc.uid, utime: 0n, stime: 0n });
  }
  parent.childEvents.wakeAll();
}

/**
 * The children of an exiting process go to the nearest living ancestor that is a child
 * subreaper, or to init (outside ushim: nobody waits for them). A child that already exited
 * is reported to its new parent; one that asked for PR_SET_PDEATHSIG gets its signal.
 */
function reparentChildren(proc: Process): void {
  const k = proc.kernel;
  let reaper = proc.parent;
  while (reaper !== undefined && (reaper.exited || !reaper.childSubreaper)) reaper = reaper.parent;
  for (const child of proc.children) {
    child.ppid = reaper?.pid ?? 1;
    if (child.parentDeathSignal !== 0) signalProcess(k, child, { signo: child.parentDeathSignal, errno: 0, code: SI_USER, layout: 'kill', pid: proc.pid, uid: proc.uid });
    if (reaper === undefined) {
      if (child.exited) child.reaped = true;
      continue;
    }
    reaper.children.push(child);
    if (child.exited && !child.reaped) {
      signalProcess(k, reaper, { signo: SIGCHLD, errno: 0, ...exitReport(child.exitStatus!), layout: 'chld', pid: child.pid, uid: child.uid, utime: 0n, stime: 0n });
      reaper.childEvents.wakeAll();
    }
  }
  proc.children.length = 0;
}

/** si_code and si_status of an exited child, as SIGCHLD and waitid report it. */
export function exitReport(status: ExitStatus): { code: number; status: number } {
  return { code: status.signal === undefined ? CLD_EXITED : status.core ? CLD_DUMPED : CLD_KILLED, status: status.signal ?? status.code };
}

/** Death by signal: all threads, status 128+sig for the CLI, core flag for wait4. */
export function killProcess(proc: Process, sig: number, core = false): void {
  exitProcess(proc, { code: 128 + sig, signal: sig, core });
}
