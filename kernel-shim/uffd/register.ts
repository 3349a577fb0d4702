// Creating a userfaultfd, UFFDIO_API, and registering ranges: registration is kept on the
// areas (VmArea.uffd/uffdModes), so it splits and merges with them as VMA flags do.
import * as A from '../abi/uffd.js';
import { Errno } from '../errno.js';
import type { AddressSpace } from '../mm/addrspace.js';
import type { VmArea } from '../mm/areas.js';
import { MAP_DROPPABLE, MAP_TYPE, PAGE_SIZE, TASK_SIZE } from '../mm/constants.js';
import type { UffdCtx } from './context.js';
import { uffdMmOf } from './markers.js';
import { HPAGE_SIZE } from '../mm/hugetlb-pool.js';

const O_NONBLOCK = 0x800;
const O_CLOEXEC = 0x80000;

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
  if (features & ~BigInt(ctx.kernel.uffd.supportedFeatures)) return -Errno.EINVAL;
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

export type AreaKind = 'anon' | 'shmem' | 'hugetlb' | 'other';

export function areaKind(a: VmArea): AreaKind {
  if ((a.flags & MAP_TYPE) === MAP_DROPPABLE) return 'other';
  if (a.hugetlb) return 'hugetlb';
  const b = a.backing;
  if (b.kind === 'anon') return 'anon';
  if (b.kind === 'shared') return b.object.file === undefined || b.object.file.hostFd < 0 ? 'shmem' : 'other';
  return b.file.hostFd < 0 ? 'shmem' : 'other';
}

/** vma_can_userfault: anonymous memory, shmem and hugetlb; MINOR not on anonymous memory. */
function canUserfault(a: VmArea, modes: number): boolean {
  const kind = areaKind(a);
  if (kind === 'other') return false;
  return !(modes & A.UFFDIO_REGISTER_MODE_MINOR && kind === 'anon');
}

/** A hugetlb area holding the range's start or end off a huge page boundary: EINVAL. */
function hugeMisaligned(areas: VmArea[], start: number, end: number): boolean {
  const first = areas[0];
  const last = areas[areas.length - 1];
  return (first.hugetlb && start % HPAGE_SIZE !== 0) || (last.hugetlb && end <= last.end && end % HPAGE_SIZE !== 0);
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
  if (hugeMisaligned(areas, s, e)) return -Errno.EINVAL;
  for (const a of areas) {
    if (!canUserfault(a, modes)) return -Errno.EINVAL;
    if (!a.mayWrite) return -Errno.EPERM;
    if (a.uffd !== undefined && a.uffd !== ctx) return -Errno.EBUSY;
  }
  uffdMmOf(mm, ctx.kernel);
  setRegistration(mm, s, e, ctx, modes);
  // hugetlb ranges offer no ZEROPAGE or MOVE (UFFD_API_RANGE_IOCTLS_BASIC).
  let ioctls = BigInt.asUintN(64, areas.some((a) => a.hugetlb) ? A.UFFD_API_RANGE_IOCTLS_BASIC : A.UFFD_API_RANGE_IOCTLS);
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

/** Clears the registration of [start, end) (a moved area whose context lacks EVENT_REMAP). */
export function dropRegistration(mm: AddressSpace, start: number, end: number): void {
  if (mm.areas.overlapping(start, end).some((a) => a.uffd !== undefined)) setRegistration(mm, start, end, undefined, 0);
}
