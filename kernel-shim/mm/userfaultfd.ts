// userfaultfd, serviced from ushim's own page tables (spec/userfaultfd.md).
//
// Registration lives on the areas (VmArea.uffd / uffdModes), so it splits and merges with
// them as Linux's VMA flags do. Page state the page table cannot hold (uffd write
// protection, poison markers) lives in a per-address-space marker map (UffdMm). The fault
// path is AddressSpace.fill: a tracked fault there either parks the task (the scheduler
// queues a PAGEFAULT message, the task sleeps until a resolving ioctl, WAKE, UNREGISTER or
// close wakes it, and then re-executes the faulting instruction), throws UffdKernelFault
// out of a syscall's guest-memory access (the dispatcher parks the call and retries it
// whole), or becomes SIGBUS/EFAULT. Non-cooperative events are chains of messages the
// operating task waits on until the monitor has read each of them.
import type { Kernel } from '../kernel.js';
import type { Process } from '../process.js';
import type { Task } from '../task.js';
import { type Block, WaitQueue, block } from '../wait.js';
import { Errno } from '../errno.js';
import { forceSignal, hasDeliverable } from '../signal/deliver.js';
import { SIGBUS } from '../signal/numbers.js';
import { Access, TLB_FAULT } from '../cpu-port.js';
import { type AddressSpace, ptePerms } from './addrspace.js';
import type { VmArea } from './areas.js';
import { MAP_DROPPABLE, MAP_TYPE, PAGE_SIZE, PROT_WRITE, TASK_SIZE } from './constants.js';
import { PTE_COW, PTE_EXEC, PTE_READ, PTE_WRITE, makePte, pteFrame } from './pagetable.js';
import type { SharedObject } from './shared.js';
import * as A from '../abi/uffd.js';
import { exactAddressesAvailable, exactFaultAddress } from './fault-address.js';
import { BUS_ADRERR, PAGE_FAULT_TRAP, pageFaultErrorCode } from './page-fault.js';

/** The features ushim always implements. */
const BASE_FEATURES =
  A.UFFD_FEATURE_PAGEFAULT_FLAG_WP | A.UFFD_FEATURE_EVENT_FORK | A.UFFD_FEATURE_EVENT_REMAP |
  A.UFFD_FEATURE_EVENT_REMOVE | A.UFFD_FEATURE_MISSING_SHMEM | A.UFFD_FEATURE_EVENT_UNMAP |
  A.UFFD_FEATURE_SIGBUS | A.UFFD_FEATURE_THREAD_ID | A.UFFD_FEATURE_MINOR_SHMEM |
  A.UFFD_FEATURE_POISON | A.UFFD_FEATURE_MOVE;

let supported: number | undefined;

/**
 * What UFFDIO_API reports: exactly the features ushim implements. EXACT_ADDRESS needs the
 * faulting instruction decoded (Capstone), so it is offered only where that works.
 */
export function uffdSupportedFeatures(): number {
  supported ??= BASE_FEATURES | (exactAddressesAvailable() ? A.UFFD_FEATURE_EXACT_ADDRESS : 0);
  return supported;
}

const O_NONBLOCK = 0x800;
const O_CLOEXEC = 0x80000;
const BUS_MCEERR_AR = 4;

/** Marker bits (UffdMm.markers): what Linux keeps in PTE bits and PTE markers. */
const MARK_WP = 1;
const MARK_POISON = 2;

/** AddressSpace.fill's answers from UffdMm.missingFault. */
export const UFFD_NONE = 0;
export const UFFD_FAULT = 1;
export const UFFD_FILLED = 2;

// ---------------------------------------------------------------- statistics (--stats)

export interface UffdStats {
  /** userfaultfd contexts made (syscall, /dev/userfaultfd, fork events). */
  contexts: number;
  missing: number;
  wp: number;
  minor: number;
  /** Of the faults above, those taken by a syscall touching guest memory. */
  kernel: number;
  sigbus: number;
  /** Pages supplied by a host-side handler (Machine.serviceFaults). */
  host: number;
  /** Page-fault messages read. */
  messages: number;
  /** Event messages read (fork, remap, remove, unmap). */
  events: number;
  /** Tasks woken by a resolving ioctl, WAKE, UNREGISTER or close. */
  wakes: number;
  /** Total time woken tasks spent parked, ms. */
  parkedMs: number;
}

const statsOf = new WeakMap<Kernel, UffdStats>();

export function uffdStats(k: Kernel): UffdStats {
  let s = statsOf.get(k);
  if (s === undefined) {
    s = { contexts: 0, missing: 0, wp: 0, minor: 0, kernel: 0, sigbus: 0, host: 0, messages: 0, events: 0, wakes: 0, parkedMs: 0 };
    statsOf.set(k, s);
  }
  return s;
}

// ---------------------------------------------------------------- contexts

/** One parked fault: what its message says, and whether it was read. */
export interface FaultRecord {
  readonly ctx: UffdCtx;
  /** Reported address (page-aligned). */
  readonly address: number;
  readonly flags: number;
  readonly ptid: number;
  read: boolean;
  readonly parkedAt: number;
}

/** The Block of a task parked on a fault; `resume` marks a fault taken in user mode. */
interface FaultBlock extends Block {
  readonly uffdFault: FaultRecord;
}

/** Blocks that are not syscalls: their task.wait is cleared when the task runs again. */
const resumeBlocks = new WeakSet<Block>();

export type EventMsg = A.UffdMsg;

/** A non-cooperative event queued on a context, part of its task's chain. */
interface PendingEvent {
  readonly ctx: UffdCtx;
  readonly msg: EventMsg;
  /** FORK: the child's new context, installed as an fd in the reader at read time. */
  readonly forkCtx?: UffdCtx;
  chain?: EventChain;
}

/** The events one operation (munmap, mremap, madvise, fork) waits on, one after another. */
class EventChain {
  next = 0;
  done = false;
  readonly queue = new WaitQueue();
  constructor(
    readonly task: Task,
    readonly events: PendingEvent[],
    /** The syscall's result once every event was read; 'rerun' runs the handler again. */
    readonly result: number | 'rerun',
    readonly key: string,
  ) {}
}

const chains = new WeakMap<Task, EventChain>();
/** madvise calls whose REMOVE events were read: the retried call goes ahead. */
const approved = new WeakMap<Task, string>();

export class UffdCtx {
  /** Enabled features; meaningful once initialized. */
  features = 0;
  initialized = false;
  released = false;
  /** Tasks parked on faults of this context, in arrival order (read or not: FaultRecord.read). */
  readonly faults = new WaitQueue();
  readonly faultQueues: readonly WaitQueue[] = [this.faults];
  /** Unread events, oldest first. */
  readonly events: PendingEvent[] = [];
  /** Readers and pollers of the fd. */
  readonly fdQueue = new WaitQueue();
  /** mmap_changing: events prepared and not yet read (resolving ioctls answer EAGAIN). */
  changing = 0;

  constructor(
    readonly kernel: Kernel,
    /** The process whose address space this context serves. */
    readonly owner: Process,
    readonly mm: AddressSpace,
    /** O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY as given at creation. */
    readonly flags: number,
  ) {
    uffdStats(kernel).contexts++;
  }

  /** The address space was torn down (exit or exec): ioctls answer ESRCH. */
  get mmGone(): boolean {
    return this.owner.exited || this.owner.mm !== this.mm;
  }

  get stats(): UffdStats {
    return uffdStats(this.kernel);
  }

  notify(): void {
    this.fdQueue.wakeAll();
  }

  /** poll(): EPOLLIN iff an unread fault or event exists. */
  hasUnread(): boolean {
    for (const t of this.faults.tasks()) if (recordOf(t)?.read === false) return true;
    return this.events.some((e) => e.chain === undefined || e.chain.task.state !== 'exited');
  }

  /**
   * The next message for a reader: pending faults first (oldest first), then events. null
   * when there is none; a negative errno when a FORK event's fd cannot be installed (the
   * event stays queued). installFork makes the new context an fd of the reader.
   */
  takeMessage(installFork: (ctx: UffdCtx) => number): A.UffdMsg | number | null {
    for (const t of this.faults.tasks()) {
      const rec = recordOf(t);
      if (rec === undefined || rec.read) continue;
      rec.read = true;
      this.stats.messages++;
      return { event: A.UFFD_EVENT_PAGEFAULT, flags: rec.flags, address: BigInt(rec.address), ptid: rec.ptid };
    }
    while (this.events.length > 0) {
      const ev = this.events[0];
      // A task killed while waiting takes its event with it.
      if (ev.chain !== undefined && ev.chain.task.state === 'exited') {
        this.events.shift();
        finishEvent(ev, true);
        continue;
      }
      let msg = ev.msg;
      if (ev.forkCtx !== undefined) {
        const fd = installFork(ev.forkCtx);
        if (fd < 0) return fd;
        msg = { event: A.UFFD_EVENT_FORK, ufd: fd };
      }
      this.events.shift();
      this.stats.events++;
      finishEvent(ev, false);
      return msg;
    }
    return null;
  }

  /** Wakes tasks parked on faults whose reported address is in [start, start+len); len 0: all. */
  wake(start: number, len: number): void {
    const now = performance.now();
    for (const t of this.faults.tasks()) {
      const rec = recordOf(t);
      if (rec === undefined) continue;
      if (len !== 0 && (rec.address < start || rec.address >= start + len)) continue;
      this.stats.wakes++;
      this.stats.parkedMs += now - rec.parkedAt;
      this.kernel.wake(t);
    }
  }

  /** The last fd went away: unregister everything, release every waiter. */
  release(): void {
    if (this.released) return;
    this.released = true;
    const mm = this.mm;
    let any = false;
    for (const a of mm.areas.items) {
      if (a.uffd !== this) continue;
      if (a.uffdModes & A.UFFDIO_REGISTER_MODE_WP) mm.uffd?.clearWp(a.start, a.end);
      a.uffd = undefined;
      a.uffdModes = 0;
      any = true;
    }
    if (any) {
      mm.areas.mergeAround(0, TASK_SIZE);
      mm.changed();
    }
    this.wake(0, 0);
    for (const ev of this.events.splice(0)) finishEvent(ev, true);
    this.notify();
  }
}

function recordOf(t: Task): FaultRecord | undefined {
  return (t.wait as FaultBlock | null)?.uffdFault;
}

function faultBlock(rec: FaultRecord, resume: boolean): FaultBlock {
  const b: FaultBlock = {
    kind: 'block',
    queues: rec.ctx.faultQueues,
    onTimeout: 0,
    onSignal: resume ? 'retry' : -Errno.EFAULT,
    uffdFault: rec,
  };
  if (resume) resumeBlocks.add(b);
  return b;
}

function countFault(ctx: UffdCtx, flags: number, kernel: boolean): void {
  const s = ctx.stats;
  if (flags & A.UFFD_PAGEFAULT_FLAG_WP) s.wp++;
  else if (flags & A.UFFD_PAGEFAULT_FLAG_MINOR) s.minor++;
  else s.missing++;
  if (kernel) s.kernel++;
}

// ---------------------------------------------------------------- the fault path

/** Set by the dispatcher while a syscall handler runs: kernel-mode faults may park it. */
export const uffdSyscall: { task: Task | undefined } = { task: undefined };

/**
 * Thrown out of a syscall's access to guest memory that hit a tracked page; the dispatcher
 * turns it into a Block (park()) and the call is retried once the page is resolved.
 */
export class UffdKernelFault {
  constructor(
    readonly ctx: UffdCtx,
    readonly address: number,
    readonly flags: number,
  ) {}

  park(task: Task): Block {
    const ctx = this.ctx;
    const ptid = ctx.features & A.UFFD_FEATURE_THREAD_ID ? task.tid : 0;
    const rec: FaultRecord = { ctx, address: this.address, flags: this.flags, ptid, read: false, parkedAt: performance.now() };
    countFault(ctx, this.flags, true);
    ctx.notify();
    return faultBlock(rec, false);
  }
}

interface Classified {
  kind: 'missing' | 'wp' | 'minor' | 'poison';
  ctx: UffdCtx | undefined;
  flags: number;
}

/** The page cache behind a shmem area and the page index of vaddr in it (memfd, shared anon). */
function shmemPage(area: VmArea, vaddr: number): { object: SharedObject; index: number } | undefined {
  const b = area.backing;
  const object = b.kind === 'shared' ? b.object : b.kind === 'file' ? b.cache : undefined;
  if (object === undefined) return undefined;
  return { object, index: (area.offset + (vaddr - area.start)) / PAGE_SIZE };
}

/** A range whose missing pages a host-side handler supplies (Machine.serviceFaults). */
export interface HostRange {
  readonly start: number;
  readonly end: number;
  readonly supply: (pageAddr: number) => Uint8Array;
  faults: number;
}

/** Per address space: markers, host-serviced ranges, and the last user-mode fault. */
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
    const pte = this.mm.pageTable.get(page / PAGE_SIZE);
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
   * exact address a syscall touched) parks the syscall or fails it.
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
    // Outside a syscall (signal frames, strace reading arguments) nothing may sleep.
    if (uffdSyscall.task === undefined || uffdSyscall.task.process.mm !== this.mm) return true;
    throw new UffdKernelFault(ctx, ctx.features & A.UFFD_FEATURE_EXACT_ADDRESS ? kernelAddr : vaddr, c.flags);
  }

  /** A host-serviced range covers vaddr: the handler supplies the page now. */
  private hostFill(area: VmArea, vaddr: number): boolean {
    const range = this.hostRanges.find((r) => r.start <= vaddr && vaddr < r.end);
    if (range === undefined) return false;
    const bytes = range.supply(vaddr);
    const data = bytes.length > PAGE_SIZE ? bytes.subarray(0, PAGE_SIZE) : bytes;
    const r = installPage(this.kernel, this.mm, area, vaddr, 'copy', data, false);
    if (r !== 0) return false;
    range.faults++;
    uffdStats(this.kernel).host++;
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
    const pt = this.mm.pageTable;
    this.eachMarker(start, end, (vpn, bits) => {
      const pte = pt.get(vpn);
      if (bits & MARK_WP && pte & PTE_WRITE) pt.set(vpn, pte & ~PTE_WRITE);
    });
  }

  /** Removes write protection from [start, end): pages become writable again where they may be. */
  clearWp(start: number, end: number): void {
    if (this.markers.size === 0) return;
    const pt = this.mm.pageTable;
    this.eachMarker(start, end, (vpn, bits) => {
      if (!(bits & MARK_WP)) return;
      const rest = bits & ~MARK_WP;
      if (rest === 0) this.markers.delete(vpn);
      else this.markers.set(vpn, rest);
      const pte = pt.get(vpn);
      const area = this.mm.areas.find(vpn * PAGE_SIZE);
      if (pte !== 0 && !(pte & PTE_COW) && area !== undefined && area.prot & PROT_WRITE) pt.set(vpn, pte | PTE_WRITE);
    });
  }

  /** Write-protects the present pages of [start, end); true when a TLB entry may be stale. */
  setWp(start: number, end: number): boolean {
    const pt = this.mm.pageTable;
    let downgraded = false;
    pt.forEachPresent(start / PAGE_SIZE, end / PAGE_SIZE, (vpn, pte) => {
      this.markers.set(vpn, (this.markers.get(vpn) ?? 0) | MARK_WP);
      if (pte & PTE_WRITE) {
        pt.set(vpn, pte & ~PTE_WRITE);
        downgraded = true;
      }
    });
    return downgraded;
  }

  mark(vpn: number, bits: number): void {
    this.markers.set(vpn, (this.markers.get(vpn) ?? 0) | bits);
  }

  hasMarker(vpn: number, bits = MARK_WP | MARK_POISON): boolean {
    return ((this.markers.get(vpn) ?? 0) & bits) !== 0;
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

/** The per-address-space state, made on first use. */
export function uffdMmOf(mm: AddressSpace, k: Kernel): UffdMm {
  mm.uffd ??= new UffdMm(mm, k);
  return mm.uffd;
}

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
  const exact = sigbus || (ctx !== undefined && ctx.features & A.UFFD_FEATURE_EXACT_ADDRESS) ? exactFaultAddress(task, addr, access) : addr;
  const trap = { trapno: PAGE_FAULT_TRAP, err, cr2: BigInt(exact) };
  if (c.kind === 'poison') {
    uffdStats(k).sigbus++;
    forceSignal(k, task, { signo: SIGBUS, errno: 0, code: BUS_MCEERR_AR, layout: 'fault', addr: BigInt(exact), addrLsb: 12 }, trap);
    return true;
  }
  if (ctx === undefined) return false;
  if (sigbus) {
    uffdStats(k).sigbus++;
    forceSignal(k, task, { signo: SIGBUS, errno: 0, code: BUS_ADRERR, layout: 'fault', addr: BigInt(exact), addrLsb: 0 }, trap);
    return true;
  }
  // A deliverable signal: no sleep (and no message); the handler runs, then the access retries.
  if (hasDeliverable(task)) return true;
  const ptid = ctx.features & A.UFFD_FEATURE_THREAD_ID ? task.tid : 0;
  const rec: FaultRecord = { ctx, address: exact, flags: c.flags, ptid, read: false, parkedAt: performance.now() };
  countFault(ctx, c.flags, false);
  k.park(task, faultBlock(rec, true));
  ctx.notify();
  return true;
}

/**
 * Before a task runs: a task that slept on a fault (or as a new fork child) is not in a
 * syscall, so nothing may be retried when it resumes.
 */
export function uffdTaskResumes(task: Task): void {
  if (task.wait !== null && resumeBlocks.has(task.wait)) task.wait = null;
}

/**
 * Before a syscall copies into [addr, addr+length) (read() and friends): a tracked page in
 * it parks the call before anything is consumed, so that the retry loses no data. Returns
 * how many bytes may be copied: up to the first page that would fail (SIGBUS mode,
 * UFFD_USER_MODE_ONLY, poison), as copy_to_user stops there.
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
      const pte = mm.pageTable.get(page / PAGE_SIZE);
      if (pte !== 0 && pte & PTE_WRITE) continue;
      const at = Math.max(page, addr);
      const failed = pte !== 0 ? st.writeFault(page, at) : st.missingFault(area, page, Access.Write, at) === UFFD_FAULT;
      if (failed) return at - addr;
    }
  }
  return length;
}

// ---------------------------------------------------------------- creation and UFFDIO_API

export function uffdMayCreate(uid: number, flags: number): number {
  if (flags & ~(O_CLOEXEC | O_NONBLOCK | A.UFFD_USER_MODE_ONLY)) return -Errno.EINVAL;
  // Without UFFD_USER_MODE_ONLY: CAP_SYS_PTRACE (root) or vm.unprivileged_userfaultfd (0).
  if (!(flags & A.UFFD_USER_MODE_ONLY) && uid !== 0) return -Errno.EPERM;
  return 0;
}

/** UFFDIO_API: the features to enable -> the features reported, or -errno (struct zeroed). */
export function uffdApi(ctx: UffdCtx, api: bigint, requested: bigint, uid: number): number {
  if (api !== BigInt(A.UFFD_API)) return -Errno.EINVAL;
  if (requested & BigInt(A.UFFD_FEATURE_EVENT_FORK) && uid !== 0) return -Errno.EPERM;
  let features = requested;
  if (features & BigInt(A.UFFD_FEATURE_WP_ASYNC)) features |= BigInt(A.UFFD_FEATURE_WP_UNPOPULATED);
  if (features & ~BigInt(uffdSupportedFeatures())) return -Errno.EINVAL;
  if (ctx.initialized) return -Errno.EINVAL;
  ctx.initialized = true;
  ctx.features = Number(features);
  return 0;
}

// ---------------------------------------------------------------- registration

/** validate_range: page-aligned start, non-zero page-multiple length, below TASK_SIZE. */
export function validRange(start: bigint, len: bigint, aligned = true): boolean {
  if (aligned && start % BigInt(PAGE_SIZE) !== 0n) return false;
  if (len === 0n || len % BigInt(PAGE_SIZE) !== 0n) return false;
  return start < BigInt(TASK_SIZE) && len <= BigInt(TASK_SIZE) - start;
}

type AreaKind = 'anon' | 'shmem' | 'other';

function areaKind(a: VmArea): AreaKind {
  if ((a.flags & MAP_TYPE) === MAP_DROPPABLE) return 'other';
  const b = a.backing;
  if (b.kind === 'anon') return 'anon';
  if (b.kind === 'shared') return b.object.file === undefined || b.object.file.hostFd < 0 ? 'shmem' : 'other';
  return b.file.hostFd < 0 ? 'shmem' : 'other';
}

/** vma_can_userfault for the modes ushim implements (WP only on private anonymous memory). */
function canUserfault(a: VmArea, modes: number): boolean {
  const kind = areaKind(a);
  if (kind === 'other') return false;
  if (modes & A.UFFDIO_REGISTER_MODE_MINOR && kind !== 'shmem') return false;
  if (modes & A.UFFDIO_REGISTER_MODE_WP && kind !== 'anon') return false;
  return true;
}

function setRegistration(mm: AddressSpace, start: number, end: number, ctx: UffdCtx | undefined, modes: number): void {
  mm.areas.splitAt(start);
  mm.areas.splitAt(end);
  for (const a of mm.areas.overlapping(start, end)) {
    a.uffd = ctx;
    a.uffdModes = ctx === undefined ? 0 : modes;
  }
  mm.areas.mergeAround(start, end);
  mm.changed();
}

/** UFFDIO_REGISTER: the ioctls usable on the range, or -errno. */
export function uffdRegister(ctx: UffdCtx, start: bigint, len: bigint, mode: bigint): bigint | number {
  if (mode === 0n || mode & ~BigInt(A.UFFD_API_REGISTER_MODES)) return -Errno.EINVAL;
  if (!validRange(start, len)) return -Errno.EINVAL;
  if (ctx.mmGone) return -Errno.ENOMEM;
  const modes = Number(mode);
  const s = Number(start);
  const e = s + Number(len);
  const mm = ctx.mm;
  const areas = mm.areas.overlapping(s, e);
  if (areas.length === 0) return -Errno.EINVAL;
  for (const a of areas) {
    if (!canUserfault(a, modes)) return -Errno.EINVAL;
    if (!a.mayWrite) return -Errno.EPERM;
    if (a.uffd !== undefined && a.uffd !== ctx) return -Errno.EBUSY;
  }
  uffdMmOf(mm, ctx.kernel);
  setRegistration(mm, s, e, ctx, modes);
  let ioctls = BigInt.asUintN(64, A.UFFD_API_RANGE_IOCTLS);
  if (!(modes & A.UFFDIO_REGISTER_MODE_WP)) ioctls &= ~A.UFFDIO_WRITEPROTECT_BIT;
  if (!(modes & A.UFFDIO_REGISTER_MODE_MINOR)) ioctls &= ~A.UFFDIO_CONTINUE_BIT;
  return ioctls;
}

/** UFFDIO_UNREGISTER. */
export function uffdUnregister(ctx: UffdCtx, start: bigint, len: bigint): number {
  if (!validRange(start, len)) return -Errno.EINVAL;
  if (ctx.mmGone) return -Errno.ENOMEM;
  const s = Number(start);
  const e = s + Number(len);
  const mm = ctx.mm;
  const areas = mm.areas.overlapping(s, e);
  if (areas.length === 0) return -Errno.EINVAL;
  if (areas.some((a) => !canUserfault(a, a.uffdModes))) return -Errno.EINVAL;
  for (const a of areas) {
    const actx = a.uffd;
    if (actx === undefined) continue;
    const lo = Math.max(a.start, s);
    const hi = Math.min(a.end, e);
    // Threads blocked on missing faults here retry and now fault normally.
    if (a.uffdModes & A.UFFDIO_REGISTER_MODE_MISSING) actx.wake(lo, hi - lo);
    if (a.uffdModes & A.UFFDIO_REGISTER_MODE_WP) mm.uffd?.clearWp(lo, hi);
  }
  setRegistration(mm, s, e, undefined, 0);
  return 0;
}

// ---------------------------------------------------------------- resolution

/** A page's worth of guest memory to copy from (already faulted in). */
interface GuestBytes {
  mm: AddressSpace;
  addr: number;
}

/** Copies `data` (host bytes, zero-filled past their end, or a guest page) into a fresh frame. */
function fillFrame(frames: AddressSpace['frames'], frame: number, data: Uint8Array | GuestBytes | null): void {
  if (data === null) return;
  const bytes = frames.memory.bytes;
  const at = frame * PAGE_SIZE;
  if (data instanceof Uint8Array) {
    if (data.length > 0) bytes.set(data, at);
    return;
  }
  data.mm.access(data.addr, PAGE_SIZE, false, (phys, n, done) => bytes.copyWithin(at + done, phys, phys + n));
}

/**
 * Maps a new page at vaddr of `area` (anonymous or shmem): `data` copied in, or the page
 * cache's existing page (continue). 0, or -EEXIST/-EFAULT.
 */
function installPage(k: Kernel, mm: AddressSpace, area: VmArea, vaddr: number, how: 'copy' | 'continue', data: Uint8Array | GuestBytes | null, wp: boolean): number {
  const vpn = vaddr / PAGE_SIZE;
  if (mm.pageTable.get(vpn) !== 0) return -Errno.EEXIST;
  const frames = mm.frames;
  let perms = ptePerms(area.prot);
  let frame: number;
  const shm = area.backing.kind === 'anon' ? undefined : shmemPage(area, vaddr);
  if (shm === undefined) {
    if (how === 'continue') return -Errno.EINVAL;
    frame = frames.alloc();
    fillFrame(frames, frame, data);
  } else {
    const has = shm.object.has(shm.index);
    if (how === 'continue') {
      if (!has) return -Errno.EFAULT;
    } else {
      if (has) return -Errno.EEXIST;
      const fresh = frames.alloc();
      fillFrame(frames, fresh, data);
      shm.object.install(shm.index, fresh);
    }
    frame = shm.object.frameAt(shm.index);
    frames.ref(frame);
    // A private mapping of shmem shares the page cache's frame until its first write.
    if (area.backing.kind === 'file' && perms & PTE_WRITE) perms = (perms & ~PTE_WRITE) | PTE_COW;
  }
  if (wp) {
    perms &= ~PTE_WRITE;
    uffdMmOf(mm, k).mark(vpn, MARK_WP);
  }
  if (perms & PTE_EXEC) frames.markExecutable(frame);
  mm.pageTable.set(vpn, makePte(frame, perms));
  return 0;
}

type FillKind = 'copy' | 'zeropage' | 'continue' | 'poison';

/**
 * mfill_atomic: fills [dst, dst+len) page by page. src holds the bytes to copy (copy only;
 * `readable` of them could be read, the rest faulted). Returns bytes done (> 0) or -errno.
 */
function mfill(ctx: UffdCtx, dst: number, len: number, kind: FillKind, wp: boolean, src: GuestBytes | null, readable: number): number {
  const mm = ctx.mm;
  const area = mm.areas.find(dst);
  if (area === undefined || dst + len > area.end || area.uffd === undefined) return -Errno.ENOENT;
  if (ctx.changing > 0) return -Errno.EAGAIN;
  if (wp && !(area.uffdModes & A.UFFDIO_REGISTER_MODE_WP)) return -Errno.EINVAL;
  const kindOf = areaKind(area);
  if (kindOf === 'other') return -Errno.EINVAL;
  if (kind === 'continue' && kindOf !== 'shmem') return -Errno.EINVAL;
  let done = 0;
  let err = 0;
  for (let off = 0; off < len; off += PAGE_SIZE) {
    const vaddr = dst + off;
    const vpn = vaddr / PAGE_SIZE;
    if (kind === 'poison') {
      if (mm.pageTable.get(vpn) !== 0 || mm.uffd?.hasMarker(vpn)) {
        err = -Errno.EEXIST;
        break;
      }
      uffdMmOf(mm, ctx.kernel).mark(vpn, MARK_POISON);
    } else {
      if (kind === 'copy' && off >= readable) {
        err = -Errno.EFAULT;
        break;
      }
      if (mm.uffd?.hasMarker(vpn, MARK_POISON)) mm.uffd.markers.delete(vpn);
      const data = kind === 'copy' && src !== null ? { mm: src.mm, addr: src.addr + off } : null;
      const r = installPage(ctx.kernel, mm, area, vaddr, kind === 'continue' ? 'continue' : 'copy', data, wp);
      if (r < 0) {
        err = r;
        break;
      }
    }
    done += PAGE_SIZE;
  }
  return done > 0 ? done : err;
}

/** The resolving ioctls share this tail: result field, wake, 0 / -EAGAIN (partial) / -errno. */
export interface FillResult {
  /** Goes into the struct's result field (bytes or -errno); undefined: field not written. */
  field: number | undefined;
  ret: number;
}

function finishFill(ctx: UffdCtx, dst: number, len: number, done: number, dontwake: boolean): FillResult {
  if (done < 0) return { field: done, ret: done };
  if (!dontwake) ctx.wake(dst, done);
  return { field: done, ret: done === len ? 0 : -Errno.EAGAIN };
}

export interface CopyArgs {
  dst: bigint;
  src: bigint;
  len: bigint;
  mode: bigint;
}

/**
 * UFFDIO_COPY. The source bytes are read (in the caller's address space) before anything is
 * mapped, so a fault on the source parks the call with nothing done yet.
 */
export function uffdCopy(ctx: UffdCtx, caller: AddressSpace, a: CopyArgs): FillResult {
  if (!validRange(a.src, a.len, false) || !validRange(a.dst, a.len)) return { field: undefined, ret: -Errno.EINVAL };
  if (a.mode & ~BigInt(A.UFFDIO_COPY_MODE_DONTWAKE | A.UFFDIO_COPY_MODE_WP)) return { field: undefined, ret: -Errno.EINVAL };
  if (ctx.mmGone) return { field: undefined, ret: -Errno.ESRCH };
  const len = Number(a.len);
  const dst = Number(a.dst);
  const src = Number(a.src);
  // Only as much source as there are destination pages that could take it.
  const area = ctx.mm.areas.find(dst);
  const want = area === undefined ? 0 : Math.min(len, Math.max(0, area.end - dst));
  // Fault the source in first (a tracked source page parks the call here, before any change).
  let readable = 0;
  caller.access(src, want, false, (_phys, n, done) => (readable = done + n));
  readable -= readable % PAGE_SIZE;
  const done = mfill(ctx, dst, len, 'copy', (a.mode & BigInt(A.UFFDIO_COPY_MODE_WP)) !== 0n, { mm: caller, addr: src }, readable);
  return finishFill(ctx, dst, len, done, (a.mode & BigInt(A.UFFDIO_COPY_MODE_DONTWAKE)) !== 0n);
}

/** UFFDIO_ZEROPAGE, UFFDIO_CONTINUE, UFFDIO_POISON: range + mode. */
export function uffdFillRange(ctx: UffdCtx, kind: 'zeropage' | 'continue' | 'poison', start: bigint, len: bigint, mode: bigint): FillResult {
  if (!validRange(start, len)) return { field: undefined, ret: -Errno.EINVAL };
  const allowed = kind === 'continue' ? A.UFFDIO_CONTINUE_MODE_DONTWAKE | A.UFFDIO_CONTINUE_MODE_WP : 1;
  if (mode & ~BigInt(allowed)) return { field: undefined, ret: -Errno.EINVAL };
  if (ctx.mmGone) return { field: undefined, ret: -Errno.ESRCH };
  const s = Number(start);
  const n = Number(len);
  const wp = kind === 'continue' && (mode & BigInt(A.UFFDIO_CONTINUE_MODE_WP)) !== 0n;
  const done = mfill(ctx, s, n, kind, wp, null, n);
  return finishFill(ctx, s, n, done, (mode & 1n) !== 0n);
}

/** UFFDIO_WRITEPROTECT. */
export function uffdWriteProtect(ctx: UffdCtx, start: bigint, len: bigint, mode: bigint): number {
  if (ctx.changing > 0) return -Errno.EAGAIN;
  if (!validRange(start, len)) return -Errno.EINVAL;
  if (mode & ~BigInt(A.UFFDIO_WRITEPROTECT_MODE_WP | A.UFFDIO_WRITEPROTECT_MODE_DONTWAKE)) return -Errno.EINVAL;
  const enable = (mode & BigInt(A.UFFDIO_WRITEPROTECT_MODE_WP)) !== 0n;
  const dontwake = (mode & BigInt(A.UFFDIO_WRITEPROTECT_MODE_DONTWAKE)) !== 0n;
  if (enable && dontwake) return -Errno.EINVAL;
  if (ctx.mmGone) return -Errno.ESRCH;
  const s = Number(start);
  const e = s + Number(len);
  const mm = ctx.mm;
  const st = uffdMmOf(mm, ctx.kernel);
  let err = -Errno.ENOENT;
  let downgraded = false;
  for (const a of mm.areas.overlapping(s, e)) {
    if (a.uffd === undefined || !(a.uffdModes & A.UFFDIO_REGISTER_MODE_WP)) {
      err = -Errno.ENOENT;
      break;
    }
    const lo = Math.max(a.start, s);
    const hi = Math.min(a.end, e);
    if (enable) downgraded = st.setWp(lo, hi) || downgraded;
    else st.clearWp(lo, hi);
    err = 0;
  }
  if (downgraded) mm.listener.invalidate(s, e);
  if (err < 0) return err;
  if (!enable && !dontwake) ctx.wake(s, e - s);
  return 0;
}

/** UFFDIO_MOVE: re-points private anonymous pages from src to dst (same process only). */
export function uffdMove(ctx: UffdCtx, caller: AddressSpace, a: CopyArgs): FillResult {
  if (caller !== ctx.mm) return { field: undefined, ret: -Errno.EINVAL };
  if (!validRange(a.dst, a.len) || !validRange(a.src, a.len)) return { field: undefined, ret: -Errno.EINVAL };
  if (a.mode & ~BigInt(A.UFFDIO_MOVE_MODE_DONTWAKE | A.UFFDIO_MOVE_MODE_ALLOW_SRC_HOLES)) return { field: undefined, ret: -Errno.EINVAL };
  if (ctx.mmGone) return { field: undefined, ret: -Errno.ESRCH };
  const dst = Number(a.dst);
  const src = Number(a.src);
  const len = Number(a.len);
  const done = movePages(ctx, dst, src, len, (a.mode & BigInt(A.UFFDIO_MOVE_MODE_ALLOW_SRC_HOLES)) !== 0n);
  return finishFill(ctx, dst, len, done, (a.mode & BigInt(A.UFFDIO_MOVE_MODE_DONTWAKE)) !== 0n);
}

function movePages(ctx: UffdCtx, dst: number, src: number, len: number, holes: boolean): number {
  const mm = ctx.mm;
  const dstArea = mm.areas.find(dst);
  const srcArea = mm.areas.find(src);
  if (dstArea === undefined || srcArea === undefined) return -Errno.ENOENT;
  if (ctx.changing > 0) return -Errno.EAGAIN;
  if (srcArea.shared || src + len > srcArea.end || dstArea.shared || dst + len > dstArea.end) return -Errno.EINVAL;
  if (srcArea.prot !== dstArea.prot || !(srcArea.prot & PROT_WRITE)) return -Errno.EINVAL;
  if (dstArea.uffd !== ctx) return -Errno.EINVAL;
  if (srcArea.backing.kind !== 'anon' || dstArea.backing.kind !== 'anon') return -Errno.EINVAL;
  const pt = mm.pageTable;
  const perms = ptePerms(dstArea.prot);
  let moved = 0;
  let err = 0;
  let touched = false;
  for (let off = 0; off < len; off += PAGE_SIZE) {
    const dvpn = (dst + off) / PAGE_SIZE;
    const svpn = (src + off) / PAGE_SIZE;
    if (pt.get(dvpn) !== 0) {
      err = -Errno.EEXIST;
      break;
    }
    const spte = pt.get(svpn);
    if (spte === 0) {
      if (!holes) {
        err = -Errno.ENOENT;
        break;
      }
      moved += PAGE_SIZE;
      continue;
    }
    const frame = pteFrame(spte);
    // A page shared with another address space (fork) cannot change owner.
    if (mm.frames.refCount(frame) > 1) {
      err = -Errno.EBUSY;
      break;
    }
    pt.set(svpn, 0);
    mm.uffd?.markers.delete(svpn);
    pt.set(dvpn, makePte(frame, perms));
    touched = true;
    moved += PAGE_SIZE;
  }
  if (touched) mm.listener.invalidate(src, src + len);
  return moved > 0 ? moved : err;
}

// ---------------------------------------------------------------- non-cooperative events

function finishEvent(ev: PendingEvent, abandoned: boolean): void {
  ev.ctx.changing = Math.max(0, ev.ctx.changing - 1);
  // A fork event nobody will read: the child's context goes, and its areas lose registration.
  if (abandoned && ev.forkCtx !== undefined) ev.forkCtx.release();
  const chain = ev.chain;
  if (chain === undefined) return;
  chain.next++;
  advance(chain);
}

/** Queues the chain's next event, skipping contexts that are gone; wakes the task when done. */
function advance(chain: EventChain): void {
  while (chain.next < chain.events.length) {
    const ev = chain.events[chain.next];
    if (!ev.ctx.released) {
      ev.ctx.events.push(ev);
      ev.ctx.notify();
      return;
    }
    ev.ctx.changing = Math.max(0, ev.ctx.changing - 1);
    if (ev.forkCtx !== undefined) ev.forkCtx.release();
    chain.next++;
  }
  chain.done = true;
  chain.queue.wakeAll();
}

/**
 * Makes `task` wait until the monitors have read `events` (in order), then the call returns
 * `result` ('rerun': the handler runs again, see uffdApproved). Returns the Block, or the
 * result at once when there is nothing to wait for.
 */
export function startEventChain(task: Task, events: PendingEvent[], result: number | 'rerun', key = ''): Block | number | undefined {
  if (events.length === 0) return result === 'rerun' ? undefined : result;
  const chain = new EventChain(task, events, result, key);
  for (const ev of events) ev.chain = chain;
  chains.set(task, chain);
  advance(chain);
  if (chain.done) return resumeChain(task);
  return block([chain.queue], { onSignal: 'retry' });
}

/**
 * At the entry of a call that may have been waiting on events: its result once they were
 * read, a Block while they are not (the wait is only killable), undefined otherwise.
 */
export function resumeChain(task: Task): Block | number | undefined {
  const chain = chains.get(task);
  if (chain === undefined) return undefined;
  if (!chain.done) return block([chain.queue], { onSignal: 'retry' });
  chains.delete(task);
  if (chain.result !== 'rerun') return chain.result;
  approved.set(task, chain.key);
  return undefined;
}

/** True (once) when the events of the call identified by key were read: it may proceed. */
export function uffdApproved(task: Task, key: string): boolean {
  if (approved.get(task) !== key) return false;
  approved.delete(task);
  return true;
}

/** Parks a new fork child until its parent's FORK events were read (copy_process waits). */
export function holdChild(parent: Task, child: Task): void {
  const chain = chains.get(parent);
  if (chain === undefined || chain.done) return;
  const b = block([chain.queue], { onSignal: 'retry' });
  resumeBlocks.add(b);
  parent.kernel.park(child, b);
}

function event(ctx: UffdCtx, msg: EventMsg, forkCtx?: UffdCtx): PendingEvent {
  ctx.changing++;
  return { ctx, msg, forkCtx };
}

/** userfaultfd_unmap_prep: one UNMAP event per context (with the feature) over [start, end). */
export function unmapEvents(mm: AddressSpace, start: number, end: number): PendingEvent[] {
  if (mm.uffd === undefined || end <= start) return [];
  const out: PendingEvent[] = [];
  const seen = new Set<UffdCtx>();
  for (const a of mm.areas.overlapping(start, end)) {
    const ctx = a.uffd;
    if (ctx === undefined || ctx.released || !(ctx.features & A.UFFD_FEATURE_EVENT_UNMAP) || seen.has(ctx)) continue;
    seen.add(ctx);
    out.push(event(ctx, { event: A.UFFD_EVENT_UNMAP, start: BigInt(start), end: BigInt(end) }));
  }
  return out;
}

/** The UNMAP event of one context for a range whose areas are already gone (mremap's old range). */
export function unmapEventFor(ctx: UffdCtx, start: number, end: number): PendingEvent[] {
  if (ctx.released || !(ctx.features & A.UFFD_FEATURE_EVENT_UNMAP) || end <= start) return [];
  return [event(ctx, { event: A.UFFD_EVENT_UNMAP, start: BigInt(start), end: BigInt(end) })];
}

/** userfaultfd_remove: one REMOVE event per registered area part (with the feature) in [start, end). */
export function removeEvents(mm: AddressSpace, start: number, end: number): PendingEvent[] {
  if (mm.uffd === undefined || end <= start) return [];
  const out: PendingEvent[] = [];
  for (const a of mm.areas.overlapping(start, end)) {
    const ctx = a.uffd;
    if (ctx === undefined || ctx.released || !(ctx.features & A.UFFD_FEATURE_EVENT_REMOVE)) continue;
    out.push(event(ctx, { event: A.UFFD_EVENT_REMOVE, start: BigInt(Math.max(a.start, start)), end: BigInt(Math.min(a.end, end)) }));
  }
  return out;
}

/** A REMAP event for a moved registered area whose context has the feature. */
export function remapEvent(ctx: UffdCtx, from: number, to: number, len: number): PendingEvent {
  return event(ctx, { event: A.UFFD_EVENT_REMAP, from: BigInt(from), to: BigInt(to), len: BigInt(len) });
}

/** Events that were prepared for an operation that then failed. */
export function cancelEvents(events: PendingEvent[]): void {
  for (const ev of events) ev.ctx.changing = Math.max(0, ev.ctx.changing - 1);
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

/** Clears the registration of [start, end) (a moved area whose context lacks EVENT_REMAP). */
export function dropRegistration(mm: AddressSpace, start: number, end: number): void {
  if (mm.areas.overlapping(start, end).some((a) => a.uffd !== undefined)) setRegistration(mm, start, end, undefined, 0);
}

/**
 * fork: the child's copies of areas registered with a context that has EVENT_FORK are
 * registered with a new context (one per parent context); others are not registered. The
 * FORK events (one per parent context) are returned for the parent to wait on.
 */
export function dupOnFork(k: Kernel, parentMm: AddressSpace, child: Process): PendingEvent[] {
  if (parentMm.uffd === undefined) return [];
  const cmm = child.mm;
  const made = new Map<UffdCtx, UffdCtx>();
  const events: PendingEvent[] = [];
  const pst = parentMm.uffd;
  // Poison is copied whatever the registration; write protection only where it stays tracked.
  for (const [vpn, bits] of pst.markers) if (bits & MARK_POISON) uffdMmOf(cmm, k).mark(vpn, MARK_POISON);
  parentMm.areas.items.forEach((a) => {
    const octx = a.uffd;
    if (octx === undefined || octx.released || !(octx.features & A.UFFD_FEATURE_EVENT_FORK)) return;
    let nctx = made.get(octx);
    if (nctx === undefined) {
      nctx = new UffdCtx(k, child, cmm, octx.flags);
      nctx.features = octx.features;
      nctx.initialized = true;
      made.set(octx, nctx);
      events.push(event(octx, { event: A.UFFD_EVENT_FORK, ufd: 0 }, nctx));
    }
    const ca = cmm.areas.find(a.start);
    if (ca === undefined || ca.start !== a.start) return;
    uffdMmOf(cmm, k);
    ca.uffd = nctx;
    ca.uffdModes = a.uffdModes;
    if (a.uffdModes & A.UFFDIO_REGISTER_MODE_WP) {
      const st = uffdMmOf(cmm, k);
      for (const [vpn, bits] of pst.markers) if (bits & MARK_WP && vpn >= a.start / PAGE_SIZE && vpn < a.end / PAGE_SIZE) st.mark(vpn, MARK_WP);
    }
  });
  return events;
}

// ---------------------------------------------------------------- host-side servicing

/**
 * Serves the missing pages of [start, start+length) in `mm` from a host function: the
 * first touch of each page (by the guest or by a syscall) maps a page holding what
 * supply(pageAddr) returns (zero-filled past its end). Pages already present keep their
 * contents. The returned object counts the pages supplied; close() stops the service.
 */
export function serviceHostFaults(
  k: Kernel,
  mm: AddressSpace,
  start: number,
  length: number,
  supply: (pageAddr: number) => Uint8Array,
): { readonly faults: number; close(): void } {
  if (!validRange(BigInt(start), BigInt(length))) throw new RangeError('serviceFaults: start and length must be page aligned, non-empty, below TASK_SIZE');
  const st = uffdMmOf(mm, k);
  const range: HostRange = { start, end: start + length, supply, faults: 0 };
  st.hostRanges.push(range);
  return {
    get faults() {
      return range.faults;
    },
    close() {
      const i = st.hostRanges.indexOf(range);
      if (i >= 0) st.hostRanges.splice(i, 1);
    },
  };
}

export { TLB_FAULT };
