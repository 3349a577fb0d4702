// The resolving ioctls on hugetlb memory (mfill_atomic_hugetlb): UFFDIO_COPY, CONTINUE and
// POISON work in whole 2 MiB pages (a range off those boundaries is EINVAL), ZEROPAGE does
// not exist there, and a page is mapped by all 512 of its base-page entries at once.
import { Errno } from '../errno.js';
import { ptePerms } from '../mm/addrspace.js';
import type { VmArea } from '../mm/areas.js';
import { PAGE_SIZE } from '../mm/constants.js';
import { HugetlbObject, hugeIndex } from '../mm/hugetlb.js';
import { HPAGE_PAGES, HPAGE_SIZE, type HugePage } from '../mm/hugetlb-pool.js';
import { mapPage, pageEntry } from '../mm/page-entries.js';
import { PTE_COW, PTE_EXEC, PTE_WRITE } from '../mm/pagetable.js';
import type { UffdCtx } from './context.js';
import { MARK_POISON, MARK_WP, uffdMmOf } from './markers.js';
import type { GuestBytes } from './pages.js';

export type HugeFillKind = 'copy' | 'zeropage' | 'continue' | 'poison';

/** Whether any base page of the huge page at vaddr is mapped (or poisoned): EEXIST. */
function occupied(ctx: UffdCtx, vaddr: number): boolean {
  const first = vaddr / PAGE_SIZE;
  for (let vpn = first; vpn < first + HPAGE_PAGES; vpn++) {
    if (pageEntry(ctx.mm, vpn) !== 0 || ctx.mm.uffd?.hasMarker(vpn, MARK_POISON)) return true;
  }
  return false;
}

/** Copies 2 MiB of the caller's memory at src into the frames of a fresh huge page. */
function fillHuge(page: HugePage, src: GuestBytes): void {
  const memory = src.mm.frames.memory;
  src.mm.access(src.addr, HPAGE_SIZE, false, (phys, n, done) => {
    // A piece ends at a base page of the source, which need not be one of the destination.
    for (let at = 0; at < n;) {
      const to = done + at;
      const piece = Math.min(n - at, PAGE_SIZE - (to % PAGE_SIZE));
      memory.copy(page[Math.floor(to / PAGE_SIZE)] * PAGE_SIZE + (to % PAGE_SIZE), phys + at, piece);
      at += piece;
    }
  });
}

/**
 * mfill over [dst, dst + len) of a hugetlb area: bytes done (> 0) or -errno. `readable`:
 * how many source bytes could be read (copy).
 */
export function mfillHuge(ctx: UffdCtx, area: VmArea, dst: number, len: number, kind: HugeFillKind, wp: boolean, src: GuestBytes | null, readable: number): number {
  if (kind === 'zeropage' || dst % HPAGE_SIZE !== 0 || len % HPAGE_SIZE !== 0) return -Errno.EINVAL;
  const b = area.backing;
  const object = b.kind === 'shared' ? b.object : b.kind === 'file' ? b.cache : undefined;
  if (!(object instanceof HugetlbObject)) return -Errno.EINVAL;
  // A private mapping of a hugetlb file takes copies into its own pages, which ushim keeps per base page.
  if (kind === 'copy' && b.kind === 'file') return -Errno.EINVAL;
  const mm = ctx.mm;
  const st = uffdMmOf(mm, ctx.kernel);
  let perms = ptePerms(area.prot);
  if (b.kind === 'file' && perms & PTE_WRITE) perms = (perms & ~PTE_WRITE) | PTE_COW;
  if (wp) perms &= ~(PTE_WRITE | PTE_COW);
  let done = 0;
  for (let off = 0; off < len; off += HPAGE_SIZE) {
    const vaddr = dst + off;
    if (occupied(ctx, vaddr)) return done > 0 ? done : -Errno.EEXIST;
    const firstVpn = vaddr / PAGE_SIZE;
    if (kind === 'poison') {
      for (let i = 0; i < HPAGE_PAGES; i++) st.mark(firstVpn + i, MARK_POISON);
      done += HPAGE_SIZE;
      continue;
    }
    const h = hugeIndex((area.offset + (vaddr - area.start)) / PAGE_SIZE);
    let page: HugePage | undefined;
    if (kind === 'continue') {
      if (!object.hasHuge(h)) return done > 0 ? done : -Errno.EFAULT;
    } else {
      if (off + HPAGE_SIZE > readable) return done > 0 ? done : -Errno.EFAULT;
      if (object.hasHuge(h)) return done > 0 ? done : -Errno.EEXIST;
      page = object.fresh(h);
      if (page === undefined) return done > 0 ? done : -Errno.ENOMEM;
      fillHuge(page, { mm: src!.mm, addr: src!.addr + off });
    }
    for (let i = 0; i < HPAGE_PAGES; i++) {
      const frame = object.frameAt(h * HPAGE_PAGES + i);
      mm.frames.ref(frame);
      if (perms & PTE_EXEC) mm.frames.markExecutable(frame);
      mapPage(mm, firstVpn + i, frame, perms);
      if (wp) st.mark(firstVpn + i, MARK_WP);
    }
    done += HPAGE_SIZE;
  }
  return done;
}
