// strace's decoding of the structures and arrays syscalls read or fill: timespec/timeval,
// iovec arrays, open_how, statx, siginfo, epoll_event, signal sets, getdents records,
// argv/envp, mincore vectors. Each returns the address instead when memory is unreadable.
import { decodeTimespec, TIMESPEC_SIZE } from '../kernel-shim/abi/time.js';
import * as F from '../kernel-shim/abi/xlat.js';
import { EPOLL_EVENTS } from '../kernel-shim/abi/xlat-events.js';
import { CLD_CODES, SI_CODES, signalName } from '../kernel-shim/abi/xlat-signal.js';
import {
  buffer,
  fileMode,
  flags,
  type GuestReader,
  hex,
  isNull,
  lookup,
  MAX_STRLEN,
  octal,
  openFlags,
  pointer,
  readView,
  readWord,
  string,
} from './strace-values.js';

/** Stops walking an unterminated argv/envp in an endless readable region. */
const MAX_ARRAY_WALK = 1 << 20;
const PAGE_SIZE = 4096n;

/** Up to 32 items, then "...". */
function list(items: readonly string[], more: boolean): string {
  return `[${[...items, ...(more ? ['...'] : [])].join(', ')}]`;
}

export function timespec(addr: bigint, mem: GuestReader): string {
  const view = readView(addr, TIMESPEC_SIZE, mem);
  if (view === null) return pointer(addr);
  const ts = decodeTimespec(view, 0);
  return `{tv_sec=${ts.sec}, tv_nsec=${ts.nsec}}`;
}

const TIMEVAL_SIZE = 16;

function timevalAt(view: DataView, off: number): string {
  return `{tv_sec=${view.getBigInt64(off, true)}, tv_usec=${view.getBigInt64(off + 8, true)}}`;
}

export function timeval(addr: bigint, mem: GuestReader): string {
  const view = readView(addr, TIMEVAL_SIZE, mem);
  return view === null ? pointer(addr) : timevalAt(view, 0);
}

/** A time in seconds as strace dates it, in UTC: 1970-01-01T00:00:01+0000 (with the fraction given). */
export function isoDate(sec: bigint, fraction = ''): string {
  const date = new Date(Number(sec) * 1000);
  if (Number.isNaN(date.getTime())) return String(sec);
  return `${date.toISOString().slice(0, 19)}${fraction}+0000`;
}

/** The date strace adds after a file time, 1970-01-01T00:00:01.000002+0000; a zero fraction is left out. */
function dateComment(sec: bigint, usec: bigint): string {
  return ` /* ${isoDate(sec, usec === 0n ? '' : `.${String(usec).padStart(6, '0')}`)} */`;
}

/** time's result stored through its pointer: [1796622395 /* 2026-12-07T05:46:35+0000 *\/]. */
export function timeT(addr: bigint, mem: GuestReader): string {
  const view = readView(addr, 8, mem);
  if (view === null) return pointer(addr);
  const sec = view.getBigInt64(0, true);
  return `[${sec} /* ${isoDate(sec)} */]`;
}

/** utimes/futimesat's two timevals. */
export function timevalPair(addr: bigint, mem: GuestReader): string {
  const view = readView(addr, 2 * TIMEVAL_SIZE, mem);
  if (view === null) return pointer(addr);
  const one = (off: number) => `${timevalAt(view, off)}${dateComment(view.getBigInt64(off, true), view.getBigInt64(off + 8, true))}`;
  return `[${one(0)}, ${one(TIMEVAL_SIZE)}]`;
}

/** Counts the linux_dirent(64) records getdents stored: each has d_reclen at +16. */
export function dirents(addr: bigint, used: number, mem: GuestReader): string {
  const view = readView(addr, used, mem);
  if (view === null) return pointer(addr);
  let count = 0;
  for (let off = 0; off + 18 <= used; count++) {
    const reclen = view.getUint16(off + 16, true);
    if (reclen === 0) break;
    off += reclen;
  }
  return `${pointer(addr)} /* ${count} entries */`;
}

/** argv: ["a", "b", ...] with at most 32 strings shown. */
export function stringArray(addr: bigint, mem: GuestReader): string {
  if (isNull(addr)) return 'NULL';
  const items: string[] = [];
  for (let n = 0; n < MAX_ARRAY_WALK; n++) {
    const slot = addr + 8n * BigInt(n);
    const word = readWord(slot, mem);
    if (word === null) {
      if (n === 0) return pointer(addr);
      items.push(`... /* ${hex(slot)} */`);
      break;
    }
    if (word === 0n) break;
    if (n >= MAX_STRLEN) {
      items.push('...');
      break;
    }
    items.push(string(word, MAX_STRLEN, mem));
  }
  return `[${items.join(', ')}]`;
}

/** envp as strace abbreviates it: the address and a comment with the number of strings. */
export function envCount(addr: bigint, mem: GuestReader): string {
  if (isNull(addr)) return 'NULL';
  let n = 0;
  for (; n < MAX_ARRAY_WALK; n++) {
    const word = readWord(addr + 8n * BigInt(n), mem);
    if (word === null) {
      if (n === 0) return pointer(addr);
      break;
    }
    if (word === 0n) break;
  }
  return `${pointer(addr)} /* ${n} var${n === 1 ? '' : 's'} */`;
}

const IOVEC_SIZE = 16;

/**
 * An iovec array: [{iov_base="...", iov_len=N}, ...]. `data` is how many bytes the call moved
 * (a read's result), spread over the buffers in order; null shows each buffer whole (a write);
 * 'addresses' shows the buffers' addresses only (another process's, process_vm_readv).
 */
export function iovecs(addr: bigint, count: bigint, data: bigint | null | 'addresses', mem: GuestReader): string {
  const n = count < 0n ? 0 : Number(count > BigInt(MAX_STRLEN) ? BigInt(MAX_STRLEN) : count);
  const view = readView(addr, n * IOVEC_SIZE, mem);
  if (view === null) return pointer(addr);
  let left = data;
  const items: string[] = [];
  for (let i = 0; i < n; i++) {
    const base = view.getBigUint64(i * IOVEC_SIZE, true);
    const len = view.getBigUint64(i * IOVEC_SIZE + 8, true);
    if (left === 'addresses') {
      items.push(`{iov_base=${pointer(base)}, iov_len=${len}}`);
      continue;
    }
    const shown = left === null ? len : left < len ? left : len;
    if (left !== null) left -= shown;
    items.push(`{iov_base=${buffer(base, shown, false, mem)}, iov_len=${len}}`);
  }
  return list(items, count > BigInt(n));
}

const OPEN_HOW_SIZE = 24;
const O_CREAT = 0x40n;
const O_TMPFILE_BIT = 0x400000n;

/** openat2's struct open_how: mode only when the flags create a file or it is set. */
export function openHow(addr: bigint, size: bigint, mem: GuestReader): string {
  const view = size < BigInt(OPEN_HOW_SIZE) ? null : readView(addr, OPEN_HOW_SIZE, mem);
  if (view === null) return pointer(addr);
  const how = view.getBigUint64(0, true);
  const mode = view.getBigUint64(8, true);
  const parts = [`flags=${openFlags(how)}`];
  if ((how & (O_CREAT | O_TMPFILE_BIT)) !== 0n || mode !== 0n) parts.push(`mode=${octal(mode)}`);
  parts.push(`resolve=${flags(view.getBigUint64(16, true), F.RESOLVE_FLAGS, 'RESOLVE_???')}`);
  return `{${parts.join(', ')}}`;
}

/** statx's flags: the sync type's name, then the AT_* bits. */
export function statxFlags(v: bigint): string {
  const value = BigInt.asUintN(32, v);
  const sync = value & BigInt(F.STATX_SYNC_MASK);
  const rest = value & ~BigInt(F.STATX_SYNC_MASK);
  const head = lookup(F.STATX_SYNC_TYPES, sync) ?? hex(sync);
  return rest === 0n ? head : `${head}|${flags(rest, F.STATX_AT_FLAGS, null)}`;
}

const STATX_HEAD_SIZE = 48;

/** struct statx as strace prints it without -v: mask, attributes, mode, size, then "...". */
export function statx(addr: bigint, mem: GuestReader): string {
  const view = readView(addr, STATX_HEAD_SIZE, mem);
  if (view === null) return pointer(addr);
  const mask = flags(BigInt(view.getUint32(0, true)), F.STATX_MASK, 'STATX_???');
  const attributes = flags(view.getBigUint64(8, true), F.STATX_ATTRIBUTES, 'STATX_ATTR_???');
  const mode = fileMode(BigInt(view.getUint16(28, true)));
  return `{stx_mask=${mask}, stx_attributes=${attributes}, stx_mode=${mode}, stx_size=${view.getBigUint64(40, true)}, ...}`;
}

const SIGINFO_SIZE = 128;
const SIGCHLD = 17;
const SI_TIMER = -2;
const SI_USER = 0;
const SI_TKILL = -6;
const CLD_EXITED = 1;

/** siginfo_t: signal and code by name, then the fields that code carries. */
export function siginfo(addr: bigint, mem: GuestReader): string {
  const view = readView(addr, SIGINFO_SIZE, mem);
  if (view === null) return pointer(addr);
  const signo = view.getInt32(0, true);
  if (signo === 0) return '{}';
  const errno = view.getInt32(4, true);
  const code = view.getInt32(8, true);
  const child = signo === SIGCHLD && code > 0;
  const codeName = (child ? lookup(CLD_CODES, BigInt(code)) : undefined) ?? lookup(SI_CODES, BigInt(code)) ?? String(code);
  const parts = [`si_signo=${signalName(signo)}`, `si_code=${codeName}`];
  if (errno !== 0) parts.push(`si_errno=${errno}`);
  const sigval = () => {
    const value = view.getBigUint64(24, true);
    return value === 0n ? [] : [`si_int=${BigInt.asIntN(32, value)}`, `si_ptr=${pointer(value)}`];
  };
  if (child) {
    const status = view.getInt32(24, true);
    parts.push(
      `si_pid=${view.getInt32(16, true)}`,
      `si_uid=${view.getUint32(20, true)}`,
      `si_status=${code === CLD_EXITED ? status : signalName(status)}`,
      `si_utime=${view.getBigInt64(32, true)}`,
      `si_stime=${view.getBigInt64(40, true)}`,
    );
  } else if (code === SI_TIMER) {
    parts.push(`si_timerid=${hex(BigInt(view.getUint32(16, true)))}`, `si_overrun=${view.getInt32(20, true)}`, ...sigval());
  } else if (code === SI_USER || code === SI_TKILL) {
    parts.push(`si_pid=${view.getInt32(16, true)}`, `si_uid=${view.getUint32(20, true)}`);
  } else if (code < 0) {
    parts.push(`si_pid=${view.getInt32(16, true)}`, `si_uid=${view.getUint32(20, true)}`, ...sigval());
  }
  return `{${parts.join(', ')}}`;
}

/** x86-64 packs struct epoll_event: a u32 of events, then the u64 data at offset 4. */
const EPOLL_EVENT_SIZE = 12;

function epollEventAt(view: DataView, off: number): string {
  const data = view.getBigUint64(off + 4, true);
  const events = flags(BigInt(view.getUint32(off, true)), EPOLL_EVENTS, 'EPOLL???');
  return `{events=${events}, data={u32=${BigInt.asUintN(32, data)}, u64=${data}}}`;
}

export function epollEvent(addr: bigint, mem: GuestReader): string {
  const view = readView(addr, EPOLL_EVENT_SIZE, mem);
  return view === null ? pointer(addr) : epollEventAt(view, 0);
}

/** The `count` events epoll_wait stored. */
export function epollEvents(addr: bigint, count: number, mem: GuestReader): string {
  const n = Math.min(count, MAX_STRLEN);
  if (n === 0) return '[]';
  const view = readView(addr, n * EPOLL_EVENT_SIZE, mem);
  if (view === null) return pointer(addr);
  const items = Array.from({ length: n }, (_, i) => epollEventAt(view, i * EPOLL_EVENT_SIZE));
  return list(items, count > n);
}

const SIGSET_SIZE = 8n;

/** A kernel sigset_t: [INT USR2 RT_4], or ~[...] listing the signals not in it when most are. */
export function sigset(addr: bigint, size: bigint, mem: GuestReader): string {
  const view = size === SIGSET_SIZE ? readView(addr, 8, mem) : null;
  if (view === null) return pointer(addr);
  const set = view.getBigUint64(0, true);
  const members = (inSet: boolean) => {
    const names: string[] = [];
    for (let sig = 1; sig <= 64; sig++) {
      if ((((set >> BigInt(sig - 1)) & 1n) === 1n) === inSet) names.push(signalName(sig).replace(/^SIG/, ''));
    }
    return names;
  };
  const inside = members(true);
  return inside.length > 32 ? `~[${members(false).join(' ')}]` : `[${inside.join(' ')}]`;
}

/** mincore's vector: one byte per page of `len`. */
export function mincoreVector(addr: bigint, len: bigint, mem: GuestReader): string {
  const pages = (BigInt.asUintN(64, len) + PAGE_SIZE - 1n) / PAGE_SIZE;
  const n = pages > BigInt(MAX_STRLEN) ? MAX_STRLEN : Number(pages);
  const bytes = isNull(addr) ? null : mem.readBytes(addr, n);
  if (bytes === null) return pointer(addr);
  return list([...bytes].map(String), pages > BigInt(n));
}

/** A pointer to one number the call reads or stores: [0]. */
export function boxed(addr: bigint, bytes: 4 | 8, mem: GuestReader): string {
  if (isNull(addr)) return 'NULL';
  const view = readView(addr, bytes, mem);
  if (view === null) return pointer(addr);
  return `[${bytes === 4 ? view.getUint32(0, true) : view.getBigInt64(0, true)}]`;
}

/** A pointer the call stores: [0x7f...], [NULL]. */
export function boxedPointer(addr: bigint, mem: GuestReader): string {
  const word = readWord(addr, mem);
  return word === null ? pointer(addr) : `[${pointer(word)}]`;
}
