// Sending and receiving bytes on a connected SOCK_STREAM socket (Linux's unix_stream_sendmsg
// and unix_stream_read_generic). Each send is queued as one message so the descriptions it
// carries stay attached to its bytes: a receive joins messages, but stops after one that
// carried descriptions, and under SO_PASSCRED never joins messages of different senders.
import { Errno } from '../../errno.js';
import type { OpenFile } from '../../fs/file.js';
import type { Task } from '../../task.js';
import { MSG_OOB, MSG_PEEK, MSG_WAITALL } from '../constants.js';
import type { IncomingMessage, OutgoingMessage, Ucred } from '../socket.js';
import { RCV_SHUTDOWN, SEND_SHUTDOWN, type UnixSocket } from './unix-socket.js';

/**
 * Queues at the peer what the send buffer has room for (net/msg-calls.ts waits and sends
 * the rest). A blocking write(2) (no task) is taken whole once there is any room: the retried
 * call could not resume half-way, so the buffer stretches instead, as pipes do.
 */
export function sendStream(sock: UnixSocket, connected: boolean, t: Task | null, msg: OutgoingMessage): number {
  if (msg.flags & MSG_OOB) return -Errno.EOPNOTSUPP;
  if (msg.addr !== null) return connected ? -Errno.EISCONN : -Errno.EOPNOTSUPP;
  const other = sock.peer;
  if (!connected || other === null) return -Errno.ENOTCONN;
  if (sock.shutdownBits & SEND_SHUTDOWN) return -Errno.EPIPE;
  if (msg.data.length === 0) return 0;
  const err = sock.takeError();
  if (err < 0) return err;
  const room = sock.sndbuf - sock.sent;
  if (room <= 0) return -Errno.EAGAIN;
  if (other.dead || other.shutdownBits & RCV_SHUTDOWN) return -Errno.EPIPE;
  const n = t === null && !sock.nonBlocking(msg.flags) ? msg.data.length : Math.min(room, msg.data.length);
  other.enqueue(sock, msg.data.slice(0, n), msg);
  return n;
}

function sameCreds(a: Ucred | null, b: Ucred | null): boolean {
  return a === b || (a !== null && b !== null && a.pid === b.pid && a.uid === b.uid && a.gid === b.gid);
}

/**
 * MSG_WAITALL asks for the whole length: it waits (without taking anything) while less is
 * queued, unless nothing more can come (shutdown, an error, descriptions that end the read,
 * or a sender whose buffer is full and would wait for this read).
 */
function waitsForAll(sock: UnixSocket, length: number, flags: number): boolean {
  if (!(flags & MSG_WAITALL) || flags & MSG_PEEK || sock.queuedBytes >= length) return false;
  if (sock.shutdownBits & RCV_SHUTDOWN || sock.pendingError !== 0) return false;
  const peer = sock.peer;
  if (peer === null || peer.dead || peer.sent >= peer.sndbuf) return false;
  return !sock.queue.some((m) => m.rights.length > 0);
}

/** Reads up to `length` bytes; EINVAL when not connected, 0 at end of file. */
export function receiveStream(sock: UnixSocket, connected: boolean, length: number, flags: number): IncomingMessage | number {
  if (!connected) return -Errno.EINVAL;
  if (flags & MSG_OOB) return -Errno.EINVAL;
  if (sock.queue.length === 0) {
    const err = sock.takeError();
    if (err < 0) return err;
    if (sock.shutdownBits & RCV_SHUTDOWN) return { data: new Uint8Array(0), length: 0, addr: null, rights: [], creds: null, control: [], flags: 0 };
    return -Errno.EAGAIN;
  }
  if (waitsForAll(sock, length, flags)) return -Errno.EAGAIN;
  const peek = (flags & MSG_PEEK) !== 0;
  const first = sock.queue[0];
  const parts: Uint8Array[] = [];
  let copied = 0;
  let rights: OpenFile[] = [];
  for (let i = 0; i < sock.queue.length; ) {
    const m = sock.queue[i];
    if (sock.passCred && !sameCreds(m.creds, first.creds)) break;
    const chunk = Math.min(m.data.length - m.offset, length - copied);
    parts.push(m.data.subarray(m.offset, m.offset + chunk));
    copied += chunk;
    const carried = m.rights.length > 0;
    if (carried) rights = sock.takeRights(m, peek);
    if (peek) {
      i++;
    } else {
      m.offset += chunk;
      sock.queuedBytes -= chunk;
      if (m.offset < m.data.length) break;
      sock.dequeue();
    }
    if (carried || copied >= length) break;
  }
  const data = new Uint8Array(copied);
  let at = 0;
  for (const p of parts) {
    data.set(p, at);
    at += p.length;
  }
  return sock.received(first, data, copied, rights);
}
