// Physical RAM for the guest: one large host mapping (anonymous, MAP_NORESERVE, so untouched
// frames cost nothing) that every engine maps at physical address 0 with uc_mem_map_ptr.
// The kernel's frame allocator hands out 4 KiB frames of it; JS reads and writes it zero-copy
// (guest stores are visible to JS and vice versa) through views of 2 GiB chunks: a typed
// array, like koffi.view, stops short of 4 GiB, and RAM may be larger. A frame never
// straddles two chunks, so every access within one frame is one view's. A chunk's view is
// made when first needed: each one costs V8 a full GC (external memory pressure), and
// frames are handed out from the bottom, so most guests never need more than the first.
import koffi from 'koffi';
import { libcCalls } from './libc.js';

const PROT_READ_WRITE = 3;
const MAP_PRIVATE_ANONYMOUS_NORESERVE = 0x02 | 0x20 | 0x4000;
const FRAME_BYTES = 4096;

/** Bytes one JS view covers (a power of two, a multiple of the frame size). */
export const CHUNK_BYTES = 2 ** 31;

/** The host would not reserve that much address space (an mmap failure). */
export class GuestRamUnavailable extends Error {}

export class PhysicalMemory {
  readonly hostPtr: bigint;
  /** The views made so far, chunk i covering physical addresses [i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES). */
  private readonly chunks: (Uint8Array | undefined)[] = [];

  constructor(readonly size: number) {
    if (!Number.isSafeInteger(size) || size <= 0 || size % FRAME_BYTES !== 0) throw new RangeError(`bad physical memory size ${size}`);
    const ptr = libcCalls.mmap(null, size, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS_NORESERVE, -1, 0) as bigint;
    if (ptr === BigInt.asUintN(64, -1n)) throw new GuestRamUnavailable(`cannot reserve ${size} bytes of guest RAM on this host`);
    this.hostPtr = ptr;
  }

  /** The view of chunk `index`, made on first use. */
  private view(index: number): Uint8Array {
    return this.chunks[index] ?? this.makeView(index);
  }

  private makeView(index: number): Uint8Array {
    const at = index * CHUNK_BYTES;
    if (!(at >= 0 && at < this.size)) throw new RangeError(`physical address ${at} outside guest RAM`);
    const view = new Uint8Array(koffi.view(this.hostPtr + BigInt(at), Math.min(CHUNK_BYTES, this.size - at)));
    this.chunks[index] = view;
    return view;
  }

  /**
   * A view of `length` bytes at physical address `paddr`, which stay within one frame (or
   * at least one chunk): the zero-copy way in for reads, writes and host I/O.
   */
  bytesAt(paddr: number, length: number): Uint8Array {
    const chunk = Math.floor(paddr / CHUNK_BYTES);
    const at = paddr - chunk * CHUNK_BYTES;
    return this.view(chunk).subarray(at, at + length);
  }

  /** Copies `data` to physical address `paddr` (within one chunk). */
  set(data: Uint8Array, paddr: number): void {
    const chunk = Math.floor(paddr / CHUNK_BYTES);
    this.view(chunk).set(data, paddr - chunk * CHUNK_BYTES);
  }

  /** Zeroes `length` bytes at `paddr` (within one chunk). */
  zero(paddr: number, length: number): void {
    const chunk = Math.floor(paddr / CHUNK_BYTES);
    const at = paddr - chunk * CHUNK_BYTES;
    this.view(chunk).fill(0, at, at + length);
  }

  /** Copies `length` bytes from physical address `from` to `to` (each range within one chunk). */
  copy(to: number, from: number, length: number): void {
    const toChunk = Math.floor(to / CHUNK_BYTES);
    const fromChunk = Math.floor(from / CHUNK_BYTES);
    const fromAt = from - fromChunk * CHUNK_BYTES;
    const target = this.view(toChunk);
    if (toChunk === fromChunk) target.copyWithin(to - toChunk * CHUNK_BYTES, fromAt, fromAt + length);
    else target.set(this.view(fromChunk).subarray(fromAt, fromAt + length), to - toChunk * CHUNK_BYTES);
  }

  /** Unmaps the whole RAM; no view of it may be touched afterwards. */
  free(): void {
    libcCalls.munmap(this.hostPtr, this.size);
  }
}
