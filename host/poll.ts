// Waiting on host file descriptors (a guest reading stdin from a pipe or a terminal) without
// blocking in a read: libc poll(2) through koffi.
import { libcCalls } from './libc.js';

const POLLIN = 1;
const POLLOUT = 4;

/**
 * Waits until one of fds is readable, one of writableFds has room, or waitNs passes (-1:
 * forever); returns the ready fds of both lists.
 */
export function pollHostFds(fds: readonly number[], waitNs: bigint, writableFds: readonly number[] = []): number[] {
  const all = [...fds, ...writableFds];
  const buf = Buffer.alloc(8 * all.length);
  all.forEach((fd, i) => {
    buf.writeInt32LE(fd, 8 * i);
    buf.writeInt16LE(i < fds.length ? POLLIN : POLLOUT, 8 * i + 4);
  });
  // poll takes an int of ms: a wait beyond it is a wait without end.
  const ms = (waitNs + 999_999n) / 1_000_000n;
  const timeout = waitNs < 0n || ms > 0x7fffffffn ? -1 : Number(ms);
  if (libcCalls.poll(buf, all.length, timeout) <= 0) return [];
  return all.filter((_, i) => buf.readInt16LE(8 * i + 6) !== 0);
}
