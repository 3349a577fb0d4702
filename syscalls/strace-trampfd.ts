// --strace decoding of ushim's trampfd extension calls (no strace knows them), in strace's
// style: trampfd_create(TRAMPFD_USER, {flags=0, reserved=0}, 0) and
// trampfd({ntrampolines=102, code_size=40, code_offset=4096, reserved=0}).
import { type GuestReader, pointer, readView } from './strace-values.js';

/** v1's struct trampfd_user. */
export function trampfdUser(addr: bigint, mem: GuestReader): string {
  const view = readView(addr, 8, mem);
  return view === null ? pointer(addr) : `{flags=${view.getUint32(0, true)}, reserved=${view.getUint32(4, true)}}`;
}

/** v2's struct trampfd_info, which the call fills. */
export function trampfdInfo(addr: bigint, mem: GuestReader): string {
  const view = readView(addr, 16, mem);
  if (view === null) return pointer(addr);
  const u = (off: number) => view.getUint32(off, true);
  return `{ntrampolines=${u(0)}, code_size=${u(4)}, code_offset=${u(8)}, reserved=${u(12)}}`;
}
