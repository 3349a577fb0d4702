// A per-address-space page table kept in JS: virtual page number -> page-table entry.
// Entries are small integers: frame * 16 + flags, 0 meaning not present. Leaves cover 2 MiB
// (512 pages) so that lookups are one Map access and one typed-array access. The permission
// bits are the CPU port's PAGE_* bits, so a TLB answer is the frame's address plus them.
import { PAGE_EXEC, PAGE_READ, PAGE_WRITE } from '../cpu-port.js';

export const PTE_READ = PAGE_READ;
export const PTE_WRITE = PAGE_WRITE;
export const PTE_EXEC = PAGE_EXEC;
/** Shared with another mapping (fork): writable only after a private copy is made. */
export const PTE_COW = 8;
export const PTE_PERMS = 7;

const LEAF_PAGES = 512;

export function pteFrame(pte: number): number {
  return Math.floor(pte / 16);
}

export function makePte(frame: number, flags: number): number {
  return frame * 16 + flags;
}

export class PageTable {
  private readonly leaves = new Map<number, Int32Array>();
  private lastLeafIndex = -1;
  private lastLeaf: Int32Array | undefined;

  get(vpn: number): number {
    const index = Math.floor(vpn / LEAF_PAGES);
    const leaf = index === this.lastLeafIndex ? this.lastLeaf : this.leaf(index, false);
    return leaf === undefined ? 0 : leaf[vpn - index * LEAF_PAGES];
  }

  set(vpn: number, pte: number): void {
    const index = Math.floor(vpn / LEAF_PAGES);
    const leaf = index === this.lastLeafIndex && this.lastLeaf !== undefined ? this.lastLeaf : this.leaf(index, true)!;
    leaf[vpn - index * LEAF_PAGES] = pte;
  }

  private leaf(index: number, create: boolean): Int32Array | undefined {
    let leaf = this.leaves.get(index);
    if (leaf === undefined && create) {
      leaf = new Int32Array(LEAF_PAGES);
      this.leaves.set(index, leaf);
    }
    this.lastLeafIndex = index;
    this.lastLeaf = leaf;
    return leaf;
  }

  /** Calls fn for every present entry with startVpn <= vpn < endVpn, in ascending order. */
  forEachPresent(startVpn: number, endVpn: number, fn: (vpn: number, pte: number) => void): void {
    if ((endVpn - startVpn) / LEAF_PAGES > this.leaves.size) {
      // Sparse table, huge range: visit the leaves that exist instead of every index.
      const indexes = [...this.leaves.keys()].sort((a, b) => a - b);
      for (const index of indexes) {
        const lo = Math.max(startVpn, index * LEAF_PAGES);
        const hi = Math.min(endVpn, (index + 1) * LEAF_PAGES);
        if (lo < hi) this.forEachPresent(lo, hi, fn);
      }
      return;
    }
    let vpn = startVpn;
    while (vpn < endVpn) {
      const index = Math.floor(vpn / LEAF_PAGES);
      const leafEnd = Math.min(endVpn, (index + 1) * LEAF_PAGES);
      const leaf = this.leaves.get(index);
      if (leaf !== undefined) {
        for (let v = vpn; v < leafEnd; v++) {
          const pte = leaf[v - index * LEAF_PAGES];
          if (pte !== 0) fn(v, pte);
        }
      }
      vpn = leafEnd;
    }
  }

  /** Every present entry, for fork. */
  forEachEntry(fn: (vpn: number, pte: number) => void): void {
    for (const [index, leaf] of this.leaves) {
      for (let i = 0; i < LEAF_PAGES; i++) if (leaf[i] !== 0) fn(index * LEAF_PAGES + i, leaf[i]);
    }
  }
}
