// Virtual memory areas: the address space as Linux describes it in /proc/self/maps.
// An area is a page-aligned range with one protection, one kind of backing and one name.
import { MAP_GROWSDOWN, MAP_SHARED, MAP_TYPE, PROT_EXEC, PROT_READ, PROT_WRITE } from './constants.js';
import type { SharedObject } from './shared.js';
import type { UffdCtx } from '../uffd/context.js';
import { type MemPolicy, samePolicy } from './mempolicy.js';

/**
 * A file that backs a mapping, identified for /proc/self/maps. Its pages are read at fault
 * time from the host file at hostFd; -1 for a file that exists only in guest RAM (memfd).
 */
export interface MappedFile {
  readonly hostFd: number;
  readonly path: string;
  readonly devMajor: number;
  readonly devMinor: number;
  readonly ino: bigint;
}

export type Backing =
  | { readonly kind: 'anon' }
  /** Private file mapping: pages come from the file's page cache, copied on first write. */
  | { readonly kind: 'file'; readonly file: MappedFile; readonly cache: SharedObject }
  | { readonly kind: 'shared'; readonly object: SharedObject };

/** What makes a special mapping special (see VmArea.special). */
export interface SpecialMapping {
  /** For /proc and diagnostics, e.g. 'trampfd-v1'. */
  readonly kind: string;
  /** VM_DONTCOPY: a forked child gets a hole here. */
  readonly dontCopy: boolean;
  /** mprotect may not add these PROT_* bits (the VM_MAY* bits the driver cleared): EACCES. */
  readonly denyProt: number;
}

export class VmArea {
  constructor(
    public start: number,
    public end: number,
    public prot: number,
    /** MAP_SHARED/MAP_PRIVATE plus MAP_GROWSDOWN and friends, as given to mmap. */
    public flags: number,
    public backing: Backing,
    /** Offset in the file or shared object of `start`, in bytes. */
    public offset: number,
    public name?: string,
    /** False for a shared mapping of a file opened read-only: mprotect may never add PROT_WRITE. */
    public mayWrite = true,
  ) {}

  /**
   * A mapping with rules of its own (trampfd: kernel-shim/trampfd/). Such an area never
   * merges with a neighbour; the fields say what else differs.
   */
  special?: SpecialMapping;
  /** --wx=strict only (kernel-shim/mm/wx.ts): this private memory was writable at some point. */
  everWritable = false;
  /** userfaultfd (kernel-shim/uffd/): the context this area is registered with... */
  uffd: UffdCtx | undefined = undefined;
  /** ...and its UFFDIO_REGISTER_MODE_* bits (VM_UFFD_MISSING/WP/MINOR). */
  uffdModes = 0;
  /** mbind's NUMA policy (mempolicy.ts); undefined: the task's. */
  policy: MemPolicy | undefined = undefined;
  /** mseal (VM_SEALED): the area can no longer be unmapped, moved, reprotected or discarded. */
  sealed = false;

  get shared(): boolean {
    return (this.flags & MAP_TYPE) === MAP_SHARED || (this.flags & MAP_TYPE) === 3;
  }

  /** Backed by huge pages (MAP_HUGETLB, a hugetlb memfd): 2 MiB faults, splits and alignment. */
  get hugetlb(): boolean {
    const b = this.backing;
    return b.kind === 'shared' ? b.object.hugetlb : b.kind === 'file' && b.cache.hugetlb;
  }

  get growsDown(): boolean {
    return (this.flags & MAP_GROWSDOWN) !== 0;
  }

  /** The part [start, end) of this area, with the file offset adjusted. */
  slice(start: number, end: number): VmArea {
    const part = new VmArea(start, end, this.prot, this.flags, this.backing, this.offset + (start - this.start), this.name, this.mayWrite);
    part.special = this.special;
    part.everWritable = this.everWritable;
    part.uffd = this.uffd; // userfaultfd registration splits with the area
    part.uffdModes = this.uffdModes;
    part.policy = this.policy;
    part.sealed = this.sealed;
    return part;
  }

  /** True when `next` starts where this ends and could be one area (Linux merges such VMAs). */
  canMerge(next: VmArea): boolean {
    if (this.end !== next.start || this.prot !== next.prot || this.flags !== next.flags) return false;
    if (this.name !== next.name || this.mayWrite !== next.mayWrite) return false;
    if (this.special !== undefined || next.special !== undefined || this.everWritable !== next.everWritable) return false;
    if (this.uffd !== next.uffd || this.uffdModes !== next.uffdModes) return false; // userfaultfd registration
    if (!samePolicy(this.policy, next.policy) || this.sealed !== next.sealed) return false;
    if (this.backing.kind !== next.backing.kind) return false;
    if (this.backing.kind === 'anon') return true;
    const sameSource = this.backing.kind === 'file'
      ? this.backing.file === (next.backing as { file: MappedFile }).file
      : this.backing.object === (next.backing as { object: SharedObject }).object;
    return sameSource && this.offset + (this.end - this.start) === next.offset;
  }

  /** One line of /proc/<pid>/maps, in Linux's exact format. */
  mapsLine(): string {
    const perms = (this.prot & PROT_READ ? 'r' : '-') + (this.prot & PROT_WRITE ? 'w' : '-') +
      (this.prot & PROT_EXEC ? 'x' : '-') + (this.shared ? 's' : 'p');
    let dev = '00:00';
    let ino = '0';
    let name = this.name;
    const file = this.backing.kind === 'file' ? this.backing.file : this.backing.kind === 'shared' ? this.backing.object.file : undefined;
    if (file !== undefined) {
      dev = `${hex2(file.devMajor)}:${hex2(file.devMinor)}`;
      ino = file.ino.toString();
      name ??= file.path;
    }
    const offset = this.backing.kind === 'anon' ? 0 : this.offset;
    const head = `${hex8(this.start)}-${hex8(this.end)} ${perms} ${hex8(offset)} ${dev} ${ino} `;
    return name === undefined ? head : head.padEnd(73, ' ') + name;
  }
}

/** The page cache or shared memory an area takes its pages from (anonymous private: none). */
export function sourceOf(area: VmArea): SharedObject | undefined {
  const b = area.backing;
  return b.kind === 'shared' ? b.object : b.kind === 'file' ? b.cache : undefined;
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** Most areas one chunk holds: an insertion or a removal moves at most this many entries. */
const CHUNK = 256;

/** Where an area sits: chunk c, index i (c === the number of chunks: past the last area). */
interface Pos {
  c: number;
  i: number;
}

/**
 * The sorted, non-overlapping list of areas of one address space, kept in chunks so that
 * mapping and unmapping stay cheap with many thousands of areas (a flat array moved every
 * later entry on each insertion). Every area that refers to a SharedObject (shared memory or
 * a file's page cache) counts as one of its users: splitting adds one, merging removes one.
 */
export class AreaList {
  /** The areas in address order; no chunk is empty. */
  private readonly chunks: VmArea[][] = [];
  private count = 0;
  /** `items`, built on demand and dropped at every change. */
  private flat: VmArea[] | undefined;
  /**
   * Where the last top-down search below `below` found room (the top of the range it chose)
   * and the largest hole it passed above that: a later search for more than `hole` bytes can
   * start at `top` (Linux's old free_area_cache and cached_hole_size), so that one mapping
   * after another does not walk every area again. Removing anything above `top` forgets it.
   */
  private freeCache: { below: number; top: number; hole: number } | undefined;

  /** How many areas there are (Linux's map_count). */
  get length(): number {
    return this.count;
  }

  /** Every area in address order: a snapshot of the list, valid until its next change. */
  get items(): readonly VmArea[] {
    this.flat ??= this.chunks.flat();
    return this.flat;
  }

  /** Adds an area above every other one (copying an address space in order). */
  append(area: VmArea): void {
    const last = this.chunks[this.chunks.length - 1];
    this.insertAt(last === undefined ? { c: 0, i: 0 } : { c: this.chunks.length - 1, i: last.length }, area);
  }

  /** The position of the first area whose end is above addr. */
  private locate(addr: number): Pos {
    const chunks = this.chunks;
    let lo = 0;
    let hi = chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = chunks[mid];
      if (chunk[chunk.length - 1].end <= addr) lo = mid + 1;
      else hi = mid;
    }
    if (lo === chunks.length) return { c: lo, i: 0 };
    const chunk = chunks[lo];
    let i = 0;
    let top = chunk.length;
    while (i < top) {
      const mid = (i + top) >>> 1;
      if (chunk[mid].end <= addr) i = mid + 1;
      else top = mid;
    }
    return { c: lo, i };
  }

  private at(p: Pos | undefined): VmArea | undefined {
    return p === undefined ? undefined : this.chunks[p.c]?.[p.i];
  }

  private after(p: Pos): Pos {
    return p.i + 1 < this.chunks[p.c].length ? { c: p.c, i: p.i + 1 } : { c: p.c + 1, i: 0 };
  }

  private before(p: Pos): Pos | undefined {
    if (p.i > 0) return { c: p.c, i: p.i - 1 };
    if (p.c === 0) return undefined;
    return { c: p.c - 1, i: this.chunks[p.c - 1].length - 1 };
  }

  /** Puts an area at p (a position past the last area appends). */
  private insertAt(p: Pos, area: VmArea): void {
    if (this.chunks.length === 0) this.chunks.push([]);
    const c = Math.min(p.c, this.chunks.length - 1);
    const chunk = this.chunks[c];
    chunk.splice(c === p.c ? p.i : chunk.length, 0, area);
    this.grown(c, 1);
  }

  /** Chunk c has n more areas: one that grew too large becomes two. */
  private grown(c: number, n: number): void {
    const chunk = this.chunks[c];
    if (chunk.length > CHUNK) this.chunks.splice(c, 1, chunk.slice(0, chunk.length >>> 1), chunk.slice(chunk.length >>> 1));
    this.count += n;
    this.flat = undefined;
  }

  /** Removes n areas from p on, all in p's chunk, and returns them. */
  private removeAt(p: Pos, n: number): VmArea[] {
    const chunk = this.chunks[p.c];
    const removed = chunk.splice(p.i, n);
    if (chunk.length === 0) this.chunks.splice(p.c, 1);
    this.count -= removed.length;
    this.flat = undefined;
    return removed;
  }

  find(addr: number): VmArea | undefined {
    const a = this.at(this.locate(addr));
    return a !== undefined && a.start <= addr ? a : undefined;
  }

  /** The first area that starts at or above addr. */
  next(addr: number): VmArea | undefined {
    const p = this.locate(addr);
    const a = this.at(p);
    if (a === undefined) return undefined;
    return a.start >= addr ? a : this.at(this.after(p));
  }

  /** The last area that ends at or below addr. */
  previous(addr: number): VmArea | undefined {
    return this.at(this.before(this.locate(addr)));
  }

  overlapping(start: number, end: number): VmArea[] {
    const out: VmArea[] = [];
    for (let p = this.locate(start), a = this.at(p); a !== undefined && a.start < end; p = this.after(p), a = this.at(p)) out.push(a);
    return out;
  }

  isFree(start: number, end: number): boolean {
    const a = this.at(this.locate(start));
    return a === undefined || a.start >= end;
  }

  /** True when every page of [start, end) belongs to some area. */
  covers(start: number, end: number): boolean {
    let at = start;
    for (const a of this.overlapping(start, end)) {
      if (a.start > at) return false;
      at = a.end;
    }
    return at >= end;
  }

  insert(area: VmArea): void {
    this.insertAt(this.locate(area.start), area);
  }

  /** Makes addr an area boundary, splitting the area that straddles it. */
  splitAt(addr: number): void {
    const p = this.locate(addr);
    const a = this.at(p);
    if (a === undefined || a.start >= addr) return;
    const source = sourceOf(a);
    if (source !== undefined) source.users++;
    this.chunks[p.c].splice(p.i, 1, a.slice(a.start, addr), a.slice(addr, a.end));
    this.grown(p.c, 1);
  }

  /**
   * The highest address at which `length` bytes fit below `below` and at or above `floor`
   * (mmap's top-down search), or undefined.
   */
  findFreeTopDown(length: number, below: number, floor: number): number | undefined {
    const cache = this.freeCache;
    const cached = cache !== undefined && cache.below === below && length > cache.hole;
    let top = cached ? cache.top : below;
    let hole = cached ? cache.hole : 0;
    let p: Pos | undefined = this.locate(top);
    const first = this.at(p);
    if (first === undefined || first.start >= top) p = this.before(p);
    for (;;) {
      const a = this.at(p);
      const gapStart = a === undefined ? floor : Math.max(a.end, floor);
      if (top - gapStart >= length) {
        this.freeCache = { below, top, hole };
        return top - length;
      }
      if (a === undefined || a.end <= floor) return undefined;
      hole = Math.max(hole, top - gapStart);
      top = Math.min(top, a.start);
      p = this.before(p!);
    }
  }

  /** Removes [start, end) from the list and returns the removed pieces. */
  carve(start: number, end: number): VmArea[] {
    if (this.freeCache !== undefined && end > this.freeCache.top) this.freeCache = undefined;
    this.splitAt(start);
    this.splitAt(end);
    const removed: VmArea[] = [];
    for (;;) {
      const p = this.locate(start);
      const chunk = this.chunks[p.c];
      if (chunk === undefined || chunk[p.i].start >= end) return removed;
      let n = 0;
      while (p.i + n < chunk.length && chunk[p.i + n].start < end) n++;
      removed.push(...this.removeAt(p, n));
    }
  }

  /** Merges mergeable neighbours around [start, end). */
  mergeAround(start: number, end: number): void {
    let p = this.locate(start);
    p = this.before(p) ?? p;
    for (let a = this.at(p); a !== undefined && a.start <= end; a = this.at(p)) {
      const q = this.after(p);
      const b = this.at(q);
      if (b === undefined) return;
      if (a.canMerge(b)) {
        const source = sourceOf(b);
        if (source !== undefined) source.users--;
        a.end = b.end;
        this.removeAt(q, 1);
      } else {
        p = q;
      }
    }
  }
}
