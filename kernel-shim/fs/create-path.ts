// Paths that a call creates or renames, checked in the order Linux's namei checks them
// (filename_parentat, then filename_create): the parent first, then the last component.
import { Errno } from '../errno.js';
import { S_IFDIR, S_IFMT } from './constants.js';
import type { BaseDir } from './dirref.js';
import type { Resolved } from './root.js';

/** What these checks need of the file system view (Vfs). */
export interface PathLookup {
  resolve(path: string, followLast: boolean, cwd: BaseDir): Resolved | number;
  stat(path: string, followLast: boolean, cwd: BaseDir): { mode: number } | number;
}

export function lastComponent(path: string): string | undefined {
  return path.split('/').filter((c) => c !== '').pop();
}

/** Whether the last component is not a name (/, . or ..): Linux's LAST_ROOT, LAST_DOT, LAST_DOTDOT. */
export function notAName(path: string): boolean {
  if (path === '') return false; // no path at all: ENOENT from the lookup
  const last = lastComponent(path);
  return last === undefined || last === '.' || last === '..';
}

/** 0 when the directory part of `path` (its last component dropped) is a directory, else -errno. */
export function parentError(view: PathLookup, path: string, cwd: BaseDir): number {
  const st = view.stat(path.replace(/[^/]+\/*$/, '') || '.', true, cwd);
  if (typeof st === 'number') return st;
  return (st.mode & S_IFMT) === S_IFDIR ? 0 : -Errno.ENOTDIR;
}

/**
 * The path a call creates: a last component that is not a name exists already (once its
 * parent is found); trailing slashes are dropped, but a name that exists is EEXIST before
 * anything else, and only a directory may be created as "name/" (ENOENT otherwise).
 */
export function resolveNew(view: PathLookup, path: string, cwd: BaseDir, directory: boolean): Resolved | number {
  if (notAName(path)) return parentError(view, path, cwd) || -Errno.EEXIST;
  const trimmed = path.replace(/\/+$/, '');
  const r = view.resolve(trimmed, false, cwd);
  if (typeof r === 'number' || trimmed === path || directory) return r;
  return typeof view.stat(trimmed, false, cwd) === 'number' ? -Errno.ENOENT : -Errno.EEXIST;
}
