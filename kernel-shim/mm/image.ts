// An address space captured and rebuilt (the programmable API's snapshots, emu/api/snapshot.ts):
// its areas, and its pages as bytes or as references to the shared objects that hold them.
import type { Kernel } from '../kernel.js';
import { AddressSpace } from './addrspace.js';
import { type VmArea, sourceOf } from './areas.js';
import { PAGE_SIZE } from './constants.js';
import { PTE_EXEC, makePte, pteFrame } from './pagetable.js';
import type { SharedObject } from './shared.js';

interface PageImage {
  vpn: number;
  /** Low pte bits (permissions, copy-on-write). */
  flags: number;
  /** The page's bytes (private pages, and MAP_SHARED pages to write back). */
  bytes?: Uint8Array;
  /** A page of a shared object (MAP_SHARED memory, or a file's page cache it still shares). */
  object?: SharedObject;
  index?: number;
}

export interface MmImage {
  areas: VmArea[];
  brkStart: number;
  brk: number;
  mmapBase: number;
  minAddr: number;
  pages: PageImage[];
}

/** An area as it was; its userfaultfd registration names the live context until restore re-registers it. */
function copyArea(a: VmArea): VmArea {
  return a.slice(a.start, a.end);
}

export function captureMm(mm: AddressSpace): MmImage {
  const memory = mm.frames.memory;
  const pages: PageImage[] = [];
  mm.pageTable.forEachEntry((vpn, pte) => {
    const va = vpn * PAGE_SIZE;
    const frame = pteFrame(pte);
    const flags = pte - frame * 16;
    const area = mm.areas.find(va);
    const b = area?.backing;
    const index = area === undefined ? 0 : (area.offset + (va - area.start)) / PAGE_SIZE;
    const copy = (): Uint8Array => memory.bytesAt(frame * PAGE_SIZE, PAGE_SIZE).slice();
    if (b?.kind === 'shared') pages.push({ vpn, flags, object: b.object, index, bytes: copy() });
    else if (b?.kind === 'file' && b.cache.has(index) && b.cache.frameAt(index) === frame) pages.push({ vpn, flags, object: b.cache, index });
    else pages.push({ vpn, flags, bytes: copy() });
  });
  return { areas: mm.areas.items.map(copyArea), brkStart: mm.brkStart, brk: mm.brk, mmapBase: mm.mmapBase, minAddr: mm.minAddr, pages };
}

export function buildMm(k: Kernel, image: MmImage): AddressSpace {
  const frames = k.frames;
  const mm = new AddressSpace(frames, k.stats.mm, image.minAddr);
  mm.brkStart = image.brkStart;
  mm.brk = image.brk;
  mm.mmapBase = image.mmapBase;
  for (const a of image.areas) {
    const area = copyArea(a);
    const source = sourceOf(area);
    if (source !== undefined) source.users++;
    mm.areas.append(area);
  }
  const memory = frames.memory;
  for (const p of image.pages) {
    let frame: number;
    if (p.object !== undefined) {
      frame = p.object.frameAt(p.index!);
      if (frame < 0) continue; // a huge page the pool can no longer supply: faulted in (or SIGBUS) on the next access
      frames.ref(frame);
      if (p.bytes !== undefined) {
        memory.set(p.bytes, frame * PAGE_SIZE);
        frames.hostWrote(frame);
      }
    } else {
      frame = frames.alloc();
      memory.set(p.bytes!, frame * PAGE_SIZE);
    }
    if (p.flags & PTE_EXEC) frames.markExecutable(frame);
    mm.pageTable.set(p.vpn, makePte(frame, p.flags));
  }
  mm.changed();
  return mm;
}
