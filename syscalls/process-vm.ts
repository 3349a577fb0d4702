// process_vm_readv / process_vm_writev between guest processes (kernel-shim/process-vm.ts).
import { Errno } from '../kernel-shim/errno.js';
import type { Kernel } from '../kernel-shim/kernel.js';
import { transfer } from '../kernel-shim/process-vm.js';
import type { Task } from '../kernel-shim/task.js';
import { readIovecs } from '../kernel-shim/fs/file-io.js';
import type { SyscallDef, SyscallFrame } from './types.js';

function processVm(k: Kernel, t: Task, a: SyscallFrame, write: boolean): number {
  if (a.arg(5) !== 0) return -Errno.EINVAL;
  const local = readIovecs(t, a.arg(1), a.arg(2));
  if (typeof local === 'number') return local;
  if (local.every((v) => v.len === 0)) return 0;
  const remote = readIovecs(t, a.arg(3), a.arg(4));
  if (typeof remote === 'number') return remote;
  const pid = a.int(0);
  const target = pid > 0 ? k.processes.get(pid) : undefined;
  if (target === undefined || target.exited) return -Errno.ESRCH;
  if (t.process.uid !== 0 && target.uid !== t.process.uid) return -Errno.EPERM;
  return transfer(t.process.mm, local, target.mm, remote, write);
}

export const processVmSyscalls: SyscallDef[] = [
  { name: 'process_vm_readv', args: ['int', 'iovec_out', 'uint', { kind: 'iovec_addrs', len: 4 }, 'uint', 'uint'], result: 'dec', support: 'full', handler: (k, t, a) => processVm(k, t, a, false) },
  { name: 'process_vm_writev', args: ['int', 'iovec_in', 'uint', { kind: 'iovec_addrs', len: 4 }, 'uint', 'uint'], result: 'dec', support: 'full', handler: (k, t, a) => processVm(k, t, a, true) },
];
