// What a user-mode page fault the kernel cannot resolve becomes, as Linux reports it:
// SIGSEGV with SEGV_MAPERR (no area) or SEGV_ACCERR (protection), SIGBUS with BUS_ADRERR past
// the end of a mapped file, and #GP's SIGSEGV (SI_KERNEL, si_addr 0) for a non-canonical
// address; si_addr and the frame's cr2 hold the byte accessed, err the x86 error code.
import { Access } from '../cpu-port.js';
import type { Kernel } from '../kernel.js';
import { forceSignal } from '../signal/deliver.js';
import { SIGBUS, SIGSEGV } from '../signal/numbers.js';
import type { Task } from '../task.js';
import { type AddressSpace, SEGV_ACCERR, SEGV_MAPERR, ptePerms } from './addrspace.js';
import { sourceOf } from './areas.js';
import { PAGE_SIZE, TASK_SIZE } from './constants.js';
import { exactFaultAddress, nonCanonicalAccess } from './fault-address.js';
import { PTE_EXEC, PTE_PERMS, PTE_READ, PTE_WRITE } from './pagetable.js';

export const BUS_ADRERR = 2;
const SI_KERNEL = 0x80;
const PF_PROT = 1, PF_WRITE = 2, PF_USER = 4, PF_INSTR = 0x10;
export const PAGE_FAULT_TRAP = 14;
const GENERAL_PROTECTION_TRAP = 13;
const ACCESS_PERM = { [Access.Read]: PTE_READ, [Access.Write]: PTE_WRITE, [Access.Fetch]: PTE_EXEC };

/**
 * The page-fault error code of a user access to addr. P is the hardware's present bit:
 * a page never touched, or PROT_NONE, is not present; the kernel half always is.
 */
export function pageFaultErrorCode(mm: AddressSpace, addr: number, access: Access): number {
  const present = addr >= TASK_SIZE || (mm.pageTable.get(Math.floor(addr / PAGE_SIZE)) & PTE_PERMS) !== 0;
  return PF_USER | (present ? PF_PROT : 0) | (access === Access.Write ? PF_WRITE : 0) | (access === Access.Fetch ? PF_INSTR : 0);
}

/**
 * Signals the fault that stopped `task` at `page` (what the TLB missed on). `addr`: the
 * exact address when the caller knows it (instruction fetches).
 */
export function raisePageFault(k: Kernel, task: Task, page: number, access: Access, addr?: number): void {
  if (access !== Access.Fetch && nonCanonicalAccess(task)) {
    forceSignal(k, task, { signo: SIGSEGV, errno: 0, code: SI_KERNEL, layout: 'fault', addr: 0n, addrLsb: 0 },
      { trapno: GENERAL_PROTECTION_TRAP, err: 0, cr2: 0n });
    return;
  }
  const mm = task.process.mm;
  const at = addr ?? exactFaultAddress(task, page, access);
  const trap = { trapno: PAGE_FAULT_TRAP, err: pageFaultErrorCode(mm, at, access), cr2: BigInt(at) };
  const area = at < TASK_SIZE ? mm.findArea(at) : undefined;
  const object = area === undefined ? undefined : sourceOf(area);
  if (area !== undefined && object !== undefined && ptePerms(area.prot) & ACCESS_PERM[access] && object.beyondEof((area.offset + (Math.floor(at / PAGE_SIZE) * PAGE_SIZE - area.start)) / PAGE_SIZE)) {
    forceSignal(k, task, { signo: SIGBUS, errno: 0, code: BUS_ADRERR, layout: 'fault', addr: BigInt(at), addrLsb: 0 }, trap);
    return;
  }
  const code = area === undefined ? SEGV_MAPERR : SEGV_ACCERR;
  forceSignal(k, task, { signo: SIGSEGV, errno: 0, code, layout: 'fault', addr: BigInt(at), addrLsb: 0 }, trap);
}
