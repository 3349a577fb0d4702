// hugetlbfs memory: the pages of a MAP_HUGETLB mapping or of an MFD_HUGETLB memfd, taken
// from the kernel's huge page pool (hugetlb-pool.ts) 2 MiB at a time. The object is the
// hugetlbfs inode's page cache (shared mappings, memfd) or the private pages of one
// MAP_PRIVATE mapping; either way it keeps the reservations made for it at mmap time.
import type { MappedFile } from './areas.js';
import { PAGE_SIZE } from './constants.js';
import type { FrameAllocator } from './frames.js';
import { HPAGE_PAGES, type HugePage, type HugePool } from './hugetlb-pool.js';
import { SharedObject } from './shared.js';

/** MAP_HUGE_SHIFT / MFD_HUGE_SHIFT: log2 of the page size in flags bits 26..31. */
const HUGE_SIZE_SHIFT = 26;
const HUGE_SIZE_MASK = 0x3f;
/** log2(2 MiB): MAP_HUGE_2MB's value in those bits. */
const HUGE_2MB_LOG = 21;

/** Whether the page size that mmap/memfd_create flags ask for is one ushim has (0: the default, 2 MiB). */
export function hugeSizeSupported(flags: number): boolean {
  const log = (flags >>> HUGE_SIZE_SHIFT) & HUGE_SIZE_MASK;
  return log === 0 || log === HUGE_2MB_LOG;
}

/** The huge page holding byte `pos` of an object (a 4 KiB page index / 512). */
export function hugeIndex(pageIndex: number): number {
  return Math.floor(pageIndex / HPAGE_PAGES);
}

export class HugetlbObject extends SharedObject {
  /** Huge page index -> its frames (the base-page map of SharedObject holds them too). */
  private readonly huge = new Map<number, HugePage>();
  /** Huge page indexes reserved for this object and not faulted in yet. */
  private readonly reservations = new Set<number>();

  constructor(
    frames: FrameAllocator,
    readonly pool: HugePool,
    file: MappedFile,
    size?: () => number,
  ) {
    super(frames, file, size);
  }

  override get hugetlb(): boolean {
    return true;
  }

  /** The frame of base page `index`, its huge page taken from the pool first if needed; -1 when the pool has none. */
  override frameAt(index: number): number {
    const h = hugeIndex(index);
    const page = this.huge.get(h) ?? this.instantiate(h);
    return page === undefined ? -1 : page[index - h * HPAGE_PAGES];
  }

  /** Past the end of the file, or a page that is not there and cannot be had (no reservation, pool empty): SIGBUS. */
  override beyondEof(index: number): boolean {
    if (super.beyondEof(index)) return true;
    const h = hugeIndex(index);
    return !this.huge.has(h) && !this.reservations.has(h) && this.pool.unreservedFree <= 0;
  }

  /** Whether huge page h is in the object (a MINOR rather than a MISSING fault). */
  hasHuge(h: number): boolean {
    return this.huge.has(h);
  }

  /**
   * Reserves the pages of huge indexes [first, first + count) not present or reserved yet
   * (hugetlb_reserve_pages); false, reserving nothing, when the pool lacks them.
   */
  reserve(first: number, count: number): boolean {
    // Each missing page needs a free one: a quick refusal before counting page by page.
    if (count - this.huge.size - this.reservations.size > this.pool.unreservedFree) return false;
    const needed: number[] = [];
    for (let h = first; h < first + count; h++) if (!this.huge.has(h) && !this.reservations.has(h)) needed.push(h);
    if (!this.pool.reserve(needed.length)) return false;
    for (const h of needed) this.reservations.add(h);
    return true;
  }

  /** A new huge page for index h filled by the caller (UFFDIO_COPY), or undefined when the pool has none. */
  fresh(h: number): HugePage | undefined {
    return this.instantiate(h);
  }

  /**
   * Gives back the huge pages of base pages [first, last) that no mapping holds any more,
   * and their reservations (truncation, hole punching, the last use going).
   */
  override discard(first: number, last: number): void {
    this.discardPages(first, last);
    const lo = hugeIndex(first);
    const hi = Math.ceil(last / HPAGE_PAGES);
    for (const h of [...this.reservations]) {
      if (h < lo || h >= hi) continue;
      this.reservations.delete(h);
      this.pool.unreserve(1);
    }
  }

  /** The pages part of discard: reservations stay (MADV_DONTNEED of a private mapping, whose page was consumed). */
  discardPages(first: number, last: number): void {
    const lo = hugeIndex(first);
    const hi = Math.ceil(last / HPAGE_PAGES);
    for (const [h, page] of [...this.huge]) {
      if (h < lo || h >= hi || page.some((frame) => this.frames.refCount(frame) > 1)) continue;
      this.huge.delete(h);
      for (let i = 0; i < HPAGE_PAGES; i++) this.pages.delete(h * HPAGE_PAGES + i);
      this.pool.put(page);
    }
  }

  /**
   * fork's copy of a MAP_PRIVATE mapping's pages: the child's pages are not reserved (the
   * parent owns the reservation), so a page the pool cannot supply is missing in the child,
   * whose access to it gets SIGBUS as on Linux when the pool runs dry.
   */
  privateCopy(file: MappedFile): HugetlbObject {
    const copy = new HugetlbObject(this.frames, this.pool, file);
    const memory = this.frames.memory;
    for (const [h, page] of this.huge) {
      const to = copy.instantiate(h);
      if (to === undefined) break;
      for (let i = 0; i < HPAGE_PAGES; i++) memory.copy(to[i] * PAGE_SIZE, page[i] * PAGE_SIZE, PAGE_SIZE);
    }
    return copy;
  }

  private instantiate(h: number): HugePage | undefined {
    const reserved = this.reservations.delete(h);
    const page = this.pool.take(reserved);
    if (page === undefined) return undefined;
    this.huge.set(h, page);
    for (let i = 0; i < HPAGE_PAGES; i++) this.pages.set(h * HPAGE_PAGES + i, page[i]);
    return page;
  }
}
