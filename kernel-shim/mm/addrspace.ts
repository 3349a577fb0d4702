// An address space: areas, the page table that maps them onto frames, and the fault path
// that fills both the CPU's TLB and the kernel's own accesses to guest memory.
import { Access, TLB_FAULT } from '../cpu-port.js';
import { AreaList, type VmArea, sourceOf } from './areas.js';
import { MMAP_MIN_ADDR, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE, pageFloor } from './constants.js';
import { type FrameAllocator, OutOfFrames } from './frames.js';
import type { ObjectMapper, SharedObject } from './shared.js';
import { PTE_COW, PTE_EXEC, PTE_PERMS, PTE_READ, PTE_WRITE, PageTable, makePte, pteFrame } from './pagetable.js';
import { UFFD_FAULT, UFFD_FILLED, type UffdMm } from '../uffd/markers.js';
import { mapHugePage } from './hugetlb-map.js';

/** si_code values for SIGSEGV. */
export const SEGV_MAPERR = 1;
export const SEGV_ACCERR = 2;

export interface MmStats {
  pgfault: number;
  spfAttempt: number;
  spfAbort: number;
}

export interface PageFault {
  addr: number;
  access: Access;
  code: typeof SEGV_MAPERR | typeof SEGV_ACCERR;
}

/** Hooks the kernel installs: what to do when cached translations become stale. */
export interface TranslationListener {
  /** Page-table entries in [start, end) were removed or lost permissions. */
  invalidate(start: number, end: number): void;
}

/** FrameAllocator.aliases bits: kinds of mapping seen, and which kind the TLB may hold. */
const ALIAS_WRITE = 1;
const ALIAS_EXEC = 2;
const BOTH_ALIASES = ALIAS_WRITE | ALIAS_EXEC;
const CACHED_EXEC = 4;

/** Largest distance a MAP_GROWSDOWN stack grows below its top (RLIMIT_STACK). */
const STACK_LIMIT = 8 << 20;

export function ptePerms(prot: number): number {
  let perms = 0;
  if (prot & (PROT_READ | PROT_WRITE | PROT_EXEC)) perms |= PTE_READ; // x86: write and exec imply read
  if (prot & PROT_WRITE) perms |= PTE_WRITE;
  if (prot & PROT_EXEC) perms |= PTE_EXEC;
  return perms;
}

function accessBit(access: Access): number {
  return access === Access.Write ? PTE_WRITE : access === Access.Fetch ? PTE_EXEC : PTE_READ;
}

export class AddressSpace implements ObjectMapper {
  /** Identifies the address space in private futex keys (unique within its kernel). */
  readonly id: number;
  readonly areas = new AreaList();
  readonly pageTable = new PageTable();
  /** Bumped by every change to the area list: validates the cached area of the fast path. */
  seq = 0;
  private cachedArea: VmArea | undefined;
  private cachedSeq = -1;
  /** MEMBARRIER_CMD_REGISTER_* commands this address space registered (kernel-shim/membarrier.ts). */
  membarrierRegistrations = 0;
  /** Protection key 0 was taken by a pkey_alloc that then failed (pkeys.ts). */
  pkeyZeroTaken = false;
  brkStart = 0;
  brk = 0;
  mmapBase = 0;
  lastFault: PageFault | null = null;
  listener: TranslationListener = { invalidate: () => {} };
  /** userfaultfd state (markers, host-serviced ranges); undefined until first used here. */
  uffd: UffdMm | undefined = undefined;

  constructor(
    readonly frames: FrameAllocator,
    readonly stats: MmStats,
    /** The lowest address a mapping may start at: vm.mmap_min_addr, 0 for root (CAP_SYS_RAWIO). */
    readonly minAddr = MMAP_MIN_ADDR,
  ) {
    this.id = frames.newSpaceId();
  }

  changed(): void {
    this.seq++;
  }

  /** The area containing addr, through the speculative cache when it is still valid. */
  findArea(addr: number): VmArea | undefined {
    this.stats.spfAttempt++;
    const cached = this.cachedArea;
    if (this.cachedSeq === this.seq && cached !== undefined && cached.start <= addr && addr < cached.end) return cached;
    this.stats.spfAbort++;
    const area = this.areas.find(addr);
    if (area !== undefined) {
      this.cachedArea = area;
      this.cachedSeq = this.seq;
    }
    return area;
  }

  /**
   * Resolves an access to the page at vaddr (page-aligned): returns paddr + permission bits
   * for the TLB, or TLB_FAULT with lastFault describing it. `kernelAddr`: set for a syscall's
   * access (access(), the exact address), for which a userfaultfd fault parks the call or
   * fails it with EFAULT.
   */
  fill(vaddr: number, access: Access, kernelAddr?: number): number {
    const vpn = vaddr / PAGE_SIZE;
    let pte = this.pageTable.get(vpn);
    const need = accessBit(access);
    if (pte !== 0) {
      if (pte & need) return this.answer(pte);
      // userfaultfd: a write to a write-protected page goes to its monitor (or the stale protection goes).
      if (access === Access.Write && this.uffd !== undefined) {
        if (this.uffd.writeFault(vaddr, kernelAddr)) return TLB_FAULT;
        pte = this.pageTable.get(vpn);
        if (pte & need) return this.answer(pte);
      }
      if (access === Access.Write && pte & PTE_COW) {
        const area = this.findArea(vaddr);
        if (area !== undefined && area.prot & PROT_WRITE) return this.answer(this.breakCow(vpn, pte));
      }
      return this.fault(vaddr, access, SEGV_ACCERR);
    }
    let area = this.findArea(vaddr);
    if (area === undefined) {
      area = this.growStack(vaddr);
      if (area === undefined) return this.fault(vaddr, access, SEGV_MAPERR);
    }
    if (!(ptePerms(area.prot) & need)) return this.fault(vaddr, access, SEGV_ACCERR);
    // userfaultfd: missing/minor faults of registered areas, poison, host-serviced ranges.
    if (this.uffd !== undefined) {
      const r = this.uffd.missingFault(area, vaddr, access, kernelAddr);
      if (r === UFFD_FAULT) return TLB_FAULT;
      if (r === UFFD_FILLED) return this.answer(this.pageTable.get(vpn));
    }
    this.stats.pgfault++;
    const populated = this.populate(area, vaddr);
    if (populated === 0) return this.fault(vaddr, access, SEGV_MAPERR); // past the end of the file: SIGBUS
    // A first write to a private file page copies it out of the page cache right away.
    return this.answer(access === Access.Write && populated & PTE_COW ? this.breakCow(vpn, populated) : populated);
  }

  /**
   * What the TLB gets for a present entry. Unicorn (2.1.4) checks every store through a
   * writable and executable entry for translated code, but a store through a writable entry
   * without exec is checked only until the first one lands where no translated block lies:
   * the entry is then "dirty" and later stores into code on that page go unnoticed. So a
   * frame is never cached both ways at once (a JIT's double mapping, W^X toggling): when the
   * kind in use flips, the TLB is flushed, and when it flips to writable, the frame's
   * translations are dropped first.
   */
  private answer(pte: number): number {
    const frame = pteFrame(pte);
    const kind = pte & PTE_EXEC ? ALIAS_EXEC : pte & PTE_WRITE ? ALIAS_WRITE : 0;
    if (kind !== 0) {
      const aliases = this.frames.aliases;
      const state = aliases[frame];
      const seen = state | kind;
      const cachedExec = kind === ALIAS_EXEC ? CACHED_EXEC : 0;
      if ((seen & BOTH_ALIASES) === BOTH_ALIASES && (state & CACHED_EXEC) !== cachedExec) {
        if (cachedExec === 0) this.frames.dropTranslations(frame);
        this.listener.invalidate(0, 2 ** 47);
      }
      aliases[frame] = (seen & ~CACHED_EXEC) | cachedExec;
    }
    return frame * PAGE_SIZE + (pte & PTE_PERMS);
  }

  private fault(addr: number, access: Access, code: PageFault['code']): number {
    this.lastFault = { addr, access, code };
    return TLB_FAULT;
  }

  /** Creates the page-table entry for a page of `area` that has none yet; 0 past the end of its file. */
  private populate(area: VmArea, vaddr: number): number {
    let perms = ptePerms(area.prot);
    let frame: number;
    const backing = area.backing;
    if (backing.kind === 'anon') {
      frame = this.frames.alloc();
    } else {
      const object = backing.kind === 'shared' ? backing.object : backing.cache;
      // A private file page shares the page cache's frame until its first write.
      if (object.hugetlb) return mapHugePage(this, area, object, vaddr, backing.kind === 'file' && perms & PTE_WRITE ? (perms & ~PTE_WRITE) | PTE_COW : perms);
      frame = object.frameForFault((area.offset + (vaddr - area.start)) / PAGE_SIZE, this);
      if (frame < 0) return 0;
      this.frames.ref(frame);
      // A private file page shares the page cache's frame until its first write.
      if (backing.kind === 'file' && perms & PTE_WRITE) perms = (perms & ~PTE_WRITE) | PTE_COW;
    }
    if (perms & PTE_EXEC) this.frames.markExecutable(frame);
    const pte = makePte(frame, perms);
    this.pageTable.set(vaddr / PAGE_SIZE, pte);
    return pte;
  }

  /** Gives the page its own frame (or reclaims sole ownership) so that it may be written. */
  private breakCow(vpn: number, pte: number): number {
    const frame = pteFrame(pte);
    const perms = (pte & PTE_PERMS) | PTE_WRITE;
    let owned = frame;
    if (this.frames.refCount(frame) > 1) {
      owned = this.frames.copy(frame);
      this.frames.unref(frame);
      if (perms & PTE_EXEC) this.frames.markExecutable(owned);
    }
    const next = makePte(owned, perms);
    this.pageTable.set(vpn, next);
    return next;
  }

  /** A fault just below a MAP_GROWSDOWN area extends it, as the stack does. */
  private growStack(vaddr: number): VmArea | undefined {
    const above = this.areas.next(vaddr);
    if (above === undefined || !above.growsDown) return undefined;
    const top = above.end;
    if (top - vaddr > STACK_LIMIT) return undefined;
    const below = this.areas.previous(vaddr);
    if (below !== undefined && below.end > vaddr) return undefined;
    above.start = pageFloor(vaddr);
    above.offset = 0;
    this.changed();
    return above;
  }

  /** Drops the page-table entries of [start, end), releasing their frames. */
  unmapPages(start: number, end: number): void {
    let any = false;
    this.pageTable.forEachPresent(start / PAGE_SIZE, end / PAGE_SIZE, (vpn, pte) => {
      this.pageTable.set(vpn, 0);
      this.frames.unref(pteFrame(pte));
      any = true;
    });
    if (any) this.listener.invalidate(start, end);
    this.uffd?.dropMarkers(start, end); // userfaultfd: write-protect and poison markers go with the entries
  }

  dropObjectPages(object: SharedObject, first: number): void {
    for (const area of this.areas.items) {
      if (sourceOf(area) !== object) continue;
      const from = Math.max(area.start, area.start + (first * PAGE_SIZE - area.offset));
      if (from < area.end) this.unmapPages(from, area.end);
    }
  }

  /** Rewrites the permissions of present entries in [start, end) after mprotect. */
  reprotectPages(start: number, end: number, prot: number): void {
    const perms = ptePerms(prot);
    let downgraded = false;
    this.pageTable.forEachPresent(start / PAGE_SIZE, end / PAGE_SIZE, (vpn, pte) => {
      const cow = pte & PTE_COW;
      const next = makePte(pteFrame(pte), (cow ? perms & ~PTE_WRITE : perms) | cow);
      if ((pte & PTE_PERMS & ~next) !== 0) downgraded = true;
      if (perms & PTE_EXEC) this.frames.markExecutable(pteFrame(pte));
      this.pageTable.set(vpn, next);
    });
    if (downgraded) this.listener.invalidate(start, end);
    this.uffd?.reprotected(start, end); // userfaultfd: write-protected pages stay read-only
  }

  /**
   * Kernel-side access to guest memory, page by page: calls fn(physOffset, length, done) for
   * each piece. Returns false (EFAULT) when any page is unmapped or lacks the permission,
   * after the pieces before it were visited, as copy_to_user/copy_from_user do.
   */
  access(addr: number, length: number, write: boolean, fn: (phys: number, length: number, done: number) => void): boolean {
    if (length === 0) return true;
    if (!Number.isSafeInteger(addr) || addr < 0 || addr + length > 2 ** 47) return false;
    // userfaultfd: a syscall parked on a tracked page touches no more memory before its retry.
    if (this.uffd?.kernel.uffd.callParked === true) return false;
    let done = 0;
    const kind = write ? Access.Write : Access.Read;
    while (done < length) {
      const va = addr + done;
      const page = pageFloor(va);
      const within = va - page;
      const n = Math.min(length - done, PAGE_SIZE - within);
      const vpn = page / PAGE_SIZE;
      const before = this.pageTable.get(vpn);
      const answer = this.fillForKernel(page, kind, va);
      if (answer === TLB_FAULT) return false;
      const after = this.pageTable.get(vpn);
      // A copy made for the kernel's write leaves the CPU's TLB pointing at the old frame.
      if (before !== 0 && pteFrame(before) !== pteFrame(after)) this.listener.invalidate(page, page + PAGE_SIZE);
      fn(answer - (answer % PAGE_SIZE) + within, n, done);
      if (write) this.frames.hostWrote(pteFrame(after)); // the kernel wrote into code: drop its translations
      done += n;
    }
    return true;
  }

  /** fill for a kernel-side copy: no frame left is EFAULT there, as for Linux's uaccess. */
  private fillForKernel(page: number, access: Access, kernelAddr: number): number {
    try {
      return this.fill(page, access, kernelAddr);
    } catch (e) {
      if (e instanceof OutOfFrames) return TLB_FAULT;
      throw e;
    }
  }

  /** The physical address of the page at vaddr (page-aligned) when it is present, else -1; nothing is faulted in. */
  residentFrame(vaddr: number): number {
    const pte = this.pageTable.get(vaddr / PAGE_SIZE);
    return pte === 0 ? -1 : pteFrame(pte) * PAGE_SIZE;
  }

  /** The physical address behind a guest address (faulting it in), or null (EFAULT). */
  translate(addr: number, write: boolean): number | null {
    let phys: number | null = null;
    return this.access(addr, 1, write, (p) => (phys = p)) ? phys : null;
  }

  read(addr: number, length: number): Uint8Array | null {
    const out = new Uint8Array(length);
    const memory = this.frames.memory;
    const ok = this.access(addr, length, false, (phys, n, done) => out.set(memory.bytesAt(phys, n), done));
    return ok ? out : null;
  }

  write(addr: number, data: Uint8Array): boolean {
    const memory = this.frames.memory;
    return this.access(addr, data.length, true, (phys, n, done) => memory.set(data.subarray(done, done + n), phys));
  }

  /** A NUL-terminated string of at most max bytes (without the NUL); null on EFAULT or no NUL. */
  readCString(addr: number, max = 4096): Uint8Array | null {
    const memory = this.frames.memory;
    const parts: Uint8Array[] = [];
    let total = 0;
    while (total < max) {
      const va = addr + total;
      const n = Math.min(PAGE_SIZE - (va % PAGE_SIZE), max - total);
      let chunk: Uint8Array | null = null;
      if (!this.access(va, n, false, (phys) => (chunk = memory.bytesAt(phys, n)))) return null;
      const piece = chunk as unknown as Uint8Array;
      const nul = piece.indexOf(0);
      if (nul >= 0) {
        parts.push(piece.slice(0, nul));
        return concat(parts, total + nul);
      }
      parts.push(piece.slice());
      total += n;
    }
    return null;
  }

  readU64(addr: number): bigint | null {
    const b = this.read(addr, 8);
    return b === null ? null : new DataView(b.buffer).getBigUint64(0, true);
  }

  writeU64(addr: number, value: bigint): boolean {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, value), true);
    return this.write(addr, b);
  }

  readU32(addr: number): number | null {
    const b = this.read(addr, 4);
    return b === null ? null : new DataView(b.buffer).getUint32(0, true);
  }

  writeU32(addr: number, value: number): boolean {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, value >>> 0, true);
    return this.write(addr, b);
  }

  /** /proc/<pid>/maps. */
  maps(): string {
    return this.areas.items.map((a) => a.mapsLine() + '\n').join('');
  }

  /** Resident pages (for /proc/self/status VmRSS and getrusage). */
  residentPages(): number {
    let n = 0;
    this.pageTable.forEachEntry(() => n++);
    return n;
  }
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
