// The hugetlb rules of the mapping calls (mm/hugetlb.c, fs/hugetlbfs): 2 MiB lengths,
// addresses and file offsets, reservations made at mmap time, areas that split only at
// 2 MiB boundaries, and page faults that map a whole huge page at once.
import type { AddressSpace } from './addrspace.js';
import type { MappedFile, VmArea } from './areas.js';
import { MADV_DONTNEED, MADV_DONTNEED_LOCKED, MADV_REMOVE, MAP_ANONYMOUS, MAP_HUGETLB, MAP_NORESERVE, PAGE_SIZE } from './constants.js';
import { Errno } from '../errno.js';
import { HugetlbObject, hugeSizeSupported } from './hugetlb.js';
import { HPAGE_PAGES, HPAGE_SIZE, type HugePool } from './hugetlb-pool.js';
import { PTE_EXEC, makePte } from './pagetable.js';
import type { SharedObject } from './shared.js';

/** The internal hugetlbfs mount anonymous huge pages live on (st_dev 0:15 in /proc/<pid>/maps). */
const HUGETLBFS_DEV_MINOR = 15;

export function hugeCeil(n: number): number {
  return Math.ceil(n / HPAGE_SIZE) * HPAGE_SIZE;
}

export function hugeAligned(n: number): boolean {
  return n % HPAGE_SIZE === 0;
}

/** The hugetlb area of addr, if addr falls inside one off a 2 MiB boundary (split_vma's EINVAL). */
function splitInside(mm: AddressSpace, addr: number): boolean {
  const a = mm.areas.find(addr);
  return a !== undefined && a.hugetlb && a.start < addr && !hugeAligned(addr - a.start);
}

/** Whether changing [start, end) would split a hugetlb area inside a huge page: EINVAL for munmap, mprotect, MAP_FIXED. */
export function splitsHugetlb(mm: AddressSpace, start: number, end: number): boolean {
  return splitInside(mm, start) || splitInside(mm, end);
}

/** What an mmap of hugetlb memory maps: the object and whether to reserve its pages. */
export interface HugeMapping {
  object: HugetlbObject;
  /** The memfd's size grows to the mapping's end (a writable shared mapping, as hugetlbfs_file_mmap does). */
  growTo?: (bytes: number) => void;
}

/** The file of a MAP_HUGETLB anonymous mapping, as /proc/<pid>/maps names it. */
function anonHugeFile(pool: HugePool): MappedFile {
  return { hostFd: -1, path: '/anon_hugepage (deleted)', devMajor: 0, devMinor: HUGETLBFS_DEV_MINOR, ino: BigInt(pool.nextInode()) };
}

/**
 * The hugetlb side of an mmap request: undefined for ordinary memory, the mapping for
 * MAP_HUGETLB anonymous memory or a hugetlb memfd, or -EINVAL (MAP_HUGETLB on another
 * file, a page size ushim lacks, an offset off a 2 MiB boundary).
 */
export function hugeMappingFor(pool: HugePool | undefined, flags: number, fileObject: SharedObject | undefined, offset: number): HugeMapping | number | undefined {
  if (fileObject === undefined || flags & MAP_ANONYMOUS) {
    if (!(flags & MAP_HUGETLB)) return undefined;
    if (!hugeSizeSupported(flags) || pool === undefined) return -Errno.EINVAL;
    return { object: new HugetlbObject(pool.frames, pool, anonHugeFile(pool)) };
  }
  if (!(fileObject instanceof HugetlbObject)) return flags & MAP_HUGETLB ? -Errno.EINVAL : undefined;
  return hugeAligned(offset) ? { object: fileObject } : -Errno.EINVAL;
}

/** Reserves the huge pages [offset, offset + length) of the object needs (none with MAP_NORESERVE); false: ENOMEM. */
export function reserveHugePages(h: HugeMapping, flags: number, offset: number, length: number): boolean {
  if (flags & MAP_NORESERVE) return true;
  return h.object.reserve(offset / HPAGE_SIZE, length / HPAGE_SIZE);
}

/** A free range of `length` bytes (a 2 MiB multiple) at a 2 MiB boundary, found as findFree finds one. */
export function findFreeHuge(find: (length: number) => number, length: number): number {
  const found = find(length + HPAGE_SIZE - PAGE_SIZE);
  if (found < 0) return found;
  const top = found + length + HPAGE_SIZE - PAGE_SIZE;
  return Math.floor((top - length) / HPAGE_SIZE) * HPAGE_SIZE;
}

/**
 * Page fault in a hugetlb area: maps every base page of the huge page around vaddr onto
 * its frames (page `index` of the object is at vaddr); 0 when the pool has no page for it.
 */
export function mapHugePage(mm: AddressSpace, area: VmArea, object: SharedObject, vaddr: number, perms: number): number {
  const index = (area.offset + (vaddr - area.start)) / PAGE_SIZE;
  const within = index % HPAGE_PAGES;
  const firstIndex = index - within;
  const firstVpn = vaddr / PAGE_SIZE - within;
  if (object.frameForFault(index, mm) < 0) return 0;
  for (let i = 0; i < HPAGE_PAGES; i++) {
    if (mm.pageTable.get(firstVpn + i) !== 0) continue;
    const frame = object.frameAt(firstIndex + i);
    mm.frames.ref(frame);
    if (perms & PTE_EXEC) mm.frames.markExecutable(frame);
    mm.pageTable.set(firstVpn + i, makePte(frame, perms));
  }
  return mm.pageTable.get(vaddr / PAGE_SIZE);
}

/** After the areas [start, end) of a MAP_PRIVATE hugetlb mapping went: their pages and reservations go back to the pool. */
export function releasePrivateHuge(area: VmArea): void {
  const b = area.backing;
  if (b.kind !== 'shared' || area.shared || !(b.object instanceof HugetlbObject)) return;
  const first = area.offset / PAGE_SIZE;
  b.object.discard(first, first + (area.end - area.start) / PAGE_SIZE);
}

/**
 * MADV_DONTNEED and MADV_REMOVE over the hugetlb areas among `areas` (the caller handles
 * the others): 0, or -EINVAL (MADV_FREE, or a range starting inside a huge page) before
 * anything is done. Whole huge pages only: the end is rounded down (DONTNEED) and a hole
 * is punched in whole pages (REMOVE); a MAP_PRIVATE mapping's discarded pages go back to
 * the pool, a shared one's stay in its file unless removed.
 */
export function hugeDiscardAdvice(mm: AddressSpace, areas: VmArea[], addr: number, end: number, advice: number): number {
  const huge = areas.filter((a) => a.hugetlb);
  if (huge.length === 0) return 0;
  if (advice !== MADV_DONTNEED && advice !== MADV_DONTNEED_LOCKED && advice !== MADV_REMOVE) return -Errno.EINVAL;
  if (huge.some((a) => !hugeAligned(Math.max(a.start, addr) - a.start))) return -Errno.EINVAL;
  for (const a of huge) {
    const lo = Math.max(a.start, addr);
    const hi = lo + Math.floor((Math.min(a.end, end) - lo) / HPAGE_SIZE) * HPAGE_SIZE;
    if (hi <= lo || a.backing.kind === 'anon') continue;
    const object = a.backing.kind === 'shared' ? a.backing.object : a.backing.cache;
    const first = (a.offset + (lo - a.start)) / PAGE_SIZE;
    const last = first + (hi - lo) / PAGE_SIZE;
    mm.unmapPages(lo, hi);
    if (!(object instanceof HugetlbObject)) continue;
    if (advice === MADV_REMOVE) object.discard(first, last);
    else if (!a.shared && a.backing.kind === 'shared') object.discardPages(first, last);
  }
  return 0;
}
