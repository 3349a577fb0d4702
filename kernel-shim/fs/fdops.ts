// Metadata changes through an open file (fchmod, fchown, futimens): on its host fd when it
// has one; virtual files (/proc, /dev) refuse like Linux does for their owners' attributes.
import * as fs from 'node:fs';
import { Errno } from '../errno.js';
import type { OpenFile } from './file.js';
import { hostErrno } from './hosterrno.js';
import { hostFutimens } from './hostcalls.js';
import { UTIME_OMIT, type UtimeValue } from './vfs.js';

function onHostFd(file: OpenFile, fn: (fd: number) => void): number {
  if (file.hostFd === undefined) return -Errno.EPERM;
  try {
    fn(file.hostFd);
    return 0;
  } catch (e) {
    return hostErrno(e);
  }
}

export function fchmodFile(file: OpenFile, mode: number): number {
  return onHostFd(file, (fd) => fs.fchmodSync(fd, mode));
}

export function fchownFile(file: OpenFile, uid: number, gid: number): number {
  const st = file.stat();
  if (typeof st === 'number') return st;
  const u = uid === -1 ? st.uid : uid;
  const g = gid === -1 ? st.gid : gid;
  return onHostFd(file, (fd) => fs.fchownSync(fd, u, g));
}

export function futimensFile(file: OpenFile, atime: UtimeValue, mtime: UtimeValue): number {
  if (atime === UTIME_OMIT && mtime === UTIME_OMIT) return 0;
  return file.hostFd === undefined ? -Errno.EPERM : hostFutimens(file.hostFd, atime, mtime);
}
