// Physical RAM for the guest: one large host mapping (anonymous, MAP_NORESERVE, so untouched
// frames cost nothing) that every engine maps at physical address 0 with uc_mem_map_ptr.
// The kernel's frame allocator hands out 4 KiB frames of it; JS reads and writes it through
// one ArrayBuffer view, zero-copy (guest stores are visible to JS and vice versa).
import koffi from 'koffi';
import { libcCalls } from './libc.js';

const PROT_READ_WRITE = 3;
const MAP_PRIVATE_ANONYMOUS_NORESERVE = 0x02 | 0x20 | 0x4000;
const MADV_DONTNEED = 4;

/** koffi.view refuses (or aborts on) views of 4 GiB and more: stay below. */
export const MAX_PHYSICAL_BYTES = 2 ** 32 - 2 ** 20;

export class PhysicalMemory {
  readonly hostPtr: bigint;
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly buffer: Buffer;

  constructor(readonly size: number) {
    if (size % 4096 !== 0 || size > MAX_PHYSICAL_BYTES) throw new RangeError(`bad physical memory size ${size}`);
    const ptr = libcCalls.mmap(null, size, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS_NORESERVE, -1, 0) as bigint;
    if (ptr === BigInt.asUintN(64, -1n)) throw new Error(`cannot reserve ${size} bytes of guest RAM`);
    this.hostPtr = ptr;
    const ab = koffi.view(ptr, size);
    this.bytes = new Uint8Array(ab);
    this.view = new DataView(ab);
    this.buffer = Buffer.from(ab);
  }

  /** Unmaps the whole RAM; no view of it may be touched afterwards. */
  free(): void {
    libcCalls.munmap(this.hostPtr, this.size);
  }

  /** Returns a run of frames to the host (they read back as zeros). */
  discard(paddr: number, length: number): void {
    libcCalls.madvise(this.hostPtr + BigInt(paddr), length, MADV_DONTNEED);
  }
}
