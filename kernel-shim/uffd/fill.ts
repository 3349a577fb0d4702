// Resolving faults: UFFDIO_COPY, ZEROPAGE, CONTINUE, POISON (mfill_atomic), WRITEPROTECT
// and MOVE, each waking the tasks parked on what it resolved.
import * as A from '../abi/uffd.js';
import { Errno } from '../errno.js';
import { type AddressSpace, ptePerms } from '../mm/addrspace.js';
import { PAGE_SIZE, PROT_WRITE } from '../mm/constants.js';
import { HPAGE_SIZE } from '../mm/hugetlb-pool.js';
import { movePage, pageEntry } from '../mm/page-entries.js';
import { pteFrame } from '../mm/pagetable.js';
import type { UffdCtx } from './context.js';
import { MARK_POISON, MARK_WP, uffdMmOf } from './markers.js';
import { type GuestBytes, installPage } from './pages.js';
import { areaKind, validRange } from './register.js';
import { mfillHuge } from './hugetlb-fill.js';

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
  if (kindOf === 'hugetlb') return mfillHuge(ctx, area, dst, len, kind, wp, src, readable);
  if (kind === 'continue' && kindOf !== 'shmem') return -Errno.EINVAL;
  let done = 0;
  let err = 0;
  for (let off = 0; off < len; off += PAGE_SIZE) {
    const vaddr = dst + off;
    const vpn = vaddr / PAGE_SIZE;
    if (kind === 'poison') {
      if (pageEntry(mm, vpn) !== 0 || mm.uffd?.hasMarker(vpn)) {
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
      const r = installPage(mm, area, vaddr, kind === 'continue' ? 'continue' : 'copy', data, wp);
      if (r < 0) {
        err = r;
        break;
      }
      if (wp) uffdMmOf(mm, ctx.kernel).mark(vpn, MARK_WP);
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
  if (ctx.kernel.uffd.callParked) return { field: undefined, ret: -Errno.EFAULT };
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
    if (a.hugetlb && (s % HPAGE_SIZE !== 0 || (e - s) % HPAGE_SIZE !== 0)) {
      err = -Errno.EINVAL;
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
  const perms = ptePerms(dstArea.prot);
  let moved = 0;
  let err = 0;
  let touched = false;
  for (let off = 0; off < len; off += PAGE_SIZE) {
    const dvpn = (dst + off) / PAGE_SIZE;
    const svpn = (src + off) / PAGE_SIZE;
    if (pageEntry(mm, dvpn) !== 0) {
      err = -Errno.EEXIST;
      break;
    }
    const spte = pageEntry(mm, svpn);
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
    movePage(mm, svpn, dvpn, perms);
    mm.uffd?.markers.delete(svpn);
    touched = true;
    moved += PAGE_SIZE;
  }
  if (touched) mm.listener.invalidate(src, src + len);
  return moved > 0 ? moved : err;
}
