// Opening a program for exec through the guest's root: resolve, check it is an executable
// regular file, read it, and keep a host fd for its file mappings.
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { Errno } from './errno.js';
import type { ExecutableFile } from './exec.js';
import { mappedFileOf } from './exec.js';
import { hostErrno } from './fs/hosterrno.js';
import { heldPath, readHostLink } from './fs/hostat.js';
import type { Kernel } from './kernel.js';
import type { BaseDir } from './fs/dirref.js';
import type { Vfs } from './fs/vfs.js';

const X_OK = 1;
const RECENT_LIMIT = 32;
/** Programs larger than this are refused rather than read into memory. */
const MAX_PROGRAM_BYTES = 1 << 30;

/** Where the program is on the host now (a byte string), for ushim's own crash reports and symbols. */
function hostPathOf(fd: number): string {
  try {
    return readHostLink(heldPath(fd));
  } catch {
    return heldPath(fd);
  }
}

export function openExecutable(k: Kernel, vfs: Vfs, path: string, cwd: BaseDir): ExecutableFile | number {
  if (path === '') return -Errno.ENOENT;
  const resolved = vfs.resolve(path, true, cwd);
  if (typeof resolved === 'number') return resolved;
  if (resolved.virtual !== undefined) return resolved.node === undefined ? -Errno.ENOENT : -Errno.EACCES;
  const access = vfs.access(path, X_OK, cwd);
  if (access < 0) return access;
  const found = resolved.host.use((p) => {
    try {
      return statSync(p, { bigint: true });
    } catch (e) {
      return hostErrno(e);
    }
  });
  if (typeof found === 'number') return found;
  const key = `${resolved.guestPath}\0${found.dev}:${found.ino}:${found.size}:${found.mtimeNs}`;
  const recent = k.executables;
  const known = recent.get(key);
  if (known !== undefined) return known;
  const fd = resolved.host.use((p) => {
    try {
      return openSync(p, 'r');
    } catch (e) {
      return hostErrno(e);
    }
  });
  if (fd < 0) return fd;
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
      hostPath: hostPathOf(fd),
      bytes: bytes.subarray(0, done),
      mapped,
      sharedObject: () => k.sharedObjectFor(mapped),
    };
    recent.add(key, file);
    return file;
  } catch (e) {
    closeSync(fd);
    return hostErrno(e);
  }
}

/**
 * Programs exec'd before (one set per Kernel), by guest path and host identity (dev, inode,
 * size, mtime): a shell execs busybox hundreds of times, and each exec would otherwise read
 * 2 MB and hold an fd. An entry's sharedObject() hands out its kernel's page cache.
 */
export class RecentExecutables {
  private readonly files = new Map<string, ExecutableFile>();

  get(key: string): ExecutableFile | undefined {
    return this.files.get(key);
  }

  add(key: string, file: ExecutableFile): void {
    if (this.files.size >= RECENT_LIMIT) this.files.delete(this.files.keys().next().value!);
    this.files.set(key, file);
  }

  /** The kernel is closing: the programs' host fds go. */
  close(): void {
    for (const file of this.files.values()) closeQuietly(file.mapped.hostFd);
    this.files.clear();
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}
