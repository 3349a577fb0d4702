// Memory that several mappings see at once: MAP_SHARED anonymous memory, shared file
// mappings (written back to the host file) and memfd. Frames belong to the object; each
// page-table entry that maps one holds its own reference.
import { fstatSync, readSync, writeSync } from 'node:fs';
import type { MappedFile } from './areas.js';
import { PAGE_SIZE } from './constants.js';
import type { FrameAllocator } from './frames.js';

export class SharedObject {
  private readonly pages = new Map<number, number>();
  /** Mappings (areas, across address spaces) that refer to this object. */
  users = 0;

  constructor(
    private readonly frames: FrameAllocator,
    readonly file?: MappedFile,
  ) {}

  /** The frame holding page `index`, created (zeroed or read from the file) on first use. */
  frameAt(index: number): number {
    let frame = this.pages.get(index);
    if (frame === undefined) {
      frame = this.frames.alloc();
      if (this.file !== undefined) {
        readInto(this.frames, frame, this.file.hostFd, index * PAGE_SIZE);
      }
      this.pages.set(index, frame);
    }
    return frame;
  }

  /** Drops pages [first, last) (MADV_REMOVE, truncation): the next access sees fresh contents. */
  discard(first: number, last: number): void {
    for (const [index, frame] of this.pages) {
      if (index >= first && index < last) {
        this.pages.delete(index);
        this.frames.unref(frame);
      }
    }
  }

  /** Writes resident pages of a file-backed object back to the file (msync, munmap, exit). */
  writeBack(): void {
    if (this.file === undefined) return;
    const memory = this.frames.memory;
    const size = fileSize(this.file.hostFd);
    for (const [index, frame] of this.pages) {
      const pos = index * PAGE_SIZE;
      if (pos >= size) continue;
      const n = Math.min(PAGE_SIZE, size - pos);
      try {
        writeSync(this.file.hostFd, memory.bytes, frame * PAGE_SIZE, n, pos);
      } catch {
        // The file may have been opened read-only for a read-only shared mapping.
      }
    }
  }

  /**
   * The last mapping is gone. A file's pages stay as its page cache (the next exec or mmap
   * of the same unchanged file reuses them, and Unicorn's translations of them); anonymous
   * shared memory is freed.
   */
  release(): void {
    if (--this.users > 0) return;
    this.writeBack();
    if (this.file === undefined) this.discard(0, Number.MAX_SAFE_INTEGER);
  }
}

function fileSize(fd: number): number {
  try {
    return fstatSync(fd).size;
  } catch {
    return 0;
  }
}

/** Fills a frame from a host file at pos; bytes past the end of the file stay zero. */
export function readInto(frames: FrameAllocator, frame: number, hostFd: number, pos: number): void {
  let done = 0;
  while (done < PAGE_SIZE) {
    let n: number;
    try {
      n = readSync(hostFd, frames.memory.bytes, frame * PAGE_SIZE + done, PAGE_SIZE - done, pos + done);
    } catch {
      return;
    }
    if (n <= 0) return;
    done += n;
  }
}
