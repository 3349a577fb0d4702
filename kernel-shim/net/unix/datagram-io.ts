// Sending and receiving whole messages, for SOCK_DGRAM and SOCK_SEQPACKET (Linux's
// unix_dgram_sendmsg and unix_dgram_recvmsg): one send is one message, a receive takes one
// message and drops what did not fit (MSG_TRUNC). A receiver's queue takes
// max_dgram_qlen + 1 messages from senders it is not connected back to.
import { Errno } from '../../errno.js';
import { MSG_OOB, MSG_PEEK } from '../constants.js';
import type { IncomingMessage, OutgoingMessage } from '../socket.js';
import { POLLERR, POLLHUP, POLLRDHUP, RCV_SHUTDOWN, READABLE, SEND_SHUTDOWN, SHUTDOWN_MASK, type UnixSocket, WRITABLE } from './unix-socket.js';

/** net.unix.max_dgram_qlen. */
const MAX_DGRAM_QLEN = 10;
/** What a datagram may not exceed besides the send buffer (unix_dgram_sendmsg's 32). */
const DATAGRAM_SLACK = 32;

/**
 * Sends msg's data as one message to the socket `resolve` names, after the sender's own
 * checks in Linux's order: size, pending error, shutdown, room in the send buffer.
 * `onDead` is the errno for a destination that was closed.
 */
export function sendDatagram(sock: UnixSocket, msg: OutgoingMessage, resolve: () => UnixSocket | number, onDead: (other: UnixSocket) => number): number {
  if (msg.data.length > sock.sndbuf - DATAGRAM_SLACK) return -Errno.EMSGSIZE;
  const err = sock.takeError();
  if (err < 0) return err;
  if (sock.shutdownBits & SEND_SHUTDOWN) return -Errno.EPIPE;
  if (sock.sent >= sock.sndbuf) return -Errno.EAGAIN;
  const other = resolve();
  if (typeof other === 'number') return other;
  if (other.peer !== null && other.peer !== sock) return -Errno.EPERM;
  if (other.dead) return onDead(other);
  if (other.shutdownBits & RCV_SHUTDOWN) return -Errno.EPIPE;
  if (other !== sock && other.peer !== sock && other.queue.length > MAX_DGRAM_QLEN) {
    other.waitForRoom(sock);
    return -Errno.EAGAIN;
  }
  other.enqueue(sock, msg.data.slice(), msg);
  return msg.data.length;
}

/**
 * unix_dgram_poll, for SOCK_DGRAM and SOCK_SEQPACKET: writable needs room in the send buffer
 * and, when the peer is not connected back, in the peer's queue (the socket is then woken
 * when the peer's queue gets room).
 */
export function datagramPoll(sock: UnixSocket, mayWrite: boolean): number {
  let mask = sock.pendingError !== 0 ? POLLERR : 0;
  if (sock.shutdownBits & RCV_SHUTDOWN) mask |= POLLRDHUP | READABLE;
  if (sock.shutdownBits === SHUTDOWN_MASK) mask |= POLLHUP;
  if (sock.queue.length > 0) mask |= READABLE;
  if (!mayWrite || !sock.writable) return mask;
  const other = sock.peer;
  if (other !== null && other.peer !== sock && other.queue.length > MAX_DGRAM_QLEN) {
    other.waitForRoom(sock);
    return mask;
  }
  return mask | WRITABLE;
}

/**
 * Receives the first message. An empty queue after shutdown(SHUT_RD) (or the peer's close,
 * for SOCK_SEQPACKET) is end of file: 0 for a call that may wait or for SOCK_SEQPACKET,
 * EAGAIN for a non-blocking SOCK_DGRAM call.
 */
export function receiveDatagram(sock: UnixSocket, length: number, flags: number, seqpacket: boolean): IncomingMessage | number {
  if (flags & MSG_OOB) return -Errno.EOPNOTSUPP;
  const err = sock.takeError();
  if (err < 0) return err;
  const m = sock.queue[0];
  if (m === undefined) {
    if (sock.shutdownBits & RCV_SHUTDOWN && (seqpacket || !sock.nonBlocking(flags))) {
      return { data: new Uint8Array(0), length: 0, addr: null, rights: [], creds: null, control: [], flags: 0 };
    }
    return -Errno.EAGAIN;
  }
  const peek = (flags & MSG_PEEK) !== 0;
  const received = sock.received(m, m.data.slice(0, Math.min(length, m.data.length)), m.data.length, sock.takeRights(m, peek));
  if (!peek) sock.dequeue();
  return received;
}
