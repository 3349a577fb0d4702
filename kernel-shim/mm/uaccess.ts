// Checks the kernel makes before copying to or from user memory, so that partial transfers
// stop where Linux's copy_to_user/copy_from_user would.
import type { AddressSpace } from './addrspace.js';
import { ptePerms } from './addrspace.js';
import { PTE_READ, PTE_WRITE } from './pagetable.js';
import { uffdPrefault } from '../uffd/fault.js';
import { CHUNK_BYTES } from '../../host/physmem.js';

/** One past the highest user address access_ok() accepts (the 47-bit user half). */
const USER_END = 2 ** 47;

/** access_ok(): the range lies in the user half (checked before any copy, so EFAULT even for 0 bytes). */
export function accessOk(addr: number, length: number): boolean {
  return Number.isSafeInteger(addr) && addr >= 0 && addr + length <= USER_END;
}

/**
 * How many bytes from addr could be copied before the first page that is unmapped or lacks
 * the permission. Looks at areas only, so a large buffer is not faulted in just to measure it.
 */
export function userPrefix(mm: AddressSpace, addr: number, length: number, write: boolean): number {
  if (length <= 0 || !accessOk(addr, 0)) return 0;
  const need = write ? PTE_WRITE : PTE_READ;
  const end = Math.min(addr + length, USER_END);
  let at = addr;
  while (at < end) {
    const area = mm.areas.find(at);
    if (area === undefined || !(ptePerms(area.prot) & need)) break;
    at = area.end;
  }
  const valid = Math.min(at, end) - addr;
  // userfaultfd: a destination page the monitor must supply parks the call before it consumes anything.
  return write && mm.uffd !== undefined ? uffdPrefault(mm, addr, valid) : valid;
}

/**
 * userPrefix over a vector of buffers (readv, writev): the leading bytes that could be
 * copied before the first bad page; 0 when a userfaultfd page parked the call.
 */
export function userPrefixVec(mm: AddressSpace, buffers: readonly { base: number; len: number }[], write: boolean): number {
  let total = 0;
  for (const v of buffers) {
    const n = userPrefix(mm, v.base, v.len, write);
    total += n;
    if (n < v.len) break;
  }
  return mm.uffd?.kernel.uffd.callParked === true ? 0 : total;
}

/**
 * The guest RAM behind [addr, addr + length), as views in order (pages adjacent in RAM
 * joined), faulted in as a copy would fault them (write: private and writable); null when a
 * page cannot be (EFAULT). For host calls that move data straight between the host and user
 * memory: the views hold only until the guest's memory next changes.
 */
export function userSpans(mm: AddressSpace, addr: number, length: number, write: boolean): Uint8Array[] | null {
  const memory = mm.frames.memory;
  const spans: Uint8Array[] = [];
  let start = 0;
  let end = -1;
  const ok = mm.access(addr, length, write, (phys, n) => {
    // Adjacent frames join, but never across the views' chunk boundary.
    if (phys === end && phys % CHUNK_BYTES !== 0) {
      end += n;
      return;
    }
    if (end >= 0) spans.push(memory.bytesAt(start, end - start));
    start = phys;
    end = phys + n;
  });
  if (!ok) return null;
  if (end >= 0) spans.push(memory.bytesAt(start, end - start));
  return spans;
}
