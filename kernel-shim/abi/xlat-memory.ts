// Symbolic names of memory-management constants (mmap, mprotect, madvise, mremap, ...), in
// strace 6.1's order (see xlat.ts).
import type { Xlat } from './xlat.js';

/** The mapping type, flags & 0xf. */
export const MMAP_TYPES: Xlat = [
  ['MAP_SHARED', 0x1],
  ['MAP_PRIVATE', 0x2],
  ['MAP_SHARED_VALIDATE', 0x3],
  ['MAP_FILE', 0],
];

export const MMAP_FLAGS: Xlat = [
  ['MAP_FIXED', 0x10],
  ['MAP_ANONYMOUS', 0x20],
  ['MAP_32BIT', 0x40],
  ['MAP_NORESERVE', 0x4000],
  ['MAP_POPULATE', 0x8000],
  ['MAP_NONBLOCK', 0x10000],
  ['MAP_GROWSDOWN', 0x100],
  ['MAP_DENYWRITE', 0x800],
  ['MAP_EXECUTABLE', 0x1000],
  ['MAP_LOCKED', 0x2000],
  ['MAP_STACK', 0x20000],
  ['MAP_HUGETLB', 0x40000],
  ['MAP_SYNC', 0x80000],
  ['MAP_FIXED_NOREPLACE', 0x100000],
];

/** Bits 26-31 of the mmap flags hold log2 of the huge page size. */
export const MAP_HUGE_SHIFT = 26;

export const MAP_HUGE_MASK = 0x3f;

export const PROT_FLAGS: Xlat = [
  ['PROT_NONE', 0],
  ['PROT_READ', 0x1],
  ['PROT_WRITE', 0x2],
  ['PROT_EXEC', 0x4],
  ['PROT_SEM', 0x8],
  ['PROT_GROWSDOWN', 0x01000000],
  ['PROT_GROWSUP', 0x02000000],
];

export const MADVISE_ADVICE: Xlat = [
  ['MADV_NORMAL', 0],
  ['MADV_RANDOM', 1],
  ['MADV_SEQUENTIAL', 2],
  ['MADV_WILLNEED', 3],
  ['MADV_DONTNEED', 4],
  ['MADV_FREE', 8],
  ['MADV_REMOVE', 9],
  ['MADV_DONTFORK', 10],
  ['MADV_DOFORK', 11],
  ['MADV_MERGEABLE', 12],
  ['MADV_UNMERGEABLE', 13],
  ['MADV_HUGEPAGE', 14],
  ['MADV_NOHUGEPAGE', 15],
  ['MADV_DONTDUMP', 16],
  ['MADV_DODUMP', 17],
  ['MADV_WIPEONFORK', 18],
  ['MADV_KEEPONFORK', 19],
  ['MADV_COLD', 20],
  ['MADV_PAGEOUT', 21],
  ['MADV_POPULATE_READ', 22],
  ['MADV_POPULATE_WRITE', 23],
  ['MADV_DONTNEED_LOCKED', 24],
  ['MADV_COLLAPSE', 25],
  ['MADV_HWPOISON', 100],
  ['MADV_SOFT_OFFLINE', 101],
];

export const MREMAP_FLAGS: Xlat = [
  ['MREMAP_MAYMOVE', 1],
  ['MREMAP_FIXED', 2],
  ['MREMAP_DONTUNMAP', 4],
];

export const MSYNC_FLAGS: Xlat = [
  ['MS_ASYNC', 0x1],
  ['MS_SYNC', 0x4],
  ['MS_INVALIDATE', 0x2],
];

export const MLOCKALL_FLAGS: Xlat = [
  ['MCL_CURRENT', 0x1],
  ['MCL_FUTURE', 0x2],
  ['MCL_ONFAULT', 0x4],
];

export const MLOCK2_FLAGS: Xlat = [['MLOCK_ONFAULT', 0x1]];
