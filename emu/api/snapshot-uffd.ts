// What a snapshot keeps of userfaultfd: each context (its flags and negotiated features;
// parked faults and unread events are not kept: their tasks retry the faulting access or the
// call on restore and report them again), the areas registered with it, each address
// space's write-protect and poison markers, and the kernel's finished event chains.
import type { OpenFile } from '../../kernel-shim/fs/file.js';
import { UffdFile } from '../../kernel-shim/fs/uffd-file.js';
import type { Kernel } from '../../kernel-shim/kernel.js';
import type { AddressSpace } from '../../kernel-shim/mm/addrspace.js';
import type { VmArea } from '../../kernel-shim/mm/areas.js';
import type { UffdCtx } from '../../kernel-shim/uffd/context.js';
import type { UffdMm } from '../../kernel-shim/uffd/markers.js';
import type { UffdState } from '../../kernel-shim/uffd/state.js';

export class UffdImage {
  /** Each context as it was (the live one -> a copy made at the snapshot). */
  private readonly contexts = new Map<UffdCtx, UffdCtx>();
  /** The userfaultfd files open in the guest. */
  private readonly uffdFiles: UffdFile[] = [];
  /** Each address space's markers as they were. */
  private readonly markers = new Map<AddressSpace, UffdMm>();
  private readonly kernelState: UffdState;

  /** Saves the state of the files open in the guest and of its address spaces. */
  constructor(k: Kernel, files: Iterable<OpenFile>, mms: Iterable<AddressSpace>) {
    for (const file of files) {
      if (file instanceof UffdFile) {
        this.uffdFiles.push(file);
        this.saveContext(file.ctx);
      }
    }
    for (const mm of mms) {
      if (mm.uffd !== undefined) this.markers.set(mm, mm.uffd.copyFor(mm));
      for (const area of mm.areas.items) if (area.uffd !== undefined) this.saveContext(area.uffd);
    }
    this.kernelState = k.uffd.copy((t) => t);
  }

  private saveContext(ctx: UffdCtx): void {
    if (!this.contexts.has(ctx)) this.contexts.set(ctx, ctx.copyFor(ctx.owner, ctx.mm));
  }

  /**
   * Puts the state back into a restored guest. `rebuilt` maps each address space of the
   * snapshot to the one restore built for it (areas still naming the snapshot's contexts).
   * Returns the userfaultfd files to install in place of the snapshot's, each with a fresh
   * context for the rebuilt address space.
   */
  restore(k: Kernel, rebuilt: Map<AddressSpace, AddressSpace>): Map<OpenFile, OpenFile> {
    const restored = new Map<UffdCtx, UffdCtx>();
    for (const [live, saved] of this.contexts) restored.set(live, saved.copyFor(saved.owner, rebuilt.get(saved.mm) ?? saved.mm));
    for (const [old, mm] of rebuilt) {
      mm.uffd = this.markers.get(old)?.copyFor(mm);
      for (const area of mm.areas.items) reregister(area, restored);
    }
    k.uffd.chains.clear();
    k.uffd.approved.clear();
    const state = this.kernelState.copy((t) => t);
    for (const [t, chain] of state.chains) k.uffd.chains.set(t, chain);
    for (const [t, key] of state.approved) k.uffd.approved.set(t, key);
    return new Map(this.uffdFiles.map((file) => [file, new UffdFile(restored.get(file.ctx)!)]));
  }
}

/** An area registered with a snapshot's context is registered with its restored copy. */
function reregister(area: VmArea, restored: Map<UffdCtx, UffdCtx>): void {
  if (area.uffd === undefined) return;
  area.uffd = restored.get(area.uffd);
  if (area.uffd === undefined) area.uffdModes = 0;
}
