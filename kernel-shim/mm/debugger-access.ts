// Guest memory as a debugger (ptrace PEEKDATA/POKEDATA) sees it, shared by the gdb stub and
// the programmable API: a page is faulted in when its area allows any access, and a write goes
// through even to a read-only page (code, for patching), into a private copy when the frame is
// shared (page cache, fork).
import { Access, TLB_FAULT } from '../cpu-port.js';
import type { AddressSpace } from './addrspace.js';
import { PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE } from './constants.js';
import { PTE_EXEC, PTE_PERMS, makePte, pteFrame } from './pagetable.js';

/**
 * The physical address of the page at `page` for a debugger's watch or memory hook (-1: not
 * mapped). A writable page gets its own frame first (copy-on-write broken now), so that the
 * guest's first store does not move it to another frame.
 */
export function debuggerWatchFrame(mm: AddressSpace, page: number): number {
  const area = mm.findArea(page);
  if (area === undefined) return -1;
  let pte = debuggerPage(mm, page, false);
  if (pte === 0) return -1;
  if (area.prot & PROT_WRITE && mm.fill(page, Access.Write) !== TLB_FAULT) pte = mm.pageTable.get(page / PAGE_SIZE);
  return pteFrame(pte) * PAGE_SIZE;
}

/** The pte of the page at `page` as a debugger may use it (0: not mapped). */
export function debuggerPage(mm: AddressSpace, page: number, write: boolean): number {
  const vpn = page / PAGE_SIZE;
  let pte = mm.pageTable.get(vpn);
  const area = mm.findArea(page);
  if (pte === 0) {
    if (area === undefined) return 0;
    const access = area.prot & PROT_READ ? Access.Read : area.prot & PROT_EXEC ? Access.Fetch : area.prot & PROT_WRITE ? Access.Write : null;
    if (access === null || mm.fill(page, access) === TLB_FAULT) return 0;
    pte = mm.pageTable.get(vpn);
  }
  if (!write || pte === 0 || area === undefined || area.backing.kind === 'shared') return pte;
  if (area.prot & PROT_WRITE) {
    if (mm.fill(page, Access.Write) === TLB_FAULT) return 0;
    return mm.pageTable.get(vpn);
  }
  const frame = pteFrame(pte);
  if (mm.frames.refCount(frame) > 1) {
    const copy = mm.frames.copy(frame);
    mm.frames.unref(frame);
    if (pte & PTE_EXEC) mm.frames.markExecutable(copy);
    pte = makePte(copy, pte & PTE_PERMS);
    mm.pageTable.set(vpn, pte);
    mm.listener.invalidate(page, page + PAGE_SIZE);
  }
  return pte;
}
