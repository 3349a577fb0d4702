// Metadata changes through an open file (fchmod, fchown, futimens): on its host fd when it
// has one; virtual files (/proc, /dev) refuse like Linux does for their owners' attributes.
// A change is reported to inotify watches.
import * as fs from 'node:fs';
import { Errno } from '../errno.js';
import type { OpenFile } from './file.js';
import { hostErrno } from './hosterrno.js';
import { hostFutimens } from './hostcalls.js';
import { UTIME_OMIT, type UtimeValue, type Vfs } from './vfs.js';
import { IN_ATTRIB, IN_MODIFY } from '../notify/inotify-abi.js';
import { utimeEvent } from '../notify/vfs-events.js';

function reported(vfs: Vfs, file: OpenFile, event: number, result: number): number {
  if (result === 0 && event !== 0) vfs.notifyFile(file, event);
  return result;
}

function onHostFd(file: OpenFile, fn: (fd: number) => void): number {
  if (file.hostFd === undefined) return -Errno.EPERM;
  try {
    fn(file.hostFd);
    return 0;
  } catch (e) {
    return hostErrno(e);
  }
}

export function fchmodFile(vfs: Vfs, file: OpenFile, mode: number): number {
  return reported(vfs, file, IN_ATTRIB, onHostFd(file, (fd) => fs.fchmodSync(fd, mode)));
}

export function fchownFile(vfs: Vfs, file: OpenFile, uid: number, gid: number): number {
  const st = file.stat();
  if (typeof st === 'number') return st;
  const u = uid === -1 ? st.uid : uid;
  const g = gid === -1 ? st.gid : gid;
  return reported(vfs, file, uid === -1 && gid === -1 ? 0 : IN_ATTRIB, onHostFd(file, (fd) => fs.fchownSync(fd, u, g)));
}

export function futimensFile(vfs: Vfs, file: OpenFile, atime: UtimeValue, mtime: UtimeValue): number {
  if (atime === UTIME_OMIT && mtime === UTIME_OMIT) return 0;
  const r = file.hostFd === undefined ? -Errno.EPERM : hostFutimens(file.hostFd, atime, mtime);
  return reported(vfs, file, utimeEvent(atime !== UTIME_OMIT, mtime !== UTIME_OMIT), r);
}

/** ftruncate: the file's own rules (EINVAL for what cannot be truncated). */
export function ftruncateFile(vfs: Vfs, file: OpenFile, length: bigint): number {
  return reported(vfs, file, IN_MODIFY, file.truncate(length));
}
