// A NETLINK_ROUTE socket (net/netlink/af_netlink.c): port ids, bind/connect to the kernel
// only (an unprivileged process may not address other sockets or multicast groups), sends
// whose messages rtnetlink handles one by one, one datagram per receive, and the SOL_NETLINK
// options. Who answers reads is the subclass's: the loopback view or the host's kernel.
import { capabilitiesOf } from '../../capabilities.js';
import { Errno } from '../../errno.js';
import { POLLIN, POLLOUT } from '../../fs/constants.js';
import { releaseFile } from '../../fs/fdtable.js';
import type { Task } from '../../task.js';
import { AF_NETLINK, AF_UNSPEC, DEFAULT_SOCKET_BUFFER, MSG_OOB, SOL_SOCKET, SO_RCVBUF, SO_SNDBUF } from '../constants.js';
import { type IncomingMessage, type OutgoingMessage, Socket, type SockoptValue, type Ucred } from '../socket.js';
import { intOption, readIntOption } from '../sockopt-values.js';
import { decodeNetlinkAddress, encodeNetlinkAddress } from './address.js';
import {
  NETLINK_ADD_MEMBERSHIP, NETLINK_BROADCAST_ERROR, NETLINK_CAP_ACK, NETLINK_DROP_MEMBERSHIP, NETLINK_EXT_ACK,
  NETLINK_GET_STRICT_CHK, NETLINK_LISTEN_ALL_NSID, NETLINK_LIST_MEMBERSHIPS, NETLINK_NO_ENOBUFS, NETLINK_PKTINFO, NETLINK_ROUTE,
  RTNLGRP_MAX, SOL_NETLINK,
} from './constants.js';
import { DatagramQueue } from './datagram-queue.js';
import { splitMessages } from './message.js';
import type { NetlinkPorts } from './ports.js';
import { type RouteRequest, classifyRequest } from './route-requests.js';

/** The SOL_NETLINK options that are one flag each. */
const FLAG_OPTIONS = new Set([
  NETLINK_PKTINFO, NETLINK_BROADCAST_ERROR, NETLINK_NO_ENOBUFS, NETLINK_LISTEN_ALL_NSID, NETLINK_CAP_ACK, NETLINK_EXT_ACK,
  NETLINK_GET_STRICT_CHK,
]);
const CAP_NET_BROADCAST = 11n;
/** What a send may carry: the send buffer less netlink's reserve. */
const SEND_RESERVE = 32;

export abstract class NetlinkSocket extends Socket {
  /** Datagrams answered here, received before anything else. */
  protected readonly queue = new DatagramQueue();
  /** ENOBUFS after answers were dropped for a full receive buffer (netlink_overrun), reported once. */
  private pendingError = 0;
  /** The port id: 0 until bound (by bind, or by the first connect or send). */
  portId = 0;
  private bound = false;
  /** Multicast groups joined, 1..RTNLGRP_MAX. */
  protected readonly groups = new Set<number>();
  private readonly flagOptions = new Set<number>();

  constructor(private readonly ports: NetlinkPorts, type: number, ino: bigint, statusFlags: number, creator: Ucred) {
    super(AF_NETLINK, type, NETLINK_ROUTE, ino, statusFlags, creator);
  }

  /** Handles the messages of one send in order, queueing or sending on their answers: 0 or -errno. */
  protected abstract deliver(requests: RouteRequest[], data: Uint8Array): number;
  /** A datagram when none is queued here: -EAGAIN, or one from the host. */
  protected abstract receive(length: number, flags: number): IncomingMessage | number;

  /** The host follows a SOL_NETLINK option (group membership or flag): 0 or -errno. */
  protected mirrorOption(_name: number, _value: number): number {
    return 0;
  }

  /** The host follows bind's groups 1..32 (a bit mask): 0 or -errno. */
  protected bindGroups(_mask: number): number {
    return 0;
  }

  /** NETLINK_CAP_ACK: acks echo only the request's header. */
  protected get capAck(): boolean {
    return this.flagOptions.has(NETLINK_CAP_ACK);
  }

  protected get wantsPktinfo(): boolean {
    return this.flagOptions.has(NETLINK_PKTINFO);
  }

  /**
   * Queues an answer unless the receive buffer is already over its size: then it is dropped
   * and the next receive (or SO_ERROR) reports ENOBUFS, unless NETLINK_NO_ENOBUFS.
   */
  protected enqueue(data: Uint8Array, group = 0): void {
    if (this.queue.queuedBytes > (this.socketOptions.get(SO_RCVBUF) ?? DEFAULT_SOCKET_BUFFER)) {
      if (!this.flagOptions.has(NETLINK_NO_ENOBUFS)) this.pendingError = -Errno.ENOBUFS;
      return;
    }
    this.queue.push(data, group);
  }

  override takeError(): number {
    const err = this.pendingError;
    this.pendingError = 0;
    return err;
  }

  private lowGroupMask(): number {
    let mask = 0;
    for (const g of this.groups) if (g <= 32) mask |= 1 << (g - 1);
    return mask >>> 0;
  }

  /** netlink_autobind when not bound yet: the caller's tgid, or another free id. */
  private ensureBound(tgid: number): void {
    if (this.bound) return;
    this.portId = this.ports.autobind(tgid);
    this.bound = true;
  }

  bind(t: Task, addr: Uint8Array): number {
    const a = decodeNetlinkAddress(addr);
    if (typeof a === 'number') return a;
    if (this.bound && a.pid !== this.portId) return -Errno.EINVAL;
    if (!this.bound && a.pid !== 0) {
      const r = this.ports.insert(a.pid);
      if (r < 0) return r;
      this.portId = a.pid;
      this.bound = true;
    }
    this.ensureBound(t.process.pid);
    if (a.groups === 0 && this.lowGroupMask() === 0) return 0;
    const r = this.bindGroups(a.groups);
    if (r < 0) return r;
    for (let g = 1; g <= 32; g++) {
      if (a.groups & (2 ** (g - 1))) this.groups.add(g);
      else this.groups.delete(g);
    }
    return 0;
  }

  /** Only the kernel (port 0, no groups) may be the peer of an unprivileged socket; AF_UNSPEC disconnects. */
  connect(t: Task, addr: Uint8Array): number {
    if (addr.length < 2) return -Errno.EINVAL;
    if ((addr[0] | (addr[1] << 8)) === AF_UNSPEC) return 0;
    const a = decodeNetlinkAddress(addr);
    if (typeof a === 'number') return a;
    if (a.pid !== 0 || a.groups !== 0) return -Errno.EPERM;
    this.ensureBound(t.process.pid);
    return 0;
  }

  sendmsg(t: Task | null, msg: OutgoingMessage): number {
    for (const f of msg.rights) releaseFile(f);
    if (msg.flags & MSG_OOB) return -Errno.EOPNOTSUPP;
    if (msg.addr !== null && msg.addr.length > 0) {
      const a = decodeNetlinkAddress(msg.addr);
      if (typeof a === 'number') return a;
      if (a.pid !== 0 || a.groups !== 0) return -Errno.EPERM;
    }
    // write(2) names no task: the socket's creator stands for it.
    this.ensureBound(t?.process.pid ?? this.creator.pid);
    const sendBuffer = this.socketOptions.get(SO_SNDBUF) ?? DEFAULT_SOCKET_BUFFER;
    if (msg.data.length > sendBuffer - SEND_RESERVE) return -Errno.EMSGSIZE;
    const r = this.deliver(splitMessages(msg.data).map(classifyRequest), msg.data);
    return r < 0 ? r : msg.data.length;
  }

  recvmsg(length: number, flags: number): IncomingMessage | number {
    if (flags & MSG_OOB) return -Errno.EOPNOTSUPP;
    if (this.pendingError !== 0) return this.takeError();
    if (this.queue.empty) return this.receive(length, flags);
    const r = this.queue.take(length, flags, this.wantsPktinfo);
    this.received();
    return r;
  }

  /** A datagram was received from the queue (a running dump goes on). */
  protected received(): void {}

  getsockname(): Uint8Array {
    return encodeNetlinkAddress({ pid: this.portId, groups: this.lowGroupMask() });
  }

  getpeername(): Uint8Array {
    return encodeNetlinkAddress({ pid: 0, groups: 0 });
  }

  shutdown(_how: number): number {
    return -Errno.EOPNOTSUPP;
  }

  override getsockopt(t: Task, level: number, name: number): SockoptValue {
    if (level === SOL_SOCKET) return super.getsockopt(t, level, name);
    if (level !== SOL_NETLINK) return -Errno.ENOPROTOOPT;
    if (name === NETLINK_LIST_MEMBERSHIPS) {
      // The group bit map, in u32 words.
      const out = new Uint8Array(Math.ceil(RTNLGRP_MAX / 32) * 4);
      for (const g of this.groups) out[(g - 1) >> 3] |= 1 << ((g - 1) & 7);
      return out;
    }
    return FLAG_OPTIONS.has(name) ? intOption(this.flagOptions.has(name) ? 1 : 0) : -Errno.ENOPROTOOPT;
  }

  override setsockopt(t: Task, level: number, name: number, value: Uint8Array): number {
    if (level === SOL_SOCKET) return super.setsockopt(t, level, name, value);
    if (level !== SOL_NETLINK) return -Errno.ENOPROTOOPT;
    const v = readIntOption(value) ?? 0;
    if (name === NETLINK_ADD_MEMBERSHIP || name === NETLINK_DROP_MEMBERSHIP) {
      if (v === 0 || (v >>> 0) > RTNLGRP_MAX) return -Errno.EINVAL;
      const r = this.mirrorOption(name, v);
      if (r < 0) return r;
      if (name === NETLINK_ADD_MEMBERSHIP) this.groups.add(v);
      else this.groups.delete(v);
      return 0;
    }
    if (!FLAG_OPTIONS.has(name)) return -Errno.ENOPROTOOPT;
    if (name === NETLINK_LISTEN_ALL_NSID && !((capabilitiesOf(t).effective >> CAP_NET_BROADCAST) & 1n)) return -Errno.EPERM;
    const r = this.mirrorOption(name, v);
    if (r < 0) return r;
    if (v !== 0) this.flagOptions.add(name);
    else this.flagOptions.delete(name);
    return 0;
  }

  override poll(): number {
    return POLLOUT | (this.queue.empty ? 0 : POLLIN);
  }

  override release(): void {
    if (this.bound) this.ports.remove(this.portId);
  }
}
