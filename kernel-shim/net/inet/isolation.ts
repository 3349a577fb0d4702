// --net=none for AF_INET/AF_INET6: the view of a process in a fresh network namespace with
// only the loopback interface up. Guest sockets are still host sockets, but bound only to the
// host's loopback (a wildcard bind becomes a loopback bind, reported back as the wildcard),
// and they reach only ports that sockets of this Kernel hold: anything else on the loopback
// is refused as a closed port would be, and any other address is unreachable, with the
// errnos Linux gives in such a namespace (checked with `unshare -rn`).
import { Errno } from '../../errno.js';
import { AF_INET, AF_INET6, SOCK_DGRAM } from '../constants.js';
import { type InetAddress, parseInetAddress, portOf, withLoopback } from './address.js';

/** What the isolation needs of a guest socket. */
export interface PortHolder {
  readonly type: number;
  /** The host port the socket is bound to, 0 when none yet. */
  localPort(): number;
}

/** Where a destination leads: the host decides ('host'), a guest socket, a closed loopback port, or -errno. */
export type Destination = 'host' | 'guest' | 'refused' | number;

/** The Kernel's AF_INET/AF_INET6 state: the --net mode and the live guest sockets. */
export class InetNetwork {
  readonly sockets = new Set<PortHolder>();

  constructor(readonly isolated: boolean) {}

  /** Whether a guest socket of this type holds the port. */
  guestPort(type: number, port: number): boolean {
    if (port === 0) return false;
    for (const s of this.sockets) if (s.type === type && s.localPort() === port) return true;
    return false;
  }

  /**
   * The address to bind the host socket to: the caller's, or under --net=none the loopback
   * for the wildcard (wildcard: true) and -EADDRNOTAVAIL for any other address.
   */
  bindAddress(family: number, addr: Uint8Array): { host: Uint8Array; wildcard: boolean } | number {
    const parsed = this.isolated ? parseInetAddress(addr) : null;
    if (parsed === null || parsed.family !== family) return { host: addr, wildcard: false };
    if (parsed.kind === 'wildcard') return { host: withLoopback(addr), wildcard: true };
    if (parsed.kind === 'loopback') return { host: addr, wildcard: false };
    return -(parsed.linkLocal && scopeOf(addr) === 0 ? Errno.EINVAL : Errno.EADDRNOTAVAIL);
  }

  /** Where a connect or send to addr leads, for a socket of this family and type. */
  destination(family: number, type: number, addr: Uint8Array): Destination {
    if (!this.isolated) return 'host';
    const parsed = parseInetAddress(addr);
    if (parsed === null || !accepts(family, type, parsed)) return 'host';
    if (parsed.kind === 'other') return -Errno.ENETUNREACH;
    return this.guestPort(type, parsed.port) ? 'guest' : 'refused';
  }

  /** Whether a peer (an accepted connection's or a datagram's source) is a guest socket. */
  fromGuest(type: number, peer: Uint8Array | null): boolean {
    return !this.isolated || peer === null || this.guestPort(type, portOf(peer));
  }
}

/** The address families a socket's connect and sendmsg take: an IPv6 datagram socket also takes IPv4. */
function accepts(family: number, type: number, addr: InetAddress): boolean {
  return addr.family === family || (family === AF_INET6 && type === SOCK_DGRAM && addr.family === AF_INET);
}

function scopeOf(addr: Uint8Array): number {
  return addr.length < 28 || (addr[0] | (addr[1] << 8)) !== AF_INET6 ? 0 : new DataView(addr.buffer, addr.byteOffset).getUint32(24, true);
}
