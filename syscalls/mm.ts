// Memory syscalls: decode, call kernel-shim/mm, encode.
import { mincore, msync } from '../kernel-shim/mm/mapping.js';
import { taskBrk, taskMadvise, taskMmap, taskMprotect, taskMremap, taskMunmap } from '../kernel-shim/mm/task-memory.js';
import { mremapArgs } from './argkinds-by-value.js';
import type { SyscallDef } from './types.js';
import { pkeyAlloc, pkeyFree, pkeyMprotectRefusal } from '../kernel-shim/mm/pkeys.js';
import { mseal } from '../kernel-shim/mm/mseal.js';

const NO_PKU = 'as on a CPU without protection keys (ushim advertises no PKU): no key is ever allocated';

export const mmSyscalls: SyscallDef[] = [
  {
    name: 'mmap', args: ['ptr', 'uint', 'prot', 'mmap_flags', 'fd', 'hex'], result: 'hex', support: 'full',
    handler: (k, t, a) => taskMmap(k, t, { addr: a.arg(0), length: a.arg(1), prot: a.int(2), flags: a.int(3), fd: a.int(4), offset: a.arg(5) }),
  },
  // trampfd mappings, --wx=strict and userfaultfd events: kernel-shim/mm/task-memory.ts.
  { name: 'munmap', args: ['ptr', 'uint'], result: 'dec', support: 'full', handler: (_k, t, a) => taskMunmap(t, a.arg(0), a.arg(1)) },
  { name: 'mprotect', args: ['ptr', 'uint', 'prot'], result: 'dec', support: 'full', handler: (k, t, a) => taskMprotect(k, t, a.arg(0), a.arg(1), a.int(2)) },
  {
    name: 'pkey_mprotect', args: ['ptr', 'uint', 'prot', 'int'], result: 'dec', support: 'full', note: NO_PKU,
    handler: (k, t, a) => (a.int(3) === -1 ? taskMprotect(k, t, a.arg(0), a.arg(1), a.int(2)) : pkeyMprotectRefusal(a.argBig(0), a.argBig(1))),
  },
  { name: 'pkey_alloc', args: ['hex', 'hex'], result: 'dec', support: 'full', note: NO_PKU, handler: (_k, t, a) => pkeyAlloc(t.process.mm, a.argBig(0), a.argBig(1)) },
  { name: 'pkey_free', args: ['int'], result: 'dec', support: 'full', note: NO_PKU, handler: () => pkeyFree() },
  {
    name: 'mseal', args: ['ptr', 'uint', 'hex'], result: 'dec', support: 'full',
    handler: (_k, t, a) => mseal(t.process.mm, a.argBig(0), a.argBig(1), a.argBig(2)),
  },
  { name: 'brk', args: ['ptr'], result: 'hex', support: 'full', handler: (_k, t, a) => taskBrk(t, a.arg(0)) },
  { name: 'mremap', args: mremapArgs, result: 'hex', support: 'full', handler: (_k, t, a) => taskMremap(t, a.arg(0), a.arg(1), a.arg(2), a.int(3), a.arg(4)) },
  { name: 'madvise', args: ['ptr', 'uint', 'madvise_advice'], result: 'dec', support: 'full', handler: (_k, t, a) => taskMadvise(t, a.arg(0), a.arg(1), a.int(2)) },
  { name: 'msync', args: ['ptr', 'uint', 'msync_flags'], result: 'dec', support: 'full', handler: (_k, t, a) => msync(t.process.mm, a.arg(0), a.arg(1), a.int(2)) },
  {
    name: 'mincore', args: ['ptr', 'uint', 'mincore_out'], result: 'dec', support: 'full',
    handler: (_k, t, a) => mincore(t.process.mm, a.arg(0), a.arg(1), a.arg(2)),
  },
  { name: 'mlock', args: ['ptr', 'uint'], result: 'dec', support: 'stub', handler: () => 0, note: 'nothing is ever swapped out' },
  { name: 'munlock', args: ['ptr', 'uint'], result: 'dec', support: 'stub', handler: () => 0, note: 'nothing is ever swapped out' },
  { name: 'mlockall', args: ['mlockall_flags'], result: 'dec', support: 'stub', handler: () => 0, note: 'nothing is ever swapped out' },
  { name: 'munlockall', args: [], result: 'dec', support: 'stub', handler: () => 0, note: 'nothing is ever swapped out' },
  { name: 'mlock2', args: ['ptr', 'uint', 'mlock2_flags'], result: 'dec', support: 'stub', handler: () => 0, note: 'nothing is ever swapped out' },
];
