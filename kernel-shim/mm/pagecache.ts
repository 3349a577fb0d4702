// The page cache of host files (one per Vfs, so per Kernel): the SharedObject holding a
// file's pages, by file identity. Shared mappings of a file share its pages, and file I/O
// consults the cache so that read() sees stores through a mapping and a mapping sees write().
import { type BigIntStats, fstatSync } from 'node:fs';
import { devMajor, devMinor } from '../abi/statx.js';
import type { MappedFile } from './areas.js';
import type { FrameAllocator } from './frames.js';
import { SharedObject } from './shared.js';

export function fileKey(major: number, minor: number, ino: bigint): string {
  return `${major}:${minor}:${ino}`;
}

export class PageCache {
  /** By fileKey: the newest object of each file, and the file's size and mtime when it was made. */
  private readonly files = new Map<string, { object: SharedObject; version: string }>();

  /**
   * The object caching a host file's pages: kept while the file is unchanged (size and mtime)
   * or still mapped, replaced by a fresh one otherwise.
   */
  objectFor(frames: FrameAllocator, file: MappedFile): SharedObject {
    const key = fileKey(file.devMajor, file.devMinor, file.ino);
    const st = fstatSync(file.hostFd, { bigint: true });
    const version = `${st.size}:${st.mtimeNs}`;
    const cached = this.files.get(key);
    if (cached !== undefined && (cached.object.users > 0 || cached.version === version)) return cached.object;
    const object = new SharedObject(frames, file);
    this.files.set(key, { object, version });
    return object;
  }

  /** The cached pages of a host file (by fileKey), if it was ever mapped. */
  lookup(key: string): SharedObject | undefined {
    return this.files.get(key)?.object;
  }

  /** True when no host file was ever mapped (file I/O can skip the lookup). */
  get empty(): boolean {
    return this.files.size === 0;
  }

  /** A host file (stat taken before) was truncated to `size`: mappings lose the pages past it. */
  truncated(before: BigIntStats, size: number): void {
    if (BigInt(size) >= before.size || this.empty) return;
    this.lookup(fileKey(devMajor(before.dev), devMinor(before.dev), before.ino))?.shrink(size);
  }

  /** Forgets every file (the kernel is closing: the frames are about to go). */
  clear(): void {
    this.files.clear();
  }
}
