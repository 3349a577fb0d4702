// The mmap/mprotect side of trampolines and W^X: trampfd mappings (kernel-shim/trampfd/) and
// --wx=strict refusals (kernel-shim/mm/wx.ts). syscalls/mm.ts calls these around mapping.ts.
// (Translated code stays coherent without help from here: Unicorn sees the guest's stores into
// code, FrameAllocator.hostWrote covers the kernel's, and unmapped frames wait in quarantine.)
import { Errno } from '../kernel-shim/errno.js';
import type { Kernel } from '../kernel-shim/kernel.js';
import { PAGE_SIZE, pageCeil } from '../kernel-shim/mm/constants.js';
import { checkMmap, checkMprotect, noteWritable, protName } from '../kernel-shim/mm/wx.js';
import type { Task } from '../kernel-shim/task.js';
import { hex, traceEvent, trampolineStats } from '../kernel-shim/trampfd/events.js';
import { trampfdOf } from '../kernel-shim/trampfd/file.js';
import { TrampfdV1, mmapV1 } from '../kernel-shim/trampfd/v1.js';
import { mmapV2, type TrampfdV2 } from '../kernel-shim/trampfd/v2.js';

function refuse(k: Kernel, t: Task, call: string, addr: number, length: number, prot: number, reason: string): number {
  trampolineStats(k).wxRefusals++;
  traceEvent(k, t, `wx_refused {call=${call}, addr=${hex(addr)}, len=${length}, prot=${protName(prot)}, reason="${reason}"}`);
  return -Errno.EACCES;
}

/** mmap of a trampfd (its own rules), or undefined when fd is something else. */
export function mmapTrampfd(k: Kernel, t: Task, fd: number, addr: number, length: number, prot: number, flags: number, offset: number): number | undefined {
  const file = trampfdOf(t.process.fds.get(fd)?.file);
  if (file === undefined) return undefined;
  if (length === 0 || offset % PAGE_SIZE !== 0) return -Errno.EINVAL;
  return file instanceof TrampfdV1
    ? mmapV1(t, file, addr, length, prot, flags, offset)
    : mmapV2(k, t, file as TrampfdV2, addr, length, prot, flags, offset);
}

/** --wx=strict before mmap: -EACCES, or null to go on. */
export function wxBeforeMmap(k: Kernel, t: Task, addr: number, length: number, prot: number): number | null {
  const why = checkMmap(k.options.wx ?? 'off', prot);
  return why === null ? null : refuse(k, t, 'mmap', addr, length, prot, why);
}

/** After a successful mmap (or brk growth) of [start, start+length). */
export function wxAfterMap(k: Kernel, t: Task, start: number, length: number, prot: number): void {
  noteWritable(k.options.wx ?? 'off', t.process.mm, start, start + pageCeil(length), prot);
}

/** mprotect with the restrictions of trampfd areas and --wx=strict. */
export function mprotectChecked(k: Kernel, t: Task, addr: number, length: number, prot: number, apply: () => number): number {
  const mm = t.process.mm;
  const end = addr + pageCeil(Math.max(0, Math.min(length, Number.MAX_SAFE_INTEGER - addr)));
  if (addr % PAGE_SIZE === 0) {
    // A special mapping whose driver cleared VM_MAY* bits (trampfd): EACCES, as mprotect_fixup says.
    if (mm.areas.overlapping(addr, end).some((a) => a.special !== undefined && (prot & a.special.denyProt) !== 0)) return -Errno.EACCES;
    const why = checkMprotect(k.options.wx ?? 'off', mm, addr, length, prot);
    if (why !== null) return refuse(k, t, 'mprotect', addr, length, prot, why);
  }
  const result = apply();
  if (result === 0) noteWritable(k.options.wx ?? 'off', mm, addr, end, prot);
  return result;
}
