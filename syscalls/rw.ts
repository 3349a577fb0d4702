// read/write and their positional, vectored and in-kernel-copy variants, and lseek: the
// copying between files and user memory is kernel-shim/fs/file-io.ts's.
import {
  copyFileRange, preadFd, preadvFd, pwriteFd, pwritevFd, readFd, readvFd, sendfile, writeFd, writevFd,
} from '../kernel-shim/fs/file-io.js';
import { fileOf } from './guest.js';
import type { SyscallDef } from './types.js';

export const rwSyscalls: SyscallDef[] = [
  { name: 'read', support: 'full', handler: (_k, t, a) => readFd(t, a.int(0), a.arg(1), a.arg(2)) },
  { name: 'write', support: 'full', handler: (_k, t, a) => writeFd(t, a.int(0), a.arg(1), a.arg(2)) },
  { name: 'pread64', support: 'full', handler: (_k, t, a) => preadFd(t, a.int(0), a.arg(1), a.arg(2), a.argBig(3)) },
  { name: 'pwrite64', support: 'full', handler: (_k, t, a) => pwriteFd(t, a.int(0), a.arg(1), a.arg(2), a.argBig(3)) },
  { name: 'readv', support: 'full', handler: (_k, t, a) => readvFd(t, a.int(0), a.arg(1), a.int(2)) },
  { name: 'writev', support: 'full', handler: (_k, t, a) => writevFd(t, a.int(0), a.arg(1), a.int(2)) },
  ...(['preadv', 'preadv2'] as const).map((name): SyscallDef => ({
    name, support: 'full',
    handler: (_k, t, a) => preadvFd(t, a.int(0), a.arg(1), a.int(2), a.argBig(3), name === 'preadv2'),
  })),
  ...(['pwritev', 'pwritev2'] as const).map((name): SyscallDef => ({
    name, support: 'full',
    handler: (_k, t, a) => pwritevFd(t, a.int(0), a.arg(1), a.int(2), a.argBig(3), name === 'pwritev2'),
  })),
  {
    name: 'lseek', support: 'full',
    handler: (_k, t, a) => {
      const f = fileOf(t, a.int(0));
      if (typeof f === 'number') return f;
      return f.seek(BigInt.asIntN(64, a.argBig(1)), a.int(2));
    },
  },
  { name: 'sendfile', support: 'full', handler: (_k, t, a) => sendfile(t, a.int(0), a.int(1), a.arg(2), a.arg(3)) },
  { name: 'copy_file_range', support: 'full', handler: (_k, t, a) => copyFileRange(t, a.int(0), a.arg(1), a.int(2), a.arg(3), a.arg(4), a.arg(5)) },
];
