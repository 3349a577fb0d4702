// userfaultfd's guest-visible constants and structs (include/uapi/linux/userfaultfd.h, Linux
// 6.12; spec/userfaultfd.md sections 2 and 3). Offsets are written once here and checked
// against the C header by test/unit/uffd.test.ts.
import type { Xlat } from './xlat.js';

export const UFFD_API = 0xaa;
export const UFFD_USER_MODE_ONLY = 1;

/** ioctl requests (x86-64 _IOC encoding). */
export const UFFDIO_REGISTER = 0xc020aa00;
export const UFFDIO_UNREGISTER = 0x8010aa01;
export const UFFDIO_WAKE = 0x8010aa02;
export const UFFDIO_COPY = 0xc028aa03;
export const UFFDIO_ZEROPAGE = 0xc020aa04;
export const UFFDIO_MOVE = 0xc028aa05;
export const UFFDIO_WRITEPROTECT = 0xc018aa06;
export const UFFDIO_CONTINUE = 0xc020aa07;
export const UFFDIO_POISON = 0xc020aa08;
export const UFFDIO_API = 0xc018aa3f;
/** On /dev/userfaultfd: the argument is the flags, by value. */
export const USERFAULTFD_IOC_NEW = 0x0000aa00;

/** ioctl numbers (the low byte of the request): bit n of an "ioctls" mask is ioctl nr n. */
export const _UFFDIO_REGISTER = 0x00, _UFFDIO_UNREGISTER = 0x01, _UFFDIO_WAKE = 0x02, _UFFDIO_COPY = 0x03,
  _UFFDIO_ZEROPAGE = 0x04, _UFFDIO_MOVE = 0x05, _UFFDIO_WRITEPROTECT = 0x06, _UFFDIO_CONTINUE = 0x07,
  _UFFDIO_POISON = 0x08, _UFFDIO_API = 0x3f;

const bit = (nr: number): bigint => 1n << BigInt(nr);
/** UFFD_API_IOCTLS: what UFFDIO_API reports. */
export const UFFD_API_IOCTLS = bit(_UFFDIO_REGISTER) | bit(_UFFDIO_UNREGISTER) | bit(_UFFDIO_API);
/** UFFD_API_RANGE_IOCTLS: what UFFDIO_REGISTER reports before removing WP/CONTINUE. */
export const UFFD_API_RANGE_IOCTLS = bit(_UFFDIO_WAKE) | bit(_UFFDIO_COPY) | bit(_UFFDIO_ZEROPAGE) | bit(_UFFDIO_MOVE) |
  bit(_UFFDIO_WRITEPROTECT) | bit(_UFFDIO_CONTINUE) | bit(_UFFDIO_POISON);
/** UFFD_API_RANGE_IOCTLS_BASIC: the same for a range with hugetlb memory (no ZEROPAGE, no MOVE). */
export const UFFD_API_RANGE_IOCTLS_BASIC = bit(_UFFDIO_WAKE) | bit(_UFFDIO_COPY) | bit(_UFFDIO_WRITEPROTECT) | bit(_UFFDIO_CONTINUE) |
  bit(_UFFDIO_POISON);
export const UFFDIO_WRITEPROTECT_BIT = bit(_UFFDIO_WRITEPROTECT);
export const UFFDIO_CONTINUE_BIT = bit(_UFFDIO_CONTINUE);

export const UFFD_FEATURE_PAGEFAULT_FLAG_WP = 1 << 0;
export const UFFD_FEATURE_EVENT_FORK = 1 << 1;
export const UFFD_FEATURE_EVENT_REMAP = 1 << 2;
export const UFFD_FEATURE_EVENT_REMOVE = 1 << 3;
export const UFFD_FEATURE_MISSING_HUGETLBFS = 1 << 4;
export const UFFD_FEATURE_MISSING_SHMEM = 1 << 5;
export const UFFD_FEATURE_EVENT_UNMAP = 1 << 6;
export const UFFD_FEATURE_SIGBUS = 1 << 7;
export const UFFD_FEATURE_THREAD_ID = 1 << 8;
export const UFFD_FEATURE_MINOR_HUGETLBFS = 1 << 9;
export const UFFD_FEATURE_MINOR_SHMEM = 1 << 10;
export const UFFD_FEATURE_EXACT_ADDRESS = 1 << 11;
export const UFFD_FEATURE_WP_HUGETLBFS_SHMEM = 1 << 12;
export const UFFD_FEATURE_WP_UNPOPULATED = 1 << 13;
export const UFFD_FEATURE_POISON = 1 << 14;
export const UFFD_FEATURE_WP_ASYNC = 1 << 15;
export const UFFD_FEATURE_MOVE = 1 << 16;

export const UFFDIO_REGISTER_MODE_MISSING = 1;
export const UFFDIO_REGISTER_MODE_WP = 2;
export const UFFDIO_REGISTER_MODE_MINOR = 4;
export const UFFD_API_REGISTER_MODES = 7;

export const UFFDIO_COPY_MODE_DONTWAKE = 1, UFFDIO_COPY_MODE_WP = 2;
export const UFFDIO_ZEROPAGE_MODE_DONTWAKE = 1;
export const UFFDIO_WRITEPROTECT_MODE_WP = 1, UFFDIO_WRITEPROTECT_MODE_DONTWAKE = 2;
export const UFFDIO_CONTINUE_MODE_DONTWAKE = 1, UFFDIO_CONTINUE_MODE_WP = 2;
export const UFFDIO_POISON_MODE_DONTWAKE = 1;
export const UFFDIO_MOVE_MODE_DONTWAKE = 1, UFFDIO_MOVE_MODE_ALLOW_SRC_HOLES = 2;

export const UFFD_EVENT_PAGEFAULT = 0x12;
export const UFFD_EVENT_FORK = 0x13;
export const UFFD_EVENT_REMAP = 0x14;
export const UFFD_EVENT_REMOVE = 0x15;
export const UFFD_EVENT_UNMAP = 0x16;

export const UFFD_PAGEFAULT_FLAG_WRITE = 1 << 0;
export const UFFD_PAGEFAULT_FLAG_WP = 1 << 1;
export const UFFD_PAGEFAULT_FLAG_MINOR = 1 << 2;

// ---------------------------------------------------------------- struct layouts

export const UFFDIO_API_SIZE = 24;
export const UFFDIO_API_OFFSETS = { api: 0, features: 8, ioctls: 16 } as const;
export const UFFDIO_RANGE_SIZE = 16;
export const UFFDIO_RANGE_OFFSETS = { start: 0, len: 8 } as const;
export const UFFDIO_REGISTER_SIZE = 32;
export const UFFDIO_REGISTER_OFFSETS = { start: 0, len: 8, mode: 16, ioctls: 24 } as const;
export const UFFDIO_COPY_SIZE = 40;
export const UFFDIO_COPY_OFFSETS = { dst: 0, src: 8, len: 16, mode: 24, copy: 32 } as const;
export const UFFDIO_ZEROPAGE_SIZE = 32;
export const UFFDIO_ZEROPAGE_OFFSETS = { start: 0, len: 8, mode: 16, zeropage: 24 } as const;
export const UFFDIO_WRITEPROTECT_SIZE = 24;
export const UFFDIO_WRITEPROTECT_OFFSETS = { start: 0, len: 8, mode: 16 } as const;
export const UFFDIO_CONTINUE_SIZE = 32;
export const UFFDIO_CONTINUE_OFFSETS = { start: 0, len: 8, mode: 16, mapped: 24 } as const;
export const UFFDIO_POISON_SIZE = 32;
export const UFFDIO_POISON_OFFSETS = { start: 0, len: 8, mode: 16, updated: 24 } as const;
export const UFFDIO_MOVE_SIZE = 40;
export const UFFDIO_MOVE_OFFSETS = { dst: 0, src: 8, len: 16, mode: 24, move: 32 } as const;

export const UFFD_MSG_SIZE = 32;
export const UFFD_MSG_OFFSETS = {
  event: 0,
  reserved1: 1,
  reserved2: 2,
  reserved3: 4,
  pagefaultFlags: 8,
  pagefaultAddress: 16,
  pagefaultPtid: 24,
  forkUfd: 8,
  remapFrom: 8,
  remapTo: 16,
  remapLen: 24,
  removeStart: 8,
  removeEnd: 16,
} as const;

/** The payload of one message read from a uffd. */
export type UffdMsg =
  | { event: typeof UFFD_EVENT_PAGEFAULT; flags: number; address: bigint; ptid: number }
  | { event: typeof UFFD_EVENT_FORK; ufd: number }
  | { event: typeof UFFD_EVENT_REMAP; from: bigint; to: bigint; len: bigint }
  | { event: typeof UFFD_EVENT_REMOVE | typeof UFFD_EVENT_UNMAP; start: bigint; end: bigint };

/** struct uffd_msg: the kernel zeroes all 32 bytes before filling it. */
export function encodeUffdMsg(view: DataView, off: number, msg: UffdMsg): void {
  for (let i = 0; i < UFFD_MSG_SIZE; i++) view.setUint8(off + i, 0);
  const o = UFFD_MSG_OFFSETS;
  view.setUint8(off + o.event, msg.event);
  switch (msg.event) {
    case UFFD_EVENT_PAGEFAULT:
      view.setBigUint64(off + o.pagefaultFlags, BigInt(msg.flags), true);
      view.setBigUint64(off + o.pagefaultAddress, msg.address, true);
      view.setUint32(off + o.pagefaultPtid, msg.ptid >>> 0, true);
      break;
    case UFFD_EVENT_FORK:
      view.setUint32(off + o.forkUfd, msg.ufd >>> 0, true);
      break;
    case UFFD_EVENT_REMAP:
      view.setBigUint64(off + o.remapFrom, msg.from, true);
      view.setBigUint64(off + o.remapTo, msg.to, true);
      view.setBigUint64(off + o.remapLen, msg.len, true);
      break;
    default:
      view.setBigUint64(off + o.removeStart, msg.start, true);
      view.setBigUint64(off + o.removeEnd, msg.end, true);
  }
}

export function decodeUffdMsg(view: DataView, off: number): UffdMsg {
  const o = UFFD_MSG_OFFSETS;
  const event = view.getUint8(off + o.event);
  switch (event) {
    case UFFD_EVENT_PAGEFAULT:
      return {
        event,
        flags: Number(view.getBigUint64(off + o.pagefaultFlags, true)),
        address: view.getBigUint64(off + o.pagefaultAddress, true),
        ptid: view.getUint32(off + o.pagefaultPtid, true),
      };
    case UFFD_EVENT_FORK:
      return { event, ufd: view.getUint32(off + o.forkUfd, true) };
    case UFFD_EVENT_REMAP:
      return { event, from: view.getBigUint64(off + o.remapFrom, true), to: view.getBigUint64(off + o.remapTo, true), len: view.getBigUint64(off + o.remapLen, true) };
    default:
      return { event: event as typeof UFFD_EVENT_REMOVE, start: view.getBigUint64(off + o.removeStart, true), end: view.getBigUint64(off + o.removeEnd, true) };
  }
}

export interface UffdioApi {
  api: bigint;
  features: bigint;
  ioctls: bigint;
}

export function decodeUffdioApi(view: DataView, off: number): UffdioApi {
  const o = UFFDIO_API_OFFSETS;
  return { api: view.getBigUint64(off + o.api, true), features: view.getBigUint64(off + o.features, true), ioctls: view.getBigUint64(off + o.ioctls, true) };
}

export function encodeUffdioApi(view: DataView, off: number, v: UffdioApi): void {
  const o = UFFDIO_API_OFFSETS;
  view.setBigUint64(off + o.api, v.api, true);
  view.setBigUint64(off + o.features, v.features, true);
  view.setBigUint64(off + o.ioctls, v.ioctls, true);
}

/** The u64 fields of the range-shaped structs, in offset order (start/len/mode/... or dst/src/len/mode). */
export function readU64s(view: DataView, off: number, count: number): bigint[] {
  const out = new Array<bigint>(count);
  for (let i = 0; i < count; i++) out[i] = view.getBigUint64(off + 8 * i, true);
  return out;
}

// ---------------------------------------------------------------- names (strace)

export const UFFD_FLAGS: Xlat = [
  ['UFFD_USER_MODE_ONLY', UFFD_USER_MODE_ONLY],
  ['O_NONBLOCK', 0x800],
  ['O_CLOEXEC', 0x80000],
];

export const UFFD_FEATURE_NAMES: Xlat = [
  ['UFFD_FEATURE_PAGEFAULT_FLAG_WP', UFFD_FEATURE_PAGEFAULT_FLAG_WP],
  ['UFFD_FEATURE_EVENT_FORK', UFFD_FEATURE_EVENT_FORK],
  ['UFFD_FEATURE_EVENT_REMAP', UFFD_FEATURE_EVENT_REMAP],
  ['UFFD_FEATURE_EVENT_REMOVE', UFFD_FEATURE_EVENT_REMOVE],
  ['UFFD_FEATURE_MISSING_HUGETLBFS', UFFD_FEATURE_MISSING_HUGETLBFS],
  ['UFFD_FEATURE_MISSING_SHMEM', UFFD_FEATURE_MISSING_SHMEM],
  ['UFFD_FEATURE_EVENT_UNMAP', UFFD_FEATURE_EVENT_UNMAP],
  ['UFFD_FEATURE_SIGBUS', UFFD_FEATURE_SIGBUS],
  ['UFFD_FEATURE_THREAD_ID', UFFD_FEATURE_THREAD_ID],
  ['UFFD_FEATURE_MINOR_HUGETLBFS', UFFD_FEATURE_MINOR_HUGETLBFS],
  ['UFFD_FEATURE_MINOR_SHMEM', UFFD_FEATURE_MINOR_SHMEM],
  ['UFFD_FEATURE_EXACT_ADDRESS', UFFD_FEATURE_EXACT_ADDRESS],
  ['UFFD_FEATURE_WP_HUGETLBFS_SHMEM', UFFD_FEATURE_WP_HUGETLBFS_SHMEM],
  ['UFFD_FEATURE_WP_UNPOPULATED', UFFD_FEATURE_WP_UNPOPULATED],
  ['UFFD_FEATURE_POISON', UFFD_FEATURE_POISON],
  ['UFFD_FEATURE_WP_ASYNC', UFFD_FEATURE_WP_ASYNC],
  ['UFFD_FEATURE_MOVE', UFFD_FEATURE_MOVE],
];

/** strace's names for the bits of an "ioctls" mask. */
export const UFFD_IOCTL_BITS: Xlat = [
  ['1<<_UFFDIO_REGISTER', 1 << _UFFDIO_REGISTER],
  ['1<<_UFFDIO_UNREGISTER', 1 << _UFFDIO_UNREGISTER],
  ['1<<_UFFDIO_WAKE', 1 << _UFFDIO_WAKE],
  ['1<<_UFFDIO_COPY', 1 << _UFFDIO_COPY],
  ['1<<_UFFDIO_ZEROPAGE', 1 << _UFFDIO_ZEROPAGE],
  ['1<<_UFFDIO_MOVE', 1 << _UFFDIO_MOVE],
  ['1<<_UFFDIO_WRITEPROTECT', 1 << _UFFDIO_WRITEPROTECT],
  ['1<<_UFFDIO_CONTINUE', 1 << _UFFDIO_CONTINUE],
  ['1<<_UFFDIO_POISON', 1 << _UFFDIO_POISON],
];

export const UFFD_REGISTER_MODE_NAMES: Xlat = [
  ['UFFDIO_REGISTER_MODE_MISSING', UFFDIO_REGISTER_MODE_MISSING],
  ['UFFDIO_REGISTER_MODE_WP', UFFDIO_REGISTER_MODE_WP],
  ['UFFDIO_REGISTER_MODE_MINOR', UFFDIO_REGISTER_MODE_MINOR],
];

/** Request number -> name, for the ioctls of a uffd and of /dev/userfaultfd. */
export const UFFD_IOCTL_NAMES: ReadonlyMap<number, string> = new Map([
  [UFFDIO_API, 'UFFDIO_API'],
  [UFFDIO_REGISTER, 'UFFDIO_REGISTER'],
  [UFFDIO_UNREGISTER, 'UFFDIO_UNREGISTER'],
  [UFFDIO_WAKE, 'UFFDIO_WAKE'],
  [UFFDIO_COPY, 'UFFDIO_COPY'],
  [UFFDIO_ZEROPAGE, 'UFFDIO_ZEROPAGE'],
  [UFFDIO_MOVE, 'UFFDIO_MOVE'],
  [UFFDIO_WRITEPROTECT, 'UFFDIO_WRITEPROTECT'],
  [UFFDIO_CONTINUE, 'UFFDIO_CONTINUE'],
  [UFFDIO_POISON, 'UFFDIO_POISON'],
  [USERFAULTFD_IOC_NEW, 'USERFAULTFD_IOC_NEW'],
]);
