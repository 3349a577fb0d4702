// The programmable API's memory hooks: Unicorn memory hooks over the physical frames behind a
// virtual range of one process, re-resolved when those frames move (copy-on-write, a new
// mapping, a snapshot restore).
import type { InstrumentHooks } from '../../cpu/trace-hooks.js';
import type { Kernel } from '../../kernel-shim/kernel.js';
import type { AddressSpace } from '../../kernel-shim/mm/addrspace.js';
import type { Process } from '../../kernel-shim/process.js';
import { physicalPieces } from './memory.js';
import type { MemoryEvent } from './types.js';

/** Largest single access (SSE): a memory hook's Unicorn range starts this far below the bytes. */
const MAX_ACCESS = 16;

/** User callbacks running now (code and memory hooks), and memory hooks among them. */
export interface CallbackDepth {
  callbacks: number;
  memory: number;
}

interface MemoryHookEntry {
  mm: AddressSpace;
  pid: number;
  kinds: ('read' | 'write')[];
  start: number;
  end: number;
  fn: (e: MemoryEvent) => void;
  /** The physical pieces the hooks cover, as last installed ('' forces a reinstall). */
  layout: string;
  ids: number[];
}

export class MemoryHooks {
  private readonly entries = new Map<number, MemoryHookEntry>();
  private nextId = 1;

  constructor(
    private readonly k: Kernel,
    private readonly hooks: () => InstrumentHooks,
    private readonly depth: CallbackDepth,
  ) {}

  /** Hooks kinds of access to [start, end) of proc's memory; returns the hook's id. */
  add(proc: Process, kinds: ('read' | 'write')[], start: number, end: number, fn: (e: MemoryEvent) => void): number {
    const id = this.nextId++;
    this.entries.set(id, { mm: proc.mm, pid: proc.pid, kinds, start, end, fn, layout: '', ids: [] });
    this.rearm(true);
    return id;
  }

  remove(id: number): void {
    const e = this.entries.get(id);
    if (e === undefined) return;
    this.entries.delete(id);
    const hooks = this.hooks();
    for (const i of e.ids) hooks.remove(i);
    this.k.cpu.flushTlb();
  }

  /** Every frame moved (a restore): hooks are re-resolved before the next run. */
  forgetLayouts(): void {
    for (const e of this.entries.values()) e.layout = '';
  }

  /** (Re)installs memory hooks whose pages moved to other frames (or all, when forced). */
  rearm(force: boolean): void {
    if (this.entries.size === 0) return;
    let changed = false;
    for (const e of this.entries.values()) {
      const proc = this.k.processes.get(e.pid);
      if (proc === undefined || proc.exited) continue;
      e.mm = proc.mm;
      const pieces = physicalPieces(e.mm, e.start, e.end - e.start);
      const layout = pieces.map((p) => `${p.vaddr}:${p.start}`).join(',');
      if (!force && layout === e.layout) continue;
      changed = true;
      e.layout = layout;
      const hooks = this.hooks();
      for (const id of e.ids) hooks.remove(id);
      e.ids = [];
      for (const piece of pieces) {
        for (const kind of e.kinds) {
          e.ids.push(hooks.addMemory(kind, Math.max(0, piece.start - (MAX_ACCESS - 1)), piece.end - 1, (write, paddr, size, value) => {
            if (paddr >= piece.end || paddr + size <= piece.start) return;
            const task = this.k.current;
            if (task === undefined || task.process.mm !== e.mm) return;
            this.depth.memory++;
            this.depth.callbacks++;
            try {
              e.fn({ kind: write ? 'write' : 'read', address: BigInt(piece.vaddr + (paddr - piece.start)), size, value, pid: task.process.pid, tid: task.tid });
            } finally {
              this.depth.memory--;
              this.depth.callbacks--;
            }
          }));
        }
      }
    }
    // Accesses through TLB entries made before a memory hook existed bypass it.
    if (changed) this.k.cpu.flushTlb();
  }
}
