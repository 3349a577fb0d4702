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

/**
 * The sorted, non-overlapping list of areas of one address space. Every area that refers to
 * a SharedObject (shared memory or a file's page cache) counts as one of its users:
 * splitting adds one, merging removes one.
 */
export class AreaList {
  readonly items: VmArea[] = [];

  /** Index of the first area whose end is above addr. */
  private lowerBound(addr: number): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.items[mid].end <= addr) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  find(addr: number): VmArea | undefined {
    const a = this.items[this.lowerBound(addr)];
    return a !== undefined && a.start <= addr ? a : undefined;
  }

  /** The first area that starts at or above addr. */
  next(addr: number): VmArea | undefined {
    const i = this.lowerBound(addr);
    const a = this.items[i];
    if (a === undefined) return undefined;
    return a.start >= addr ? a : this.items[i + 1];
  }

  /** The last area that ends at or below addr. */
  previous(addr: number): VmArea | undefined {
    const i = this.lowerBound(addr);
    const a = this.items[i];
    if (a !== undefined && a.end <= addr) return a;
    return this.items[i - 1];
  }

  overlapping(start: number, end: number): VmArea[] {
    const out: VmArea[] = [];
    for (let i = this.lowerBound(start); i < this.items.length && this.items[i].start < end; i++) out.push(this.items[i]);
    return out;
  }

  isFree(start: number, end: number): boolean {
    const a = this.items[this.lowerBound(start)];
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
    this.items.splice(this.lowerBound(area.start), 0, area);
  }

  /** Makes addr an area boundary, splitting the area that straddles it. */
  splitAt(addr: number): void {
    const i = this.lowerBound(addr);
    const a = this.items[i];
    if (a === undefined || a.start >= addr) return;
    const source = sourceOf(a);
    if (source !== undefined) source.users++;
    this.items.splice(i, 1, a.slice(a.start, addr), a.slice(addr, a.end));
  }

  /** Removes [start, end) from the list and returns the removed pieces. */
  carve(start: number, end: number): VmArea[] {
    this.splitAt(start);
    this.splitAt(end);
    const i = this.lowerBound(start);
    let j = i;
    while (j < this.items.length && this.items[j].start < end) j++;
    return this.items.splice(i, j - i);
  }

  /** Merges mergeable neighbours around [start, end). */
  mergeAround(start: number, end: number): void {
    let i = Math.max(0, this.lowerBound(start) - 1);
    while (i + 1 < this.items.length && this.items[i].start <= end) {
      const a = this.items[i];
      const b = this.items[i + 1];
      if (a.canMerge(b)) {
        const source = sourceOf(b);
        if (source !== undefined) source.users--;
        a.end = b.end;
        this.items.splice(i + 1, 1);
      } else {
        i++;
      }
    }
  }
}
