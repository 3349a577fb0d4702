// The kernel's pool of 2 MiB huge pages (Documentation/admin-guide/mm/hugetlbpage.rst):
// vm.nr_hugepages pages set aside from guest RAM, of which hugetlb mappings reserve some at
// mmap time and take them at fault time. A huge page is 512 frames of guest RAM (not
// necessarily contiguous: nothing in the guest can tell), which the pool holds one reference
// to while the page is free and hands, with that reference, to the object using it.
import { PAGE_SIZE } from './constants.js';
import type { FrameAllocator } from './frames.js';

/** The only huge page size ushim offers (x86-64's default, Hugepagesize). */
export const HPAGE_SIZE = 2 << 20;
/** Base pages per huge page. */
export const HPAGE_PAGES = HPAGE_SIZE / PAGE_SIZE;

/** The frames of one huge page, in address order. */
export type HugePage = Int32Array;

export class HugePool {
  private readonly freePages: HugePage[] = [];
  /** Pages in the pool, free or in use (HugePages_Total). */
  total = 0;
  /** Of total, pages above vm.nr_hugepages still in use: returned to guest RAM when freed (HugePages_Surp). */
  surplus = 0;
  /** Free pages promised to mappings that have not faulted them in yet (HugePages_Rsvd). */
  reserved = 0;

  /** The last inode number given to an anonymous hugetlb mapping's file. */
  private lastInode = 0;

  constructor(readonly frames: FrameAllocator) {}

  /** An inode number for the file behind a MAP_HUGETLB anonymous mapping. */
  nextInode(): number {
    return ++this.lastInode;
  }

  /** HugePages_Free. */
  get free(): number {
    return this.freePages.length;
  }

  /** vm.nr_hugepages: the persistent pool size. */
  get persistent(): number {
    return this.total - this.surplus;
  }

  /**
   * Sets vm.nr_hugepages as set_max_huge_pages does: grows while guest RAM has 512 free
   * frames, shrinks by giving free unreserved pages back; pages in use or reserved beyond
   * the new size stay, counted as surplus until they are freed.
   */
  resize(wanted: number): void {
    while (this.surplus > 0 && wanted > this.persistent) this.surplus--;
    while (wanted > this.persistent) {
      const page = this.allocPage();
      if (page === undefined) break;
      this.freePages.push(page);
      this.total++;
    }
    const count = Math.max(wanted, this.reserved + this.total - this.free);
    while (count < this.persistent && this.free > this.reserved) {
      this.releaseFrames(this.freePages.pop()!);
      this.total--;
    }
    this.surplus = Math.max(0, this.total - wanted);
  }

  /** Sets aside n free pages for a mapping (hugetlb_reserve_pages); false: not enough. */
  reserve(n: number): boolean {
    if (this.free - this.reserved < n) return false;
    this.reserved += n;
    return true;
  }

  /** Drops n reservations; surplus pages no longer reserved leave the pool (return_unused_surplus_pages). */
  unreserve(n: number): void {
    this.reserved -= n;
    while (this.surplus > 0 && this.free > this.reserved) {
      this.releaseFrames(this.freePages.pop()!);
      this.total--;
      this.surplus--;
    }
  }

  /** Whether a page could be taken now without a reservation. */
  get unreservedFree(): number {
    return this.free - this.reserved;
  }

  /** A zeroed huge page: one of the caller's reservations (reserved) or an unreserved free one; undefined if none. */
  take(reserved: boolean): HugePage | undefined {
    if (reserved) this.reserved--;
    else if (this.unreservedFree <= 0) return undefined;
    const page = this.freePages.pop();
    if (page === undefined) return undefined;
    for (const frame of page) {
      this.frames.memory.zero(frame * PAGE_SIZE, PAGE_SIZE);
      this.frames.hostWrote(frame); // translations of code it held before
    }
    return page;
  }

  /** A page no longer in use (its frames hold only the pool's reference again). */
  put(page: HugePage): void {
    if (this.surplus > 0) {
      this.surplus--;
      this.total--;
      this.releaseFrames(page);
    } else {
      this.freePages.push(page);
    }
  }

  private allocPage(): HugePage | undefined {
    const page = new Int32Array(HPAGE_PAGES);
    for (let i = 0; i < HPAGE_PAGES; i++) {
      const frame = this.frames.tryAlloc();
      if (frame < 0) {
        this.releaseFrames(page.subarray(0, i));
        return undefined;
      }
      page[i] = frame;
    }
    return page;
  }

  private releaseFrames(frames: Int32Array): void {
    for (const frame of frames) this.frames.unref(frame);
  }
}
