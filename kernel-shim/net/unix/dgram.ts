// SOCK_DGRAM AF_UNIX sockets (Linux's unix_dgram_connect and unix_dgram_sendmsg): connect
// only sets the default destination (AF_UNSPEC clears it); a socket connected to another may
// only receive from it (EPERM for other senders); sending to a closed peer is ECONNREFUSED
// once, and disconnects.
import { Errno } from '../../errno.js';
import type { Task } from '../../task.js';
import { AF_UNSPEC, MSG_OOB } from '../constants.js';
import type { IncomingMessage, OutgoingMessage } from '../socket.js';
import { parseUnixAddress } from './address.js';
import { datagramPoll, receiveDatagram, sendDatagram } from './datagram-io.js';
import { UnixSocket } from './unix-socket.js';

export class DgramSocket extends UnixSocket {
  connect(t: Task, raw: Uint8Array): number {
    if (raw.length < 2) return -Errno.EINVAL;
    let other: UnixSocket | null = null;
    if ((raw[0] | (raw[1] << 8)) !== AF_UNSPEC) {
      const addr = parseUnixAddress(raw);
      if (typeof addr === 'number') return addr;
      const err = this.autobindForCreds(t);
      if (err < 0) return err;
      const found = this.domain.names.find(t, addr, this.type);
      if (typeof found === 'number') return found;
      if (found.peer !== null && found.peer !== this) return -Errno.EPERM;
      other = found;
    }
    const old = this.peer;
    this.peer = other;
    if (old !== null && old !== other) this.disconnectedFrom(old);
    this.wakeups.wakeAll();
    return 0;
  }

  protected send(t: Task | null, msg: OutgoingMessage): number {
    if (msg.flags & MSG_OOB) return -Errno.EOPNOTSUPP;
    let resolve: () => UnixSocket | number;
    if (msg.addr !== null) {
      const addr = parseUnixAddress(msg.addr);
      if (typeof addr === 'number' || t === null) return typeof addr === 'number' ? addr : -Errno.EINVAL;
      resolve = () => this.domain.names.find(t, addr, this.type);
    } else {
      const other = this.peer;
      if (other === null) return -Errno.ENOTCONN;
      resolve = () => other;
    }
    if (t !== null) {
      const err = this.autobindForCreds(t);
      if (err < 0) return err;
    }
    return sendDatagram(this, msg, resolve, (other) => this.peerClosed(other));
  }

  recvmsg(length: number, flags: number): IncomingMessage | number {
    return receiveDatagram(this, length, flags, false);
  }

  shutdown(how: number): number {
    this.shutdownBits |= how + 1;
    this.wakeups.wakeAll();
    return 0;
  }

  override poll(): number {
    return datagramPoll(this, true);
  }

  protected override unreadBytes(): number {
    return this.queue[0]?.data.length ?? 0;
  }

  protected disconnect(): void {}

  /** A sender with SO_PASSCRED gets a name, so that its receiver can tell who sent. */
  private autobindForCreds(t: Task): number {
    return this.passCred && this.name === null ? this.domain.names.autobind(t, this) : 0;
  }

  /** The peer was closed: the connection ends with ECONNREFUSED. */
  private peerClosed(other: UnixSocket): number {
    if (this.peer === other) {
      this.peer = null;
      this.disconnectedFrom(other);
    }
    return -Errno.ECONNREFUSED;
  }

  /**
   * unix_dgram_disconnected: messages queued from the old peer are dropped, and a peer that
   * was connected back learns it with ECONNRESET.
   */
  private disconnectedFrom(old: UnixSocket): void {
    if (this.queue.length === 0) return;
    this.purgeQueue();
    if (!old.dead && old.peer === this) {
      old.pendingError = Errno.ECONNRESET;
      old.wakeups.wakeAll();
    }
  }
}
