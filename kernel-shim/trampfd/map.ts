// Placing a trampfd mapping in an address space. Both ABIs insist on flags == MAP_PRIVATE
// (no MAP_FIXED) and one page, so this is mmap's hint-or-top-down placement and nothing else.
import type { AddressSpace } from '../mm/addrspace.js';
import { type Backing, type SpecialMapping, VmArea } from '../mm/areas.js';
import { PAGE_SIZE, TASK_SIZE, pageCeil } from '../mm/constants.js';
import { findFree } from '../mm/mapping.js';
import { TRAMPFD_PATH } from './file.js';

/** A trampfd mapping: which file it maps, so faults and mmap can find it again. */
export interface TrampfdMapping extends SpecialMapping {
  readonly kind: 'trampfd-v1' | 'trampfd-v2';
  readonly file: object;
}

/** Inserts a one-page special area at the hint or the first free place; returns it or -errno. */
export function placeTrampfdArea(mm: AddressSpace, hint: number, prot: number, flags: number, backing: Backing,
  offset: number, special: TrampfdMapping): number {
  const length = PAGE_SIZE;
  let addr = pageCeil(hint);
  if (!(addr !== 0 && addr >= mm.minAddr && addr + length <= TASK_SIZE && mm.areas.isFree(addr, addr + length))) {
    addr = findFree(mm, length, mm.mmapBase);
    if (addr < 0) return addr;
  }
  const area = new VmArea(addr, addr + length, prot, flags, backing, offset, TRAMPFD_PATH, false);
  area.special = special;
  mm.areas.insert(area);
  mm.changed();
  return addr;
}

/** The trampfd area of `file` in mm, if it is mapped there. */
export function findTrampfdArea(mm: AddressSpace, file: object): VmArea | undefined {
  return mm.areas.items.find((a) => (a.special as TrampfdMapping | undefined)?.file === file);
}
