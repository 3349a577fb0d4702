// What the VFS reports to FsNotify for each kind of change, and how it names the objects:
// a host object by the identity the host gives it (device, inode), found through the host
// path of the call (below a held directory, /proc/self/fd/N/name), its directory through
// that path's parent; an open file by its own identity and its guest path's directory.
// Nothing is asked of the host while no watch exists.
import * as fs from 'node:fs';
import { byteString, stringBytes } from '../abi/bytes.js';
import { posix } from 'node:path';
import { O_PATH, canWrite } from '../fs/constants.js';
import type { FileStat, OpenFile } from '../fs/file.js';
import { type FsNotify, type NotifySubject, identityKey } from './fsnotify.js';
import {
  IN_ACCESS, IN_ATTRIB, IN_MODIFY, IN_CLOSE_NOWRITE, IN_CLOSE_WRITE, IN_CREATE, IN_DELETE, IN_DELETE_SELF, IN_MOVE_SELF, IN_MOVED_FROM, IN_MOVED_TO,
} from './inotify-abi.js';

/** A directory entry's name as events carry it: the bytes of the guest's name (a byte string, kernel-shim/abi/bytes.ts). */
export function nameBytes(name: string): Uint8Array {
  return stringBytes(name);
}

interface HostObject {
  readonly key: string;
  readonly isDir: boolean;
  readonly isLink: boolean;
  readonly nlink: number;
}

function hostObject(hostPath: Buffer, follow: boolean): HostObject | undefined {
  try {
    const st = follow ? fs.statSync(hostPath, { bigint: true }) : fs.lstatSync(hostPath, { bigint: true });
    return { key: identityKey(st.dev, st.ino), isDir: st.isDirectory(), isLink: st.isSymbolicLink(), nlink: Number(st.nlink) };
  } catch {
    return undefined;
  }
}

/** The directory holding the entry at hostPath and the entry's name; none for '.' (a held directory itself). */
function entryOf(hostPath: Buffer): { key: string; name: Uint8Array } | undefined {
  const path = byteString(hostPath);
  const name = posix.basename(path);
  if (name === '.' || name === '..') return undefined;
  const dir = hostObject(stringBytes(posix.dirname(path)), true);
  return dir === undefined ? undefined : { key: dir.key, name: nameBytes(name) };
}

/** The object at hostPath (the link's target when following), reached through its directory entry. */
export function hostSubject(hostPath: Buffer, follow: boolean): NotifySubject | undefined {
  const own = hostObject(hostPath, false);
  const obj = follow && own?.isLink ? hostObject(hostPath, true) : own;
  if (obj === undefined) return undefined;
  // Through a followed link the entry is the target's, which this path does not name.
  return { key: obj.key, isDir: obj.isDir, parent: obj === own ? entryOf(hostPath) : undefined };
}

/** An open file: its identity, and the entry of its guest path (statDir: a guest directory's metadata). */
export function fileSubject(file: OpenFile, statDir: (guestPath: string) => FileStat | number): NotifySubject | undefined {
  if (file.flags & O_PATH) return undefined;
  const st = file.stat();
  if (typeof st === 'number') return undefined;
  const isDir = (st.mode & 0o170000) === 0o040000;
  let parent: NotifySubject['parent'];
  const name = posix.basename(file.path);
  if (file.path.startsWith('/') && name !== '') {
    const dir = statDir(posix.dirname(file.path));
    if (typeof dir !== 'number') parent = { key: identityKey(dir.dev, dir.ino), name: nameBytes(name) };
  }
  return { key: identityKey(st.dev, st.ino), isDir, unlinked: st.nlink === 0 && !isDir, parent };
}

/** The event of a description's last close: whether it was open for writing. */
export function closeEvent(file: OpenFile): number {
  return canWrite(file.flags) ? IN_CLOSE_WRITE : IN_CLOSE_NOWRITE;
}

/**
 * What setting file times reports, as Linux's notify_change: both times are a change of
 * attributes, the access time alone an access, the modification time alone a modification.
 */
export function utimeEvent(atimeSet: boolean, mtimeSet: boolean): number {
  if (atimeSet && mtimeSet) return IN_ATTRIB;
  return atimeSet ? IN_ACCESS : mtimeSet ? IN_MODIFY : 0;
}

/** After a host call made the entry at hostPath: IN_CREATE in its directory. */
export function created(n: FsNotify, hostPath: Buffer, result: number): number {
  if (result < 0 || !n.active) return result;
  const obj = hostObject(hostPath, false);
  const entry = entryOf(hostPath);
  if (obj !== undefined && entry !== undefined) n.inDirectory(entry.key, IN_CREATE, entry.name, obj.isDir);
  return result;
}

/** The object lost a link (unlink, or replaced by a rename): IN_ATTRIB for its link count. */
function linkDropped(n: FsNotify, obj: HostObject): void {
  if (!obj.isDir) n.onObject({ key: obj.key, isDir: false }, IN_ATTRIB);
}

/** When no link is left and nothing has it open: IN_DELETE_SELF, and its watches end (IN_IGNORED). */
function goneIfLast(n: FsNotify, obj: HostObject): void {
  // An open file goes at its last close (FsNotify.closed).
  if (!obj.isDir && (obj.nlink > 1 || n.isOpen(obj.key))) return;
  n.onObject({ key: obj.key, isDir: obj.isDir }, IN_DELETE_SELF);
  n.gone(obj.key);
}

/** unlink and rmdir of the entry at hostPath, done by `remove`. */
export function removing(n: FsNotify, hostPath: Buffer, remove: () => number): number {
  if (!n.active) return remove();
  const obj = hostObject(hostPath, false);
  const entry = entryOf(hostPath);
  const r = remove();
  if (r < 0 || obj === undefined) return r;
  linkDropped(n, obj);
  goneIfLast(n, obj);
  if (entry !== undefined) n.inDirectory(entry.key, IN_DELETE, entry.name, obj.isDir);
  return r;
}

/** rename from src to dst, done by `rename`: IN_MOVED_FROM and IN_MOVED_TO share a cookie. */
export function renaming(n: FsNotify, src: Buffer, dst: Buffer, rename: () => number): number {
  if (!n.active) return rename();
  const moved = hostObject(src, false);
  const target = hostObject(dst, false);
  const from = entryOf(src);
  const to = entryOf(dst);
  const r = rename();
  // Renaming a link onto another link of the same object changes nothing.
  if (r < 0 || moved === undefined || target?.key === moved.key) return r;
  const cookie = n.nextCookie();
  if (from !== undefined) n.inDirectory(from.key, IN_MOVED_FROM, from.name, moved.isDir, cookie);
  if (to !== undefined) n.inDirectory(to.key, IN_MOVED_TO, to.name, moved.isDir, cookie);
  if (target !== undefined) linkDropped(n, target);
  n.onObject({ key: moved.key, isDir: moved.isDir }, IN_MOVE_SELF);
  if (target !== undefined) goneIfLast(n, target);
  return r;
}

/** link: the object gains a link (IN_ATTRIB), then its new entry appears (IN_CREATE). */
export function linked(n: FsNotify, src: Buffer, dst: Buffer, follow: boolean, result: number): number {
  if (result < 0 || !n.active) return result;
  const obj = hostObject(src, follow);
  if (obj !== undefined) n.onObject({ key: obj.key, isDir: obj.isDir }, IN_ATTRIB);
  return created(n, dst, result);
}
