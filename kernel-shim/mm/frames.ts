// The physical frame allocator: 4 KiB frames of guest RAM with reference counts, so that
// fork can share frames copy-on-write and shared mappings can share them outright.
import type { PhysicalMemory } from '../../host/physmem.js';
import { PAGE_SIZE } from './constants.js';

export class OutOfFrames extends Error {}

/** Most guest RAM (512 GiB): a page-table entry is frame * 16 + flags in an Int32Array (pagetable.ts). */
export const MAX_GUEST_RAM = 2 ** 27 * PAGE_SIZE;

export class FrameAllocator {
  /** Frame 0 is never handed out: a page-table entry of 0 means "not present". */
  private nextFresh = 1;
  private readonly free: number[] = [];
  /**
   * Frames that held executable code: Unicorn may still hold translations keyed by their
   * physical address, so they are reused only after the translation cache is flushed.
   */
  private quarantine: number[] = [];
  private readonly refs: Int32Array;
  private readonly executable: Uint8Array;
  /** Per frame, the W^X alias state the address spaces keep (see AddressSpace.fill). */
  readonly aliases: Uint8Array;
  readonly frameCount: number;
  inUse = 0;
  /** The last id handed to an address space over these frames (AddressSpace.id). */
  private lastSpaceId = 0;

  constructor(readonly memory: PhysicalMemory) {
    this.frameCount = memory.size / PAGE_SIZE;
    this.refs = new Int32Array(this.frameCount);
    this.executable = new Uint8Array(this.frameCount);
    this.aliases = new Uint8Array(this.frameCount);
  }

  /** A new address space's id: unique among those sharing this memory (one kernel's). */
  newSpaceId(): number {
    return ++this.lastSpaceId;
  }

  /** A zero-filled frame with one reference. */
  alloc(): number {
    const frame = this.tryAlloc();
    if (frame < 0) throw new OutOfFrames('guest RAM exhausted');
    return frame;
  }

  /** alloc, or -1 when guest RAM is exhausted (the huge page pool grows while frames last). */
  tryAlloc(): number {
    let frame: number;
    const reused = this.free.pop();
    if (reused !== undefined) {
      frame = reused;
      this.memory.zero(frame * PAGE_SIZE, PAGE_SIZE);
    } else if (this.nextFresh < this.frameCount) {
      frame = this.nextFresh++;
    } else {
      return -1;
    }
    this.refs[frame] = 1;
    this.aliases[frame] = 0;
    this.inUse++;
    return frame;
  }

  /** A new frame holding a copy of `source` (copy-on-write break). */
  copy(source: number): number {
    const frame = this.alloc();
    this.memory.copy(frame * PAGE_SIZE, source * PAGE_SIZE, PAGE_SIZE);
    return frame;
  }

  ref(frame: number): void {
    this.refs[frame]++;
  }

  refCount(frame: number): number {
    return this.refs[frame];
  }

  unref(frame: number): void {
    if (--this.refs[frame] > 0) return;
    this.inUse--;
    if (this.executable[frame]) this.quarantine.push(frame);
    else this.free.push(frame);
  }

  markExecutable(frame: number): void {
    this.executable[frame] = 1;
  }

  /**
   * Drops Unicorn's translations of one frame (the kernel sets it to its engine's
   * invalidatePhysical). Unicorn notices the guest's own stores into code, not ushim's.
   */
  onCodeWrite: ((paddr: number) => void) | undefined;

  /** ushim (not the guest) changed bytes of `frame`: translations of it are stale if it held code. */
  hostWrote(frame: number): void {
    this.dropTranslations(frame);
  }

  /** Drops Unicorn's translations of `frame` if it ever held code. */
  dropTranslations(frame: number): void {
    if (this.executable[frame]) this.onCodeWrite?.(frame * PAGE_SIZE);
  }

  get quarantined(): number {
    return this.quarantine.length;
  }

  /** Call after every engine's translation cache was flushed. */
  releaseQuarantine(): void {
    for (const f of this.quarantine) {
      this.executable[f] = 0;
      this.free.push(f);
    }
    this.quarantine = [];
  }

  offset(frame: number): number {
    return frame * PAGE_SIZE;
  }
}
