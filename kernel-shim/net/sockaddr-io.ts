// Socket addresses between user memory and the kernel, as move_addr_to_kernel and
// move_addr_to_user do: families see raw bytes and decode their own sockaddr_* layouts.
import { Errno } from '../errno.js';
import type { Task } from '../task.js';

/** sizeof(struct sockaddr_storage): the longest address a call takes. */
export const SOCKADDR_STORAGE_SIZE = 128;

/** An address the caller passes: EINVAL for a length outside [0, 128], EFAULT when unreadable. */
export function readSockaddr(t: Task, addr: number, len: number): Uint8Array | number {
  if (len < 0 || len > SOCKADDR_STORAGE_SIZE) return -Errno.EINVAL;
  if (len === 0) return new Uint8Array(0);
  return t.process.mm.read(addr, len) ?? -Errno.EFAULT;
}

/**
 * Stores an address for the caller: *lenAddr says how much room addr has; at most that much
 * is copied and *lenAddr becomes the address's whole length (so a caller can tell it was
 * truncated). 0 or -errno.
 */
export function writeSockaddr(t: Task, addr: number, lenAddr: number, sockaddr: Uint8Array): number {
  const mm = t.process.mm;
  const raw = mm.read(lenAddr, 4);
  if (raw === null) return -Errno.EFAULT;
  const view = new DataView(raw.buffer);
  const room = view.getInt32(0, true);
  const n = Math.min(room, sockaddr.length);
  if (n < 0) return -Errno.EINVAL;
  if (n > 0 && !mm.write(addr, sockaddr.subarray(0, n))) return -Errno.EFAULT;
  view.setInt32(0, sockaddr.length, true);
  return mm.write(lenAddr, raw) ? 0 : -Errno.EFAULT;
}
