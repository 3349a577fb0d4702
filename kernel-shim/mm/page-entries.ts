// Page-table entries as the rest of the kernel may see and change them (userfaultfd resolving
// faults, write-protecting pages, moving them): named operations on page numbers, so that
// the page table itself is touched only inside mm/. An entry is a frame plus PTE_* bits
// (pagetable.ts), 0 when the page is not present.
import type { AddressSpace } from './addrspace.js';
import { PTE_COW, PTE_WRITE, makePte, pteFrame } from './pagetable.js';

/** The entry of page vpn, 0 when it is not present. */
export function pageEntry(mm: AddressSpace, vpn: number): number {
  return mm.pageTable.get(vpn);
}

/** Maps page vpn onto `frame` with `flags` (PTE_* bits); the caller holds the frame's reference for it. */
export function mapPage(mm: AddressSpace, vpn: number, frame: number, flags: number): void {
  mm.pageTable.set(vpn, makePte(frame, flags));
}

/** Calls fn(vpn, entry) for every present page with startVpn <= vpn < endVpn, in ascending order. */
export function forEachPresentPage(mm: AddressSpace, startVpn: number, endVpn: number, fn: (vpn: number, entry: number) => void): void {
  mm.pageTable.forEachPresent(startVpn, endVpn, fn);
}

/** Takes write permission away from page vpn; true when it had it (a TLB entry may be stale). */
export function writeProtectPage(mm: AddressSpace, vpn: number): boolean {
  const pte = mm.pageTable.get(vpn);
  if (!(pte & PTE_WRITE)) return false;
  mm.pageTable.set(vpn, pte & ~PTE_WRITE);
  return true;
}

/** Gives a present page write permission back, unless it shares its frame copy-on-write. */
export function unprotectPage(mm: AddressSpace, vpn: number): void {
  const pte = mm.pageTable.get(vpn);
  if (pte !== 0 && !(pte & PTE_COW)) mm.pageTable.set(vpn, pte | PTE_WRITE);
}

/** Moves the frame of page fromVpn to page toVpn with `flags` (UFFDIO_MOVE: the frame changes owner). */
export function movePage(mm: AddressSpace, fromVpn: number, toVpn: number, flags: number): void {
  const frame = pteFrame(mm.pageTable.get(fromVpn));
  mm.pageTable.set(fromVpn, 0);
  mm.pageTable.set(toVpn, makePte(frame, flags));
}
