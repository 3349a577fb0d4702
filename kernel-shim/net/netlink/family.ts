// AF_NETLINK: NETLINK_ROUTE sockets (SOCK_RAW or SOCK_DGRAM), answered by the host's kernel
// with --net=host and by the loopback view with --net=none. Other netlink protocols are
// EPROTONOSUPPORT, as for a kernel without them.
import { Errno } from '../../errno.js';
import type { Task } from '../../task.js';
import { SOCK_DGRAM, SOCK_RAW } from '../constants.js';
import type { NetMode, SocketFamily } from '../network.js';
import type { Socket } from '../socket.js';
import { credentialsOf } from '../socket-calls.js';
import { hostNetlinkSocket } from '../../../host/netlink-socket.js';
import { NETLINK_ROUTE } from './constants.js';
import { HostRouteSocket } from './host-socket.js';
import { LoopbackRouteSocket } from './loopback-socket.js';
import { LoopbackView } from './loopback-view.js';
import { NetlinkPorts } from './ports.js';

/** Hundredths of a second in a nanosecond count (IFA_CACHEINFO's unit). */
const NS_PER_CS = 10_000_000n;

export class NetlinkFamily implements SocketFamily {
  /** The kernel's bound port ids, made with the first socket (it needs the kernel's randomness). */
  private ports: NetlinkPorts | undefined;
  private view: LoopbackView | undefined;

  constructor(private readonly mode: NetMode) {}

  create(t: Task, type: number, protocol: number, statusFlags: number): Socket | number {
    if (type !== SOCK_RAW && type !== SOCK_DGRAM) return -Errno.ESOCKTNOSUPPORT;
    if (protocol !== NETLINK_ROUTE) return -Errno.EPROTONOSUPPORT;
    this.ports ??= new NetlinkPorts(t.kernel.random);
    if (this.mode === 'none') {
      // lo and its addresses came up when the namespace did: when this kernel first looked.
      this.view ??= new LoopbackView(Number(BigInt.asUintN(32, t.kernel.clock.uptime() / NS_PER_CS)));
      return new LoopbackRouteSocket(this.ports, this.view, type, t.kernel.net.inodes.take(), statusFlags, credentialsOf(t));
    }
    const hostFd = hostNetlinkSocket(NETLINK_ROUTE);
    if (hostFd < 0) return hostFd;
    return new HostRouteSocket(this.ports, hostFd, type, t.kernel.net.inodes.take(), statusFlags, credentialsOf(t));
  }
}
