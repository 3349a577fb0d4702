// strace's socket addresses: {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("127.0.0.1")},
// AF_INET6 with inet_pton, AF_UNIX paths (abstract names as @"name"), AF_NETLINK's port and
// groups, and any other family (or a length too short for its structure) as sa_data bytes.
import { AF_INET, AF_INET6, AF_NETLINK, AF_UNIX } from '../kernel-shim/net/constants.js';
import { SOCKADDR_NL_SIZE } from '../kernel-shim/net/netlink/constants.js';
import { SOCKADDR_STORAGE_SIZE } from '../kernel-shim/net/sockaddr-io.js';
import { ADDRESS_FAMILIES } from './strace-socket-xlat.js';
import { type GuestReader, isNull, pointer, quoteBytes, xval } from './strace-values.js';

const SOCKADDR_IN_SIZE = 16;
/** An IPv6 address without sin6_scope_id (RFC 2133's struct). */
const SOCKADDR_IN6_MIN = 24;
const SOCKADDR_IN6_SIZE = 28;

export function ipv4Text(b: Uint8Array): string {
  return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
}

/** inet_ntop(AF_INET6): the longest run of two or more zero groups as "::", IPv4-mapped addresses dotted. */
export function ipv6Text(b: Uint8Array): string {
  const groups = Array.from({ length: 8 }, (_, i) => (b[2 * i] << 8) | b[2 * i + 1]);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) return `::ffff:${ipv4Text(b.subarray(12))}`;
  let best = -1, bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = (gs: number[]) => gs.map((g) => g.toString(16)).join(':');
  if (best < 0) return hex(groups);
  return `${hex(groups.slice(0, best))}::${hex(groups.slice(best + bestLen))}`;
}

const port = (b: Uint8Array) => (b[2] << 8) | b[3];

function unixAddress(b: Uint8Array): string {
  if (b.length <= 2) return '{sa_family=AF_UNIX}';
  const path = b.subarray(2);
  if (path[0] === 0) return `{sa_family=AF_UNIX, sun_path=@${quoteBytes(path.subarray(1))}}`;
  const end = path.indexOf(0);
  return `{sa_family=AF_UNIX, sun_path=${quoteBytes(end < 0 ? path : path.subarray(0, end))}}`;
}

/** The fields after sa_family, for the families strace decodes at this length; null: sa_data. */
function familyFields(family: number, b: Uint8Array): string | null {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  switch (family) {
    case AF_INET:
      return b.length < SOCKADDR_IN_SIZE ? null : `sin_port=htons(${port(b)}), sin_addr=inet_addr("${ipv4Text(b.subarray(4, 8))}")`;
    case AF_INET6: {
      if (b.length < SOCKADDR_IN6_MIN) return null;
      const fields = [`sin6_port=htons(${port(b)})`, `sin6_flowinfo=htonl(${view.getUint32(4, false)})`,
        `inet_pton(AF_INET6, "${ipv6Text(b.subarray(8, 24))}", &sin6_addr)`];
      if (b.length >= SOCKADDR_IN6_SIZE) fields.push(`sin6_scope_id=${view.getUint32(24, true)}`);
      return fields.join(', ');
    }
    case AF_NETLINK:
      return b.length < SOCKADDR_NL_SIZE ? null
        : `nl_pid=${view.getInt32(4, true)}, nl_groups=${view.getUint32(8, true).toString(16).padStart(8, '0')}`;
    default:
      return null;
  }
}

/** The address of `len` bytes at addr (at most sockaddr_storage's); unreadable: the pointer. */
export function sockaddr(addr: bigint, len: bigint, mem: GuestReader): string {
  if (isNull(addr)) return 'NULL';
  const n = len < 0n ? 0 : Number(len > BigInt(SOCKADDR_STORAGE_SIZE) ? BigInt(SOCKADDR_STORAGE_SIZE) : len);
  if (n < 2) return pointer(addr);
  const b = mem.readBytes(addr, n);
  if (b === null) return pointer(addr);
  const family = b[0] | (b[1] << 8);
  if (family === AF_UNIX) return unixAddress(b);
  const name = `sa_family=${xval(BigInt(family), ADDRESS_FAMILIES, 'AF_???')}`;
  const fields = familyFields(family, b);
  return `{${name}, ${fields ?? `sa_data=${quoteBytes(b.subarray(2))}`}}`;
}

/** A socklen_t the call reads and stores: [16], or [128 => 16] when it changed; unreadable: the pointer. */
export function socklenInOut(addr: bigint, entry: Uint8Array | null, mem: GuestReader): string {
  if (isNull(addr)) return 'NULL';
  const now = mem.readBytes(addr, 4);
  if (now === null) return pointer(addr);
  const value = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true);
  const after = value(now);
  const before = entry === null ? after : value(entry);
  return before === after ? `[${after}]` : `[${before} => ${after}]`;
}

/** The length a socklen_t holds now (0 when unreadable). */
export function socklenValue(addr: bigint, mem: GuestReader): bigint {
  const b = isNull(addr) ? null : mem.readBytes(addr, 4);
  return b === null ? 0n : BigInt(new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true));
}
