// userfaultfd(2). The events other memory syscalls raise are kernel-shim/uffd/mm-events.ts's.
import { createUffd } from '../kernel-shim/fs/uffd-file.js';
import type { SyscallDef } from './types.js';

export const uffdSyscalls: SyscallDef[] = [
  {
    name: 'userfaultfd', support: 'partial',
    note: 'no hugetlbfs; write-protect only on private anonymous memory; no WP_UNPOPULATED/WP_ASYNC; EXACT_ADDRESS needs libcapstone',
    handler: (_k, t, a) => createUffd(t, a.int(0), true),
  },
];
