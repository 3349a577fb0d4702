// The userfaultfd state of one address space (AddressSpace.uffd), and the classification of
// its faults. Page state the page table cannot hold (uffd write protection, poison) lives
// in a marker map, as Linux keeps it in PTE bits and PTE markers. AddressSpace.fill asks
// here first: a tracked fault in user mode is recorded for the scheduler (fault.ts), one
// in a syscall parks the call (UffdState.runSyscall), otherwise the access fails.
import * as A from '../abi/uffd.js';
import { Access } from '../cpu-port.js';
import type { Kernel } from '../kernel.js';
import { type AddressSpace, ptePerms } from '../mm/addrspace.js';
import type { VmArea } from '../mm/areas.js';
import { PAGE_SIZE, PROT_WRITE } from '../mm/constants.js';
import { HPAGE_SIZE } from '../mm/hugetlb-pool.js';
import { forEachPresentPage, pageEntry, unprotectPage, writeProtectPage } from '../mm/page-entries.js';
import { PTE_EXEC, PTE_READ, PTE_WRITE } from '../mm/pagetable.js';
import { type UffdCtx, faultBlock, recordFault } from './context.js';
import { installPage, shmemPage } from './pages.js';

/** Marker bits (UffdMm.markers): what Linux keeps in PTE bits and PTE markers. */
export const MARK_WP = 1;
export const MARK_POISON = 2;

/** AddressSpace.fill's answers from UffdMm.missingFault. */
export const UFFD_NONE = 0;
export const UFFD_FAULT = 1;
export const UFFD_FILLED = 2;

export interface Classified {
  kind: 'missing' | 'wp' | 'minor' | 'poison';
  ctx: UffdCtx | undefined;
  flags: number;
}

/** A range whose missing pages a host-side handler supplies (Machine.serviceFaults). */
export interface HostRange {
  readonly start: number;
  readonly end: number;
  readonly supply: (pageAddr: number) => Uint8Array;
  faults: number;
}

export class UffdMm {
  /** vpn -> MARK_* bits. */
  readonly markers = new Map<number, number>();
  readonly hostRanges: HostRange[] = [];
  /** The tracked fault fill() last reported in user mode (the scheduler picks it up). */
  lastUser: { page: number; access: Access } | undefined;

  constructor(
    readonly mm: AddressSpace,
    readonly kernel: Kernel,
  ) {}

  /** A write hit a present page without write permission: a uffd-wp fault (true) or not. */
  writeFault(vaddr: number, kernelAddr?: number): boolean {
    const vpn = vaddr / PAGE_SIZE;
    const mark = this.markers.get(vpn);
    if (mark === undefined || !(mark & MARK_WP)) return false;
    const area = this.mm.findArea(vaddr);
    const ctx = area?.uffd;
    if (area === undefined || ctx === undefined || ctx.released || !(area.uffdModes & A.UFFDIO_REGISTER_MODE_WP)) {
      // The range is no longer write-protect tracked: the protection just goes away.
      this.clearWp(vaddr, vaddr + PAGE_SIZE);
      return false;
    }
    return this.report({ kind: 'wp', ctx, flags: A.UFFD_PAGEFAULT_FLAG_WRITE | A.UFFD_PAGEFAULT_FLAG_WP }, vaddr, Access.Write, kernelAddr);
  }

  /** A page of `area` with no entry, accessed as `access` (which the area permits). */
  missingFault(area: VmArea, vaddr: number, access: Access, kernelAddr?: number): number {
    const c = this.classifyMissing(area, vaddr, access);
    if (c === undefined) return this.hostRanges.length > 0 && this.hostFill(area, vaddr) ? UFFD_FILLED : UFFD_NONE;
    return this.report(c, vaddr, access, kernelAddr) ? UFFD_FAULT : UFFD_NONE;
  }

  private classifyMissing(area: VmArea, vaddr: number, access: Access): Classified | undefined {
    const mark = this.markers.get(vaddr / PAGE_SIZE);
    if (mark !== undefined && mark & MARK_POISON) return { kind: 'poison', ctx: area.uffd, flags: 0 };
    const ctx = area.uffd;
    if (ctx === undefined || ctx.released) return undefined;
    const write = access === Access.Write ? A.UFFD_PAGEFAULT_FLAG_WRITE : 0;
    const modes = area.uffdModes;
    const shm = area.backing.kind === 'anon' ? undefined : shmemPage(area, vaddr);
    if (shm !== undefined && shm.object.has(shm.index)) {
      return modes & A.UFFDIO_REGISTER_MODE_MINOR ? { kind: 'minor', ctx, flags: write | A.UFFD_PAGEFAULT_FLAG_MINOR } : undefined;
    }
    return modes & A.UFFDIO_REGISTER_MODE_MISSING ? { kind: 'missing', ctx, flags: write } : undefined;
  }

  /** What a user-mode access to `page` would be now (the scheduler re-checks fill's report). */
  classify(page: number, access: Access): Classified | undefined {
    const pte = pageEntry(this.mm, page / PAGE_SIZE);
    if (pte !== 0) {
      if (access !== Access.Write || pte & PTE_WRITE) return undefined;
      const mark = this.markers.get(page / PAGE_SIZE);
      const area = this.mm.findArea(page);
      const ctx = area?.uffd;
      if (mark === undefined || !(mark & MARK_WP) || ctx === undefined || ctx.released || !(area!.uffdModes & A.UFFDIO_REGISTER_MODE_WP)) return undefined;
      return { kind: 'wp', ctx, flags: A.UFFD_PAGEFAULT_FLAG_WRITE | A.UFFD_PAGEFAULT_FLAG_WP };
    }
    const area = this.mm.findArea(page);
    const need = access === Access.Write ? PTE_WRITE : access === Access.Fetch ? PTE_EXEC : PTE_READ;
    if (area === undefined || !(ptePerms(area.prot) & need)) return undefined;
    return this.classifyMissing(area, page, access);
  }

  /**
   * A tracked fault: user mode records it for the scheduler; kernel mode (kernelAddr: the
   * exact address a syscall touched) parks the running syscall, or fails the access.
   * Either way the access does not go on (true).
   */
  private report(c: Classified, vaddr: number, access: Access, kernelAddr: number | undefined): boolean {
    if (kernelAddr === undefined) {
      this.lastUser = { page: vaddr, access };
      return true;
    }
    const ctx = c.ctx;
    // SIGBUS mode, user-mode-only contexts and poison make a kernel access fail with EFAULT.
    if (c.kind === 'poison' || ctx === undefined) return true;
    if (ctx.features & A.UFFD_FEATURE_SIGBUS || ctx.flags & A.UFFD_USER_MODE_ONLY) return true;
    // Outside a syscall handler of this address space (signal frames, strace reading arguments) nothing may sleep.
    const state = this.kernel.uffd;
    const task = state.sleeperIn(this.mm);
    if (task === undefined) return true;
    const rec = recordFault(ctx, task, ctx.features & A.UFFD_FEATURE_EXACT_ADDRESS ? kernelAddr : reportedPage(this.mm, vaddr), c.flags, true);
    ctx.notify();
    state.parkCall(faultBlock(rec, false));
    return true;
  }

  /** A host-serviced range covers vaddr: the handler supplies the page now. */
  private hostFill(area: VmArea, vaddr: number): boolean {
    const range = this.hostRanges.find((r) => r.start <= vaddr && vaddr < r.end);
    if (range === undefined) return false;
    const bytes = range.supply(vaddr);
    const data = bytes.length > PAGE_SIZE ? bytes.subarray(0, PAGE_SIZE) : bytes;
    const r = installPage(this.mm, area, vaddr, 'copy', data, false);
    if (r !== 0) return false;
    range.faults++;
    this.kernel.uffd.stats.host++;
    return true;
  }

  /** Drops the markers of [start, end) (the page-table entries went: munmap, DONTNEED). */
  dropMarkers(start: number, end: number): void {
    if (this.markers.size === 0) return;
    this.eachMarker(start, end, (vpn) => this.markers.delete(vpn));
  }

  /** After mprotect: write-protected pages stay read-only whatever the new protection. */
  reprotected(start: number, end: number): void {
    if (this.markers.size === 0) return;
    this.eachMarker(start, end, (vpn, bits) => {
      if (bits & MARK_WP) writeProtectPage(this.mm, vpn);
    });
  }

  /** Removes write protection from [start, end): pages become writable again where they may be. */
  clearWp(start: number, end: number): void {
    if (this.markers.size === 0) return;
    this.eachMarker(start, end, (vpn, bits) => {
      if (!(bits & MARK_WP)) return;
      const rest = bits & ~MARK_WP;
      if (rest === 0) this.markers.delete(vpn);
      else this.markers.set(vpn, rest);
      const area = this.mm.areas.find(vpn * PAGE_SIZE);
      if (area !== undefined && area.prot & PROT_WRITE) unprotectPage(this.mm, vpn);
    });
  }

  /** Write-protects the present pages of [start, end); true when a TLB entry may be stale. */
  setWp(start: number, end: number): boolean {
    let downgraded = false;
    forEachPresentPage(this.mm, start / PAGE_SIZE, end / PAGE_SIZE, (vpn) => {
      this.markers.set(vpn, (this.markers.get(vpn) ?? 0) | MARK_WP);
      if (writeProtectPage(this.mm, vpn)) downgraded = true;
    });
    return downgraded;
  }

  mark(vpn: number, bits: number): void {
    this.markers.set(vpn, (this.markers.get(vpn) ?? 0) | bits);
  }

  hasMarker(vpn: number, bits = MARK_WP | MARK_POISON): boolean {
    return ((this.markers.get(vpn) ?? 0) & bits) !== 0;
  }

  /** A copy for `mm` (a snapshot's address space): markers and host-serviced ranges. */
  copyFor(mm: AddressSpace): UffdMm {
    const copy = new UffdMm(mm, this.kernel);
    for (const [vpn, bits] of this.markers) copy.markers.set(vpn, bits);
    copy.hostRanges.push(...this.hostRanges);
    return copy;
  }

  private eachMarker(start: number, end: number, fn: (vpn: number, bits: number) => void): void {
    const first = start / PAGE_SIZE;
    const last = end / PAGE_SIZE;
    if (last - first < this.markers.size) {
      for (let vpn = first; vpn < last; vpn++) {
        const bits = this.markers.get(vpn);
        if (bits !== undefined) fn(vpn, bits);
      }
    } else {
      for (const [vpn, bits] of [...this.markers]) if (vpn >= first && vpn < last) fn(vpn, bits);
    }
  }
}

/**
 * The address a fault message reports without UFFD_FEATURE_EXACT_ADDRESS: the page, or in
 * a hugetlb area the huge page (hugetlb_handle_userfault reports haddr).
 */
export function reportedPage(mm: AddressSpace, page: number): number {
  return mm.findArea(page)?.hugetlb === true ? page - (page % HPAGE_SIZE) : page;
}

/** The per-address-space state, made on first use. */
export function uffdMmOf(mm: AddressSpace, k: Kernel): UffdMm {
  mm.uffd ??= new UffdMm(mm, k);
  return mm.uffd;
}

/** The markers of [start, end), to carry over to where mremap moves the range. */
export function snapshotMarkers(mm: AddressSpace, start: number, end: number): [number, number][] {
  const st = mm.uffd;
  if (st === undefined || st.markers.size === 0) return [];
  const out: [number, number][] = [];
  for (const [vpn, bits] of st.markers) if (vpn >= start / PAGE_SIZE && vpn < end / PAGE_SIZE) out.push([vpn, bits]);
  return out;
}

export function restoreMarkers(mm: AddressSpace, saved: [number, number][], deltaPages: number): void {
  if (saved.length === 0 || mm.uffd === undefined) return;
  for (const [vpn, bits] of saved) mm.uffd.mark(vpn + deltaPages, bits);
  mm.uffd.reprotected((saved[0][0] + deltaPages) * PAGE_SIZE, (saved[saved.length - 1][0] + deltaPages + 1) * PAGE_SIZE);
}
