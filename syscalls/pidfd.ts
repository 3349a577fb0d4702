// pidfd_open, pidfd_send_signal and pidfd_getfd over kernel-shim/pidfd.ts.
import { SIGINFO_SIZE, decodeSiginfo, type Siginfo } from '../kernel-shim/abi/siginfo.js';
import { Errno } from '../kernel-shim/errno.js';
import type { Kernel } from '../kernel-shim/kernel.js';
import { PIDFD_NONBLOCK, PIDFD_THREAD, PidFd, pidfdTarget } from '../kernel-shim/pidfd.js';
import { signalProcess, signalTask } from '../kernel-shim/signal/deliver.js';
import type { Process } from '../kernel-shim/process.js';
import { NSIG } from '../kernel-shim/signal/numbers.js';
import type { Task } from '../kernel-shim/task.js';
import { fileOf } from './guest.js';
import type { SyscallDef, SyscallFrame } from './types.js';

const SI_USER = 0, SI_TKILL = -6;

function pidfdOf(t: Task, fd: number): PidFd | number {
  const file = fileOf(t, fd);
  if (typeof file === 'number') return file;
  return file instanceof PidFd ? file : -Errno.EBADF;
}

function pidfdOpen(k: Kernel, t: Task, a: SyscallFrame): number {
  const flags = a.int(1);
  if (flags & ~(PIDFD_NONBLOCK | PIDFD_THREAD)) return -Errno.EINVAL;
  const target = pidfdTarget(k, a.int(0), (flags & PIDFD_THREAD) !== 0);
  if (typeof target === 'number') return target;
  return t.process.fds.install(new PidFd(target, flags & PIDFD_NONBLOCK), true);
}

const PIDFD_SIGNAL_THREAD = 1, PIDFD_SIGNAL_THREAD_GROUP = 2, PIDFD_SIGNAL_PROCESS_GROUP = 4;

/** The processes a pidfd_send_signal scope reaches: the target, or its whole process group. */
function signalScope(k: Kernel, target: Process, flags: number): Process[] {
  if (!(flags & PIDFD_SIGNAL_PROCESS_GROUP)) return [target];
  return [...k.processes.values()].filter((p) => !p.reaped && p.pgid === target.pgid);
}

function sendSignal(k: Kernel, t: Task, a: SyscallFrame): number {
  const flags = a.int(3);
  const scopes = PIDFD_SIGNAL_THREAD | PIDFD_SIGNAL_THREAD_GROUP | PIDFD_SIGNAL_PROCESS_GROUP;
  if (flags & ~scopes || (flags & (flags - 1)) !== 0) return -Errno.EINVAL;
  const pidfd = pidfdOf(t, a.int(0));
  if (typeof pidfd === 'number') return pidfd;
  const sig = a.int(1);
  if (sig < 0 || sig > NSIG) return -Errno.EINVAL;
  const target = pidfd.target;
  let info: Siginfo = { signo: sig, errno: 0, code: SI_USER, layout: 'kill', pid: t.process.pid, uid: t.process.uid };
  if (a.arg(2) !== 0) {
    const raw = t.process.mm.read(a.arg(2), SIGINFO_SIZE);
    if (raw === null) return -Errno.EFAULT;
    info = decodeSiginfo(new DataView(raw.buffer, raw.byteOffset, SIGINFO_SIZE), 0);
    if (info.signo !== sig) return -Errno.EINVAL;
    // Only the kernel and the process itself may claim a kernel-generated code.
    if ((target !== t.process || flags & PIDFD_SIGNAL_PROCESS_GROUP) && (info.code >= 0 || info.code === SI_TKILL)) return -Errno.EPERM;
  }
  if (target.reaped) return -Errno.ESRCH;
  if (sig === 0) return 0;
  if (flags & PIDFD_SIGNAL_THREAD) {
    if (!target.mainTask.exited) signalTask(k, target.mainTask, { ...info });
    return 0;
  }
  for (const p of signalScope(k, target, flags)) if (!p.exited) signalProcess(k, p, { ...info });
  return 0;
}

function getfd(_k: Kernel, t: Task, a: SyscallFrame): number {
  if (a.int(2) !== 0) return -Errno.EINVAL;
  const pidfd = pidfdOf(t, a.int(0));
  if (typeof pidfd === 'number') return pidfd;
  const target = pidfd.target;
  if (target.exited) return -Errno.ESRCH;
  if (t.process.uid !== 0 && target.uid !== t.process.uid) return -Errno.EPERM;
  const entry = target.fds.get(a.int(1));
  if (entry === undefined) return -Errno.EBADF;
  return t.process.fds.install(entry.file, true);
}

export const pidfdSyscalls: SyscallDef[] = [
  { name: 'pidfd_open', args: ['int', 'pidfd_flags'], result: 'dec', support: 'full', handler: pidfdOpen, note: 'polls readable when the process exits (woken through its parent)' },
  { name: 'pidfd_send_signal', args: ['fd', 'signal', 'siginfo', 'hex'], result: 'dec', support: 'full', handler: sendSignal },
  { name: 'pidfd_getfd', args: ['fd', 'int', 'hex'], result: 'dec', support: 'full', handler: getfd },
];
