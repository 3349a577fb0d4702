// Memory syscalls: decode, call kernel-shim/mm, encode.
import { Errno } from '../kernel-shim/errno.js';
import { MAP_ANONYMOUS, PAGE_SIZE } from '../kernel-shim/mm/constants.js';
import { brk, madvise, mmap, mprotect, mremap, msync, munmap } from '../kernel-shim/mm/mapping.js';
import { mmapFileOf } from '../kernel-shim/fs/mmapfile.js';
import { RLIMIT_DATA } from '../kernel-shim/process.js';
import type { SyscallDef } from './types.js';

export const mmSyscalls: SyscallDef[] = [
  {
    name: 'mmap', support: 'full',
    handler: (k, t, a) => {
      const flags = a.int(3);
      let file;
      let effective = flags;
      if (!(flags & MAP_ANONYMOUS)) {
        const f = mmapFileOf(k, t.process, a.int(4), flags);
        if (typeof f === 'number') return f;
        if (f === null) effective |= MAP_ANONYMOUS;
        else file = f;
      }
      return mmap(t.process.mm, { addr: a.arg(0), length: a.arg(1), prot: a.int(2), flags: effective, file, offset: a.arg(5) });
    },
  },
  { name: 'munmap', support: 'full', handler: (_k, t, a) => munmap(t.process.mm, a.arg(0), a.arg(1)) },
  { name: 'mprotect', support: 'full', handler: (_k, t, a) => mprotect(t.process.mm, a.arg(0), a.arg(1), a.int(2)) },
  {
    name: 'brk', support: 'full',
    handler: (_k, t, a) => {
      const limit = t.process.rlimits[RLIMIT_DATA].cur;
      return brk(t.process.mm, a.arg(0), limit >= BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(limit));
    },
  },
  {
    name: 'mremap', support: 'full',
    handler: (_k, t, a) => mremap(t.process.mm, a.arg(0), a.arg(1), a.arg(2), a.int(3), a.arg(4)),
  },
  { name: 'madvise', support: 'full', handler: (_k, t, a) => madvise(t.process.mm, a.arg(0), a.arg(1), a.int(2)) },
  { name: 'msync', support: 'full', handler: (_k, t, a) => msync(t.process.mm, a.arg(0), a.arg(1), a.int(2)) },
  {
    name: 'mincore', support: 'full',
    handler: (_k, t, a) => {
      const mm = t.process.mm;
      const addr = a.arg(0);
      if (addr % PAGE_SIZE !== 0) return -Errno.EINVAL;
      const pages = Math.ceil(a.arg(1) / PAGE_SIZE);
      if (!mm.areas.covers(addr, addr + pages * PAGE_SIZE)) return -Errno.ENOMEM;
      const vec = new Uint8Array(pages);
      for (let i = 0; i < pages; i++) vec[i] = mm.pageTable.get(addr / PAGE_SIZE + i) !== 0 ? 1 : 0;
      return mm.write(a.arg(2), vec) ? 0 : -Errno.EFAULT;
    },
  },
  { name: 'mlock', support: 'stub', handler: () => 0, note: 'nothing is ever swapped out' },
  { name: 'munlock', support: 'stub', handler: () => 0 },
  { name: 'mlockall', support: 'stub', handler: () => 0 },
  { name: 'munlockall', support: 'stub', handler: () => 0 },
  { name: 'mlock2', support: 'stub', handler: () => 0 },
];
