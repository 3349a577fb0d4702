// Calls that change how much space a file takes: fallocate.
import { fallocateFd } from '../kernel-shim/fs/fallocate.js';
import type { SyscallDef } from './types.js';

export const fileSpaceSyscalls: SyscallDef[] = [
  {
    name: 'fallocate', args: ['fd', 'hex', 'long', 'long'], result: 'dec', support: 'full',
    note: 'host files: the host file system; memfd: allocate and punch hole',
    handler: (_k, t, a) => fallocateFd(t, a.int(0), a.int(1), BigInt.asIntN(64, a.argBig(2)), BigInt.asIntN(64, a.argBig(3))),
  },
];
