// Directories held by reference: a dirfd and the working directory. Linux holds the directory
// itself, so a rename carries the reference along and a removed directory still opens as '.'.
// ushim finds the path again from the held host fd each time one is used.
import * as fs from 'node:fs';
import type { OpenFile } from './file.js';
import type { FsRoot } from './root.js';

/** A removed directory: it has no path any more, only the held host fd reaches it. */
export interface DirAnchor {
  readonly guestPath: string;
  readonly hostPath: string;
}

/** Where a relative path starts: a canonical guest path, or a removed directory. */
export type BaseDir = string | DirAnchor;

export function baseDirPath(base: BaseDir): string {
  return typeof base === 'string' ? base : base.guestPath;
}

/** Where the directory open as `file` is now; its open-time path for virtual directories. */
export function heldDirectory(root: FsRoot, file: OpenFile): BaseDir {
  const fd = file.hostFd;
  if (fd === undefined || file.hostPath === undefined) return file.path;
  const link = `/proc/self/fd/${fd}`;
  try {
    // rmdir leaves the directory with no links; "/." reaches it through the magic link.
    if (fs.fstatSync(fd).nlink === 0) return { guestPath: file.path, hostPath: `${link}/.` };
    return root.guestPathOf(fs.readlinkSync(link)) ?? file.path;
  } catch {
    return file.path;
  }
}
