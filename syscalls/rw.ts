// read/write and their positional, vectored and in-kernel-copy variants, and lseek: the
// copying between files and user memory is kernel-shim/fs/file-io.ts's, the pipe calls'
// kernel-shim/fs/splice.ts's.
import {
  copyFileRange, preadFd, preadvFd, pwriteFd, pwritevFd, readFd, readvFd, seekFd, sendfile, writeFd, writevFd,
} from '../kernel-shim/fs/file-io.js';
import { splice, tee, vmsplice } from '../kernel-shim/fs/splice.js';
import type { ArgSpec } from './argkinds.js';
import type { SyscallDef } from './types.js';

/** preadv/pwritev(fd, iov, iovcnt, pos_l, pos_h): x86-64 passes the offset whole in pos_l. */
const PREADV: readonly ArgSpec[] = ['fd', 'iovec_out', 'int', 'long'];
const PWRITEV: readonly ArgSpec[] = ['fd', 'iovec_in', 'int', 'long'];

export const rwSyscalls: SyscallDef[] = [
  { name: 'read', args: ['fd', 'buf_out', 'uint'], result: 'dec', support: 'full', handler: (_k, t, a) => readFd(t, a.int(0), a.arg(1), a.arg(2)) },
  { name: 'write', args: ['fd', 'buf_in', 'uint'], result: 'dec', support: 'full', handler: (_k, t, a) => writeFd(t, a.int(0), a.arg(1), a.arg(2)) },
  { name: 'pread64', args: ['fd', 'buf_out', 'uint', 'long'], result: 'dec', support: 'full', handler: (_k, t, a) => preadFd(t, a.int(0), a.arg(1), a.arg(2), a.argBig(3)) },
  { name: 'pwrite64', args: ['fd', 'buf_in', 'uint', 'long'], result: 'dec', support: 'full', handler: (_k, t, a) => pwriteFd(t, a.int(0), a.arg(1), a.arg(2), a.argBig(3)) },
  { name: 'readv', args: ['fd', 'iovec_out', 'int'], result: 'dec', support: 'full', handler: (_k, t, a) => readvFd(t, a.int(0), a.arg(1), a.int(2)) },
  { name: 'writev', args: ['fd', 'iovec_in', 'int'], result: 'dec', support: 'full', handler: (_k, t, a) => writevFd(t, a.int(0), a.arg(1), a.int(2)) },
  ...(['preadv', 'preadv2'] as const).map((name): SyscallDef => ({
    name, args: name === 'preadv2' ? [...PREADV, { kind: 'rwf_flags', arg: 5 }] : PREADV, result: 'dec', support: 'full',
    handler: (_k, t, a) => preadvFd(t, a.int(0), a.arg(1), a.int(2), a.argBig(3), name === 'preadv2' ? a.int(5) : undefined),
  })),
  ...(['pwritev', 'pwritev2'] as const).map((name): SyscallDef => ({
    name, args: name === 'pwritev2' ? [...PWRITEV, { kind: 'rwf_flags', arg: 5 }] : PWRITEV, result: 'dec', support: 'full',
    handler: (_k, t, a) => pwritevFd(t, a.int(0), a.arg(1), a.int(2), a.argBig(3), name === 'pwritev2' ? a.int(5) : undefined),
  })),
  {
    name: 'lseek', args: ['fd', 'long', 'whence'], result: 'dec', support: 'full',
    handler: (_k, t, a) => seekFd(t, a.int(0), BigInt.asIntN(64, a.argBig(1)), a.int(2)),
  },
  { name: 'sendfile', args: ['fd', 'fd', 'loff_ptr', 'uint'], result: 'dec', support: 'full', handler: (_k, t, a) => sendfile(t, a.int(0), a.int(1), a.arg(2), a.arg(3)) },
  { name: 'copy_file_range', args: ['fd', 'loff_ptr', 'fd', 'loff_ptr', 'uint', 'uint'], result: 'dec', support: 'full', handler: (_k, t, a) => copyFileRange(t, a.int(0), a.arg(1), a.int(2), a.arg(3), a.arg(4), a.arg(5)) },
  {
    name: 'splice', args: ['fd', 'loff_in', 'fd', 'loff_in', 'uint', 'splice_flags'], result: 'dec', support: 'full',
    note: 'a copy through ushim\'s pipes and files (no page moving): SPLICE_F_MOVE and SPLICE_F_GIFT change nothing',
    handler: (_k, t, a) => splice(t, a.int(0), a.arg(1), a.int(2), a.arg(3), a.arg(4), a.int(5)),
  },
  {
    name: 'tee', args: ['fd', 'fd', 'uint', 'splice_flags'], result: 'dec', support: 'partial',
    note: 'between pipes ushim made (pipe, pipe2); a host FIFO or inherited pipe at either end is EINVAL',
    handler: (_k, t, a) => tee(t, a.int(0), a.int(1), a.arg(2), a.int(3)),
  },
  {
    name: 'vmsplice', args: ['fd', 'iovec_in', 'uint', 'splice_flags'], result: 'dec', support: 'full',
    note: 'copies as writev/readv on the pipe (no page gifting)',
    handler: (_k, t, a) => vmsplice(t, a.int(0), a.arg(1), a.int(2), a.int(3)),
  },
];
