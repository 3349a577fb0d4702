// pidfd_open, pidfd_send_signal and pidfd_getfd over kernel-shim/pidfd-ops.ts.
import { SIGINFO_SIZE, decodeSiginfo, type Siginfo } from '../kernel-shim/abi/siginfo.js';
import { Errno } from '../kernel-shim/errno.js';
import { pidfdGetfd, pidfdOpen, pidfdSendSignal } from '../kernel-shim/pidfd-ops.js';
import type { Task } from '../kernel-shim/task.js';
import type { SyscallDef } from './types.js';

/** The siginfo argument of pidfd_send_signal (NULL: none). */
function readSiginfo(t: Task, addr: number): Siginfo | number | undefined {
  if (addr === 0) return undefined;
  const raw = t.process.mm.read(addr, SIGINFO_SIZE);
  return raw === null ? -Errno.EFAULT : decodeSiginfo(new DataView(raw.buffer, raw.byteOffset, SIGINFO_SIZE), 0);
}

export const pidfdSyscalls: SyscallDef[] = [
  {
    name: 'pidfd_open', args: ['int', 'pidfd_flags'], result: 'dec', support: 'full', note: 'polls readable when the process exits (woken through its parent)',
    handler: (k, t, a) => pidfdOpen(k, t, a.int(0), a.int(1)),
  },
  {
    name: 'pidfd_send_signal', args: ['fd', 'signal', 'siginfo', 'hex'], result: 'dec', support: 'full',
    handler: (k, t, a) => pidfdSendSignal(k, t, a.int(0), a.int(1), readSiginfo(t, a.arg(2)), a.int(3)),
  },
  { name: 'pidfd_getfd', args: ['fd', 'int', 'hex'], result: 'dec', support: 'full', handler: (_k, t, a) => pidfdGetfd(t, a.int(0), a.int(1), a.int(2)) },
];
