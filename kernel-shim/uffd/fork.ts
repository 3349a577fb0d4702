// fork and userfaultfd (dup_userfaultfd): the child's copies of registered areas get new
// contexts where the monitor asked for FORK events.
import * as A from '../abi/uffd.js';
import type { Kernel } from '../kernel.js';
import type { AddressSpace } from '../mm/addrspace.js';
import { PAGE_SIZE } from '../mm/constants.js';
import type { Process } from '../process.js';
import { type PendingEvent, event } from './chain.js';
import { UffdCtx } from './context.js';
import { MARK_POISON, MARK_WP, uffdMmOf } from './markers.js';

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
