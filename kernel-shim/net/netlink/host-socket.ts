// A NETLINK_ROUTE socket with --net=host: reads (RTM_GET*) go to a host netlink socket and
// its answers come back as the host kernel makes them (MSG_PEEK and MSG_TRUNC included), with
// the host's port id turned into the guest's. Requests settled by ushim (EPERM for changes)
// are answered here; when a send mixes both, the host's answers are collected in order into
// the socket's own queue so the guest reads every answer in the order Linux gives them.
import {
  hostNetlinkBind, hostNetlinkClose, hostNetlinkPortId, hostNetlinkReceive, hostNetlinkSend, hostNetlinkSetIntOption,
} from '../../../host/netlink-socket.js';
import { pollHostFds } from '../../../host/poll.js';
import { POLLIN } from '../../fs/constants.js';
import { MSG_PEEK } from '../constants.js';
import type { ControlMessage, IncomingMessage, Ucred } from '../socket.js';
import { decodeNetlinkAddress } from './address.js';
import { SOL_NETLINK } from './constants.js';
import { rewritePortIds } from './message.js';
import type { NetlinkPorts } from './ports.js';
import { type RouteRequest, settledReply } from './route-requests.js';
import { NetlinkSocket } from './socket.js';

/** Room for the control messages a netlink receive can carry (NETLINK_PKTINFO, NETLINK_LISTEN_ALL_NSID's id). */
const CONTROL_ROOM = 64;
/** The most bytes one receive takes from the host: far above any datagram rtnetlink sends. */
const MAX_RECEIVE = 1 << 20;

/** struct cmsghdr records (u64 length, level, type, data; 8-byte aligned) as ControlMessages. */
function parseControl(bytes: Uint8Array): ControlMessage[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: ControlMessage[] = [];
  let pos = 0;
  while (bytes.length - pos >= 16) {
    const len = Number(view.getBigUint64(pos, true));
    if (len < 16 || len > bytes.length - pos) break;
    out.push({ level: view.getInt32(pos + 8, true), type: view.getInt32(pos + 12, true), data: bytes.slice(pos + 16, pos + len) });
    pos += (len + 7) & ~7;
  }
  return out;
}

/** The lowest group in a sockaddr_nl's nl_groups (0: unicast). */
function groupOf(addr: Uint8Array): number {
  const a = decodeNetlinkAddress(addr);
  if (typeof a === 'number' || a.groups === 0) return 0;
  return 32 - Math.clz32(a.groups & -a.groups);
}

export class HostRouteSocket extends NetlinkSocket {
  private hostPort = 0;

  constructor(ports: NetlinkPorts, override readonly hostFd: number, type: number, ino: bigint, statusFlags: number, creator: Ucred) {
    super(ports, type, ino, statusFlags, creator);
  }

  /** The host's port id for this socket, known once the host bound it (on its first send or bind); errnos are above -4096. */
  private hostPortId(): number {
    if (this.hostPort === 0) {
      const id = hostNetlinkPortId(this.hostFd);
      if (id > 0 || id < -4095) this.hostPort = id;
    }
    return this.hostPort;
  }

  protected deliver(requests: RouteRequest[], data: Uint8Array): number {
    const replies = requests.map((r) => (r.kind === 'settled' ? settledReply(r, this.portId, this.capAck) : null));
    if (replies.every((r) => r === null)) {
      const sent = hostNetlinkSend(this.hostFd, data, 0);
      return sent < 0 ? sent : 0;
    }
    this.collectHostAnswers();
    for (const [i, request] of requests.entries()) {
      const reply = replies[i];
      if (reply !== null) this.enqueue(reply);
      else if (request.kind === 'get') {
        const sent = hostNetlinkSend(this.hostFd, request.message.bytes, 0);
        if (sent < 0) return sent;
        this.collectHostAnswers();
      }
    }
    return 0;
  }

  /**
   * Moves every datagram the host has for this socket into the queue. A dump goes on as it is
   * read, so this reads until the host has nothing more; each datagram is sized with a peek
   * first, so the host's dump sizing (which follows the largest read) stays the guest's.
   */
  private collectHostAnswers(): void {
    for (;;) {
      const peek = hostNetlinkReceive(this.hostFd, 0, MSG_PEEK, 0);
      if (typeof peek === 'number') return;
      const got = hostNetlinkReceive(this.hostFd, Math.min(peek.length, MAX_RECEIVE), 0, 0);
      if (typeof got === 'number') return;
      rewritePortIds(got.data, this.hostPortId(), this.portId);
      this.enqueue(got.data, groupOf(got.addr));
    }
  }

  protected receive(length: number, flags: number): IncomingMessage | number {
    const got = hostNetlinkReceive(this.hostFd, Math.min(length, MAX_RECEIVE), flags & MSG_PEEK, this.wantsPktinfo ? CONTROL_ROOM : 0);
    if (typeof got === 'number') return got;
    rewritePortIds(got.data, this.hostPortId(), this.portId);
    return { data: got.data, length: got.length, addr: got.addr, rights: [], creds: null, control: parseControl(got.control), flags: 0 };
  }

  /** Readable when an answer waits here or on the host (a notification, the rest of a dump). */
  override poll(): number {
    return super.poll() | (pollHostFds([this.hostFd], 0n).length > 0 ? POLLIN : 0);
  }

  protected override mirrorOption(name: number, value: number): number {
    return hostNetlinkSetIntOption(this.hostFd, SOL_NETLINK, name, value);
  }

  protected override bindGroups(mask: number): number {
    const r = hostNetlinkBind(this.hostFd, this.hostPortId(), mask);
    return r < 0 ? r : 0;
  }

  override release(): void {
    hostNetlinkClose(this.hostFd);
    super.release();
  }
}
