// Extended attributes (getxattr(2) and friends) of the files a guest names: host files pass
// through to the host file system; ushim's own files (procfs, devices, pipes, eventfds) have
// none and take no new ones, as Linux's procfs, pipefs and anon inodes answer.
import { Errno } from '../errno.js';
import { type HostXattrTarget, hostGetXattr, hostListXattr, hostRemoveXattr, hostSetXattr } from '../../host/xattr.js';
import type { OpenFile } from './file.js';
import type { Resolved } from './root.js';
import type { HostAt } from './hostat.js';
import { S_IFDIR, S_IFMT, S_IFREG } from './constants.js';
import type { Vfs } from './vfs.js';
import { IN_ATTRIB } from '../notify/inotify-abi.js';

/** XATTR_SIZE_MAX and XATTR_LIST_MAX: the most one value or name list holds. */
export const XATTR_SIZE_MAX = 65536;
export const XATTR_CREATE = 1;
export const XATTR_REPLACE = 2;

/**
 * Where an xattr call lands: a host file (open, or named below a held directory), or ushim's
 * own file, which has none. `changed` reports a change to inotify watches.
 */
export type XattrTarget =
  | { fd: number; changed: () => void }
  | { at: HostAt; changed: (hostPath: Buffer) => void }
  | { virtual: { regularOrDir: boolean } };

/** follow: whether r was resolved through a final symlink. */
export function xattrTargetOfPath(vfs: Vfs, r: Resolved, follow: boolean): XattrTarget | number {
  if (!r.virtual) return { at: r.host, changed: (hostPath) => vfs.reportChange(hostPath, follow, IN_ATTRIB, 0) };
  return r.node ? { virtual: { regularOrDir: r.node.type === 'reg' || r.node.type === 'dir' } } : -Errno.ENOENT;
}

export function xattrTargetOfFile(vfs: Vfs, file: OpenFile): XattrTarget | number {
  if (file.hostFd !== undefined) return { fd: file.hostFd, changed: () => vfs.notifyFile(file, IN_ATTRIB) };
  const st = file.stat();
  if (typeof st === 'number') return st;
  const type = st.mode & S_IFMT;
  return { virtual: { regularOrDir: type === S_IFREG || type === S_IFDIR } };
}

/** Runs a host xattr call on the open file, or on the named one while its directory is held. */
function onHost(target: { fd: number } | { at: HostAt }, call: (t: HostXattrTarget) => number): number {
  return 'fd' in target ? call({ fd: target.fd }) : target.at.use((path) => call({ path }));
}

/** onHost for a call that changes the attributes: a success is reported. */
function changeOnHost(target: Exclude<XattrTarget, { virtual: unknown }>, call: (t: HostXattrTarget) => number): number {
  if ('fd' in target) {
    const r = call({ fd: target.fd });
    if (r === 0) target.changed();
    return r;
  }
  return target.at.use((path) => {
    const r = call({ path });
    if (r === 0) target.changed(path);
    return r;
  });
}

const USER_PREFIX = new TextEncoder().encode('user.');

/**
 * Linux's answer for a file without xattr handlers: user.* names exist only on regular files
 * and directories (elsewhere a read finds no data and a write is refused), and no other
 * namespace is supported.
 */
function noXattrs(target: { regularOrDir: boolean }, name: Uint8Array, write: boolean): number {
  const user = USER_PREFIX.every((b, i) => name[i] === b);
  if (user && !target.regularOrDir) return write ? -Errno.EPERM : -Errno.ENODATA;
  return -Errno.EOPNOTSUPP;
}

/**
 * The value, or with size 0 only its length, or -errno. size is clamped to XATTR_SIZE_MAX as
 * Linux does; a value that does not fit a buffer of the largest size is E2BIG, not ERANGE.
 */
export function getXattr(target: XattrTarget, name: Uint8Array, size: number): Uint8Array | number {
  if ('virtual' in target) return noXattrs(target.virtual, name, false);
  const buffer = new Uint8Array(Math.min(size, XATTR_SIZE_MAX));
  return sized(onHost(target, (t) => hostGetXattr(t, name, buffer)), buffer, size);
}

function sized(r: number, buffer: Uint8Array, size: number): Uint8Array | number {
  if (r === -Errno.ERANGE && size >= XATTR_SIZE_MAX) return -Errno.E2BIG;
  return r < 0 || size === 0 ? r : buffer.subarray(0, r);
}

export function setXattr(target: XattrTarget, name: Uint8Array, value: Uint8Array, flags: number): number {
  if ('virtual' in target) return noXattrs(target.virtual, name, true);
  return changeOnHost(target, (t) => hostSetXattr(t, name, value, flags));
}

/** The NUL-separated names, or with size 0 only their length, or -errno (as getXattr). */
export function listXattr(target: XattrTarget, size: number): Uint8Array | number {
  if ('virtual' in target) return 0;
  const buffer = new Uint8Array(Math.min(size, XATTR_SIZE_MAX));
  return sized(onHost(target, (t) => hostListXattr(t, buffer)), buffer, size);
}

export function removeXattr(target: XattrTarget, name: Uint8Array): number {
  if ('virtual' in target) return noXattrs(target.virtual, name, true);
  return changeOnHost(target, (t) => hostRemoveXattr(t, name));
}
