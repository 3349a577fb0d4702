// Memory protection keys on a CPU without PKU (ushim's CPUID advertises neither PKU nor
// OSPKE), answered as Linux's x86 code does there: an address space's key bitmap starts
// empty, so the first pkey_alloc takes key 0, fails to program PKRU (EINVAL) and cannot
// give key 0 back, and every later one finds no key (ENOSPC). No key other than -1 is ever
// allocated, so pkey_free and pkey_mprotect refuse every one.
import { Errno } from '../errno.js';
import type { AddressSpace } from './addrspace.js';
import { PAGE_SIZE } from './constants.js';

/** PKEY_DISABLE_ACCESS | PKEY_DISABLE_WRITE: the only init_val bits. */
const PKEY_ACCESS_MASK = 3n;

/** pkey_alloc(flags, init_val). */
export function pkeyAlloc(mm: AddressSpace, flags: bigint, initVal: bigint): number {
  if (flags !== 0n || (initVal & ~PKEY_ACCESS_MASK) !== 0n) return -Errno.EINVAL;
  if (mm.pkeyZeroTaken) return -Errno.ENOSPC;
  mm.pkeyZeroTaken = true;
  return -Errno.EINVAL;
}

/** pkey_free(pkey): key 0 cannot be freed and no other key exists. */
export function pkeyFree(): number {
  return -Errno.EINVAL;
}

/**
 * pkey_mprotect with a key other than -1: mprotect's checks of the range come first (an
 * unaligned start, nothing to do for length 0, a page-rounded end that wraps), then the key's.
 */
export function pkeyMprotectRefusal(addr: bigint, length: bigint): number {
  const page = BigInt(PAGE_SIZE);
  if (addr % page !== 0n) return -Errno.EINVAL;
  if (length === 0n) return 0;
  const end = BigInt.asUintN(64, addr + BigInt.asUintN(64, (length + page - 1n) & ~(page - 1n)));
  return end <= addr ? -Errno.ENOMEM : -Errno.EINVAL;
}
