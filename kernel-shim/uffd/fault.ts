// userfaultfd faults as the scheduler and the uaccess layer meet them: a user-mode fault on
// a tracked page parks the task with a PAGEFAULT message (or raises SIGBUS); a syscall about
// to copy into tracked pages parks before it consumes anything.
import * as A from '../abi/uffd.js';
import { Access } from '../cpu-port.js';
import type { Kernel } from '../kernel.js';
import type { AddressSpace } from '../mm/addrspace.js';
import { PAGE_SIZE } from '../mm/constants.js';
import { exactFaultAddress } from '../mm/fault-address.js';
import { pageEntry } from '../mm/page-entries.js';
import { BUS_ADRERR, PAGE_FAULT_TRAP, pageFaultErrorCode } from '../mm/page-fault.js';
import { PTE_WRITE } from '../mm/pagetable.js';
import { forceSignal, hasDeliverable } from '../signal/deliver.js';
import { SIGBUS } from '../signal/numbers.js';
import type { Task } from '../task.js';
import { type ResumeBlock, faultBlock, recordFault } from './context.js';
import { UFFD_FAULT, reportedPage } from './markers.js';

const BUS_MCEERR_AR = 4;

/**
 * The run loop stopped `task` on a page fault: if it is a tracked one, queue its message
 * and park the task (or raise SIGBUS). False when the fault is not userfaultfd's.
 */
export function uffdUserFault(k: Kernel, task: Task, addr: number, access: Access): boolean {
  const st = task.process.mm.uffd;
  const last = st?.lastUser;
  if (st === undefined || last === undefined) return false;
  st.lastUser = undefined;
  if (last.page !== addr || last.access !== access) return false;
  const c = st.classify(addr, access);
  if (c === undefined) return false;
  const err = pageFaultErrorCode(task.process.mm, addr, access);
  const ctx = c.ctx;
  // si_addr and EXACT_ADDRESS messages want the byte, not the page the TLB missed on.
  const sigbus = c.kind === 'poison' || (ctx !== undefined && ctx.features & A.UFFD_FEATURE_SIGBUS) !== 0;
  const exact = sigbus || (ctx !== undefined && ctx.features & A.UFFD_FEATURE_EXACT_ADDRESS) ? exactFaultAddress(task, addr, access) : reportedPage(task.process.mm, addr);
  const trap = { trapno: PAGE_FAULT_TRAP, err, cr2: BigInt(exact) };
  if (c.kind === 'poison') {
    k.uffd.stats.sigbus++;
    forceSignal(k, task, { signo: SIGBUS, errno: 0, code: BUS_MCEERR_AR, layout: 'fault', addr: BigInt(exact), addrLsb: 12 }, trap);
    return true;
  }
  if (ctx === undefined) return false;
  if (sigbus) {
    k.uffd.stats.sigbus++;
    forceSignal(k, task, { signo: SIGBUS, errno: 0, code: BUS_ADRERR, layout: 'fault', addr: BigInt(exact), addrLsb: 0 }, trap);
    return true;
  }
  // A deliverable signal: no sleep (and no message); the handler runs, then the access retries.
  if (hasDeliverable(task)) return true;
  const rec = recordFault(ctx, task, exact, c.flags, false);
  k.park(task, faultBlock(rec, true));
  ctx.notify();
  return true;
}

/**
 * Before a task runs: a task that slept on a fault (or as a new fork child) is not in a
 * syscall, so nothing may be retried when it resumes.
 */
export function uffdTaskResumes(task: Task): void {
  if ((task.wait as ResumeBlock | null)?.uffdResume === true) task.wait = null;
}

/**
 * Before a syscall copies into [addr, addr+length) (read() and friends): a tracked page in
 * it parks the call before anything is consumed, so that the retry loses no data (0 bytes
 * may be copied). Otherwise returns how many bytes may be copied: up to the first page that
 * would fail (SIGBUS mode, UFFD_USER_MODE_ONLY, poison), as copy_to_user stops there.
 */
export function uffdPrefault(mm: AddressSpace, addr: number, length: number): number {
  const st = mm.uffd;
  if (st === undefined || length <= 0) return length;
  const end = addr + length;
  for (const area of mm.areas.overlapping(addr, end)) {
    if (area.uffd === undefined && st.markers.size === 0) continue;
    const lo = Math.max(area.start, addr - (addr % PAGE_SIZE));
    const hi = Math.min(area.end, end);
    for (let page = lo; page < hi; page += PAGE_SIZE) {
      const pte = pageEntry(mm, page / PAGE_SIZE);
      if (pte !== 0 && pte & PTE_WRITE) continue;
      const at = Math.max(page, addr);
      const failed = pte !== 0 ? st.writeFault(page, at) : st.missingFault(area, page, Access.Write, at) === UFFD_FAULT;
      if (failed) return st.kernel.uffd.callParked ? 0 : at - addr;
    }
  }
  return length;
}
