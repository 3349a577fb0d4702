// Symbolic names of memory-management constants (mmap, mprotect, madvise, mremap, ...), in
// strace 6.1's order (see xlat.ts).
import { type Xlat, bitsFrom, numberedFrom } from './xlat.js';

/** The mapping type, flags & 0xf. */
export const MMAP_TYPES: Xlat = [
  ...numberedFrom(0x1, ['MAP_SHARED', 'MAP_PRIVATE', 'MAP_SHARED_VALIDATE']),
  ['MAP_FILE', 0],
];

export const MMAP_FLAGS: Xlat = [
  ...bitsFrom(0x10, ['MAP_FIXED', 'MAP_ANONYMOUS', 'MAP_32BIT']),
  ...bitsFrom(0x4000, ['MAP_NORESERVE', 'MAP_POPULATE', 'MAP_NONBLOCK']),
  ['MAP_GROWSDOWN', 0x100],
  ...bitsFrom(0x800, ['MAP_DENYWRITE', 'MAP_EXECUTABLE', 'MAP_LOCKED']),
  ...bitsFrom(0x20000, ['MAP_STACK', 'MAP_HUGETLB', 'MAP_SYNC', 'MAP_FIXED_NOREPLACE']),
];

/** Bits 26-31 of the mmap flags hold log2 of the huge page size. */
export const MAP_HUGE_SHIFT = 26;

export const MAP_HUGE_MASK = 0x3f;

export const PROT_FLAGS: Xlat = [
  ['PROT_NONE', 0],
  ...bitsFrom(0x1, ['PROT_READ', 'PROT_WRITE', 'PROT_EXEC', 'PROT_SEM']),
  ['PROT_GROWSDOWN', 0x01000000],
  ['PROT_GROWSUP', 0x02000000],
];

export const MADVISE_ADVICE: Xlat = [
  ...numberedFrom(0, ['MADV_NORMAL', 'MADV_RANDOM', 'MADV_SEQUENTIAL', 'MADV_WILLNEED', 'MADV_DONTNEED']),
  ...numberedFrom(8, [
    'MADV_FREE', 'MADV_REMOVE', 'MADV_DONTFORK', 'MADV_DOFORK', 'MADV_MERGEABLE', 'MADV_UNMERGEABLE',
    'MADV_HUGEPAGE', 'MADV_NOHUGEPAGE', 'MADV_DONTDUMP', 'MADV_DODUMP', 'MADV_WIPEONFORK', 'MADV_KEEPONFORK',
    'MADV_COLD', 'MADV_PAGEOUT', 'MADV_POPULATE_READ', 'MADV_POPULATE_WRITE', 'MADV_DONTNEED_LOCKED',
    'MADV_COLLAPSE',
  ]),
  ['MADV_HWPOISON', 100],
  ['MADV_SOFT_OFFLINE', 101],
];

export const MREMAP_FLAGS: Xlat = bitsFrom(1, ['MREMAP_MAYMOVE', 'MREMAP_FIXED', 'MREMAP_DONTUNMAP']);

export const MSYNC_FLAGS: Xlat = [
  ['MS_ASYNC', 0x1],
  ['MS_SYNC', 0x4],
  ['MS_INVALIDATE', 0x2],
];

export const MLOCKALL_FLAGS: Xlat = bitsFrom(0x1, ['MCL_CURRENT', 'MCL_FUTURE', 'MCL_ONFAULT']);

export const MLOCK2_FLAGS: Xlat = [['MLOCK_ONFAULT', 0x1]];
