// Waiting on host file descriptors (a guest reading stdin from a pipe or a terminal) without
// blocking in a read, and asking a host socket's readiness: libc poll(2) through koffi.
import { libcCalls } from './libc.js';

const POLLIN = 1;
const POLLOUT = 4;

/**
 * The pollfd array of the last call, grown as needed: scratch, not state (each call fills
 * it and reads the results back before returning). A fresh Buffer per call cost about a
 * microsecond of the scheduler's every idle wait.
 */
let pollfds = new DataView(new ArrayBuffer(8 * 16));

/**
 * Waits until one of fds is readable, one of writableFds has room, or waitNs passes (-1:
 * forever); returns the ready fds of both lists.
 */
export function pollHostFds(fds: readonly number[], waitNs: bigint, writableFds: readonly number[] = []): number[] {
  const count = fds.length + writableFds.length;
  if (pollfds.byteLength < 8 * count) pollfds = new DataView(new ArrayBuffer(8 * count));
  const entries = pollfds;
  for (let i = 0; i < count; i++) {
    const readable = i < fds.length;
    entries.setInt32(8 * i, readable ? fds[i] : writableFds[i - fds.length], true);
    entries.setInt16(8 * i + 4, readable ? POLLIN : POLLOUT, true);
    entries.setInt16(8 * i + 6, 0, true);
  }
  // poll takes an int of ms: a wait beyond it is a wait without end.
  const ms = (waitNs + 999_999n) / 1_000_000n;
  const timeout = waitNs < 0n || ms > 0x7fffffffn ? -1 : Number(ms);
  if (libcCalls.poll(new Uint8Array(entries.buffer, 0, 8 * count), count, timeout) <= 0) return [];
  const ready: number[] = [];
  for (let i = 0; i < count; i++) if (entries.getInt16(8 * i + 6, true) !== 0) ready.push(entries.getInt32(8 * i, true));
  return ready;
}

/** The events the host reports for fd now, of `events` and the ones always reported (poll with a zero timeout). */
export function hostPollNow(fd: number, events: number): number {
  const entry = pollfds;
  entry.setInt32(0, fd, true);
  entry.setInt16(4, events, true);
  entry.setInt16(6, 0, true);
  return libcCalls.poll(new Uint8Array(entry.buffer, 0, 8), 1, 0) <= 0 ? 0 : entry.getInt16(6, true);
}
