// process_vm_readv / process_vm_writev between guest processes (kernel-shim/process-vm.ts).
import { Errno } from '../kernel-shim/errno.js';
import { processVm } from '../kernel-shim/process-vm.js';
import { readIovecs } from '../kernel-shim/fs/file-io.js';
import type { Handler, SyscallDef } from './types.js';

function processVmCall(write: boolean): Handler {
  return (k, t, a) => {
    if (a.arg(5) !== 0) return -Errno.EINVAL;
    const local = readIovecs(t, a.arg(1), a.arg(2));
    if (typeof local === 'number') return local;
    return processVm(k, t, a.int(0), local, readIovecs(t, a.arg(3), a.arg(4)), write);
  };
}

export const processVmSyscalls: SyscallDef[] = [
  { name: 'process_vm_readv', args: ['int', 'iovec_out', 'uint', { kind: 'iovec_addrs', len: 4 }, 'uint', 'uint'], result: 'dec', support: 'full', handler: processVmCall(false) },
  { name: 'process_vm_writev', args: ['int', 'iovec_in', 'uint', { kind: 'iovec_addrs', len: 4 }, 'uint', 'uint'], result: 'dec', support: 'full', handler: processVmCall(true) },
];
