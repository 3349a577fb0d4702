// kcmp (compare two guest tasks' kernel objects) and ptrace, which ushim answers as a process
// that is already traced would be: ushim itself is the guest's tracer.
import { Errno } from '../kernel-shim/errno.js';
import { type EpollSlot, KCMP_EPOLL_TFD, kcmp, namedTask } from '../kernel-shim/kcmp.js';
import type { Kernel } from '../kernel-shim/kernel.js';
import type { Task } from '../kernel-shim/task.js';
import { kcmpArgs, ptraceArgs } from './argkinds-by-value.js';
import type { SyscallDef, SyscallFrame } from './types.js';

const EPOLL_SLOT_SIZE = 12;

/** KCMP_EPOLL_TFD's struct kcmp_epoll_slot at idx2 (other types: unused). */
function readSlot(t: Task, type: number, addr: number): EpollSlot | number {
  if (type !== KCMP_EPOLL_TFD) return -Errno.EINVAL;
  const slot = t.process.mm.read(addr, EPOLL_SLOT_SIZE);
  if (slot === null) return -Errno.EFAULT;
  const view = new DataView(slot.buffer, slot.byteOffset, EPOLL_SLOT_SIZE);
  return { efd: view.getInt32(0, true), tfd: view.getInt32(4, true), toff: view.getUint32(8, true) };
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
    name: 'kcmp', args: kcmpArgs, result: 'dec', support: 'full', handler: (k, t, a) => kcmp(k, t, a.int(0), a.int(1), a.int(2), a.int(3), a.int(4), readSlot(t, a.int(2), a.arg(4))),
    note: 'orders objects by first holder in pid order; KCMP_IO: each process its own; KCMP_SYSVSEM: always equal (SEM_UNDO lists are not compared)',
  },
  { name: 'ptrace', args: ptraceArgs, result: 'dec', support: 'partial', handler: ptrace, note: 'nothing can be traced: TRACEME/ATTACH/SEIZE EPERM (ushim is the tracer), other requests ESRCH' },
];
