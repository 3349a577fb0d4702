// fork's copy of an address space: the same areas, and every private page shared
// copy-on-write between parent and child.
import { AddressSpace } from './addrspace.js';
import { type Backing, VmArea, sourceOf } from './areas.js';
import { HugetlbObject } from './hugetlb.js';
import { PTE_COW, PTE_WRITE, makePte, pteFrame } from './pagetable.js';

/** A copy-on-write duplicate of mm: private pages become shared read-only in both. */
export function forkAddressSpace(mm: AddressSpace): AddressSpace {
  const child = new AddressSpace(mm.frames, mm.stats, mm.minAddr);
  child.brkStart = mm.brkStart;
  child.brk = mm.brk;
  child.mmapBase = mm.mmapBase;
  child.membarrierRegistrations = mm.membarrierRegistrations;
  child.pkeyZeroTaken = mm.pkeyZeroTaken;
  const hugeCopies = new Map<HugetlbObject, Backing>();
  for (const a of mm.areas.items) {
    if (a.special?.dontCopy) continue; // VM_DONTCOPY (trampfd v1): a hole in the child
    const backing = privateHugeCopy(a, hugeCopies) ?? a.backing;
    const copy = new VmArea(a.start, a.end, a.prot, a.flags, backing, a.offset, a.name, a.mayWrite);
    const source = sourceOf(copy);
    if (source !== undefined) source.users++;
    copy.special = a.special;
    copy.everWritable = a.everWritable;
    copy.policy = a.policy;
    copy.sealed = a.sealed;
    child.areas.append(copy);
  }
  let downgraded = false;
  mm.pageTable.forEachEntry((vpn, pte) => {
    const area = mm.areas.find(vpn * 4096);
    if (area?.special?.dontCopy || (area?.hugetlb && !area.shared && area.backing.kind === 'shared')) return;
    let shared = pte;
    if (area !== undefined && area.backing.kind !== 'shared') {
      shared = makePte(pteFrame(pte), (pte & ~PTE_WRITE & 15) | PTE_COW);
      if (pte & PTE_WRITE) downgraded = true;
      mm.pageTable.set(vpn, shared);
    }
    child.pageTable.set(vpn, shared);
    mm.frames.ref(pteFrame(pte));
  });
  if (downgraded) mm.listener.invalidate(0, 2 ** 47);
  mm.changed();
  return child;
}

/**
 * A MAP_PRIVATE hugetlb area's pages copied for the child, once per object however many
 * areas share it (its pages fault in from the copy); undefined for any other area.
 */
function privateHugeCopy(a: VmArea, copies: Map<HugetlbObject, Backing>): Backing | undefined {
  const b = a.backing;
  if (a.shared || b.kind !== 'shared' || !(b.object instanceof HugetlbObject)) return undefined;
  let copy = copies.get(b.object);
  if (copy === undefined) {
    copy = { kind: 'shared', object: b.object.privateCopy(b.object.file!) };
    copies.set(b.object, copy);
  }
  return copy;
}
