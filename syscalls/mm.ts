// Memory syscalls: decode, call kernel-shim/mm, encode.
import { Errno } from '../kernel-shim/errno.js';
import { PAGE_SIZE } from '../kernel-shim/mm/constants.js';
import { msync } from '../kernel-shim/mm/mapping.js';
import { taskBrk, taskMadvise, taskMmap, taskMprotect, taskMremap, taskMunmap } from '../kernel-shim/mm/task-memory.js';
import type { SyscallDef } from './types.js';

export const mmSyscalls: SyscallDef[] = [
  {
    name: 'mmap', support: 'full',
    handler: (k, t, a) => taskMmap(k, t, { addr: a.arg(0), length: a.arg(1), prot: a.int(2), flags: a.int(3), fd: a.int(4), offset: a.arg(5) }),
  },
  // trampfd mappings, --wx=strict and userfaultfd events: kernel-shim/mm/task-memory.ts.
  { name: 'munmap', support: 'full', handler: (_k, t, a) => taskMunmap(t, a.arg(0), a.arg(1)) },
  { name: 'mprotect', support: 'full', handler: (k, t, a) => taskMprotect(k, t, a.arg(0), a.arg(1), a.int(2)) },
  { name: 'brk', support: 'full', handler: (_k, t, a) => taskBrk(t, a.arg(0)) },
  { name: 'mremap', support: 'full', handler: (_k, t, a) => taskMremap(t, a.arg(0), a.arg(1), a.arg(2), a.int(3), a.arg(4)) },
  { name: 'madvise', support: 'full', handler: (_k, t, a) => taskMadvise(t, a.arg(0), a.arg(1), a.int(2)) },
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
