// The AF_UNIX family: socket(2) and socketpair(2) for SOCK_STREAM, SOCK_DGRAM (SOCK_RAW is
// taken as SOCK_DGRAM, as Linux does) and SOCK_SEQPACKET, and the names bound in this kernel.
import { Errno } from '../../errno.js';
import type { Task } from '../../task.js';
import { AF_UNIX, SOCK_DGRAM, SOCK_RAW, SOCK_SEQPACKET, SOCK_STREAM } from '../constants.js';
import type { SocketFamily } from '../network.js';
import { credentialsOf } from '../socket-calls.js';
import { ConnectionSocket, SeqpacketSocket } from './connection.js';
import { DgramSocket } from './dgram.js';
import { UnixDomain } from './domain.js';
import type { UnixSocket } from './unix-socket.js';

export class UnixFamily implements SocketFamily {
  readonly domain = new UnixDomain();

  create(t: Task, type: number, protocol: number, statusFlags: number): UnixSocket | number {
    if (protocol !== 0 && protocol !== AF_UNIX) return -Errno.EPROTONOSUPPORT;
    const ino = t.kernel.net.inodes.take();
    const creator = credentialsOf(t);
    switch (type) {
      case SOCK_STREAM: return new ConnectionSocket(this.domain, t.kernel, type, ino, statusFlags, creator);
      case SOCK_SEQPACKET: return new SeqpacketSocket(this.domain, t.kernel, type, ino, statusFlags, creator);
      case SOCK_DGRAM: case SOCK_RAW: return new DgramSocket(this.domain, t.kernel, SOCK_DGRAM, ino, statusFlags, creator);
      default: return -Errno.ESOCKTNOSUPPORT;
    }
  }

  /** Two sockets connected to each other, each with the creator's credentials as SO_PEERCRED. */
  pair(t: Task, type: number, protocol: number, statusFlags: number): [UnixSocket, UnixSocket] | number {
    const a = this.create(t, type, protocol, statusFlags);
    if (typeof a === 'number') return a;
    const b = this.create(t, type, protocol, statusFlags) as UnixSocket;
    if (a instanceof ConnectionSocket && b instanceof ConnectionSocket) ConnectionSocket.join(a, b);
    a.peer = b;
    b.peer = a;
    a.peerCred = credentialsOf(t);
    b.peerCred = credentialsOf(t);
    return [a, b];
  }
}
