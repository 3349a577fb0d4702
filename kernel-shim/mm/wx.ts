// W^X policy (--wx=off|strict). The mapping code itself (mapping.ts) stays Linux's; the
// task-level mmap/mprotect (task-memory.ts) ask here first and report back afterwards.
//
// --wx=off (default): Linux. Anything may be writable and executable.
// --wx=strict: what PaX MPROTECT / SELinux execmem+execmod enforce:
//   * no mapping may be writable and executable at once (mmap or mprotect with
//     PROT_WRITE|PROT_EXEC: EACCES);
//   * private memory (anonymous, private file pages, shared anonymous memory) that was ever
//     writable may never become executable (mprotect adding PROT_EXEC: EACCES);
//   * shared mappings of a file or memfd are exempt: the RW view + RX view double mapping
//     (libffi's fallback, JITs) stays allowed, as the kernel's policy does for files.
import type { AddressSpace } from './addrspace.js';
import type { VmArea } from './areas.js';
import { PROT_EXEC, PROT_READ, PROT_WRITE, pageCeil } from './constants.js';

export type WxMode = 'off' | 'strict';

/** Why a request was refused, for --strace; null when it is allowed. */
export type WxVerdict = string | null;

/** A shared mapping of a real file or memfd: may be double mapped RW + RX. */
function fileShared(area: VmArea): boolean {
  return area.shared && area.backing.kind === 'shared' && area.backing.object.file !== undefined;
}

/** mmap(prot, flags) under the policy. anonymous: no file behind it (or /dev/zero). */
export function checkMmap(mode: WxMode, prot: number): WxVerdict {
  if (mode !== 'strict') return null;
  if (prot & PROT_WRITE && prot & PROT_EXEC) return 'writable and executable at once';
  return null;
}

/** mprotect(addr, length, prot) under the policy (before mapping.ts changes anything). */
export function checkMprotect(mode: WxMode, mm: AddressSpace, addr: number, length: number, prot: number): WxVerdict {
  if (mode !== 'strict') return null;
  if (prot & PROT_WRITE && prot & PROT_EXEC) return 'writable and executable at once';
  if (!(prot & PROT_EXEC)) return null;
  const end = addr + pageCeil(length);
  for (const a of mm.areas.overlapping(addr, end)) {
    if (fileShared(a) || a.prot & PROT_EXEC) continue;
    if (a.everWritable || a.prot & PROT_WRITE) return 'memory that was writable may not become executable';
  }
  return null;
}

/** After a successful mmap/mprotect/brk with `prot` over [start, end): remember writability. */
export function noteWritable(mode: WxMode, mm: AddressSpace, start: number, end: number, prot: number): void {
  if (mode !== 'strict' || !(prot & PROT_WRITE)) return;
  for (const a of mm.areas.overlapping(start, end)) if (!fileShared(a)) a.everWritable = true;
}

/** PROT_* bits as strace prints them. */
export function protName(prot: number): string {
  const parts: string[] = [];
  if (prot & PROT_READ) parts.push('PROT_READ');
  if (prot & PROT_WRITE) parts.push('PROT_WRITE');
  if (prot & PROT_EXEC) parts.push('PROT_EXEC');
  return parts.length === 0 ? 'PROT_NONE' : parts.join('|');
}
