// Host file calls Node has no API for (or only a lossy one), through the libc binding of
// host/libc.ts. Each returns 0 or a negative errno (host and guest errno numbers are the same).
import { cPath, libcCalls } from '../../host/libc.js';
import { stringBytes } from '../abi/bytes.js';
import type { UtimeValue } from './vfs.js';

const AT_FDCWD = -100;
const AT_SYMLINK_NOFOLLOW = 0x100;
const NS = 1_000_000_000n;

/** A host path (a byte string, or its bytes) as libc takes it. */
function hostCPath(p: string | Uint8Array): Buffer {
  return cPath(typeof p === 'string' ? stringBytes(p) : p);
}

/** The empty path of an AT_EMPTY_PATH call. */
const NUL = new Uint8Array(1);

function result(r: number): number {
  return r === 0 ? 0 : -libcCalls.errno();
}

/** mknod(2): FIFOs, sockets and regular files (Vfs.mknod refuses device nodes). */
export function hostMknod(hostPath: Uint8Array, mode: number, dev: bigint): number {
  return result(libcCalls.mknod(hostCPath(hostPath), mode >>> 0, dev));
}

/** struct timespec[2]; UTIME_NOW and UTIME_OMIT travel in tv_nsec as the host expects. */
function timespecs(atime: UtimeValue, mtime: UtimeValue): BigInt64Array {
  const out = new BigInt64Array(4);
  [atime, mtime].forEach((v, i) => {
    if (typeof v === 'bigint') {
      const sec = v >= 0n ? v / NS : -((-v + NS - 1n) / NS); // floor, also before 1970
      out[2 * i] = sec;
      out[2 * i + 1] = v - sec * NS;
    } else {
      out[2 * i + 1] = BigInt(v);
    }
  });
  return out;
}

/** utimensat(2) on a host path, to the nanosecond; nofollow sets a symlink's own times. */
export function hostUtimens(hostPath: Uint8Array, atime: UtimeValue, mtime: UtimeValue, nofollow: boolean): number {
  return result(libcCalls.utimensat(AT_FDCWD, hostCPath(hostPath), timespecs(atime, mtime), nofollow ? AT_SYMLINK_NOFOLLOW : 0));
}

/** futimens(3) on a host fd. */
export function hostFutimens(fd: number, atime: UtimeValue, mtime: UtimeValue): number {
  return result(libcCalls.futimens(fd, timespecs(atime, mtime)));
}

const AT_EMPTY_PATH = 0x1000;
const STATX_SIZE = 256;

/** statx(2) of a host path or (with an empty path) a host fd: the host's own struct statx. */
export function hostStatx(target: Uint8Array | number, flags: number, mask: number): DataView | number {
  const buf = new Uint8Array(STATX_SIZE);
  const [dirfd, path] = typeof target === 'number' ? [target, NUL] : [AT_FDCWD, hostCPath(target)];
  const r = libcCalls.statx(dirfd, path, typeof target === 'number' ? flags | AT_EMPTY_PATH : flags, mask >>> 0, buf);
  return r === 0 ? new DataView(buf.buffer) : -libcCalls.errno();
}

const SYS_OPENAT2 = 437;
const OPEN_HOW_SIZE = 24;

/**
 * openat2(2) (struct open_how: flags, mode, resolve): a host fd or a negative errno; -ENOSYS
 * on kernels before 5.6.
 */
export function hostOpenat2(dirFd: number, path: string, flags: number, resolve: number): number {
  const how = new BigUint64Array([BigInt(flags >>> 0), 0n, BigInt(resolve)]);
  const fd = Number(libcCalls.openat2(SYS_OPENAT2, dirFd, hostCPath(path), how, OPEN_HOW_SIZE));
  return fd < 0 ? -libcCalls.errno() : fd;
}

/** openat(2): a host fd or a negative errno. */
export function hostOpenat(dirFd: number, path: string, flags: number): number {
  const fd = libcCalls.openat(dirFd, hostCPath(path), flags, 0);
  return fd < 0 ? -libcCalls.errno() : fd;
}

/** renameat2(2) of two host paths: flags 0, RENAME_NOREPLACE or RENAME_EXCHANGE, which the host applies atomically. */
export function hostRename(from: Uint8Array, to: Uint8Array, flags: number): number {
  return result(libcCalls.renameat2(AT_FDCWD, hostCPath(from), AT_FDCWD, hostCPath(to), flags >>> 0));
}

export function hostClose(fd: number): void {
  libcCalls.close(fd);
}
