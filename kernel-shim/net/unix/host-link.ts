// A guest socket connected to a socket that a host process (not a guest socket) is bound
// to: connect() reaches the socket file through /proc/self/fd/N of an O_PATH fd ushim holds
// on it, never through a path string the guest wrote, or under --net=host an abstract name
// no guest socket has (abstract names belong to the network namespace, which the guest
// then shares with the host); the data then goes through a
// non-blocking host socket. Descriptions cannot be passed to the host (EINVAL); credentials
// are the host kernel's own (ushim's).
import {
  closeHostUnix, connectHostUnix, hostPathSockaddr, peerNameHostUnix, pollHostUnix, recvHostUnix, sendHostUnix, shutdownHostUnix,
} from '../../../host/unix-socket.js';
import { Errno } from '../../errno.js';
import { O_PATH, S_IFMT, S_IFSOCK } from '../../fs/constants.js';
import { releaseFile } from '../../fs/fdtable.js';
import type { Task } from '../../task.js';
import { MSG_EOR, MSG_PEEK, MSG_TRUNC, SOCK_STREAM } from '../constants.js';
import type { IncomingMessage, OutgoingMessage } from '../socket.js';

const POLLIN = 0x1, POLLOUT = 0x4, POLLRDNORM = 0x40, POLLWRNORM = 0x100, POLLWRBAND = 0x200;

export class HostLink {
  private constructor(
    readonly fd: number,
    private readonly type: number,
  ) {}

  /** Connects to the host socket bound at the socket file `path`: the link, or -errno. */
  static connectPath(t: Task, path: string, type: number): HostLink | number {
    const file = t.process.vfs.open(path, O_PATH, 0, t.process.fs.current());
    if (typeof file === 'number') return file;
    const st = file.stat();
    const sockaddr = typeof st === 'number' || (st.mode & S_IFMT) !== S_IFSOCK || file.hostPath === undefined ? -Errno.ECONNREFUSED : hostPathSockaddr(file.hostPath);
    const fd = typeof sockaddr === 'number' ? sockaddr : connectHostUnix(sockaddr, type);
    releaseFile(file);
    return fd < 0 ? fd : new HostLink(fd, type);
  }

  /** Connects to the host socket bound to the abstract name in `sockaddr` (the guest's whole address). */
  static connectAbstract(sockaddr: Uint8Array, type: number): HostLink | number {
    const fd = connectHostUnix(sockaddr, type);
    return fd < 0 ? fd : new HostLink(fd, type);
  }

  send(msg: OutgoingMessage): number {
    if (msg.rights.length > 0) return -Errno.EINVAL;
    if (msg.addr !== null) return -Errno.EISCONN;
    return sendHostUnix(this.fd, msg.data, msg.flags & MSG_EOR);
  }

  /** A seqpacket receive asks the host for the whole length (MSG_TRUNC) and keeps what fits. */
  recv(length: number, flags: number): IncomingMessage | number {
    const buf = new Uint8Array(length);
    const n = recvHostUnix(this.fd, buf, (flags & MSG_PEEK) | (this.type === SOCK_STREAM ? 0 : MSG_TRUNC));
    if (n < 0) return n;
    const data = buf.slice(0, Math.min(n, length));
    return { data, length: n, addr: null, rights: [], creds: null, control: [], flags: 0 };
  }

  /** getpeername: the name the host's server bound, as Linux reports it whatever the guest's root. */
  peerName(): Uint8Array | number {
    return peerNameHostUnix(this.fd);
  }

  shutdown(how: number): number {
    return shutdownHostUnix(this.fd, how);
  }

  poll(): number {
    const bits = pollHostUnix(this.fd);
    return bits | (bits & POLLIN ? POLLRDNORM : 0) | (bits & POLLOUT ? POLLWRNORM | POLLWRBAND : 0);
  }

  close(): void {
    closeHostUnix(this.fd);
  }
}
