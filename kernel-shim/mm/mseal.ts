// mseal(2) (Linux 6.10): sealed areas (VM_SEALED) can no longer be unmapped, mapped over,
// moved, resized, reprotected, or have their pages discarded while read-only and anonymous;
// those calls fail with EPERM (mapping.ts asks here). Sealing is for the life of the
// address space: fork keeps it, exec's new address space has none.
import { Errno } from '../errno.js';
import type { AddressSpace } from './addrspace.js';
import type { VmArea } from './areas.js';
import { MADV_DONTNEED, MADV_DONTNEED_LOCKED, MADV_FREE, MADV_REMOVE, PAGE_SIZE, PROT_WRITE } from './constants.js';

const MADV_DONTFORK = 10, MADV_WIPEONFORK = 18, MADV_GUARD_INSTALL = 102;
/** The advice that throws pages away (madvise.c's is_discard). */
const DISCARDING = new Set([MADV_FREE, MADV_DONTNEED, MADV_DONTNEED_LOCKED, MADV_REMOVE, MADV_DONTFORK, MADV_WIPEONFORK, MADV_GUARD_INSTALL]);

/** Whether any area in [start, end) is sealed. */
export function sealedIn(mm: AddressSpace, start: number, end: number): boolean {
  return mm.areas.overlapping(start, end).some((a) => a.sealed);
}

/** Private anonymous memory that cannot be written: what a sealed area refuses to discard. */
function readOnlyAnonymous(a: VmArea): boolean {
  return a.backing.kind === 'anon' && !a.shared && (a.prot & PROT_WRITE) === 0;
}

/** Whether madvise(advice) over [start, end) would discard pages of a sealed read-only anonymous area. */
export function sealForbidsAdvice(mm: AddressSpace, start: number, end: number, advice: number): boolean {
  return DISCARDING.has(advice) && mm.areas.overlapping(start, end).some((a) => a.sealed && readOnlyAnonymous(a));
}

/** mseal(start, len, flags): EINVAL for flags, alignment or a wrapping range; ENOMEM when part of it is unmapped. */
export function mseal(mm: AddressSpace, start: bigint, len: bigint, flags: bigint): number {
  if (flags !== 0n) return -Errno.EINVAL;
  const page = BigInt(PAGE_SIZE);
  if (start % page !== 0n) return -Errno.EINVAL;
  const aligned = BigInt.asUintN(64, (len + page - 1n) & ~(page - 1n));
  if (len !== 0n && aligned === 0n) return -Errno.EINVAL;
  const endBig = start + aligned;
  if (endBig >= 2n ** 64n) return -Errno.EINVAL;
  if (aligned === 0n) return 0;
  if (endBig > BigInt(Number.MAX_SAFE_INTEGER)) return -Errno.ENOMEM;
  const from = Number(start);
  const end = Number(endBig);
  if (!mm.areas.covers(from, end)) return -Errno.ENOMEM;
  mm.areas.splitAt(from);
  mm.areas.splitAt(end);
  for (const a of mm.areas.overlapping(from, end)) a.sealed = true;
  mm.areas.mergeAround(from, end);
  mm.changed();
  return 0;
}
