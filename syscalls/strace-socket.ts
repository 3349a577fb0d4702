// The socket calls' argument kinds as strace prints them: socket's type and protocol (named
// by the family in argument 0), addresses the call reads or stores with their lengths,
// msghdrs, and option names and values (named by their level).
import type { ArgSpec } from './argkinds.js';
import { mmsghdrs, msghdr, MSGHDR_SIZE } from './strace-msghdr.js';
import { sockaddr, socklenInOut, socklenValue } from './strace-sockaddr.js';
import {
  ETHERNET_PROTOCOLS, IP_PROTOCOLS, NETLINK_PROTOCOLS, SOCKET_FLAGS, SOCKET_TYPES, SOCKOPT_NAMES, SOL_SOCKET,
} from './strace-socket-xlat.js';
import { buffer, flags, type GuestReader, hex, pointer, readView, xval } from './strace-values.js';

export type SocketArgKind =
  /** socket's type: SOCK_STREAM|SOCK_CLOEXEC. */
  | 'socket_type'
  /** socket's protocol, named for the family in argument 0: IPPROTO_TCP, NETLINK_ROUTE, htons(ETH_P_ALL). */
  | 'socket_protocol'
  /** An address the call reads; its length is argument `len` (default: the next). */
  | 'sockaddr'
  /** An address the call stores; its socklen_t is at argument `len` (default: the next). */
  | 'sockaddr_out'
  /** A socklen_t the call reads and stores: [16], [128 => 16]. */
  | 'socklen_inout'
  /** A msghdr sendmsg reads. */
  | 'msghdr'
  /** A msghdr recvmsg fills, with what landed. */
  | 'msghdr_out'
  /** sendmmsg/recvmmsg's mmsghdr array: the messages the call handled (its result). */
  | 'mmsghdrs_out'
  /** An option name, named for the level in argument 1. */
  | 'sockopt_name'
  /** setsockopt's value (level and name in arguments 1 and 2; length `len`). */
  | 'sockopt_value'
  /** getsockopt's value, as long as the socklen_t at argument `len` says. */
  | 'sockopt_value_out';

const AF_INET = 2n, AF_INET6 = 10n, AF_NETLINK = 16n, AF_PACKET = 17n;
const SO_LINGER = 13, SO_PEERCRED = 17;
const SOCK_TYPE_MASK = 0xfn;

function socketType(v: bigint): string {
  const value = BigInt.asUintN(32, v);
  const type = xval(value & SOCK_TYPE_MASK, SOCKET_TYPES, 'SOCK_???');
  const rest = value & ~SOCK_TYPE_MASK;
  return rest === 0n ? type : `${type}|${flags(rest, SOCKET_FLAGS, null)}`;
}

function socketProtocol(family: bigint, v: bigint): string {
  const value = BigInt.asUintN(32, v);
  switch (BigInt.asUintN(32, family)) {
    case AF_INET: case AF_INET6: return xval(value, IP_PROTOCOLS, 'IPPROTO_???');
    case AF_NETLINK: return xval(value, NETLINK_PROTOCOLS, 'NETLINK_???');
    case AF_PACKET: {
      const host = ((Number(value) & 0xff) << 8) | ((Number(value) >> 8) & 0xff);
      const name = xval(BigInt(host), ETHERNET_PROTOCOLS, null);
      return `htons(${name === hex(BigInt(host)) ? `${host} /* ETH_P_??? */` : name})`;
    }
    default: return String(BigInt.asIntN(32, v));
  }
}

/** An option value of `len` bytes: an int as [1] when it is one, struct linger, struct ucred, else the bytes. */
function optionValue(level: number, name: number, addr: bigint, len: bigint, mem: GuestReader): string {
  const view = len > 0n && len <= 16n ? readView(addr, Number(len), mem) : null;
  if (view !== null && level === SOL_SOCKET && name === SO_LINGER && len === 8n) {
    return `{l_onoff=${view.getInt32(0, true)}, l_linger=${view.getInt32(4, true)}}`;
  }
  if (view !== null && level === SOL_SOCKET && name === SO_PEERCRED && len === 12n) {
    return `{pid=${view.getInt32(0, true)}, uid=${view.getUint32(4, true)}, gid=${view.getUint32(8, true)}}`;
  }
  if (view !== null && len === 4n) return `[${view.getInt32(0, true)}]`;
  return buffer(addr, len < 0n ? 0n : len, false, mem);
}

/** The socket kind of argument `index`; `ok`: the call succeeded; `length`: the raw argument holding its length. */
export function formatSocketArg(kind: SocketArgKind, index: number, args: readonly bigint[], lengthIndex: number, result: bigint | null, ok: boolean, mem: GuestReader): string {
  const v = args[index] ?? 0n;
  const lengthArg = args[lengthIndex] ?? 0n;
  const level = Number(BigInt.asIntN(32, args[1] ?? 0n));
  const name = Number(BigInt.asIntN(32, args[2] ?? 0n));
  switch (kind) {
    case 'socket_type': return socketType(v);
    case 'socket_protocol': return socketProtocol(args[0] ?? 0n, v);
    case 'sockaddr': return sockaddr(v, BigInt.asIntN(32, lengthArg), mem);
    case 'sockaddr_out': {
      if (!ok) return pointer(v);
      const entry = mem.entryBytes?.(lengthArg, 4);
      const after = socklenValue(lengthArg, mem);
      const before = entry ? BigInt(new DataView(entry.buffer, entry.byteOffset, 4).getUint32(0, true)) : after;
      return sockaddr(v, before < after ? before : after, mem);
    }
    case 'socklen_inout': return socklenInOut(v, mem.entryBytes?.(v, 4) ?? null, mem);
    case 'msghdr': return msghdr(v, null, mem);
    case 'msghdr_out': return ok && result !== null ? msghdr(v, { count: result, entry: mem.entryBytes?.(v, MSGHDR_SIZE) ?? null }, mem) : pointer(v);
    case 'mmsghdrs_out': return ok && result !== null ? mmsghdrs(v, result, mem) : pointer(v);
    case 'sockopt_name': {
      const names = SOCKOPT_NAMES.get(level);
      return names ? xval(BigInt.asUintN(32, v), names.table, names.unknown) : String(BigInt.asIntN(32, v));
    }
    case 'sockopt_value': return optionValue(level, name, v, BigInt.asIntN(32, lengthArg), mem);
    case 'sockopt_value_out': return ok ? optionValue(level, name, v, socklenValue(lengthArg, mem), mem) : pointer(v);
  }
}

const SOCKET_KINDS: ReadonlySet<string> = new Set<SocketArgKind>([
  'socket_type', 'socket_protocol', 'sockaddr', 'sockaddr_out', 'socklen_inout', 'msghdr', 'msghdr_out', 'mmsghdrs_out',
  'sockopt_name', 'sockopt_value', 'sockopt_value_out',
]);

export function isSocketKind(kind: string): kind is SocketArgKind {
  return SOCKET_KINDS.has(kind);
}

/** The memory a call's kinds need as it was on entry (a length or offset the call rewrites): [address, size] pairs. */
export function entryCaptures(kinds: readonly ArgSpec[], args: readonly bigint[]): [bigint, number][] {
  const out: [bigint, number][] = [];
  kinds.forEach((spec, i) => {
    const kind = typeof spec === 'string' ? spec : spec.kind;
    const index = typeof spec === 'string' ? i : spec.arg ?? i;
    if (kind === 'socklen_inout') out.push([args[index] ?? 0n, 4]);
    else if (kind === 'msghdr_out') out.push([args[index] ?? 0n, MSGHDR_SIZE]);
    else if (kind === 'loff_in' && args[index]) out.push([args[index], 8]);
  });
  return out;
}
