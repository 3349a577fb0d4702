// What a snapshot keeps of trampfd: each trampfd file's contexts (registers, stack data,
// allowed PCs) and file position, whether the file is open in the guest or only mapped.
import type { OpenFile } from '../../kernel-shim/fs/file.js';
import type { AddressSpace } from '../../kernel-shim/mm/addrspace.js';
import { TrampfdFile } from '../../kernel-shim/trampfd/file.js';
import type { TrampfdMapping } from '../../kernel-shim/trampfd/map.js';

export class TrampfdImage {
  /** Each live trampfd file -> a copy of its state made at the snapshot. */
  private readonly saved = new Map<TrampfdFile, TrampfdFile>();

  constructor(files: Iterable<OpenFile>, mms: Iterable<AddressSpace>) {
    for (const file of files) if (file instanceof TrampfdFile) this.saved.set(file, file.clone());
    for (const mm of mms) {
      for (const area of mm.areas.items) {
        const mapped = (area.special as TrampfdMapping | undefined)?.file;
        if (mapped instanceof TrampfdFile && !this.saved.has(mapped)) this.saved.set(mapped, mapped.clone());
      }
    }
  }

  /** Puts every file's state back (a fresh copy each time: a snapshot restores more than once). */
  restore(): void {
    for (const [file, saved] of this.saved) file.assign(saved.clone());
  }
}
