// --net=none for AF_INET/AF_INET6: the view of a process in a fresh network namespace with
// only the loopback interface up (checked against `unshare -rn`). Guest sockets are still host
// sockets, but held on the host's loopback, each on a port the host picks; the guest sees
// ports of its own namespace instead: the port it asked for, or one ushim picks from the
// ephemeral range in order (so --deterministic runs stay identical). Connects and datagrams
// reach only ports guest sockets hold: another loopback port is refused (a datagram to it is
// lost), any other address is unreachable, and what host processes send to a guest's port
// is dropped unseen. With --net=host every address passes unchanged.
import { hostBind, hostSockName } from '../../../host/socket.js';
import { Errno } from '../../errno.js';
import { AF_INET, AF_INET6, SOCK_DGRAM } from '../constants.js';
import { type InetAddress, parseInetAddress, portOf, withLoopback, withPort } from './address.js';

/** net.ipv4.ip_local_port_range's default: where picked ports come from. */
const EPHEMERAL_FIRST = 32768, EPHEMERAL_LAST = 60999;
/** How many closed guest sockets' ports are remembered. */
const CLOSED_PORTS_KEPT = 1024;

/** Where a destination leads: the host address to use, a port no guest socket holds, or -errno. */
export type Destination = Uint8Array | 'refused' | number;

interface Binding {
  key: number;
  hostKey: number;
}

const keyOf = (type: number, port: number): number => type * 0x10000 + port;

/** The Kernel's AF_INET/AF_INET6 state: the --net mode and, isolated, the guest's ports. */
export class InetNetwork {
  /** Guest port -> host port, and back, by socket type. */
  private readonly hostPorts = new Map<number, number>();
  private readonly guestPorts = new Map<number, number>();
  /** The port each bound guest socket holds. */
  private readonly bindings = new Map<object, Binding>();
  /**
   * Host ports of guest sockets since closed, with their guest ports: what they sent before
   * closing (a datagram, a connection not yet accepted) still arrives from a guest.
   */
  private readonly closedPorts = new Map<number, number>();
  private nextPort = EPHEMERAL_FIRST;

  constructor(readonly isolated: boolean) {}

  /**
   * bind(2) of the host socket `fd` for the guest socket `owner`: with --net=host as asked;
   * isolated, to the loopback (for the wildcard too: wildcard true) on a port the host
   * picks, holding the guest's port (EADDRINUSE when a guest socket has it), and
   * -EADDRNOTAVAIL for any other address.
   */
  bind(owner: object, fd: number, family: number, type: number, addr: Uint8Array): { wildcard: boolean } | number {
    if (!this.isolated) {
      const r = hostBind(fd, addr);
      return r < 0 ? r : { wildcard: false };
    }
    const parsed = parseInetAddress(addr);
    let host = addr;
    if (parsed !== null && parsed.family === family) {
      if (parsed.kind === 'other') return -(parsed.linkLocal && scopeOf(addr) === 0 ? Errno.EINVAL : Errno.EADDRNOTAVAIL);
      if (this.bindings.has(owner)) return -Errno.EINVAL;
      if (parsed.port !== 0 && this.hostPorts.has(keyOf(type, parsed.port))) return -Errno.EADDRINUSE;
      host = withPort(parsed.kind === 'wildcard' ? withLoopback(addr) : addr, 0);
    }
    const r = hostBind(fd, host);
    if (r < 0) return r;
    const name = hostSockName(fd);
    if (typeof name !== 'number') this.hold(owner, type, parsed?.port ?? 0, portOf(name));
    return { wildcard: parsed?.kind === 'wildcard' };
  }

  /**
   * Isolated, an unbound socket about to connect, send or listen is bound first (Linux's
   * autobind), so that its port is one of the guest's: to the loopback the destination is
   * reached from, or for a listener to the wildcard.
   */
  autobind(owner: object, fd: number, family: number, type: number, dest: Uint8Array | null): { wildcard: boolean } | number {
    if (!this.isolated || this.bindings.has(owner)) return { wildcard: false };
    const to = dest === null ? null : parseInetAddress(dest);
    const addr = new Uint8Array(family === AF_INET ? 16 : 28);
    addr[0] = family;
    if (dest !== null && family === AF_INET) addr.set([127, 0, 0, 1], 4);
    else if (dest !== null && (to?.family === AF_INET || to?.mappedV4 === true)) addr.set([0xff, 0xff, 127, 0, 0, 1], 18);
    else if (dest !== null) addr[23] = 1;
    return this.bind(owner, fd, family, type, addr);
  }

  private hold(owner: object, type: number, asked: number, hostPort: number): void {
    const port = asked !== 0 ? asked : this.pickPort(type);
    const binding = { key: keyOf(type, port), hostKey: keyOf(type, hostPort) };
    this.bindings.set(owner, binding);
    this.hostPorts.set(binding.key, hostPort);
    this.guestPorts.set(binding.hostKey, port);
    this.closedPorts.delete(binding.hostKey);
  }

  private pickPort(type: number): number {
    for (let tries = 0; tries <= EPHEMERAL_LAST - EPHEMERAL_FIRST; tries++) {
      const port = this.nextPort;
      this.nextPort = port === EPHEMERAL_LAST ? EPHEMERAL_FIRST : port + 1;
      if (!this.hostPorts.has(keyOf(type, port))) return port;
    }
    return 0;
  }

  /** The guest socket is gone: its port is free again. */
  release(owner: object): void {
    const binding = this.bindings.get(owner);
    if (binding === undefined) return;
    this.bindings.delete(owner);
    this.hostPorts.delete(binding.key);
    this.guestPorts.delete(binding.hostKey);
    this.closedPorts.delete(binding.hostKey);
    this.closedPorts.set(binding.hostKey, binding.key & 0xffff);
    if (this.closedPorts.size > CLOSED_PORTS_KEPT) this.closedPorts.delete(this.closedPorts.keys().next().value!);
  }

  /** Where a connect or send to addr leads, for a socket of this family and type. */
  destination(family: number, type: number, addr: Uint8Array): Destination {
    if (!this.isolated) return addr;
    const parsed = parseInetAddress(addr);
    if (parsed === null || !accepts(family, type, parsed)) return addr;
    if (parsed.kind === 'other') return -Errno.ENETUNREACH;
    const hostPort = this.hostPorts.get(keyOf(type, parsed.port));
    return hostPort === undefined ? 'refused' : withPort(addr, hostPort);
  }

  /**
   * A host socket name (a socket's own, a peer's, a datagram's source) as the guest sees it;
   * null when isolated and no guest socket holds its port (a host process's).
   */
  guestName(type: number, name: Uint8Array): Uint8Array | null {
    const port = portOf(name);
    if (!this.isolated || port === 0) return name;
    const guest = this.guestPorts.get(keyOf(type, port)) ?? this.closedPorts.get(keyOf(type, port));
    return guest === undefined ? null : withPort(name, guest);
  }
}

/** The address families a socket's connect and sendmsg take: an IPv6 datagram socket also takes IPv4. */
function accepts(family: number, type: number, addr: InetAddress): boolean {
  return addr.family === family || (family === AF_INET6 && type === SOCK_DGRAM && addr.family === AF_INET);
}

function scopeOf(addr: Uint8Array): number {
  return addr.length < 28 || (addr[0] | (addr[1] << 8)) !== AF_INET6 ? 0 : new DataView(addr.buffer, addr.byteOffset).getUint32(24, true);
}
