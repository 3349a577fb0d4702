// Directories held by reference: a dirfd and the working directory. Linux holds the directory
// itself, so a rename carries the reference along and a removed directory still opens as '.'.
// ushim holds the directory's host fd, and relative paths start from that fd, never from a
// path string the host would walk again.
import * as fs from 'node:fs';
import type { OpenFile } from './file.js';
import { heldPath, readHostLink } from './hostat.js';
import type { FsRoot } from './root.js';

/** A host directory held open: relative paths are resolved below its host fd. */
export interface HeldDir {
  readonly fd: number;
  /** Its guest path now; for a removed (or no longer reachable) directory, the last one known. */
  readonly guestPath: string;
  /** Removed, or moved where the root does not reach: it has no guest path any more. */
  readonly detached: boolean;
}

/** Where a relative path starts: a held host directory, or a guest path (virtual directories). */
export type BaseDir = string | HeldDir;

export function baseDirPath(base: BaseDir): string {
  return typeof base === 'string' ? base : base.guestPath;
}

/** The directory open as `file`, where it is now; its open-time path for virtual directories. */
export function heldDirectory(root: FsRoot, file: OpenFile): BaseDir {
  const fd = file.hostFd;
  if (fd === undefined || file.hostPath === undefined) return file.path;
  try {
    // rmdir leaves the directory with no links.
    if (fs.fstatSync(fd).nlink === 0) return { fd, guestPath: file.path, detached: true };
    const guestPath = root.guestPathOf(readHostLink(heldPath(fd)));
    return guestPath === undefined ? { fd, guestPath: file.path, detached: true } : { fd, guestPath, detached: false };
  } catch {
    return { fd, guestPath: file.path, detached: true };
  }
}
