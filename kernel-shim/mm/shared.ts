// Memory that several mappings see at once: MAP_SHARED anonymous memory, shared file
// mappings (written back to the host file) and memfd. Frames belong to the object; each
// page-table entry that maps one holds its own reference.
import { fstatSync, readSync, writeSync } from 'node:fs';
import type { MappedFile } from './areas.js';
import { PAGE_SIZE } from './constants.js';
import type { FrameAllocator } from './frames.js';

/** An address space that may hold page-table entries of an object's pages. */
export interface ObjectMapper {
  readonly id: number;
  /** Drops its entries of pages `first` and later of `object` (the file shrank). */
  dropObjectPages(object: SharedObject, first: number): void;
}

export class SharedObject {
  protected readonly pages = new Map<number, number>();
  /** Mappings (areas, across address spaces) that refer to this object. */
  users = 0;
  /** Address spaces that mapped a page of it, for truncation (weak: exited ones just go). */
  private readonly mappers = new Map<number, WeakRef<ObjectMapper>>();

  /**
   * file: the file whose pages these are (with hostFd -1 for memfd); none for anonymous memory.
   * size: the length of a file that is not a host file (memfd), past which accesses fault.
   */
  constructor(
    protected readonly frames: FrameAllocator,
    readonly file?: MappedFile,
    private readonly size?: () => number,
  ) {}

  /** Whether the pages are huge pages of the hugetlb pool (hugetlb.ts), mapped and faulted 2 MiB at a time. */
  get hugetlb(): boolean {
    return false;
  }

  /** The frame holding page `index`, created (zeroed or read from the file) on first use. */
  frameAt(index: number): number {
    let frame = this.pages.get(index);
    if (frame === undefined) {
      frame = this.frames.alloc();
      if (this.file !== undefined && this.file.hostFd >= 0) {
        readInto(this.frames, frame, this.file.hostFd, index * PAGE_SIZE);
      }
      this.pages.set(index, frame);
    }
    return frame;
  }

  /**
   * frameAt for a page fault: -1 when page `index` lies wholly past the end of the host
   * file (SIGBUS, as Linux raises for such an access).
   */
  frameForFault(index: number, mapper: ObjectMapper): number {
    if (!this.mappers.has(mapper.id)) this.mappers.set(mapper.id, new WeakRef(mapper));
    if (!this.pages.has(index) && this.beyondEof(index)) return -1;
    return this.frameAt(index);
  }

  /** Whether page `index` is not resident and starts at or past the end of the file. */
  beyondEof(index: number): boolean {
    if (this.pages.has(index) || this.file === undefined) return false;
    const size = this.size?.() ?? (this.file.hostFd >= 0 ? fileSize(this.file.hostFd) : Infinity);
    return index * PAGE_SIZE >= size;
  }

  /**
   * The file is now `size` bytes long: the tail of its last page reads as zeros, and pages
   * past it leave the cache and every mapping, so the next access raises SIGBUS (truncation
   * unmaps even private copies, as Linux's truncate_pagecache does).
   */
  shrink(size: number): void {
    const first = Math.ceil(size / PAGE_SIZE);
    if (size % PAGE_SIZE !== 0) this.zeroFrom(size);
    for (const [id, ref] of this.mappers) {
      const mapper = ref.deref();
      if (mapper === undefined) this.mappers.delete(id);
      else mapper.dropObjectPages(this, first);
    }
    this.discard(first, Number.MAX_SAFE_INTEGER);
  }

  /** userfaultfd: whether page `index` is resident (MINOR vs MISSING faults). */
  has(index: number): boolean {
    return this.pages.has(index);
  }

  /** userfaultfd: makes `frame` (one reference, handed over) page `index` (UFFDIO_COPY/ZEROPAGE). */
  install(index: number, frame: number): void {
    this.pages.set(index, frame);
  }

  /** Reads [pos, pos + buf.length) of an object that is the file itself (memfd). */
  load(buf: Uint8Array, pos: number): void {
    buf.fill(0);
    this.overlay(buf, pos);
  }

  /** Writes data at pos of an object that is the file itself (memfd), creating its pages. */
  store(data: Uint8Array, pos: number): void {
    for (let page = Math.floor(pos / PAGE_SIZE); page * PAGE_SIZE < pos + data.length; page++) this.frameAt(page);
    this.absorb(data, pos);
  }

  /** Zeroes [pos, end of its page) if resident: the tail of a file truncated there. */
  zeroFrom(pos: number): void {
    const frame = this.pages.get(Math.floor(pos / PAGE_SIZE));
    if (frame !== undefined) this.frames.memory.zero(frame * PAGE_SIZE + (pos % PAGE_SIZE), PAGE_SIZE - (pos % PAGE_SIZE));
    if (frame !== undefined) this.frames.hostWrote(frame); // translations of old code (wx.ts)
  }

  /**
   * Zeroes [pos, end) where it is resident (a punched hole of a memfd): pages never touched
   * read as zeros already, so the work is bounded by what is resident, not by the range.
   */
  zeroRange(pos: number, end: number): void {
    for (const [index, frame] of this.pages) {
      const from = Math.max(pos, index * PAGE_SIZE);
      const to = Math.min(end, (index + 1) * PAGE_SIZE);
      if (from >= to) continue;
      this.frames.memory.zero(frame * PAGE_SIZE + (from - index * PAGE_SIZE), to - from);
      this.frames.hostWrote(frame); // translations of old code (wx.ts)
    }
  }

  /** Resident pages (st_blocks of a memfd). */
  get residentPages(): number {
    return this.pages.size;
  }

  /** Copies the resident bytes of [pos, pos + buf.length) over buf (a read sees mapped stores). */
  overlay(buf: Uint8Array, pos: number): void {
    this.eachResident(pos, buf.length, (phys, n, done) => buf.set(this.frames.memory.bytesAt(phys, n), done));
  }

  /** Copies data written at pos into the resident pages it covers (a mapping sees write()). */
  absorb(data: Uint8Array, pos: number): void {
    this.eachResident(pos, data.length, (phys, n, done) => {
      this.frames.memory.set(data.subarray(done, done + n), phys);
      this.frames.hostWrote(Math.floor(phys / PAGE_SIZE)); // a write() over mapped code: drop its translations
    });
  }

  private eachResident(pos: number, length: number, fn: (phys: number, n: number, done: number) => void): void {
    let done = 0;
    while (done < length) {
      const at = pos + done;
      const within = at % PAGE_SIZE;
      const n = Math.min(length - done, PAGE_SIZE - within);
      const frame = this.pages.get((at - within) / PAGE_SIZE);
      if (frame !== undefined) fn(frame * PAGE_SIZE + within, n, done);
      done += n;
    }
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
    if (this.file === undefined || this.file.hostFd < 0) return;
    const memory = this.frames.memory;
    const size = fileSize(this.file.hostFd);
    for (const [index, frame] of this.pages) {
      const pos = index * PAGE_SIZE;
      if (pos >= size) continue;
      const n = Math.min(PAGE_SIZE, size - pos);
      try {
        writeSync(this.file.hostFd, memory.bytesAt(frame * PAGE_SIZE, n), 0, n, pos);
      } catch {
        // The file may have been opened read-only for a read-only shared mapping.
      }
    }
  }

  /**
   * The last mapping is gone. A file's pages stay as its page cache (the next exec or mmap
   * of the same unchanged file reuses them, and Unicorn's translations of them); anonymous
   * shared memory and memfd pages (whose file holds a use of its own) are freed.
   */
  release(): void {
    if (--this.users > 0) return;
    this.writeBack();
    // Memory with no host file behind it (anonymous, memfd) has nowhere else to live.
    if (this.file === undefined || this.file.hostFd < 0) this.discard(0, Number.MAX_SAFE_INTEGER);
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
      n = readSync(hostFd, frames.memory.bytesAt(frame * PAGE_SIZE + done, PAGE_SIZE - done), 0, PAGE_SIZE - done, pos + done);
    } catch {
      return;
    }
    if (n <= 0) return;
    done += n;
  }
}
