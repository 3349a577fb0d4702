// strace's decoding of select and pselect6: descriptor sets as the numbers in them, [0 3];
// the result as the sets' ready descriptors and the time left, 1 (in [3], left {...}); and
// pselect6's sigmask argument, {sigmask=[USR1], sigsetsize=8}. ushim formats a line once the
// call has returned, so the sets shown are the ones the kernel left (strace reads them on entry):
// they differ when the call timed out, failed, or some descriptors were not ready.
import { sigset, timespec, timeval } from './strace-structs.js';
import { type GuestReader, isNull, pointer, readView } from './strace-values.js';

/** strace stops reading sets this large (select(2^31-1, ...)). */
const MAX_NFDS = 1024 * 1024;

/** The bytes an fd_set of nfds descriptors occupies, whole longs. */
function fdSetBytes(nfds: bigint): number {
  const n = BigInt.asIntN(32, nfds);
  const clamped = n < 0n ? 0 : n > BigInt(MAX_NFDS) ? MAX_NFDS : Number(n);
  return Math.ceil(clamped / 64) * 8;
}

/** The descriptors below nfds in the set at addr, or null when it is unreadable. */
function members(addr: bigint, nfds: bigint, mem: GuestReader): number[] | null {
  const size = fdSetBytes(nfds);
  const bytes = size === 0 || isNull(addr) ? null : mem.readBytes(addr, size);
  if (bytes === null) return null;
  const limit = Number(BigInt.asIntN(32, nfds));
  const fds: number[] = [];
  bytes.forEach((byte, i) => {
    for (let bit = 0; bit < 8; bit++) if (byte & (1 << bit) && 8 * i + bit < limit) fds.push(8 * i + bit);
  });
  return fds;
}

/** A set select reads: [0 3]; NULL, or the address when nfds is 0 or it is unreadable. */
export function fdSet(addr: bigint, nfds: bigint, mem: GuestReader): string {
  const fds = members(addr, nfds, mem);
  return fds === null ? pointer(addr) : `[${fds.join(' ')}]`;
}

const SET_NAMES = ['in', 'out', 'except'];

/**
 * What strace adds after a successful select's count: "Timeout", or the ready descriptors of
 * each set (as many as the count) and the time left when a timeout was given.
 */
export function selectOutcome(result: bigint, args: readonly bigint[], nanoseconds: boolean, mem: GuestReader): string {
  if (result === 0n) return 'Timeout';
  const parts: string[] = [];
  let left = result;
  for (let i = 0; i < 3 && left > 0n; i++) {
    const fds = members(args[i + 1] ?? 0n, args[0] ?? 0n, mem) ?? [];
    const ready = fds.slice(0, Number(left));
    left -= BigInt(ready.length);
    if (ready.length > 0) parts.push(`${SET_NAMES[i]} [${ready.join(' ')}]`);
  }
  const timeout = args[4] ?? 0n;
  if (!isNull(timeout)) parts.push(`left ${nanoseconds ? timespec(timeout, mem) : timeval(timeout, mem)}`);
  return parts.join(', ');
}

/** pselect6's sixth argument: a pointer to {const sigset_t *ss; size_t ss_len}. */
export function pselectSigmask(addr: bigint, mem: GuestReader): string {
  const view = readView(addr, 16, mem);
  if (view === null) return pointer(addr);
  const size = view.getBigUint64(8, true);
  return `{sigmask=${sigset(view.getBigUint64(0, true), size, mem)}, sigsetsize=${size}}`;
}
