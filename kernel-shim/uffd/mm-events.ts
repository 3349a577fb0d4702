// The non-cooperative events of memory operations: munmap, mmap(MAP_FIXED) and brk over
// registered memory, mremap and madvise, and fork/clone, run through these wrappers, which
// queue UNMAP/REMAP/REMOVE/FORK messages for the monitors that asked for them and make the
// calling task wait until each was read (spec/userfaultfd.md section 7). A call that waited
// comes back through resumeChain at its retry and returns the result it had.
import * as A from '../abi/uffd.js';
import type { Kernel } from '../kernel.js';
import { MADV_DONTNEED, MADV_DONTNEED_LOCKED, MADV_FREE, MADV_REMOVE, MREMAP_DONTUNMAP, MREMAP_FIXED, PAGE_SIZE, pageCeil } from '../mm/constants.js';
import type { Task } from '../task.js';
import type { Block } from '../wait.js';
import { cancelEvents } from './chain.js';
import { holdChild, remapEvent, removeEvents, resumeChain, startEventChain, uffdApproved, unmapEventFor, unmapEvents } from './events.js';
import { dupOnFork } from './fork.js';
import { restoreMarkers, snapshotMarkers } from './markers.js';
import { dropRegistration } from './register.js';

const CLONE_VM = 0x100;
const REMOVE_ADVICE = new Set([MADV_DONTNEED, MADV_DONTNEED_LOCKED, MADV_FREE, MADV_REMOVE]);

function aligned(addr: number, len: number): boolean {
  return addr % PAGE_SIZE === 0 && Number.isSafeInteger(len) && len > 0 && addr + len <= 2 ** 47;
}

/** munmap, and mmap(MAP_FIXED)/brk over memory: UNMAP events for [start, start+len) once `op` succeeded. */
export function withUnmapEvents(t: Task, start: number, len: number, op: () => number): number | Block {
  const pending = resumeChain(t);
  if (pending !== undefined) return pending;
  const mm = t.process.mm;
  if (mm.uffd === undefined || !aligned(start, len)) return op();
  const events = unmapEvents(mm, start, start + pageCeil(len));
  const r = op();
  if (r < 0 || events.length === 0) {
    cancelEvents(events);
    return r;
  }
  return startEventChain(t, events, r) as number | Block;
}

/** brk: shrinking unmaps [new break, old break). */
export function brkWithEvents(t: Task, requested: number, op: () => number): number | Block {
  const pending = resumeChain(t);
  if (pending !== undefined) return pending;
  const mm = t.process.mm;
  const old = mm.brk;
  if (mm.uffd === undefined || requested >= old || requested < mm.brkStart) return op();
  const lo = pageCeil(requested);
  const events = unmapEvents(mm, lo, pageCeil(old));
  const r = op();
  if (r !== requested || events.length === 0) {
    cancelEvents(events);
    return r;
  }
  return startEventChain(t, events, r) as number | Block;
}

/**
 * mremap: a move raises REMAP (the registration moves along only with EVENT_REMAP) and
 * UNMAP for the old range; a shrink in place UNMAP for the tail; MREMAP_FIXED UNMAP for
 * whatever the target replaced.
 */
export function mremapWithEvents(t: Task, oldAddr: number, oldLength: number, newLength: number, flags: number, newAddr: number, op: () => number): number | Block {
  const pending = resumeChain(t);
  if (pending !== undefined) return pending;
  const mm = t.process.mm;
  if (mm.uffd === undefined || !aligned(oldAddr, Math.max(oldLength, 1)) || !Number.isSafeInteger(newLength)) return op();
  const oldLen = pageCeil(oldLength);
  const newLen = pageCeil(newLength);
  const area = mm.areas.find(oldAddr);
  const ctx = area?.uffd;
  const early = flags & MREMAP_FIXED && aligned(newAddr, Math.max(newLen, 1)) ? unmapEvents(mm, newAddr, newAddr + newLen) : [];
  const saved = ctx !== undefined && area!.uffdModes & A.UFFDIO_REGISTER_MODE_WP ? snapshotMarkers(mm, oldAddr, oldAddr + Math.min(oldLen, newLen)) : [];
  // What the old range would report if it is unmapped afterwards (a move without DONTUNMAP, or a shrink).
  const tailStart = oldAddr + Math.min(oldLen, newLen);
  const r = op();
  if (r < 0) {
    cancelEvents(early);
    return r;
  }
  const events = [...early];
  if (r !== oldAddr) {
    // Moved: REMAP only for a context that asked for it; otherwise the new area is not registered.
    const moved = mm.areas.overlapping(r, r + newLen);
    if (ctx !== undefined && !ctx.released && ctx.features & A.UFFD_FEATURE_EVENT_REMAP) {
      restoreMarkers(mm, saved, (r - oldAddr) / PAGE_SIZE);
      events.push(remapEvent(ctx, oldAddr, r, oldLength));
    } else if (moved.some((a) => a.uffd !== undefined)) {
      dropRegistration(mm, r, r + newLen);
    }
    if (!(flags & MREMAP_DONTUNMAP) && ctx !== undefined && !ctx.released && ctx.features & A.UFFD_FEATURE_EVENT_UNMAP) {
      events.push(...unmapEventFor(ctx, oldAddr, oldAddr + oldLen));
    }
  } else if (newLen < oldLen && ctx !== undefined && !ctx.released && ctx.features & A.UFFD_FEATURE_EVENT_UNMAP) {
    events.push(...unmapEventFor(ctx, tailStart, oldAddr + oldLen));
  }
  return startEventChain(t, events, r) as number | Block;
}

/** madvise(DONTNEED/FREE/REMOVE): REMOVE events are read before the pages go. */
export function madviseWithEvents(t: Task, addr: number, length: number, advice: number, op: () => number): number | Block {
  const pending = resumeChain(t);
  if (pending !== undefined) return pending;
  const mm = t.process.mm;
  if (mm.uffd === undefined || !REMOVE_ADVICE.has(advice) || !aligned(addr, length)) return op();
  const key = `${addr}:${length}:${advice}`;
  if (!uffdApproved(t, key)) {
    const end = addr + pageCeil(length);
    // MADV_REMOVE is refused (EINVAL) before any event unless the memory is shared.
    if (advice === MADV_REMOVE && mm.areas.overlapping(addr, end).some((a) => !a.shared)) return op();
    const events = removeEvents(mm, addr, end);
    if (events.length > 0) {
      const r = startEventChain(t, events, 'rerun', key);
      if (r !== undefined) return r;
      uffdApproved(t, key);
    }
  }
  return op();
}

/** fork/clone without CLONE_VM: FORK events; parent and child wait until they were read. */
export function cloneWithEvents(k: Kernel, t: Task, flags: number, tid: number): number | Block {
  if (tid < 0 || flags & CLONE_VM) return tid;
  const child = k.processes.get(tid);
  if (child === undefined) return tid;
  const events = dupOnFork(k, t.process.mm, child);
  if (events.length === 0) return tid;
  const r = startEventChain(t, events, tid) as number | Block;
  holdChild(t, child.mainTask);
  return r;
}
