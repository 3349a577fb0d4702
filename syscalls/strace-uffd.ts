// strace's decoding of the userfaultfd ioctls (strace's userfaultfd.c), for --strace:
//   ioctl(3, UFFDIO_REGISTER, {range={start=0x7f.., len=0x4000}, mode=UFFDIO_REGISTER_MODE_MISSING,
//         ioctls=1<<_UFFDIO_WAKE|1<<_UFFDIO_COPY|...}) = 0
//   ioctl(3, UFFDIO_COPY, {dst=0x7f.., src=0x55.., len=0x1000, mode=0, copy=4096}) = 0
// The argument is printed once the call returned (ushim's tracer reads memory then), so
// UFFDIO_API shows the features the kernel wrote back rather than strace's "old => new".
import * as U from '../kernel-shim/abi/uffd.js';
import type { Xlat } from '../kernel-shim/abi/xlat.js';
import { flags, type GuestReader, hex, pointer } from './strace-values.js';

/** Guest memory as the formatter needs it: bytes only. */
export type UffdMemory = Pick<GuestReader, 'readBytes'>;

const MODE_NAMES: ReadonlyMap<number, Xlat> = new Map([
  [U.UFFDIO_COPY, [['UFFDIO_COPY_MODE_DONTWAKE', 1], ['UFFDIO_COPY_MODE_WP', 2]]],
  [U.UFFDIO_ZEROPAGE, [['UFFDIO_ZEROPAGE_MODE_DONTWAKE', 1]]],
  [U.UFFDIO_WRITEPROTECT, [['UFFDIO_WRITEPROTECT_MODE_WP', 1], ['UFFDIO_WRITEPROTECT_MODE_DONTWAKE', 2]]],
  [U.UFFDIO_CONTINUE, [['UFFDIO_CONTINUE_MODE_DONTWAKE', 1], ['UFFDIO_CONTINUE_MODE_WP', 2]]],
  [U.UFFDIO_POISON, [['UFFDIO_POISON_MODE_DONTWAKE', 1]]],
  [U.UFFDIO_MOVE, [['UFFDIO_MOVE_MODE_DONTWAKE', 1], ['UFFDIO_MOVE_MODE_ALLOW_SRC_HOLES', 2]]],
  [U.UFFDIO_REGISTER, U.UFFD_REGISTER_MODE_NAMES],
]);

function ioctlsMask(v: bigint): string {
  // _UFFDIO_API is bit 63: outside a JS number, so handled here.
  const api = v & (1n << 63n);
  const low = flags(v & ~(1n << 63n), U.UFFD_IOCTL_BITS, 'UFFDIO_???');
  if (api === 0n) return low;
  return low === '0' ? '1<<_UFFDIO_API' : `${low}|1<<_UFFDIO_API`;
}

export function isUffdIoctl(cmd: number): boolean {
  return U.UFFD_IOCTL_NAMES.has(cmd);
}

export function uffdIoctlName(cmd: number): string | undefined {
  return U.UFFD_IOCTL_NAMES.get(cmd);
}

/** The third argument of a userfaultfd ioctl, as strace prints it after the call. */
export function formatUffdIoctlArg(cmd: number, addr: bigint, ok: boolean, mem: UffdMemory): string {
  if (cmd === U.USERFAULTFD_IOC_NEW) return flags(BigInt.asUintN(32, addr), U.UFFD_FLAGS, 'UFFD_???');
  const size = cmd === U.UFFDIO_UNREGISTER || cmd === U.UFFDIO_WAKE ? 16 : (cmd >>> 16) & 0x3fff;
  const raw = BigInt.asUintN(64, addr) === 0n ? null : mem.readBytes(addr, size);
  if (raw === null) return pointer(addr);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const u = (off: number) => view.getBigUint64(off, true);
  const s = (off: number) => view.getBigInt64(off, true);
  const range = (off: number) => `{start=${hex(u(off))}, len=${hex(u(off + 8))}}`;
  const mode = (off: number) => flags(u(off), MODE_NAMES.get(cmd) ?? [], 'UFFDIO_???');
  switch (cmd) {
    case U.UFFDIO_API: {
      const head = `{api=${hex(u(0))}, features=${flags(u(8), U.UFFD_FEATURE_NAMES, 'UFFD_FEATURE_???')}`;
      return ok ? `${head}, ioctls=${ioctlsMask(u(16))}}` : `${head}}`;
    }
    case U.UFFDIO_REGISTER: {
      const head = `{range=${range(0)}, mode=${flags(u(16), U.UFFD_REGISTER_MODE_NAMES, 'UFFDIO_REGISTER_MODE_???')}`;
      return ok ? `${head}, ioctls=${ioctlsMask(u(24))}}` : `${head}}`;
    }
    case U.UFFDIO_UNREGISTER:
    case U.UFFDIO_WAKE:
      return range(0);
    case U.UFFDIO_COPY:
    case U.UFFDIO_MOVE: {
      const head = `{dst=${hex(u(0))}, src=${hex(u(8))}, len=${hex(u(16))}, mode=${mode(24)}`;
      return ok ? `${head}, ${cmd === U.UFFDIO_COPY ? 'copy' : 'move'}=${s(32)}}` : `${head}}`;
    }
    case U.UFFDIO_WRITEPROTECT:
      return `{range=${range(0)}, mode=${mode(16)}}`;
    default: {
      const field = cmd === U.UFFDIO_ZEROPAGE ? 'zeropage' : cmd === U.UFFDIO_CONTINUE ? 'mapped' : 'updated';
      const head = `{range=${range(0)}, mode=${mode(16)}`;
      return ok ? `${head}, ${field}=${s(24)}}` : `${head}}`;
    }
  }
}
