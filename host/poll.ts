// Waiting on host file descriptors (a guest reading stdin from a pipe or a terminal) without
// blocking in a read: libc poll(2) through koffi.
import { libcCalls } from './libc.js';

const POLLIN = 1;

/** Waits until one of fds is readable or waitNs passes (-1: forever); returns the ready fds. */
export function pollHostFds(fds: readonly number[], waitNs: bigint): number[] {
  const buf = Buffer.alloc(8 * fds.length);
  fds.forEach((fd, i) => {
    buf.writeInt32LE(fd, 8 * i);
    buf.writeInt16LE(POLLIN, 8 * i + 4);
  });
  const timeout = waitNs < 0n ? -1 : Number((waitNs + 999_999n) / 1_000_000n);
  if (libcCalls.poll(buf, fds.length, timeout) <= 0) return [];
  return fds.filter((_, i) => buf.readInt16LE(8 * i + 6) !== 0);
}
