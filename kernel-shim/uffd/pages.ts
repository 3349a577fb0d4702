// Putting a page in place for userfaultfd: the resolving ioctls (UFFDIO_COPY, ZEROPAGE,
// CONTINUE) and host-serviced ranges map a page that was missing, into anonymous memory or
// into the page cache of shmem.
import { Errno } from '../errno.js';
import { type AddressSpace, ptePerms } from '../mm/addrspace.js';
import type { VmArea } from '../mm/areas.js';
import { PAGE_SIZE } from '../mm/constants.js';
import { mapPage, pageEntry } from '../mm/page-entries.js';
import { PTE_COW, PTE_EXEC, PTE_WRITE } from '../mm/pagetable.js';
import type { SharedObject } from '../mm/shared.js';

/** The page cache behind a shmem area and the page index of vaddr in it (memfd, shared anon). */
export function shmemPage(area: VmArea, vaddr: number): { object: SharedObject; index: number } | undefined {
  const b = area.backing;
  const object = b.kind === 'shared' ? b.object : b.kind === 'file' ? b.cache : undefined;
  if (object === undefined) return undefined;
  return { object, index: (area.offset + (vaddr - area.start)) / PAGE_SIZE };
}

/** A page's worth of guest memory to copy from (already faulted in). */
export interface GuestBytes {
  mm: AddressSpace;
  addr: number;
}

/** Copies `data` (host bytes, zero-filled past their end, or a guest page) into a fresh frame. */
function fillFrame(frames: AddressSpace['frames'], frame: number, data: Uint8Array | GuestBytes | null): void {
  if (data === null) return;
  const memory = frames.memory;
  const at = frame * PAGE_SIZE;
  if (data instanceof Uint8Array) {
    if (data.length > 0) memory.set(data, at);
    return;
  }
  data.mm.access(data.addr, PAGE_SIZE, false, (phys, n, done) => memory.copy(at + done, phys, n));
}

/**
 * Maps a new page at vaddr of `area` (anonymous or shmem): `data` copied in, or the page
 * cache's existing page (continue); read-only when `wp` (the caller marks it). 0, or
 * -EEXIST/-EFAULT/-EINVAL.
 */
export function installPage(mm: AddressSpace, area: VmArea, vaddr: number, how: 'copy' | 'continue', data: Uint8Array | GuestBytes | null, wp: boolean): number {
  const vpn = vaddr / PAGE_SIZE;
  // Huge pages are put in place whole (hugetlb-fill.ts), never one base page at a time.
  if (area.hugetlb) return -Errno.EINVAL;
  if (pageEntry(mm, vpn) !== 0) return -Errno.EEXIST;
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
  if (wp) perms &= ~PTE_WRITE;
  if (perms & PTE_EXEC) frames.markExecutable(frame);
  mapPage(mm, vpn, frame, perms);
  return 0;
}
