// mmap, munmap, mprotect, mremap, brk, madvise and msync with Linux 6.x semantics, over an
// AddressSpace. Each returns a value or a negative errno.
import { sealForbidsAdvice, sealedIn } from './mseal.js';
import { Errno } from '../errno.js';
import type { AddressSpace } from './addrspace.js';
import { type Backing, type MappedFile, VmArea, sourceOf } from './areas.js';
import {
  MADV_COLD, MADV_COLLAPSE, MADV_DODUMP, MADV_DOFORK, MADV_DONTDUMP, MADV_DONTFORK, MADV_DONTNEED,
  MADV_DONTNEED_LOCKED, MADV_FREE, MADV_HUGEPAGE, MADV_KEEPONFORK, MADV_MERGEABLE, MADV_NOHUGEPAGE,
  MADV_NORMAL, MADV_PAGEOUT, MADV_POPULATE_READ, MADV_POPULATE_WRITE, MADV_RANDOM, MADV_REMOVE,
  MADV_SEQUENTIAL, MADV_UNMERGEABLE, MADV_WILLNEED, MADV_WIPEONFORK, MAP_32BIT, MAP_ANONYMOUS, MAP_DROPPABLE,
  MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_POPULATE, MAP_SHARED, MAP_SHARED_VALIDATE, MAP_TYPE,
  MREMAP_DONTUNMAP, MREMAP_FIXED, MREMAP_MAYMOVE, PAGE_SIZE, PROT_EXEC, PROT_GROWSDOWN, PROT_READ, PROT_WRITE,
  TASK_SIZE, pageCeil,
} from './constants.js';
import { Access, TLB_FAULT } from '../cpu-port.js';
import { OutOfFrames } from './frames.js';
import { SharedObject } from './shared.js';
import { findFreeHuge, hugeDiscardAdvice, hugeAligned, hugeCeil, hugeMappingFor, releasePrivateHuge, reserveHugePages, splitsHugetlb } from './hugetlb-map.js';
import type { HugePool } from './hugetlb-pool.js';
import { chargedArea, chargedByWriteAccess, chargedMapping, exceedsCommitLimit } from './overcommit.js';

/** stack_guard_gap: 256 pages kept free below a MAP_GROWSDOWN area. */
const STACK_GUARD_GAP = 256 * PAGE_SIZE;

const KNOWN_ADVICE = new Set([
  MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED, MADV_DONTNEED, MADV_FREE, MADV_REMOVE,
  MADV_DONTFORK, MADV_DOFORK, MADV_MERGEABLE, MADV_UNMERGEABLE, MADV_HUGEPAGE, MADV_NOHUGEPAGE,
  MADV_DONTDUMP, MADV_DODUMP, MADV_WIPEONFORK, MADV_KEEPONFORK, MADV_COLD, MADV_PAGEOUT,
  MADV_POPULATE_READ, MADV_POPULATE_WRITE, MADV_DONTNEED_LOCKED, MADV_COLLAPSE,
]);

/** The source of a file mapping, already validated against the fd's access mode. */
export interface MmapFile {
  file: MappedFile;
  /** The fd was opened for writing: a shared mapping may become writable. */
  writable: boolean;
  /** One SharedObject per host file, so every shared mapping of it sees the same pages. */
  sharedObject(): SharedObject;
  /** A hugetlb memfd: grows to `bytes` when mapped shared and writable past its end. */
  growTo?(bytes: number): void;
}

export interface MmapRequest {
  addr: number;
  length: number;
  prot: number;
  flags: number;
  file?: MmapFile;
  offset: number;
  name?: string;
  /** The kernel's huge page pool, for MAP_HUGETLB (absent: MAP_HUGETLB is EINVAL). */
  hugePool?: HugePool;
}

/** vm.max_map_count's default: how many areas an address space may have (Linux's DEFAULT_MAX_MAP_COUNT). */
export const MAX_MAP_COUNT = 65530;

/** The area containing addr other than at its start: splitting there makes two. */
function splitAreaAt(mm: AddressSpace, addr: number): VmArea | undefined {
  const a = mm.areas.find(addr);
  return a !== undefined && a.start < addr ? a : undefined;
}

/** mprotect at vm.max_map_count: any split is refused (split_vma). */
function reprotectPastLimit(mm: AddressSpace, start: number, end: number): boolean {
  return mm.areas.length >= MAX_MAP_COUNT && (splitAreaAt(mm, start) !== undefined || splitAreaAt(mm, end) !== undefined);
}

/** munmap at vm.max_map_count: only a hole punched inside one area, which adds one, is refused. */
function punchPastLimit(mm: AddressSpace, start: number, end: number): boolean {
  if (mm.areas.length < MAX_MAP_COUNT) return false;
  const a = splitAreaAt(mm, start);
  return a !== undefined && end < a.end;
}

function isAligned(n: number): boolean {
  return n % PAGE_SIZE === 0;
}

/** Finds a free range of `length` bytes, top-down below `below` and not under `floor`. */
export function findFree(mm: AddressSpace, length: number, below: number, floor = Math.max(PAGE_SIZE, mm.minAddr)): number {
  return mm.areas.findFreeTopDown(length, below, floor) ?? -Errno.ENOMEM;
}

export function mmap(mm: AddressSpace, req: MmapRequest): number {
  const { prot, flags, offset } = req;
  let { addr } = req;
  if (req.length === 0 || !isAligned(offset)) return -Errno.EINVAL;
  if (req.length > TASK_SIZE) return -Errno.ENOMEM;
  const type = flags & MAP_TYPE;
  if (type !== MAP_SHARED && type !== 2 && type !== MAP_SHARED_VALIDATE && type !== MAP_DROPPABLE) return -Errno.EINVAL;
  if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN)) return -Errno.EINVAL;
  const shared = type === MAP_SHARED || type === MAP_SHARED_VALIDATE;
  const anonymous = (flags & MAP_ANONYMOUS) !== 0 || req.file === undefined;
  const huge = hugeMappingFor(req.hugePool, flags, anonymous ? undefined : req.file!.sharedObject(), offset);
  if (typeof huge === 'number') return huge;
  const length = huge === undefined ? pageCeil(req.length) : hugeCeil(req.length);
  if (length > TASK_SIZE) return -Errno.ENOMEM;
  if (!anonymous && shared && prot & PROT_WRITE && !req.file!.writable) return -Errno.EACCES;
  if (!anonymous && offset + length > Number.MAX_SAFE_INTEGER) return -Errno.EOVERFLOW;
  // As Linux counts: one area more than the limit can exist, none beyond that.
  if (mm.areas.length > MAX_MAP_COUNT) return -Errno.ENOMEM;
  // Huge pages are reserved from their pool, not charged to the commit limit.
  const kind = shared ? (anonymous ? 'shared-anonymous' : 'other') : type === MAP_DROPPABLE ? 'other' : 'private';
  // Refused after EEXIST and EPERM, before anything is unmapped (mmap_region).
  const overcommitted = huge === undefined && chargedMapping(prot, flags, kind) && exceedsCommitLimit(mm.frames, length);
  const reserve = (): boolean => huge === undefined || reserveHugePages(huge, flags, offset, length);

  if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
    if (!isAligned(addr) || (huge !== undefined && !hugeAligned(addr))) return -Errno.EINVAL;
    if (addr + length > TASK_SIZE || addr < mm.minAddr) return flags & MAP_FIXED ? -Errno.EPERM : -Errno.ENOMEM;
    if (flags & MAP_FIXED_NOREPLACE && !(flags & MAP_FIXED) && !mm.areas.isFree(addr, addr + length)) return -Errno.EEXIST;
    if (sealedIn(mm, addr, addr + length)) return -Errno.EPERM;
    if (splitsHugetlb(mm, addr, addr + length)) return -Errno.EINVAL;
    if (overcommitted || !reserve()) return -Errno.ENOMEM;
    unmapRange(mm, addr, addr + length);
  } else {
    if (overcommitted) return -Errno.ENOMEM;
    const hint = huge === undefined ? pageCeil(addr) : hugeCeil(addr);
    if (hint !== 0 && hint >= mm.minAddr && hint + length <= TASK_SIZE && mm.areas.isFree(hint, hint + length)) {
      addr = hint;
    } else {
      const find = (n: number): number => (flags & MAP_32BIT && huge === undefined ? findFree(mm, n, 0x80000000, 0x40000000) : findFree(mm, n, mm.mmapBase));
      const found = huge === undefined ? find(length) : findFreeHuge(find, length);
      if (found < 0) return found;
      addr = found;
    }
    if (!reserve()) return -Errno.ENOMEM;
  }

  let backing: Backing;
  let areaOffset = offset;
  if (huge !== undefined && (shared || anonymous)) {
    // A private hugetlb mapping's object holds only its own pages (fork copies it: fork.ts).
    huge.object.users++;
    backing = { kind: 'shared', object: huge.object };
    if (shared && prot & PROT_WRITE) req.file?.growTo?.(offset + length);
  } else if (shared) {
    const object = anonymous ? new SharedObject(mm.frames) : req.file!.sharedObject();
    object.users++;
    backing = { kind: 'shared', object };
    if (anonymous) areaOffset = 0;
  } else if (anonymous) {
    backing = { kind: 'anon' };
    areaOffset = 0;
  } else {
    const cache = req.file!.sharedObject();
    cache.users++;
    backing = { kind: 'file', file: req.file!.file, cache };
  }
  const mayWrite = anonymous || !shared || req.file!.writable;
  const areaFlags = (flags & ~(MAP_FIXED | MAP_FIXED_NOREPLACE | MAP_POPULATE)) | (anonymous ? MAP_ANONYMOUS : 0);
  const area = new VmArea(addr, addr + length, prot & ~PROT_GROWSDOWN, areaFlags, backing, areaOffset, req.name, mayWrite);
  mm.areas.insert(area);
  mm.areas.mergeAround(addr, addr + length);
  mm.changed();
  // A page that cannot be mapped ends MAP_POPULATE quietly, as on Linux; running out of
  // guest RAM fails the call instead of leaving a mapping the guest cannot use.
  if (flags & MAP_POPULATE && populate(mm, addr, addr + length, prot & PROT_WRITE ? Access.Write : Access.Read) === -Errno.ENOMEM) {
    unmapRange(mm, addr, addr + length);
    return -Errno.ENOMEM;
  }
  return addr;
}

/** Faults in [start, end): 0, -EFAULT at a page that cannot be mapped, or -ENOMEM (guest RAM exhausted). */
function populate(mm: AddressSpace, start: number, end: number, access: Access): number {
  try {
    for (let page = start; page < end; page += PAGE_SIZE) {
      if (mm.fill(page, access) === TLB_FAULT) return -Errno.EFAULT;
    }
  } catch (e) {
    if (e instanceof OutOfFrames) return -Errno.ENOMEM;
    throw e;
  }
  return 0;
}

/**
 * Removes every mapping in [start, end): page-table entries, frames and shared users.
 * `moved`: the areas live on elsewhere (mremap), so a private hugetlb mapping keeps its
 * pages and reservations.
 */
function unmapRange(mm: AddressSpace, start: number, end: number, moved = false): void {
  const removed = mm.areas.carve(start, end);
  if (removed.length === 0) return;
  mm.unmapPages(start, end);
  for (const area of removed) {
    if (!moved) releasePrivateHuge(area);
    sourceOf(area)?.release();
  }
  mm.changed();
}

export function munmap(mm: AddressSpace, addr: number, length: number): number {
  if (!isAligned(addr) || length === 0 || !Number.isSafeInteger(length)) return -Errno.EINVAL;
  const end = addr + pageCeil(length);
  if (end > TASK_SIZE) return -Errno.EINVAL;
  if (sealedIn(mm, addr, end)) return -Errno.EPERM;
  if (splitsHugetlb(mm, addr, end)) return -Errno.EINVAL;
  if (punchPastLimit(mm, addr, end)) return -Errno.ENOMEM;
  unmapRange(mm, addr, end);
  return 0;
}

export function mprotect(mm: AddressSpace, addr: number, length: number, prot: number): number {
  if (!isAligned(addr)) return -Errno.EINVAL;
  if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN)) return -Errno.EINVAL;
  if (!Number.isSafeInteger(length)) return -Errno.ENOMEM;
  const end = addr + pageCeil(length);
  if (end === addr) return 0;
  if (!mm.areas.covers(addr, end)) return -Errno.ENOMEM;
  if (sealedIn(mm, addr, end)) return -Errno.EPERM;
  const areas = mm.areas.overlapping(addr, end);
  if (prot & PROT_WRITE && areas.some((a) => a.shared && !a.mayWrite)) return -Errno.EACCES;
  if (splitsHugetlb(mm, addr, end)) return -Errno.EINVAL;
  if (reprotectPastLimit(mm, addr, end)) return -Errno.ENOMEM;
  // Each area that becomes writable is charged for its part of the range (mprotect_fixup).
  const charged = (a: VmArea): number => (chargedByWriteAccess(a) ? Math.min(end, a.end) - Math.max(addr, a.start) : 0);
  if (prot & PROT_WRITE && areas.some((a) => exceedsCommitLimit(mm.frames, charged(a)))) return -Errno.ENOMEM;
  mm.areas.splitAt(addr);
  mm.areas.splitAt(end);
  for (const a of mm.areas.overlapping(addr, end)) a.prot = prot & ~PROT_GROWSDOWN;
  mm.reprotectPages(addr, end, prot);
  mm.areas.mergeAround(addr, end);
  mm.changed();
  return 0;
}

/**
 * The brk syscall as mm/mmap.c has it: every refusal returns the unchanged break. dataLimit
 * is RLIMIT_DATA in bytes.
 */
export function brk(mm: AddressSpace, requested: number, dataLimit = Infinity): number {
  const current = mm.brk;
  if (requested < mm.brkStart || !Number.isSafeInteger(requested)) return current;
  if (requested - mm.brkStart > dataLimit) return current;
  const oldTop = pageCeil(current);
  const newTop = pageCeil(requested);
  if (newTop < oldTop) {
    // Shrinking unmaps whatever lies above the new break, but only if something is there.
    if (mm.areas.overlapping(newTop, oldTop).length === 0) return current;
    unmapRange(mm, newTop, oldTop);
  } else if (newTop > oldTop) {
    if (newTop > TASK_SIZE || mm.areas.length > MAX_MAP_COUNT) return current;
    // The heap keeps a free page (and a stack's guard gap) below the next mapping.
    const next = mm.areas.find(oldTop) ?? mm.areas.next(oldTop);
    if (next !== undefined && newTop + PAGE_SIZE > next.start - (next.growsDown ? STACK_GUARD_GAP : 0)) return current;
    if (exceedsCommitLimit(mm.frames, newTop - oldTop)) return current;
    mm.areas.insert(new VmArea(oldTop, newTop, PROT_READ | PROT_WRITE, 2 | MAP_ANONYMOUS, { kind: 'anon' }, 0, '[heap]'));
    mm.areas.mergeAround(oldTop, newTop);
    mm.changed();
  }
  mm.brk = requested;
  return requested;
}

export function mremap(mm: AddressSpace, oldAddr: number, oldLength: number, newLength: number, flags: number, newAddr: number): number {
  if (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)) return -Errno.EINVAL;
  if (flags & MREMAP_FIXED && !(flags & MREMAP_MAYMOVE)) return -Errno.EINVAL;
  // MREMAP_DONTUNMAP always moves and never resizes.
  if (flags & MREMAP_DONTUNMAP && (!(flags & MREMAP_MAYMOVE) || oldLength !== newLength)) return -Errno.EINVAL;
  if (!isAligned(oldAddr) || !Number.isSafeInteger(oldLength) || !Number.isSafeInteger(newLength)) return -Errno.EINVAL;
  const hugeArea = mm.areas.find(oldAddr)?.hugetlb === true;
  // hugetlb: 2 MiB addresses and lengths, no growing (its reservations cannot follow), and
  // VM_DONTEXPAND refuses MREMAP_DONTUNMAP; so it moves only to a MREMAP_FIXED address.
  if (hugeArea && (!hugeAligned(oldAddr) || !hugeAligned(newAddr) || hugeCeil(newLength) > hugeCeil(oldLength) || flags & MREMAP_DONTUNMAP)) {
    return -Errno.EINVAL;
  }
  const oldLen = hugeArea ? hugeCeil(oldLength) : pageCeil(oldLength);
  const newLen = hugeArea ? hugeCeil(newLength) : pageCeil(newLength);
  if (newLen === 0) return -Errno.EINVAL;
  const area = mm.areas.find(oldAddr);
  if (area === undefined || (oldLen > 0 && oldAddr + oldLen > area.end)) return -Errno.EFAULT;
  if (oldLen === 0 && !area.shared) return -Errno.EINVAL;
  if (area.sealed) return -Errno.EPERM;
  // A charged area is charged for its growth; moved without unmapping, for the whole new copy.
  const growth = flags & MREMAP_DONTUNMAP ? newLen : newLen - oldLen;
  if (chargedArea(area) && exceedsCommitLimit(mm.frames, growth)) return -Errno.ENOMEM;

  if (flags & MREMAP_FIXED) {
    if (!isAligned(newAddr)) return -Errno.EINVAL;
    if (newAddr < oldAddr + oldLen && oldAddr < newAddr + newLen) return -Errno.EINVAL;
    if (sealedIn(mm, newAddr, newAddr + newLen)) return -Errno.EPERM;
    unmapRange(mm, newAddr, newAddr + newLen);
    return moveArea(mm, area, oldAddr, oldLen, newLen, newAddr, (flags & MREMAP_DONTUNMAP) !== 0);
  }
  if (newLen <= oldLen && !(flags & MREMAP_DONTUNMAP)) {
    if (newLen < oldLen) munmap(mm, oldAddr + newLen, oldLen - newLen);
    return oldAddr;
  }
  if (!(flags & MREMAP_DONTUNMAP) && oldAddr + oldLen === area.end && mm.areas.isFree(area.end, oldAddr + newLen) &&
      oldAddr + newLen <= TASK_SIZE) {
    area.end = oldAddr + newLen;
    mm.areas.mergeAround(oldAddr, area.end);
    mm.changed();
    return oldAddr;
  }
  if (!(flags & MREMAP_MAYMOVE)) return -Errno.ENOMEM;
  const target = findFree(mm, newLen, mm.mmapBase);
  if (target < 0) return target;
  return moveArea(mm, area, oldAddr, oldLen, newLen, target, (flags & MREMAP_DONTUNMAP) !== 0);
}

/** Moves [oldAddr, oldAddr+oldLen) of `area` to target, keeping its pages (no copying). */
function moveArea(mm: AddressSpace, area: VmArea, oldAddr: number, oldLen: number, newLen: number, target: number, keepOld: boolean): number {
  const moved = area.slice(oldAddr, oldAddr + oldLen);
  moved.start = target;
  moved.end = target + newLen;
  const source = sourceOf(moved);
  if (source !== undefined) source.users++;
  const delta = (target - oldAddr) / PAGE_SIZE;
  const entries: [number, number][] = [];
  mm.pageTable.forEachPresent(oldAddr / PAGE_SIZE, (oldAddr + Math.min(oldLen, newLen)) / PAGE_SIZE, (vpn, pte) => entries.push([vpn, pte]));
  for (const [vpn] of entries) mm.pageTable.set(vpn, 0);
  if (entries.length > 0) mm.listener.invalidate(oldAddr, oldAddr + oldLen);
  if (!keepOld) unmapRange(mm, oldAddr, oldAddr + oldLen, true);
  mm.areas.insert(moved);
  for (const [vpn, pte] of entries) mm.pageTable.set(vpn + delta, pte);
  mm.areas.mergeAround(target, target + newLen);
  mm.changed();
  return target;
}

export function madvise(mm: AddressSpace, addr: number, length: number, advice: number): number {
  if (!isAligned(addr) || !Number.isSafeInteger(length)) return -Errno.EINVAL;
  if (!KNOWN_ADVICE.has(advice)) return -Errno.EINVAL;
  const end = addr + pageCeil(length);
  if (end === addr) return 0;
  if (sealForbidsAdvice(mm, addr, end, advice)) return -Errno.EPERM;
  const areas = mm.areas.overlapping(addr, end);
  if (advice === MADV_DONTNEED || advice === MADV_DONTNEED_LOCKED || advice === MADV_FREE || advice === MADV_REMOVE) {
    const hugeDone = hugeDiscardAdvice(mm, areas, addr, end, advice);
    if (hugeDone < 0) return hugeDone;
    for (const a of areas) {
      if (a.hugetlb) continue;
      const lo = Math.max(a.start, addr);
      const hi = Math.min(a.end, end);
      if (advice === MADV_REMOVE) {
        if (a.backing.kind !== 'shared') return -Errno.EINVAL;
        const first = (a.offset + (lo - a.start)) / PAGE_SIZE;
        a.backing.object.discard(first, first + (hi - lo) / PAGE_SIZE);
      }
      if (advice === MADV_FREE && a.backing.kind !== 'anon') continue;
      mm.unmapPages(lo, hi);
    }
  } else if (advice === MADV_POPULATE_READ || advice === MADV_POPULATE_WRITE) {
    for (const a of areas) {
      const err = populate(mm, Math.max(a.start, addr), Math.min(a.end, end), advice === MADV_POPULATE_WRITE ? Access.Write : Access.Read);
      if (err < 0) return err;
    }
  }
  return mm.areas.covers(addr, end) ? 0 : -Errno.ENOMEM;
}

/** mincore(2): one byte per page of [addr, addr + length), 1 where the page is present, stored at vecAddr. */
export function mincore(mm: AddressSpace, addr: number, length: number, vecAddr: number): number {
  if (addr % PAGE_SIZE !== 0) return -Errno.EINVAL;
  const pages = Math.ceil(length / PAGE_SIZE);
  if (!mm.areas.covers(addr, addr + pages * PAGE_SIZE)) return -Errno.ENOMEM;
  const vec = new Uint8Array(pages);
  for (let i = 0; i < pages; i++) vec[i] = mm.residentFrame(addr + i * PAGE_SIZE) >= 0 ? 1 : 0;
  return mm.write(vecAddr, vec) ? 0 : -Errno.EFAULT;
}

export const MS_ASYNC = 1;
export const MS_INVALIDATE = 2;
export const MS_SYNC = 4;

export function msync(mm: AddressSpace, addr: number, length: number, flags: number): number {
  if (!isAligned(addr) || flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) return -Errno.EINVAL;
  if (flags & MS_ASYNC && flags & MS_SYNC) return -Errno.EINVAL;
  const end = addr + pageCeil(length);
  for (const a of mm.areas.overlapping(addr, end)) {
    if (a.backing.kind === 'shared') a.backing.object.writeBack();
  }
  return mm.areas.covers(addr, end) ? 0 : -Errno.ENOMEM;
}
