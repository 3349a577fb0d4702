// An AF_INET or AF_INET6 socket: a host socket (non-blocking on the host) whose operations
// pass through, with ushim keeping what must stay its own: blocking and timeouts (the
// generic layer waits on the host fd's readiness), SO_TYPE/SO_DOMAIN/SO_PROTOCOL, SO_LINGER
// (a lingering close would block the host), and under --net=none the isolation's checks.
import {
  hostAccept, hostClose, hostConnect, hostGetsockopt, hostIoctlInt, hostListen, hostPeerName,
  hostReceiveInto, hostRecvmsg, hostSendFrom, hostSendmsg, hostSetsockopt, hostShutdown, hostSockName,
} from '../../../host/socket.js';
import { hostPollNow } from '../../../host/poll.js';
import { Errno } from '../../errno.js';
import { POLLIN, POLLOUT } from '../../fs/constants.js';
import type { PollMask } from '../../fs/file.js';
import { releaseFile } from '../../fs/fdtable.js';
import type { Task } from '../../task.js';
import { AF_INET, MSG_CMSG_CLOEXEC, MSG_DONTWAIT, MSG_PEEK, MSG_TRUNC, MSG_WAITALL, SOCK_STREAM, SOL_SOCKET, SO_ERROR, SO_RCVBUF, SO_RCVLOWAT } from '../constants.js';
import { type IncomingMessage, type OutgoingMessage, Socket, type SockoptValue, type Ucred } from '../socket.js';
import { intOption, readIntOption } from '../sockopt-values.js';
import { withWildcard } from './address.js';
import { decodeHostControl, encodeHostControl } from './host-control.js';
import type { InetNetwork } from './isolation.js';
import { socketIoctl } from './ioctl.js';
import { hostLevelGet, hostLevelSet } from './options.js';

const POLLPRI = 2, POLLERR = 8, POLLHUP = 16, POLLRDHUP = 0x2000;
const FIONREAD = 0x541b;
/** The most one receive asks of the host: more than any datagram, and a stream returns less anyway. */
const MAX_RECEIVE = 1 << 20;
/** The largest UDP payloads over IPv4 and IPv6 (without jumbograms). */
const MAX_UDP4_PAYLOAD = 65507, MAX_UDP6_PAYLOAD = 65527;
/** Room for the control messages one receive brings (timestamps, IP_PKTINFO, TTLs...). */
const CONTROL_ROOM = 1024;

function asBytes(value: Uint8Array | number): Uint8Array {
  return typeof value === 'number' ? new Uint8Array(0) : value;
}

/** A read through one buffer of the spans' length, copied out to them in order. */
function readThrough(spans: readonly Uint8Array[], read: (buf: Uint8Array) => number): number {
  const buf = new Uint8Array(spans.reduce((n, span) => n + span.length, 0));
  const r = read(buf);
  let done = 0;
  for (const span of spans) {
    if (done >= r) break;
    span.set(buf.subarray(done, Math.min(r, done + span.length)));
    done += span.length;
  }
  return r;
}

export class InetSocket extends Socket {
  /** A connect the host reported in progress: a later connect reports its outcome. */
  private connecting = false;
  private isListening = false;
  /** --net=none: bound to the wildcard, which the host socket holds as the loopback. */
  private wildcardBound = false;
  /** --net=none: an error ushim made up (a refused connect), reported as the host's would be. */
  private madeUpError = 0;
  /** --net=none: the peer of a datagram socket connected to a port no guest socket holds (what it sends is lost). */
  private outsidePeer: Uint8Array | null = null;
  readonly hostReadiness = true;
  /** The guest's SO_RCVLOWAT while a MSG_WAITALL receive waits with the host's raised. */
  private savedLowWater: number | undefined;

  constructor(
    family: number, type: number, protocol: number, ino: bigint, statusFlags: number, creator: Ucred,
    override readonly hostFd: number,
    private readonly net: InetNetwork,
  ) {
    super(family, type, protocol, ino, statusFlags, creator);
  }

  bind(_t: Task, addr: Uint8Array): number {
    const r = this.net.bind(this, this.hostFd, this.family, this.type, addr);
    return this.bound(r);
  }

  private bound(r: { wildcard: boolean } | number): number {
    if (typeof r === 'number') return r;
    if (r.wildcard) this.wildcardBound = true;
    return 0;
  }

  connect(_t: Task, addr: Uint8Array, blocking: boolean): number {
    if (this.madeUpError !== 0) return this.takeError();
    const dest = this.net.destination(this.family, this.type, addr);
    if (typeof dest === 'number') return dest;
    // Isolated, a connect the host will take binds first (a refused stream connect leaves
    // the socket unbound, as Linux's does).
    if (dest !== addr && !(dest === 'refused' && this.type === SOCK_STREAM)) {
      const autobound = this.bound(this.net.autobind(this, this.hostFd, this.family, this.type, addr));
      if (autobound < 0) return autobound;
    }
    this.outsidePeer = null;
    if (dest === 'refused') {
      if (this.type !== SOCK_STREAM) {
        this.outsidePeer = addr.slice();
        return 0;
      }
      if (blocking) return -Errno.ECONNREFUSED;
      this.madeUpError = Errno.ECONNREFUSED;
      return -Errno.EINPROGRESS;
    }
    let r = hostConnect(this.hostFd, dest);
    if (r === -Errno.EINPROGRESS) {
      this.connecting = true;
      // On the loopback the handshake is over when the host's connect returns: a blocking
      // caller asks again at once and has the outcome (0 or the error) without waiting for
      // it; a handshake still under way answers EALREADY (a poll first would cost one more
      // host call per connection and tell no more).
      if (!blocking) return r;
      r = hostConnect(this.hostFd, dest);
    }
    if (!this.connecting) return r;
    // The outcome of a connect in progress: a blocking caller woken by POLLOUT asks again.
    if (r === -Errno.EALREADY) return blocking ? -Errno.EINPROGRESS : r;
    this.connecting = false;
    return r === -Errno.EISCONN && blocking ? 0 : r;
  }

  override listen(backlog: number): number {
    // Listening autobinds to the wildcard: under --net=none, to the loopback in its place.
    const autobound = this.bound(this.net.autobind(this, this.hostFd, this.family, this.type, null));
    if (autobound < 0) return autobound;
    const r = hostListen(this.hostFd, backlog);
    if (r === 0) this.isListening = true;
    return r;
  }

  override get listening(): boolean {
    return this.isListening;
  }

  override accept(t: Task, statusFlags: number): Socket | number {
    for (;;) {
      const r = hostAccept(this.hostFd);
      if (typeof r === 'number') return r;
      // --net=none: a connection from outside ushim never reaches a guest's listener.
      if (this.net.guestName(this.type, r.addr) === null) {
        hostClose(r.fd);
        continue;
      }
      const creds = { pid: t.process.pid, uid: t.process.uid, gid: t.process.gid };
      const socket = new InetSocket(this.family, this.type, this.protocol, t.kernel.net.inodes.take(), statusFlags, creds, r.fd, this.net);
      socket.wildcardBound = this.wildcardBound;
      return socket;
    }
  }

  sendmsg(_t: Task | null, msg: OutgoingMessage): number {
    // SCM_RIGHTS and SCM_CREDENTIALS are AF_UNIX's: inet's control parsing refuses them.
    for (const f of msg.rights) releaseFile(f);
    if (msg.rights.length > 0 || msg.explicitCreds) return -Errno.EINVAL;
    let to = msg.addr !== null && msg.addr.length > 0 && this.type !== SOCK_STREAM ? msg.addr : null;
    let lost = this.outsidePeer !== null && to === null;
    if (to !== null) {
      const dest = this.net.destination(this.family, this.type, to);
      if (typeof dest === 'number') return dest;
      const autobound = this.bound(this.net.autobind(this, this.hostFd, this.family, this.type, to));
      if (autobound < 0) return autobound;
      lost = dest === 'refused';
      if (dest !== 'refused') to = dest;
    }
    if (lost) return this.lostDatagram(msg.data.length);
    return hostSendmsg(this.hostFd, msg.data, to ?? msg.addr, encodeHostControl(msg.control), msg.flags & ~MSG_DONTWAIT);
  }

  /**
   * --net=none: a datagram to a loopback port no guest socket holds is sent and lost, as on
   * Linux, and a connected socket then learns of the refusal (the ICMP error) at its next call.
   */
  private lostDatagram(length: number): number {
    if (length > (this.family === AF_INET ? MAX_UDP4_PAYLOAD : MAX_UDP6_PAYLOAD)) return -Errno.EMSGSIZE;
    if (this.outsidePeer !== null) this.madeUpError = Errno.ECONNREFUSED;
    return length;
  }

  recvmsg(length: number, flags: number): IncomingMessage | number {
    if (this.madeUpError !== 0 && this.type !== SOCK_STREAM) return this.takeError();
    const hostFlags = (flags & ~MSG_CMSG_CLOEXEC) | MSG_DONTWAIT;
    this.restoreLowWater();
    if (flags & MSG_WAITALL && !(flags & MSG_DONTWAIT) && this.type === SOCK_STREAM && this.waitsForMore(length)) return -Errno.EAGAIN;
    for (;;) {
      const r = hostRecvmsg(this.hostFd, Math.min(length, MAX_RECEIVE), CONTROL_ROOM, hostFlags);
      if (typeof r === 'number') return r;
      const from = r.addr === null ? null : this.net.guestName(this.type, r.addr);
      if (r.addr !== null && from === null) {
        // --net=none: a datagram from outside ushim is dropped unseen.
        if (flags & MSG_PEEK) hostRecvmsg(this.hostFd, 0, 0, MSG_DONTWAIT);
        continue;
      }
      // MSG_TRUNC on a stream discards what it counts: the host copied nothing (the caller's
      // buffer gets zeros where Linux leaves it as it was).
      const data = this.type === SOCK_STREAM && flags & MSG_TRUNC ? new Uint8Array(r.count) : r.data;
      return {
        data, length: this.type === SOCK_STREAM ? data.length : r.count,
        addr: from, rights: [], creds: null,
        control: decodeHostControl(r.control), flags: r.flags,
      };
    }
  }

  /** read(2): a stream's host receives straight into the caller's pages; a datagram goes through recvmsg. */
  readSpans(spans: readonly Uint8Array[]): number {
    if (this.type !== SOCK_STREAM) return readThrough(spans, (buf) => this.read(buf));
    this.restoreLowWater();
    return hostReceiveInto(this.hostFd, spans, MSG_DONTWAIT);
  }

  /** write(2): a stream's host sends straight from the caller's pages; a datagram goes through sendmsg. */
  writeSpans(spans: readonly Uint8Array[]): number {
    if (this.type !== SOCK_STREAM) return this.write(Buffer.concat(spans));
    return hostSendFrom(this.hostFd, spans, 0);
  }

  /**
   * MSG_WAITALL on a blocking stream: whether to wait until the whole length is there (or as
   * much as the receive buffer holds), unless the stream ended or failed. While it waits,
   * the host's SO_RCVLOWAT is that amount, so the host polls readable only then.
   */
  private waitsForMore(length: number): boolean {
    this.restoreLowWater();
    const queued = hostIoctlInt(this.hostFd, FIONREAD);
    if (queued < 0 || queued >= length) return false;
    if (hostPollNow(this.hostFd, POLLIN | POLLRDHUP) & (POLLERR | POLLHUP | POLLRDHUP)) return false;
    const rcvbuf = readIntOption(asBytes(hostGetsockopt(this.hostFd, SOL_SOCKET, SO_RCVBUF, 4))) ?? 0;
    const want = Math.min(length, Math.floor(rcvbuf / 2));
    if (queued >= want) return false;
    const lowat = readIntOption(asBytes(hostGetsockopt(this.hostFd, SOL_SOCKET, SO_RCVLOWAT, 4)));
    if (lowat === undefined || hostSetsockopt(this.hostFd, SOL_SOCKET, SO_RCVLOWAT, intOption(want)) < 0) return false;
    this.savedLowWater = lowat;
    return true;
  }

  private restoreLowWater(): void {
    if (this.savedLowWater === undefined) return;
    hostSetsockopt(this.hostFd, SOL_SOCKET, SO_RCVLOWAT, intOption(this.savedLowWater));
    this.savedLowWater = undefined;
  }

  getsockname(): Uint8Array | number {
    const r = hostSockName(this.hostFd);
    if (typeof r === 'number') return r;
    // --net=none: the guest's port, and the wildcard it bound to (held as the loopback).
    const name = this.net.guestName(this.type, r) ?? r;
    return this.wildcardBound ? withWildcard(name) : name;
  }

  getpeername(): Uint8Array | number {
    if (this.outsidePeer !== null) return this.outsidePeer.slice();
    const r = hostPeerName(this.hostFd);
    return typeof r === 'number' ? r : this.net.guestName(this.type, r) ?? r;
  }

  shutdown(how: number): number {
    return hostShutdown(this.hostFd, how);
  }

  /** The pending error as -errno (0: none), cleared. */
  override takeError(): number {
    if (this.madeUpError !== 0) {
      const e = this.madeUpError;
      this.madeUpError = 0;
      return -e;
    }
    const r = hostGetsockopt(this.hostFd, SOL_SOCKET, SO_ERROR, 4);
    return typeof r === 'number' ? 0 : -(readIntOption(r) ?? 0);
  }

  override getsockopt(t: Task, level: number, name: number): SockoptValue {
    return hostLevelGet(this.hostFd, level, name) ?? super.getsockopt(t, level, name);
  }

  override setsockopt(t: Task, level: number, name: number, value: Uint8Array): number {
    return hostLevelSet(this.hostFd, level, name, value, () => super.setsockopt(t, level, name, value));
  }

  guestIoctl(t: Task, cmd: number, argAddr: number): number {
    return socketIoctl(t, this.hostFd, this.net.isolated, cmd, argAddr);
  }

  override poll(): PollMask {
    // A refused connect ushim made up polls as the host's refused connect does.
    if (this.madeUpError !== 0) return POLLIN | POLLOUT | POLLERR | POLLHUP;
    return hostPollNow(this.hostFd, POLLIN | POLLOUT | POLLPRI | POLLRDHUP);
  }

  override release(): void {
    this.net.release(this);
    hostClose(this.hostFd);
  }
}
