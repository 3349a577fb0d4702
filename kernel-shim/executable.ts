// Opening a program for exec through the guest's root: resolve, check it is an executable
// regular file, read it, and keep a host fd for its file mappings.
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { Errno } from './errno.js';
import type { ExecutableFile } from './exec.js';
import { mappedFileOf } from './exec.js';
import { hostErrno } from './fs/hosterrno.js';
import type { Kernel } from './kernel.js';

const X_OK = 1;
/**
 * Programs exec'd before, by guest path and host identity (dev, inode, size, mtime): a shell
 * execs busybox hundreds of times, and each exec would otherwise read 2 MB and hold an fd.
 */
const recentByKernel = new WeakMap<Kernel, Map<string, ExecutableFile>>();
const RECENT_LIMIT = 32;
/** Programs larger than this are refused rather than read into memory. */
const MAX_PROGRAM_BYTES = 1 << 30;

export function openExecutable(k: Kernel, path: string, cwd: string): ExecutableFile | number {
  if (path === '') return -Errno.ENOENT;
  const resolved = k.vfs.resolve(path, true, cwd);
  if (typeof resolved === 'number') return resolved;
  if (resolved.virtual !== undefined) return resolved.node === undefined ? -Errno.ENOENT : -Errno.EACCES;
  const access = k.vfs.access(path, X_OK, cwd);
  if (access < 0) return access;
  let key: string;
  try {
    const st = statSync(resolved.hostPath, { bigint: true });
    key = `${resolved.guestPath}\0${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}`;
  } catch (e) {
    return hostErrno(e);
  }
  // Per kernel: an entry's sharedObject() hands out that kernel's page cache (several kernels
  // live in one Node process with the programmable API, emu/index.ts).
  let recent = recentByKernel.get(k);
  if (recent === undefined) {
    recent = new Map();
    recentByKernel.set(k, recent);
  }
  const known = recent.get(key);
  if (known !== undefined) return known;
  let fd: number;
  try {
    fd = openSync(resolved.hostPath, 'r');
  } catch (e) {
    return hostErrno(e);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      closeSync(fd);
      return -Errno.EACCES;
    }
    if (st.size > MAX_PROGRAM_BYTES) {
      closeSync(fd);
      return -Errno.ENOMEM;
    }
    const bytes = Buffer.alloc(st.size);
    let done = 0;
    while (done < st.size) {
      const n = readSync(fd, bytes, done, st.size - done, done);
      if (n <= 0) break;
      done += n;
    }
    const mapped = mappedFileOf(fd, resolved.guestPath);
    const file: ExecutableFile = {
      guestPath: resolved.guestPath,
      hostPath: resolved.hostPath,
      bytes: bytes.subarray(0, done),
      mapped,
      sharedObject: () => k.sharedObjectFor(mapped),
    };
    if (recent.size >= RECENT_LIMIT) recent.delete(recent.keys().next().value!);
    recent.set(key, file);
    return file;
  } catch (e) {
    closeSync(fd);
    return hostErrno(e);
  }
}
