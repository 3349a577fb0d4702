// clone/fork/vfork: new tasks and processes. A new thread (CLONE_THREAD) joins its creator's
// thread group and starts from a copy of its creator's registers; a new process is a copy of
// its parent (kernel-shim/process-copy.ts) that shares or copies each part as the flags say:
// memory (CLONE_VM; otherwise a copy-on-write copy), fd table (CLONE_FILES), fs context
// (CLONE_FS), signal handlers (CLONE_SIGHAND). A vfork child borrows its parent's memory
// until it execs or exits. All of them run on the kernel's one engine, each with its own
// saved CPU context.
import { Errno } from './errno.js';
import type { Kernel } from './kernel.js';
import { forkAddressSpace } from './mm/fork.js';
import { copyProcess, copyTaskState } from './process-copy.js';
import { Task } from './task.js';

export const CLONE_VM = 0x100, CLONE_FS = 0x200, CLONE_FILES = 0x400, CLONE_SIGHAND = 0x800, CLONE_PIDFD = 0x1000,
  CLONE_PTRACE = 0x2000, CLONE_VFORK = 0x4000, CLONE_PARENT = 0x8000, CLONE_THREAD = 0x10000, CLONE_NEWNS = 0x20000,
  CLONE_SYSVSEM = 0x40000, CLONE_SETTLS = 0x80000, CLONE_PARENT_SETTID = 0x100000, CLONE_CHILD_CLEARTID = 0x200000,
  CLONE_DETACHED = 0x400000, CLONE_UNTRACED = 0x800000, CLONE_CHILD_SETTID = 0x1000000, CLONE_IO = 0x80000000;
const CSIGNAL = 0xff;
const NAMESPACE_FLAGS = 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000 | CLONE_NEWNS;

export interface CloneRequest {
  flags: number;
  exitSignal: number;
  /** New stack pointer (0 keeps the parent's). */
  stack: bigint;
  tls: bigint;
  parentTid: number;
  childTid: number;
  /** Where the child resumes: after the parent's `syscall` instruction. */
  returnRip: bigint;
}

/** clone(2) semantics; returns the child's tid (the parent's result) or -errno. */
export function clone(k: Kernel, parent: Task, req: CloneRequest): number {
  const { flags } = req;
  if (flags & NAMESPACE_FLAGS) return -Errno.EPERM;
  if (flags & CLONE_THREAD && !(flags & CLONE_SIGHAND)) return -Errno.EINVAL;
  if (flags & CLONE_SIGHAND && !(flags & CLONE_VM)) return -Errno.EINVAL;
  const pp = parent.process;
  const engine = k.cpu;
  const tid = k.allocatePid();
  let child: Task;
  if (flags & CLONE_THREAD) {
    child = new Task(tid, pp, k);
    pp.tasks.push(child);
  } else {
    const shareVm = (flags & CLONE_VM) !== 0;
    const mm = shareVm ? pp.mm : forkAddressSpace(pp.mm);
    const proc = copyProcess(pp, tid, {
      mm,
      fds: flags & CLONE_FILES ? pp.fds : pp.fds.clone(),
      fs: flags & CLONE_FS ? pp.fs : pp.fs.copy(),
      sighand: flags & CLONE_SIGHAND ? pp.sighand : pp.sighand.copy(),
    }, 'fork');
    if (!shareVm) mm.listener = { invalidate: () => engine.flushTlb() };
    proc.ppid = flags & CLONE_PARENT ? pp.ppid : pp.pid;
    proc.exitSignal = req.exitSignal;
    (flags & CLONE_PARENT ? pp.parent ?? pp : pp).children.push(proc);
    k.processes.set(tid, proc);
    child = proc.mainTask;
  }
  copyTaskState(parent, child, 'fork');
  if (!(flags & CLONE_VM) || flags & CLONE_VFORK) child.altStack = { ...parent.altStack };
  // A new thread registers its own rseq area; a forked copy keeps its parent's (the same address).
  if (!(flags & CLONE_VM)) child.rseq = parent.rseq;
  if (flags & CLONE_CHILD_CLEARTID) child.clearChildTid = req.childTid;

  // The child resumes after the `syscall` instruction with rax = 0.
  const regs = engine.readRegisters();
  regs.rip = req.returnRip;
  regs.rax = 0n;
  if (req.stack !== 0n) regs.rsp = req.stack;
  if (flags & CLONE_SETTLS) regs.fs_base = req.tls;
  const ctx = engine.newContext();
  for (const [name, value] of Object.entries(regs) as [keyof typeof regs, bigint][]) ctx.write(name, value);
  child.context = ctx;

  // glibc reuses the CLONE_PARENT_SETTID word for CLONE_CHILD_CLEARTID: store it now, before
  // the child can run. Linux ignores a fault in either store: the child exists and runs.
  if (flags & CLONE_PARENT_SETTID) pp.mm.writeU32(req.parentTid, tid);
  if (flags & CLONE_CHILD_SETTID) child.process.mm.writeU32(req.childTid, tid);
  k.scheduler.add(child);
  if (flags & CLONE_VFORK && !(flags & CLONE_THREAD)) child.process.vforkParent = parent;
  return tid;
}

export function cloneFlagsExitSignal(flags: number): number {
  return flags & CSIGNAL;
}
