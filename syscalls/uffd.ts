// userfaultfd(2). The events other memory syscalls raise are kernel-shim/uffd/mm-events.ts's.
import { createUffd } from '../kernel-shim/fs/uffd-file.js';
import type { SyscallDef } from './types.js';

export const uffdSyscalls: SyscallDef[] = [
  {
    name: 'userfaultfd', args: ['uffd_flags'], result: 'dec', support: 'partial',
    note: 'hugetlbfs in 2 MiB pages (MAP_HUGETLB, MFD_HUGETLB); write-protect on shmem and hugetlbfs protects present pages only; no WP_UNPOPULATED/WP_ASYNC; EXACT_ADDRESS needs libcapstone',
    handler: (_k, t, a) => createUffd(t, a.int(0), true),
  },
];
