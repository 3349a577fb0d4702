// clone/fork/vfork: new tasks and processes. A new thread shares everything and starts from a
// copy of its creator's registers; a new process gets a copy-on-write copy of the address
// space; a vfork child borrows its parent's memory until it execs or exits. All of them run
// on the kernel's one engine, each with its own saved CPU context.
import { Errno } from './errno.js';
import type { Kernel } from './kernel.js';
import { AddressSpace } from './mm/addrspace.js';
import { VmArea, sourceOf } from './mm/areas.js';
import { PTE_COW, PTE_WRITE, makePte, pteFrame } from './mm/pagetable.js';
import { Process } from './process.js';
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
  /** Address of the `syscall` instruction the parent is in. */
  syscallRip: bigint;
}

/** A copy-on-write duplicate of mm: private pages become shared read-only in both. */
export function forkAddressSpace(mm: AddressSpace): AddressSpace {
  const child = new AddressSpace(mm.frames, mm.stats, mm.minAddr);
  child.brkStart = mm.brkStart;
  child.brk = mm.brk;
  child.mmapBase = mm.mmapBase;
  for (const a of mm.areas.items) {
    if (a.special?.dontCopy) continue; // VM_DONTCOPY (trampfd v1): a hole in the child
    const source = sourceOf(a);
    if (source !== undefined) source.users++;
    const copy = new VmArea(a.start, a.end, a.prot, a.flags, a.backing, a.offset, a.name, a.mayWrite);
    copy.special = a.special;
    copy.everWritable = a.everWritable;
    child.areas.items.push(copy);
  }
  let downgraded = false;
  mm.pageTable.forEachEntry((vpn, pte) => {
    const area = mm.areas.find(vpn * 4096);
    if (area?.special?.dontCopy) return;
    let shared = pte;
    if (area !== undefined && area.backing.kind !== 'shared') {
      shared = makePte(pteFrame(pte), (pte & ~PTE_WRITE & 15) | PTE_COW);
      if (pte & PTE_WRITE) downgraded = true;
      mm.pageTable.set(vpn, shared);
    }
    child.pageTable.set(vpn, shared);
    mm.frames.ref(pteFrame(pte));
  });
  if (downgraded) mm.listener.invalidate(0, 2 ** 47);
  mm.changed();
  return child;
}

/** clone(2) semantics; returns the child's tid (the parent's result) or -errno. */
export function clone(k: Kernel, parent: Task, req: CloneRequest): number {
  const { flags } = req;
  if (flags & NAMESPACE_FLAGS) return -Errno.EPERM;
  if (flags & CLONE_THREAD && !(flags & CLONE_SIGHAND)) return -Errno.EINVAL;
  if (flags & CLONE_SIGHAND && !(flags & CLONE_VM)) return -Errno.EINVAL;
  const pp = parent.process;
  const engine = pp.engine;
  const tid = k.allocatePid();
  let child: Task;
  if (flags & CLONE_THREAD) {
    child = new Task(tid, pp, k);
    pp.tasks.push(child);
  } else {
    const shareVm = (flags & CLONE_VM) !== 0;
    const mm = shareVm ? pp.mm : forkAddressSpace(pp.mm);
    const proc = new Process(k, tid, flags & CLONE_PARENT ? pp.ppid : pp.pid, mm, engine, flags & CLONE_FILES ? pp.fds : pp.fds.clone(),
      pp.cwd, pp.vfs, pp.uid, pp.gid, k.clock.uptime());
    if (!shareVm) mm.listener = { invalidate: () => engine.flushTlb() };
    proc.pgid = pp.pgid;
    proc.sid = pp.sid;
    proc.umask = pp.umask;
    proc.groups = pp.groups;
    proc.comm = pp.comm;
    proc.image = pp.image;
    proc.exitSignal = req.exitSignal;
    pp.sigactions.forEach((a, i) => (proc.sigactions[i] = { ...a }));
    pp.rlimits.forEach((l, i) => (proc.rlimits[i] = { ...l }));
    (flags & CLONE_PARENT ? pp.parent ?? pp : pp).children.push(proc);
    k.processes.set(tid, proc);
    child = proc.mainTask;
  }
  child.signalMask = parent.signalMask;
  if (!(flags & CLONE_VM) || flags & CLONE_VFORK) child.altStack = { ...parent.altStack };
  if (flags & CLONE_CHILD_CLEARTID) child.clearChildTid = req.childTid;

  // The child resumes after the `syscall` instruction with rax = 0.
  const regs = engine.readRegisters();
  regs.rip = req.syscallRip + 2n;
  regs.rax = 0n;
  if (req.stack !== 0n) regs.rsp = req.stack;
  if (flags & CLONE_SETTLS) regs.fs_base = req.tls;
  const ctx = engine.newContext();
  for (const [name, value] of Object.entries(regs) as [keyof typeof regs, bigint][]) ctx.write(name, value);
  child.context = ctx;

  // glibc reuses the CLONE_PARENT_SETTID word for CLONE_CHILD_CLEARTID: store it now, before
  // the child can run (design.md).
  if (flags & CLONE_PARENT_SETTID && !pp.mm.writeU32(req.parentTid, tid)) return -Errno.EFAULT;
  if (flags & CLONE_CHILD_SETTID) child.process.mm.writeU32(req.childTid, tid);
  k.scheduler.add(child);
  if (flags & CLONE_VFORK && !(flags & CLONE_THREAD)) child.process.vforkParent = parent;
  return tid;
}

export function cloneFlagsExitSignal(flags: number): number {
  return flags & CSIGNAL;
}
