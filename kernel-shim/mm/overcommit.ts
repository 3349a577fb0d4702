// Linux's overcommit heuristic, vm.overcommit_memory = 0 (__vm_enough_memory with
// OVERCOMMIT_GUESS): a single request that would commit more pages than RAM + swap fails with
// ENOMEM; anything smaller is granted, and running out later is the OOM killer's business
// (oom.ts). RAM is guest RAM, what the guest's /proc/meminfo calls MemTotal; it has no swap.
// What is charged is what mm/mmap.c and mm/shmem.c charge: private writable mappings
// (VM_ACCOUNT: accountable_mapping), shared anonymous memory (shmem_acct_size), the heap, and
// none of them with MAP_NORESERVE.
import type { FrameAllocator } from './frames.js';
import type { VmArea } from './areas.js';
import { MAP_DROPPABLE, MAP_NORESERVE, MAP_TYPE, PAGE_SIZE, PROT_WRITE } from './constants.js';

/** Whether a request committing `bytes` more is refused (more than RAM + swap). */
export function exceedsCommitLimit(frames: FrameAllocator, bytes: number): boolean {
  return bytes / PAGE_SIZE > frames.frameCount;
}

/** Whether a new mapping is charged: private and writable, or shared anonymous; never with MAP_NORESERVE or MAP_DROPPABLE. */
export function chargedMapping(prot: number, flags: number, kind: 'private' | 'shared-anonymous' | 'other'): boolean {
  if (flags & MAP_NORESERVE || kind === 'other') return false;
  return kind === 'shared-anonymous' || (prot & PROT_WRITE) !== 0;
}

/** Private and reserved: the kind of area whose writable pages are charged (MAP_DROPPABLE implies MAP_NORESERVE). */
function reservedPrivate(area: VmArea): boolean {
  return !area.shared && (area.flags & MAP_TYPE) !== MAP_DROPPABLE && !(area.flags & MAP_NORESERVE);
}

/** Whether an existing area carries a charge that grows with it (VM_ACCOUNT: private, writable, reserved). */
export function chargedArea(area: VmArea): boolean {
  return reservedPrivate(area) && (area.prot & PROT_WRITE) !== 0;
}

/** Whether an mprotect that adds PROT_WRITE to `area` is charged: private, reserved, not writable yet. */
export function chargedByWriteAccess(area: VmArea): boolean {
  return reservedPrivate(area) && (area.prot & PROT_WRITE) === 0;
}
