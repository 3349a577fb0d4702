// kcmp (compare two guest tasks' kernel objects) and ptrace, which ushim answers as a process
// that is already traced would be: ushim itself is the guest's tracer.
import { Errno } from '../kernel-shim/errno.js';
import {
  KCMP_EPOLL_TFD, KCMP_FILE, KCMP_SYSVSEM, compareObjects, epollTarget, fileOfTask, objectOf,
} from '../kernel-shim/kcmp.js';
import type { Kernel } from '../kernel-shim/kernel.js';
import { taskByTid } from '../kernel-shim/sched-policy.js';
import type { Task } from '../kernel-shim/task.js';
import { kcmpArgs, ptraceArgs } from './argkinds-by-value.js';
import type { SyscallDef, SyscallFrame } from './types.js';

/** A task named by a pid argument, where 0 is nobody (find_task_by_vpid). */
function namedTask(k: Kernel, t: Task, pid: number): Task | number {
  return pid <= 0 ? -Errno.ESRCH : taskByTid(k, t, pid);
}

function kcmp(k: Kernel, t: Task, a: SyscallFrame): number {
  const t1 = namedTask(k, t, a.int(0));
  const t2 = namedTask(k, t, a.int(1));
  if (typeof t1 === 'number') return t1;
  if (typeof t2 === 'number') return t2;
  const type = a.int(2);
  if (type === KCMP_FILE) {
    const f1 = fileOfTask(t1, a.int(3));
    const f2 = fileOfTask(t2, a.int(4));
    return f1 === undefined || f2 === undefined ? -Errno.EBADF : compareObjects(k, type, f1, f2);
  }
  if (type === KCMP_EPOLL_TFD) {
    const slot = t.process.mm.read(a.arg(4), 12);
    if (slot === null) return -Errno.EFAULT;
    const f1 = fileOfTask(t1, a.int(3));
    if (f1 === undefined) return -Errno.EBADF;
    const view = new DataView(slot.buffer, slot.byteOffset, 12);
    const target = epollTarget(t2, view.getInt32(0, true), view.getInt32(4, true), view.getUint32(8, true));
    return typeof target === 'number' ? target : compareObjects(k, KCMP_FILE, f1, target);
  }
  // No SEM_UNDO lists are shared between guest processes: both have none, equal as in Linux.
  if (type === KCMP_SYSVSEM) return 0;
  const o1 = objectOf(type, t1);
  const o2 = objectOf(type, t2);
  return o1 === undefined || o2 === undefined ? -Errno.EINVAL : compareObjects(k, type, o1, o2);
}

const PTRACE_TRACEME = 0, PTRACE_ATTACH = 16, PTRACE_SEIZE = 0x4206;

/**
 * TRACEME: EPERM, as for a process that already has a tracer. ATTACH/SEIZE: ESRCH for no
 * such task, else EPERM. Every other request addresses a task the caller does not trace: ESRCH.
 */
function ptrace(k: Kernel, t: Task, a: SyscallFrame): number {
  const request = a.int(0);
  if (request === PTRACE_TRACEME) return -Errno.EPERM;
  if (request !== PTRACE_ATTACH && request !== PTRACE_SEIZE) return -Errno.ESRCH;
  const target = namedTask(k, t, a.int(1));
  return typeof target === 'number' ? target : -Errno.EPERM;
}

export const kcmpSyscalls: SyscallDef[] = [
  {
    name: 'kcmp', args: kcmpArgs, result: 'dec', support: 'full', handler: kcmp,
    note: 'orders objects by first holder in pid order; KCMP_IO: each process its own; KCMP_SYSVSEM: always equal (no SEM_UNDO lists)',
  },
  { name: 'ptrace', args: ptraceArgs, result: 'dec', support: 'partial', handler: ptrace, note: 'nothing can be traced: TRACEME/ATTACH/SEIZE EPERM (ushim is the tracer), other requests ESRCH' },
];
