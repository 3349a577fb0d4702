// Connection-oriented AF_UNIX sockets, SOCK_STREAM and SOCK_SEQPACKET (Linux's
// unix_stream_connect, unix_listen, unix_accept, unix_shutdown and the stream side of
// unix_release_sock). connect() makes the server's socket at once and queues it at the
// listener until accept() takes it; data sent meanwhile waits in its queue. A listener
// holds backlog + 1 connections.
import { Errno } from '../../errno.js';
import { O_RDWR } from '../../fs/constants.js';
import type { Task } from '../../task.js';
import { type Block, ERESTARTSYS, block } from '../../wait.js';
import { MSG_OOB } from '../constants.js';
import { credentialsOf } from '../socket-calls.js';
import { waitFor } from '../socket-wait.js';
import type { IncomingMessage, OutgoingMessage } from '../socket.js';
import { parseUnixAddress } from './address.js';
import { HostLink } from './host-link.js';
import { datagramPoll, receiveDatagram, sendDatagram } from './datagram-io.js';
import { receiveStream, sendStream } from './stream-io.js';
import {
  POLLERR, POLLHUP, POLLRDHUP, RCV_SHUTDOWN, READABLE, SEND_SHUTDOWN, SHUTDOWN_MASK, UnixSocket, WRITABLE,
} from './unix-socket.js';

type State = 'unconnected' | 'listening' | 'connected';

/** How often a blocking connect to a host socket with a full backlog tries again. */
const HOST_RETRY_NS = 10_000_000n;

export class ConnectionSocket extends UnixSocket {
  state: State = 'unconnected';
  private backlog = 0;
  /** Connections made to this listener that accept() has not taken yet. */
  protected readonly pending: ConnectionSocket[] = [];
  /** A server-side socket not accepted yet: closing it resets its client. */
  private embryo = false;
  /** Connected to a host process's socket instead of a guest socket. */
  private host: HostLink | null = null;

  override get listening(): boolean {
    return this.state === 'listening';
  }

  /** A connection not accepted yet keeps credentials: its SO_PASSCRED is not known yet (maybe_add_creds). */
  protected override keepsCreds(): boolean {
    return this.passCred || this.embryo;
  }

  /** Joins two new sockets (socketpair, or a connection being made). */
  static join(a: ConnectionSocket, b: ConnectionSocket): void {
    a.peer = b;
    b.peer = a;
    a.state = 'connected';
    b.state = 'connected';
  }

  override listen(backlog: number, t: Task): number {
    if (this.name === null) return -Errno.EINVAL;
    if (this.state === 'connected') return -Errno.EINVAL;
    if (backlog > this.backlog) this.wakeRoomWaiters();
    this.backlog = backlog;
    this.state = 'listening';
    this.peerCred = credentialsOf(t);
    this.wakeups.wakeAll();
    return 0;
  }

  override accept(_t: Task, statusFlags: number): ConnectionSocket | number {
    if (this.state !== 'listening') return -Errno.EINVAL;
    const conn = this.pending.shift();
    if (conn === undefined) return -Errno.EAGAIN;
    conn.embryo = false;
    conn.flags = O_RDWR | statusFlags;
    // unix_sock_inherit_flags: the accepted socket has the listener's SO_PASSCRED.
    conn.passCred = this.passCred;
    this.wakeRoomWaiters();
    return conn;
  }

  connect(t: Task, raw: Uint8Array, blocking: boolean): number | Block {
    const addr = parseUnixAddress(raw);
    if (typeof addr === 'number') return addr;
    if (this.passCred && this.name === null) {
      const err = this.domain.names.autobind(t, this);
      if (err < 0) return err;
    }
    const other = this.domain.names.find(t, addr, this.type);
    if (other === -Errno.ECONNREFUSED && (addr.kind === 'path' || t.kernel.net.mode === 'host')) {
      return this.connectHost(t, () => (addr.kind === 'path' ? HostLink.connectPath(t, addr.path, this.type) : HostLink.connectAbstract(addr.name, this.type)), blocking);
    }
    if (typeof other === 'number') return other;
    if (!(other instanceof ConnectionSocket) || other.state !== 'listening' || other.shutdownBits & RCV_SHUTDOWN) return -Errno.ECONNREFUSED;
    if (other.pending.length > other.backlog) {
      if (!blocking) return -Errno.EAGAIN;
      other.waitForRoom(this);
      return waitFor(t, this, 'out', -Errno.EAGAIN, 0);
    }
    if (this.state !== 'unconnected') return this.state === 'connected' ? -Errno.EISCONN : -Errno.EINVAL;
    const conn = this.sibling(t.kernel.net.inodes.take(), other.creator);
    conn.embryo = true;
    conn.name = other.name;
    conn.peerCred = credentialsOf(t);
    this.peerCred = other.peerCred;
    ConnectionSocket.join(this, conn);
    other.pending.push(conn);
    other.wakeups.wakeAll();
    this.wakeups.wakeAll();
    return 0;
  }

  /**
   * connect() to a name no guest socket is bound to: a host process's socket, if one listens
   * there. A full host backlog is retried every 10 ms by a blocking caller.
   */
  private connectHost(t: Task, open: () => HostLink | number, blocking: boolean): number | Block {
    if (this.state !== 'unconnected') return this.state === 'connected' ? -Errno.EISCONN : -Errno.EINVAL;
    const link = open();
    if (link === -Errno.EAGAIN && blocking) return block([], { deadline: t.kernel.clock.now(1)! + HOST_RETRY_NS, onTimeout: 'retry', onSignal: -ERESTARTSYS });
    if (typeof link === 'number') return link;
    this.host = link;
    this.state = 'connected';
    this.waitQueue = undefined;
    this.hostFd = link.fd;
    return 0;
  }

  shutdown(how: number): number {
    if (this.host !== null) return this.host.shutdown(how);
    const mode = how + 1;
    this.shutdownBits |= mode;
    this.wakeups.wakeAll();
    const other = this.peer;
    if (other !== null) {
      other.shutdownBits |= (mode & RCV_SHUTDOWN ? SEND_SHUTDOWN : 0) | (mode & SEND_SHUTDOWN ? RCV_SHUTDOWN : 0);
      other.wakeups.wakeAll();
    }
    return 0;
  }

  protected send(t: Task | null, msg: OutgoingMessage): number {
    return this.host?.send(msg) ?? this.sendData(t, msg);
  }

  recvmsg(length: number, flags: number): IncomingMessage | number {
    return this.host?.recv(length, flags) ?? this.receiveData(length, flags);
  }

  override poll(): number {
    return this.host?.poll() ?? this.pollData();
  }

  override getpeername(): Uint8Array | number {
    return this.host?.peerName() ?? super.getpeername();
  }

  /** Sending to a guest peer. */
  protected sendData(t: Task | null, msg: OutgoingMessage): number {
    return sendStream(this, this.state === 'connected', t, msg);
  }

  protected receiveData(length: number, flags: number): IncomingMessage | number {
    return receiveStream(this, this.state === 'connected', length, flags);
  }

  protected override unreadBytes(): number {
    return this.state === 'listening' ? -Errno.EINVAL : this.queuedBytes;
  }

  protected pollData(): number {
    let mask = this.pendingError !== 0 ? POLLERR : 0;
    if (this.shutdownBits === SHUTDOWN_MASK) mask |= POLLHUP;
    if (this.shutdownBits & RCV_SHUTDOWN) mask |= POLLRDHUP | READABLE;
    if (this.queue.length > 0 || this.pending.length > 0) mask |= READABLE;
    if (this.state === 'unconnected') mask |= POLLHUP;
    if (this.state !== 'listening' && this.writable) mask |= WRITABLE;
    return mask;
  }

  protected disconnect(): void {
    this.host?.close();
    for (const conn of this.pending.splice(0)) conn.release();
    this.wakeRoomWaiters();
    const other = this.peer;
    if (other === null) return;
    other.shutdownBits = SHUTDOWN_MASK;
    if (this.queue.length > 0 || this.embryo) other.pendingError = Errno.ECONNRESET;
    other.wakeups.wakeAll();
  }
}

/** SOCK_SEQPACKET: connections as SOCK_STREAM's, messages as SOCK_DGRAM's. */
export class SeqpacketSocket extends ConnectionSocket {
  protected override sendData(_t: Task | null, msg: OutgoingMessage): number {
    const err = this.takeError();
    if (err < 0) return err;
    const other = this.peer;
    if (this.state !== 'connected' || other === null) return -Errno.ENOTCONN;
    if (msg.flags & MSG_OOB) return -Errno.EOPNOTSUPP;
    return sendDatagram(this, { ...msg, addr: null }, () => other, () => -Errno.EPIPE);
  }

  protected override receiveData(length: number, flags: number): IncomingMessage | number {
    if (this.state !== 'connected') return -Errno.ENOTCONN;
    return receiveDatagram(this, length, flags, true);
  }

  /** unix_dgram_poll, which SOCK_SEQPACKET uses: an unconnected one has hung up. */
  protected override pollData(): number {
    return datagramPoll(this, this.state !== 'listening') | (this.pending.length > 0 ? READABLE : 0) | (this.state === 'unconnected' ? POLLHUP : 0);
  }
}
