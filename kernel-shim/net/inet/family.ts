// AF_INET and AF_INET6: every socket is a host socket. The host decides which types and
// protocols exist (SOCK_RAW is EPERM for an unprivileged process, as natively); under
// --net=none raw and packet sockets, which the isolation cannot follow, are EPERM.
import { hostSocket } from '../../../host/socket.js';
import { Errno } from '../../errno.js';
import type { Task } from '../../task.js';
import { AF_INET, SOCK_DGRAM, SOCK_RAW } from '../constants.js';
import type { Network, SocketFamily } from '../network.js';
import type { Socket } from '../socket.js';
import { credentialsOf } from '../socket-calls.js';
import { InetSocket } from './inet-socket.js';
import { isInterfaceRequest, socketIoctl } from './ioctl.js';
import { InetNetwork } from './isolation.js';

/** SOCK_PACKET: the obsolete packet socket type, as raw as SOCK_RAW. */
const SOCK_PACKET = 10;

class InetFamily implements SocketFamily {
  constructor(
    private readonly family: number,
    private readonly net: InetNetwork,
  ) {}

  create(t: Task, type: number, protocol: number, statusFlags: number): Socket | number {
    if (this.net.isolated && (type === SOCK_RAW || type === SOCK_PACKET)) return -Errno.EPERM;
    const fd = hostSocket(this.family, type, protocol);
    if (fd < 0) return fd;
    return new InetSocket(this.family, type, protocol, t.kernel.net.inodes.take(), statusFlags, credentialsOf(t), fd, this.net);
  }
}

/**
 * Registers AF_INET and AF_INET6, sharing one InetNetwork (the --net mode, the live sockets),
 * and the interface queries that sockets of other families (AF_UNIX: glibc's
 * if_nametoindex) make: asked of one host datagram socket, opened when first needed.
 */
export function registerInet(net: Network, families: readonly number[]): void {
  const state = new InetNetwork(net.mode === 'none');
  for (const family of families) net.families.set(family, new InetFamily(family, state));
  let queryFd: number | undefined;
  net.interfaceQuery = (t, cmd, argAddr) => {
    if (!isInterfaceRequest(cmd)) return null;
    if (queryFd === undefined) {
      const fd = hostSocket(AF_INET, SOCK_DGRAM, 0);
      if (fd < 0) return fd;
      queryFd = fd;
    }
    return socketIoctl(t, queryFd, state.isolated, cmd, argAddr);
  };
}
