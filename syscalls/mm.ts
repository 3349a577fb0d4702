// Memory syscalls: decode, call kernel-shim/mm, encode.
import { MAP_ANONYMOUS, MAP_FIXED } from '../kernel-shim/mm/constants.js';
import { brk, madvise, mincore, mmap, mprotect, mremap, msync, munmap } from '../kernel-shim/mm/mapping.js';
import { mmapFileOf } from '../kernel-shim/fs/mmapfile.js';
import { RLIMIT_DATA } from '../kernel-shim/process.js';
import type { SyscallDef } from './types.js';
import { mmapTrampfd, mprotectChecked, wxAfterMap, wxBeforeMmap } from './wx.js';
import { brkWithEvents, madviseWithEvents, mremapWithEvents, withUnmapEvents } from './uffd.js';

export const mmSyscalls: SyscallDef[] = [
  {
    name: 'mmap', support: 'full',
    handler: (k, t, a) => {
      const flags = a.int(3);
      let file;
      let effective = flags;
      if (!(flags & MAP_ANONYMOUS)) {
        // trampfd mappings follow their driver's rules (kernel-shim/trampfd/, via syscalls/wx.ts).
        const special = mmapTrampfd(k, t, a.int(4), a.arg(0), a.arg(1), a.int(2), flags, a.arg(5));
        if (special !== undefined) return special;
        const f = mmapFileOf(k, t.process, a.int(4), flags);
        if (typeof f === 'number') return f;
        if (f === null) effective |= MAP_ANONYMOUS;
        else file = f;
      }
      // --wx=strict (kernel-shim/mm/wx.ts): refusals before, writability noted after.
      const refused = wxBeforeMmap(k, t, a.arg(0), a.arg(1), a.int(2));
      if (refused !== null) return refused;
      const source = file;
      const map = () => mmap(t.process.mm, { addr: a.arg(0), length: a.arg(1), prot: a.int(2), flags: effective, file: source, offset: a.arg(5) });
      // userfaultfd: MAP_FIXED over registered memory raises UNMAP events (syscalls/uffd.ts).
      const addr = flags & MAP_FIXED ? withUnmapEvents(t, a.arg(0), a.arg(1), map) : map();
      if (typeof addr === 'number' && addr >= 0) wxAfterMap(k, t, addr, a.arg(1), a.int(2));
      return addr;
    },
  },
  // userfaultfd's non-cooperative events (UNMAP, REMAP, REMOVE) come from the wrappers in syscalls/uffd.ts.
  { name: 'munmap', support: 'full', handler: (_k, t, a) => withUnmapEvents(t, a.arg(0), a.arg(1), () => munmap(t.process.mm, a.arg(0), a.arg(1))) },
  {
    name: 'mprotect', support: 'full',
    // trampfd areas' limits, --wx=strict, and stale code dropped from pages made executable (syscalls/wx.ts).
    handler: (k, t, a) => mprotectChecked(k, t, a.arg(0), a.arg(1), a.int(2), () => mprotect(t.process.mm, a.arg(0), a.arg(1), a.int(2))),
  },
  {
    name: 'brk', support: 'full',
    handler: (_k, t, a) => {
      const limit = t.process.rlimits[RLIMIT_DATA].cur;
      return brkWithEvents(t, a.arg(0), () => brk(t.process.mm, a.arg(0), limit >= BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(limit)));
    },
  },
  {
    name: 'mremap', support: 'full',
    handler: (_k, t, a) => mremapWithEvents(t, a.arg(0), a.arg(1), a.arg(2), a.int(3), a.arg(4), () => mremap(t.process.mm, a.arg(0), a.arg(1), a.arg(2), a.int(3), a.arg(4))),
  },
  { name: 'madvise', support: 'full', handler: (_k, t, a) => madviseWithEvents(t, a.arg(0), a.arg(1), a.int(2), () => madvise(t.process.mm, a.arg(0), a.arg(1), a.int(2))) },
  { name: 'msync', support: 'full', handler: (_k, t, a) => msync(t.process.mm, a.arg(0), a.arg(1), a.int(2)) },
  {
    name: 'mincore', support: 'full',
    handler: (_k, t, a) => mincore(t.process.mm, a.arg(0), a.arg(1), a.arg(2)),
  },
  { name: 'mlock', support: 'stub', handler: () => 0, note: 'nothing is ever swapped out' },
  { name: 'munlock', support: 'stub', handler: () => 0 },
  { name: 'mlockall', support: 'stub', handler: () => 0 },
  { name: 'munlockall', support: 'stub', handler: () => 0 },
  { name: 'mlock2', support: 'stub', handler: () => 0 },
];
