// pidfd_open, pidfd_send_signal and pidfd_getfd: opening a pidfd on a process, signalling
// it (or its thread or process group) through one, and duplicating one of its fds.
import type { Siginfo } from './abi/siginfo.js';
import { Errno } from './errno.js';
import type { Kernel } from './kernel.js';
import { PIDFD_NONBLOCK, PIDFD_THREAD, PidFd, pidfdTarget } from './pidfd.js';
import type { Process } from './process.js';
import { signalProcess, signalTask } from './signal/deliver.js';
import { NSIG } from './signal/numbers.js';
import type { Task } from './task.js';

const SI_USER = 0, SI_TKILL = -6;
const PIDFD_SIGNAL_THREAD = 1, PIDFD_SIGNAL_THREAD_GROUP = 2, PIDFD_SIGNAL_PROCESS_GROUP = 4;

function pidfdOf(t: Task, fd: number): PidFd | number {
  const file = t.process.fds.file(fd);
  if (typeof file === 'number') return file;
  return file instanceof PidFd ? file : -Errno.EBADF;
}

/** pidfd_open(pid, flags): a close-on-exec pidfd on the process (PIDFD_THREAD: the thread). */
export function pidfdOpen(k: Kernel, t: Task, pid: number, flags: number): number {
  if (flags & ~(PIDFD_NONBLOCK | PIDFD_THREAD)) return -Errno.EINVAL;
  const target = pidfdTarget(k, pid, (flags & PIDFD_THREAD) !== 0);
  if (typeof target === 'number') return target;
  return t.process.fds.install(new PidFd(target, flags & PIDFD_NONBLOCK), true);
}

/** The processes a pidfd_send_signal scope reaches: the target, or its whole process group. */
function signalScope(k: Kernel, target: Process, flags: number): Process[] {
  if (!(flags & PIDFD_SIGNAL_PROCESS_GROUP)) return [target];
  return [...k.processes.values()].filter((p) => !p.reaped && p.pgid === target.pgid);
}

/**
 * pidfd_send_signal(fd, sig, info, flags): info is the caller's siginfo (an errno when it
 * could not be read; undefined: a kill() from the caller). At most one scope flag.
 */
export function pidfdSendSignal(k: Kernel, t: Task, fd: number, sig: number, given: Siginfo | number | undefined, flags: number): number {
  const scopes = PIDFD_SIGNAL_THREAD | PIDFD_SIGNAL_THREAD_GROUP | PIDFD_SIGNAL_PROCESS_GROUP;
  if (flags & ~scopes || (flags & (flags - 1)) !== 0) return -Errno.EINVAL;
  const pidfd = pidfdOf(t, fd);
  if (typeof pidfd === 'number') return pidfd;
  if (sig < 0 || sig > NSIG) return -Errno.EINVAL;
  const target = pidfd.target;
  let info: Siginfo = { signo: sig, errno: 0, code: SI_USER, layout: 'kill', pid: t.process.pid, uid: t.process.uid };
  if (given !== undefined) {
    if (typeof given === 'number') return given;
    if (given.signo !== sig) return -Errno.EINVAL;
    // Only the kernel and the process itself may claim a kernel-generated code.
    if ((target !== t.process || flags & PIDFD_SIGNAL_PROCESS_GROUP) && (given.code >= 0 || given.code === SI_TKILL)) return -Errno.EPERM;
    info = given;
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

/** pidfd_getfd(pidfd, targetfd, flags): a close-on-exec duplicate of the target's fd (same owner, or root). */
export function pidfdGetfd(t: Task, fd: number, targetFd: number, flags: number): number {
  if (flags !== 0) return -Errno.EINVAL;
  const pidfd = pidfdOf(t, fd);
  if (typeof pidfd === 'number') return pidfd;
  const target = pidfd.target;
  if (target.exited) return -Errno.ESRCH;
  if (t.process.uid !== 0 && target.uid !== t.process.uid) return -Errno.EPERM;
  const entry = target.fds.get(targetFd);
  if (entry === undefined) return -Errno.EBADF;
  return t.process.fds.install(entry.file, true);
}
