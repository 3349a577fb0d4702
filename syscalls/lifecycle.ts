// Tasks and processes: clone/clone3/fork/vfork, execve/execveat, exit/exit_group, wait4/waitid.
import { CLONE_ARGS_SIZE_VER0, decodeCloneArgs } from '../kernel-shim/abi/thread.js';
import { SIGINFO_SIZE, encodeSiginfo } from '../kernel-shim/abi/siginfo.js';
import { Errno } from '../kernel-shim/errno.js';
import { execveReading } from '../kernel-shim/execve.js';
import { cloneCall } from '../kernel-shim/clone-call.js';
import { CLONE_VFORK, CLONE_VM } from '../kernel-shim/fork.js';
import type { Kernel } from '../kernel-shim/kernel.js';
import { exitProcess, exitTask } from '../kernel-shim/lifecycle.js';
import { wait4, waitid } from '../kernel-shim/child-wait.js';
import { RUSAGE_SIZE } from '../kernel-shim/abi/rusage.js';
import type { BaseDir } from '../kernel-shim/fs/dirref.js';
import type { Task } from '../kernel-shim/task.js';
import { AT_EMPTY_PATH, AT_SYMLINK_NOFOLLOW, fileOf, pathAt } from './guest.js';
import { cloneArgs } from './argkinds-by-value.js';
import type { SyscallDef, SyscallFrame } from './types.js';

const MAX_ARG_STRINGS = 0x7fffffff;
const SIGCHLD = 17;

function startClone(k: Kernel, t: Task, a: SyscallFrame, flags: number, exitSignal: number, stack: bigint, tls: bigint, parentTid: number, childTid: number) {
  return cloneCall(k, t, { flags, exitSignal, stack, tls, parentTid, childTid, returnRip: BigInt(a.returnAddress) });
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

function execveCall(k: Kernel, t: Task, path: string, cwd: BaseDir, argvAddr: number, envpAddr: number): number | null {
  return execveReading(k, t, path, cwd, () => {
    const argv = readStringArray(t, argvAddr);
    if (typeof argv === 'number') return argv;
    const envp = readStringArray(t, envpAddr);
    return typeof envp === 'number' ? envp : { argv, envp };
  });
}

function wait4Call(k: Kernel, t: Task, pid: number, statusAddr: number, options: number, rusageAddr: number) {
  const mm = t.process.mm;
  return wait4(k, t, pid, options, (status) => (statusAddr === 0 || mm.writeU32(statusAddr, status)) && (rusageAddr === 0 || mm.write(rusageAddr, new Uint8Array(RUSAGE_SIZE))));
}

function waitidCall(k: Kernel, t: Task, idtype: number, id: number, infoAddr: number, options: number) {
  return waitid(k, t, idtype, id, options, (report) => {
    if (infoAddr === 0) return true;
    const b = new Uint8Array(SIGINFO_SIZE);
    if (report !== null) encodeSiginfo(new DataView(b.buffer), 0, { signo: SIGCHLD, errno: 0, layout: 'chld', ...report, utime: 0n, stime: 0n });
    return t.process.mm.write(infoAddr, b);
  });
}

export const lifecycleSyscalls: SyscallDef[] = [
  {
    name: 'clone', args: cloneArgs, result: 'dec', support: 'full', ptregs: true,
    handler: (k, t, a) => startClone(k, t, a, a.int(0) & ~0xff, a.int(0) & 0xff, a.argBig(1), a.argBig(4), a.arg(2), a.arg(3)),
  },
  {
    name: 'clone3', args: ['clone_args', { kind: 'clone_stored_out', arg: 0, len: 1 }, { kind: 'uint', arg: 1 }], result: 'dec', support: 'full', ptregs: true,
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
  { name: 'fork', args: [], result: 'dec', support: 'full', ptregs: true, handler: (k, t, a) => startClone(k, t, a, 0, SIGCHLD, 0n, 0n, 0, 0) },
  { name: 'vfork', args: [], result: 'dec', support: 'full', ptregs: true, handler: (k, t, a) => startClone(k, t, a, CLONE_VM | CLONE_VFORK, SIGCHLD, 0n, 0n, 0, 0) },
  {
    name: 'execve', args: ['path', 'string_array', 'envp'], result: 'dec', support: 'full', ptregs: true,
    handler: (k, t, a) => {
      const at = pathAt(t, -100, a.arg(0));
      if (typeof at === 'number') return at;
      return execveCall(k, t, at.path, at.dir, a.arg(1), a.arg(2));
    },
  },
  {
    name: 'execveat', args: ['fd', 'path', 'string_array', 'envp', 'at_flags'], result: 'dec', support: 'full', ptregs: true,
    handler: (k, t, a) => {
      const flags = a.int(4);
      if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)) return -Errno.EINVAL;
      const at = pathAt(t, a.int(0), a.arg(1));
      if (typeof at === 'number') return at;
      if (at.path === '' && flags & AT_EMPTY_PATH) {
        const file = fileOf(t, a.int(0));
        if (typeof file === 'number') return file;
        return execveCall(k, t, file.path, '/', a.arg(2), a.arg(3));
      }
      return execveCall(k, t, at.path, at.dir, a.arg(2), a.arg(3));
    },
  },
  {
    name: 'exit', args: ['int'], result: 'dec', support: 'full',
    handler: (_k, t, a) => {
      exitTask(t, a.int(0));
      return null;
    },
  },
  {
    name: 'exit_group', args: ['int'], result: 'dec', support: 'full',
    handler: (_k, t, a) => {
      exitProcess(t.process, { code: a.int(0) & 0xff });
      return null;
    },
  },
  { name: 'wait4', args: ['int', 'wait_status_out', 'wait_options', 'rusage_out'], result: 'dec', support: 'full', handler: (k, t, a) => wait4Call(k, t, a.int(0), a.arg(1), a.int(2), a.arg(3)) },
  { name: 'waitid', args: ['waitid_type', 'int', 'siginfo_out', 'wait_options', 'rusage_out'], result: 'dec', support: 'full', handler: (k, t, a) => waitidCall(k, t, a.int(0), a.int(1), a.arg(2), a.int(3)) },
];
