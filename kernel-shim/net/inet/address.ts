// struct sockaddr_in and sockaddr_in6 as far as ushim looks into them: the family, the port
// and whether the address is the loopback, the wildcard or something else, so that
// --net=none can tell what stays inside ushim. Host sockets take the bytes unchanged.
import { AF_INET, AF_INET6 } from '../constants.js';

const SOCKADDR_IN_SIZE = 16;
/** SIN6_LEN_RFC2133: the shortest sockaddr_in6 Linux takes (without sin6_scope_id). */
const SOCKADDR_IN6_MIN = 24;

export type AddressKind = 'loopback' | 'wildcard' | 'other';

export interface InetAddress {
  family: number;
  port: number;
  kind: AddressKind;
  /** An IPv6 link-local address (fe80::/10), which needs a scope. */
  linkLocal: boolean;
  /** An IPv4-mapped IPv6 address (::ffff:a.b.c.d). */
  mappedV4: boolean;
}

function kindOfV4(a: Uint8Array): AddressKind {
  if (a[0] === 127) return 'loopback';
  return a.every((b) => b === 0) ? 'wildcard' : 'other';
}

function kindOfV6(a: Uint8Array): AddressKind {
  const prefixZero = a.subarray(0, 10).every((b) => b === 0);
  if (prefixZero && a[10] === 0xff && a[11] === 0xff) return kindOfV4(a.subarray(12));
  if (prefixZero && a[10] === 0 && a[11] === 0 && a[12] === 0 && a[13] === 0 && a[14] === 0) {
    if (a[15] === 1) return 'loopback';
    if (a[15] === 0) return 'wildcard';
  }
  return 'other';
}

/** The address in sockaddr bytes of family AF_INET or AF_INET6, or null when it is neither or too short. */
export function parseInetAddress(bytes: Uint8Array): InetAddress | null {
  if (bytes.length < 2) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const family = view.getUint16(0, true);
  if (family === AF_INET && bytes.length >= SOCKADDR_IN_SIZE) {
    return { family, port: view.getUint16(2, false), kind: kindOfV4(bytes.subarray(4, 8)), linkLocal: false, mappedV4: false };
  }
  if (family === AF_INET6 && bytes.length >= SOCKADDR_IN6_MIN) {
    const a = bytes.subarray(8, 24);
    const mappedV4 = a.subarray(0, 10).every((b) => b === 0) && a[10] === 0xff && a[11] === 0xff;
    return { family, port: view.getUint16(2, false), kind: kindOfV6(a), linkLocal: a[0] === 0xfe && (a[1] & 0xc0) === 0x80, mappedV4 };
  }
  return null;
}

/** The port of a sockaddr_in or sockaddr_in6 (both keep it at offset 2, big-endian). */
export function portOf(bytes: Uint8Array): number {
  return bytes.length < 4 ? 0 : (bytes[2] << 8) | bytes[3];
}

/** The same address with another port. */
export function withPort(bytes: Uint8Array, port: number): Uint8Array {
  const out = bytes.slice();
  out[2] = port >> 8;
  out[3] = port & 0xff;
  return out;
}

/** The same address with the IP replaced by the loopback one (127.0.0.1 or ::1). */
export function withLoopback(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  const family = out[0] | (out[1] << 8);
  if (family === AF_INET) out.set([127, 0, 0, 1], 4);
  else out.set([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 8);
  return out;
}

/** The same address with the IP replaced by the wildcard (0.0.0.0 or ::). */
export function withWildcard(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  const family = out[0] | (out[1] << 8);
  if (family === AF_INET) out.fill(0, 4, 8);
  else out.fill(0, 8, 24);
  return out;
}
