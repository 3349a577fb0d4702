// The memory calls of a task, with everything Linux does around the mapping code itself
// (mapping.ts): trampfd mappings follow their driver's rules (kernel-shim/trampfd/),
// --wx=strict refuses before and notes writability after (wx.ts), and operations over
// userfaultfd-registered memory raise their events (kernel-shim/uffd/mm-events.ts).
// (Translated code stays coherent without help from here: Unicorn sees the guest's stores
// into code, FrameAllocator.hostWrote covers the kernel's, and unmapped frames wait in
// quarantine.)
import { Errno } from '../errno.js';
import { mmapFileOf } from '../fs/mmapfile.js';
import type { Kernel } from '../kernel.js';
import { RLIMIT_DATA } from '../process.js';
import type { Task } from '../task.js';
import { hex, traceEvent, trampolineStats } from '../trampfd/events.js';
import { trampfdOf } from '../trampfd/file.js';
import { TrampfdV1, mmapV1 } from '../trampfd/v1.js';
import { type TrampfdV2, mmapV2 } from '../trampfd/v2.js';
import { brkWithEvents, madviseWithEvents, mremapWithEvents, withUnmapEvents } from '../uffd/mm-events.js';
import type { Block } from '../wait.js';
import { MAP_ANONYMOUS, MAP_FIXED, MAP_HUGETLB, PAGE_SIZE, pageCeil } from './constants.js';
import { type MmapFile, type MmapRequest, brk, madvise, mmap, mprotect, mremap, munmap } from './mapping.js';
import { checkMmap, checkMprotect, noteWritable, protName } from './wx.js';

function refuse(k: Kernel, t: Task, call: string, addr: number, length: number, prot: number, reason: string): number {
  trampolineStats(k).wxRefusals++;
  traceEvent(k, t, `wx_refused {call=${call}, addr=${hex(addr)}, len=${length}, prot=${protName(prot)}, reason="${reason}"}`);
  return -Errno.EACCES;
}

/** mmap of a trampfd (its own rules), or undefined when fd is something else. */
function mmapTrampfd(k: Kernel, t: Task, fd: number, addr: number, length: number, prot: number, flags: number, offset: number): number | undefined {
  const file = trampfdOf(t.process.fds.get(fd)?.file);
  if (file === undefined) return undefined;
  if (length === 0 || offset % PAGE_SIZE !== 0) return -Errno.EINVAL;
  return file instanceof TrampfdV1
    ? mmapV1(t, file, addr, length, prot, flags, offset)
    : mmapV2(k, t, file as TrampfdV2, addr, length, prot, flags, offset);
}

export interface MmapCall {
  addr: number;
  length: number;
  prot: number;
  flags: number;
  fd: number;
  offset: number;
}

/** mmap(2): the address, -errno, or a Block while userfaultfd monitors read the UNMAP events of MAP_FIXED. */
export function taskMmap(k: Kernel, t: Task, c: MmapCall): number | Block {
  let file: MmapFile | undefined;
  let effective = c.flags;
  if (!(c.flags & MAP_ANONYMOUS)) {
    const special = mmapTrampfd(k, t, c.fd, c.addr, c.length, c.prot, c.flags, c.offset);
    if (special !== undefined) return special;
    const f = mmapFileOf(k, t.process, c.fd, c.flags);
    if (typeof f === 'number') return f;
    // /dev/zero maps as anonymous memory, but is no hugetlbfs file.
    if (f === null && c.flags & MAP_HUGETLB) return -Errno.EINVAL;
    if (f === null) effective |= MAP_ANONYMOUS;
    else file = f;
  }
  return taskMapChecked(k, t, { addr: c.addr, length: c.length, prot: c.prot, flags: effective, file, offset: c.offset });
}

/**
 * A mapping made for the task (mmap, System V shmat) under --wx=strict, raising the UNMAP
 * events of userfaultfd monitors for what MAP_FIXED replaces.
 */
export function taskMapChecked(k: Kernel, t: Task, req: MmapRequest): number | Block {
  const why = checkMmap(k.options.wx ?? 'off', req.prot);
  if (why !== null) return refuse(k, t, 'mmap', req.addr, req.length, req.prot, why);
  const map = () => mmap(t.process.mm, { ...req, hugePool: k.hugePages });
  const addr = req.flags & MAP_FIXED ? withUnmapEvents(t, req.addr, req.length, map) : map();
  if (typeof addr === 'number' && addr >= 0) noteWritable(k.options.wx ?? 'off', t.process.mm, addr, addr + pageCeil(req.length), req.prot);
  return addr;
}

export function taskMunmap(t: Task, addr: number, length: number): number | Block {
  return withUnmapEvents(t, addr, length, () => munmap(t.process.mm, addr, length));
}

/** mprotect(2) with the restrictions of trampfd areas and --wx=strict. */
export function taskMprotect(k: Kernel, t: Task, addr: number, length: number, prot: number): number {
  const mm = t.process.mm;
  const end = addr + pageCeil(Math.max(0, Math.min(length, Number.MAX_SAFE_INTEGER - addr)));
  if (addr % PAGE_SIZE === 0) {
    // A special mapping whose driver cleared VM_MAY* bits (trampfd): EACCES, as mprotect_fixup says.
    if (mm.areas.overlapping(addr, end).some((a) => a.special !== undefined && (prot & a.special.denyProt) !== 0)) return -Errno.EACCES;
    const why = checkMprotect(k.options.wx ?? 'off', mm, addr, length, prot);
    if (why !== null) return refuse(k, t, 'mprotect', addr, length, prot, why);
  }
  const result = mprotect(mm, addr, length, prot);
  if (result === 0) noteWritable(k.options.wx ?? 'off', mm, addr, end, prot);
  return result;
}

/** brk(2) under RLIMIT_DATA. */
export function taskBrk(t: Task, requested: number): number | Block {
  const limit = t.process.rlimits[RLIMIT_DATA].cur;
  return brkWithEvents(t, requested, () => brk(t.process.mm, requested, limit >= BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(limit)));
}

export function taskMremap(t: Task, oldAddr: number, oldLength: number, newLength: number, flags: number, newAddr: number): number | Block {
  return mremapWithEvents(t, oldAddr, oldLength, newLength, flags, newAddr, () => mremap(t.process.mm, oldAddr, oldLength, newLength, flags, newAddr));
}

export function taskMadvise(t: Task, addr: number, length: number, advice: number): number | Block {
  return madviseWithEvents(t, addr, length, advice, () => madvise(t.process.mm, addr, length, advice));
}
