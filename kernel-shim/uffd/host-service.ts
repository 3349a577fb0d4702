// Host-side fault servicing for the programmable API (Machine.serviceFaults): pages of a
// range supplied by a host function on first touch, without a guest monitor.
import type { Kernel } from '../kernel.js';
import type { AddressSpace } from '../mm/addrspace.js';
import { type HostRange, uffdMmOf } from './markers.js';
import { validRange } from './register.js';

/**
 * Serves the missing pages of [start, start+length) in `mm` from a host function: the
 * first touch of each page (by the guest or by a syscall) maps a page holding what
 * supply(pageAddr) returns (zero-filled past its end). Pages already present keep their
 * contents. The returned object counts the pages supplied; close() stops the service.
 */
export function serviceHostFaults(
  k: Kernel,
  mm: AddressSpace,
  start: number,
  length: number,
  supply: (pageAddr: number) => Uint8Array,
): { readonly faults: number; close(): void } {
  if (!validRange(BigInt(start), BigInt(length))) throw new RangeError('serviceFaults: start and length must be page aligned, non-empty, below TASK_SIZE');
  const st = uffdMmOf(mm, k);
  const range: HostRange = { start, end: start + length, supply, faults: 0 };
  st.hostRanges.push(range);
  return {
    get faults() {
      return range.faults;
    },
    close() {
      const i = st.hostRanges.indexOf(range);
      if (i >= 0) st.hostRanges.splice(i, 1);
    },
  };
}
