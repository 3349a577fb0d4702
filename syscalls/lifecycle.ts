// Tasks and processes: clone/clone3/fork/vfork, execve/execveat, exit/exit_group, wait4/waitid.
import { CLONE_ARGS_SIZE_VER0, decodeCloneArgs } from '../kernel-shim/abi/thread.js';
import { SIGINFO_SIZE, encodeSiginfo } from '../kernel-shim/abi/siginfo.js';
import { Errno } from '../kernel-shim/errno.js';
import { exec } from '../kernel-shim/exec.js';
import { openExecutable } from '../kernel-shim/executable.js';
import { CLONE_THREAD, CLONE_VFORK, CLONE_VM, clone } from '../kernel-shim/fork.js';
import type { Kernel } from '../kernel-shim/kernel.js';
import { exitProcess, exitReport, exitTask, replaceImage } from '../kernel-shim/lifecycle.js';
import { jobReportState } from '../kernel-shim/signal/jobctl.js';
import type { Process } from '../kernel-shim/process.js';
import type { Task } from '../kernel-shim/task.js';
import { block } from '../kernel-shim/wait.js';
import { LoadError } from '../loader/index.js';
import { AT_EMPTY_PATH, AT_SYMLINK_NOFOLLOW, fileOf, pathAt } from './guest.js';
import type { SyscallDef, SyscallFrame } from './types.js';
import { cloneWithEvents, resumeChain } from './uffd.js';

const WNOHANG = 1, WUNTRACED = 2, WEXITED = 4, WCONTINUED = 8, WNOWAIT = 0x01000000, WNOTHREAD = 0x20000000,
  WALL = 0x40000000, WCLONE = 0x80000000 | 0;
const P_ALL = 0, P_PID = 1, P_PGID = 2;
const MAX_ARG_STRINGS = 0x7fffffff;
const SIGCHLD = 17;

function startClone(k: Kernel, t: Task, a: SyscallFrame, flags: number, exitSignal: number, stack: bigint, tls: bigint, parentTid: number, childTid: number) {
  // userfaultfd: a fork waits until its FORK events were read (syscalls/uffd.ts).
  const pending = resumeChain(t);
  if (pending !== undefined) return pending;
  const tid = clone(k, t, { flags, exitSignal, stack, tls, parentTid, childTid, syscallRip: BigInt(a.rip) });
  // End the creator's slice: from the next one on, the scheduler time-slices between them.
  if (tid > 0) t.process.engine.requestStop();
  if (!(flags & CLONE_VM)) {
    const waiting = cloneWithEvents(k, t, flags, tid);
    if (waiting !== tid) return waiting;
  }
  if (tid < 0 || !(flags & CLONE_VFORK) || flags & CLONE_THREAD) return tid;
  // The vfork parent sleeps until the child execs or exits, then returns the child's pid.
  const child = k.processes.get(tid)!;
  return block([child.vforkDone], { onSignal: tid });
}

/** Reads a NULL-terminated array of string pointers (argv/envp): -EFAULT or -E2BIG. */
function readStringArray(t: Task, addr: number): Uint8Array[] | number {
  const out: Uint8Array[] = [];
  if (addr === 0) return out;
  const mm = t.process.mm;
  for (let i = 0; i < MAX_ARG_STRINGS; i++) {
    const p = mm.readU64(addr + 8 * i);
    if (p === null) return -Errno.EFAULT;
    if (p === 0n) return out;
    if (p >= 2n ** 47n) return -Errno.EFAULT;
    const s = mm.readCString(Number(p), 128 * 1024);
    if (s === null) return -Errno.EFAULT;
    out.push(s.slice());
  }
  return -Errno.E2BIG;
}

function execve(k: Kernel, t: Task, path: string, cwd: string, argvAddr: number, envpAddr: number): number | null {
  const argv = readStringArray(t, argvAddr);
  if (typeof argv === 'number') return argv;
  const envp = readStringArray(t, envpAddr);
  if (typeof envp === 'number') return envp;
  const proc = t.process;
  let result;
  try {
    result = exec((p) => openExecutable(k, p, cwd), k.frames, k.stats.mm, k.random, {
      path, argv, envp, uid: proc.uid, gid: proc.gid, deterministic: k.options.deterministic, mmapMinAddr: k.mmapMinAddrFor(proc.uid),
    });
  } catch (e) {
    if (e instanceof LoadError) return -e.errno;
    throw e;
  }
  // Past the point of no return: other threads die, the caller becomes the only task.
  for (const other of proc.liveTasks) if (other !== t) k.retire(other);
  replaceImage(proc, result, true);
  return null;
}

/** Status word as wait4 reports it: exit, death by signal, stop (sig << 8 | 0x7f), continue (0xffff). */
function statusWord(p: Process): number {
  const s = p.exitStatus;
  if (s === undefined) return p.jobReport?.kind === 'stopped' ? (p.jobReport.signo << 8) | 0x7f : 0xffff;
  return s.signal === undefined ? (s.code & 0xff) << 8 : s.signal | (s.core ? 0x80 : 0);
}

/** The first child with something to report under `options`: exit (WEXITED), stop (WUNTRACED), continue (WCONTINUED). */
function reportable(candidates: Process[], options: number): Process | undefined {
  return candidates.find((c) => {
    if (c.exited) return !c.reaped && (options & WEXITED) !== 0;
    const r = c.jobReport;
    return r !== undefined && (r.kind === 'stopped' ? (options & WUNTRACED) !== 0 : (options & WCONTINUED) !== 0);
  });
}

function matches(parent: Process, child: Process, pid: number): boolean {
  if (pid === -1) return true;
  if (pid > 0) return child.pid === pid;
  if (pid === 0) return child.pgid === parent.pgid;
  return child.pgid === -pid;
}

function reap(k: Kernel, parent: Process, child: Process): void {
  child.reaped = true;
  parent.children.splice(parent.children.indexOf(child), 1);
  k.processes.delete(child.pid);
}

function wait4(k: Kernel, t: Task, pid: number, statusAddr: number, options: number, rusageAddr: number) {
  if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | WNOTHREAD | WALL | WCLONE)) return -Errno.EINVAL;
  const parent = t.process;
  const candidates = parent.children.filter((c) => matches(parent, c, pid));
  if (candidates.length === 0) return -Errno.ECHILD;
  const child = reportable(candidates, options | WEXITED);
  if (child === undefined) return options & WNOHANG ? 0 : block([parent.childEvents]);
  if (statusAddr !== 0 && !parent.mm.writeU32(statusAddr, statusWord(child))) return -Errno.EFAULT;
  if (rusageAddr !== 0 && !parent.mm.write(rusageAddr, new Uint8Array(144))) return -Errno.EFAULT;
  if (child.exited) reap(k, parent, child);
  else child.jobReport = undefined;
  return child.pid;
}

function waitid(k: Kernel, t: Task, idtype: number, id: number, infoAddr: number, options: number) {
  if (options & ~(WNOHANG | WUNTRACED | WEXITED | WCONTINUED | WNOWAIT | WNOTHREAD | WALL | WCLONE)) return -Errno.EINVAL;
  if (!(options & (WEXITED | WUNTRACED | WCONTINUED))) return -Errno.EINVAL;
  const parent = t.process;
  let pid: number;
  if (idtype === P_ALL) pid = -1;
  else if (idtype === P_PID) pid = id;
  else if (idtype === P_PGID) pid = id === 0 ? 0 : -id;
  else return -Errno.EINVAL;
  const candidates = parent.children.filter((c) => matches(parent, c, pid));
  if (candidates.length === 0) return -Errno.ECHILD;
  const child = reportable(candidates, options);
  if (child === undefined) {
    if (options & WNOHANG) return infoAddr !== 0 && !parent.mm.write(infoAddr, new Uint8Array(SIGINFO_SIZE)) ? -Errno.EFAULT : 0;
    return block([parent.childEvents]);
  }
  if (infoAddr !== 0) {
    const b = new Uint8Array(SIGINFO_SIZE);
    encodeSiginfo(new DataView(b.buffer), 0, { signo: SIGCHLD, errno: 0, ...childState(child), layout: 'chld', pid: child.pid, uid: child.uid, utime: 0n, stime: 0n });
    if (!parent.mm.write(infoAddr, b)) return -Errno.EFAULT;
  }
  if (!(options & WNOWAIT)) {
    if (child.exited) reap(k, parent, child);
    else child.jobReport = undefined;
  }
  return 0;
}

/** si_code and si_status of what a reportable child reports: its exit, stop or continue. */
function childState(c: Process): { code: number; status: number } {
  return c.exitStatus !== undefined ? exitReport(c.exitStatus) : jobReportState(c.jobReport!);
}

export const lifecycleSyscalls: SyscallDef[] = [
  {
    name: 'clone', support: 'full', ptregs: true,
    handler: (k, t, a) => startClone(k, t, a, a.int(0) & ~0xff, a.int(0) & 0xff, a.argBig(1), a.argBig(4), a.arg(2), a.arg(3)),
  },
  {
    name: 'clone3', support: 'full', ptregs: true,
    handler: (k, t, a) => {
      const size = a.arg(1);
      if (size < CLONE_ARGS_SIZE_VER0 || size > 4096) return -Errno.EINVAL;
      const raw = t.process.mm.read(a.arg(0), size);
      if (raw === null) return -Errno.EFAULT;
      const args = decodeCloneArgs(new DataView(raw.buffer), 0, size);
      if (args.exitSignal > 64n || args.flags > 0xffffffffn || args.setTidSize !== 0n) return -Errno.EINVAL;
      const flags = Number(args.flags);
      if (flags & 0xff) return -Errno.EINVAL;
      const stack = args.stack === 0n ? 0n : args.stack + args.stackSize;
      return startClone(k, t, a, flags, Number(args.exitSignal), stack, args.tls, Number(args.parentTid), Number(args.childTid));
    },
  },
  { name: 'fork', support: 'full', ptregs: true, handler: (k, t, a) => startClone(k, t, a, 0, SIGCHLD, 0n, 0n, 0, 0) },
  { name: 'vfork', support: 'full', ptregs: true, handler: (k, t, a) => startClone(k, t, a, CLONE_VM | CLONE_VFORK, SIGCHLD, 0n, 0n, 0, 0) },
  {
    name: 'execve', support: 'full', ptregs: true,
    handler: (k, t, a) => {
      const at = pathAt(t, -100, a.arg(0));
      if (typeof at === 'number') return at;
      return execve(k, t, at.path, at.cwd, a.arg(1), a.arg(2));
    },
  },
  {
    name: 'execveat', support: 'full', ptregs: true,
    handler: (k, t, a) => {
      const flags = a.int(4);
      if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)) return -Errno.EINVAL;
      const at = pathAt(t, a.int(0), a.arg(1));
      if (typeof at === 'number') return at;
      if (at.path === '' && flags & AT_EMPTY_PATH) {
        const file = fileOf(t, a.int(0));
        if (typeof file === 'number') return file;
        return execve(k, t, file.path, '/', a.arg(2), a.arg(3));
      }
      return execve(k, t, at.path, at.cwd, a.arg(2), a.arg(3));
    },
  },
  {
    name: 'exit', support: 'full',
    handler: (_k, t, a) => {
      exitTask(t, a.int(0));
      return null;
    },
  },
  {
    name: 'exit_group', support: 'full',
    handler: (_k, t, a) => {
      exitProcess(t.process, { code: a.int(0) & 0xff });
      return null;
    },
  },
  { name: 'wait4', support: 'full', handler: (k, t, a) => wait4(k, t, a.int(0), a.arg(1), a.int(2), a.arg(3)) },
  { name: 'waitid', support: 'full', handler: (k, t, a) => waitid(k, t, a.int(0), a.int(1), a.arg(2), a.int(3)) },
];
