// --net=none's network as rtnetlink reports it: a fresh network namespace with lo up. One
// link, lo (index 1, UP|LOOPBACK|RUNNING|LOWER_UP, mtu 65536), with 127.0.0.1/8 and ::1/128,
// and the routes the kernel adds for them in the local table. The messages carry the
// attributes Linux 6.x sends, in its order (IFLA_AF_SPEC's per-family configuration aside).
import { Errno } from '../../errno.js';
import { AF_INET, AF_INET6 } from '../constants.js';
import {
  ARPHRD_LOOPBACK, IFAPROT_KERNEL_LO, IFA_ADDRESS, IFA_CACHEINFO, IFA_FLAGS, IFA_F_PERMANENT, IFA_LABEL, IFA_LOCAL, IFA_PROTO,
  IFF_LOOPBACK, IFF_LOWER_UP, IFF_RUNNING, IFF_UP, IFLA_ADDRESS, IFLA_ALLMULTI, IFLA_ALT_IFNAME, IFLA_BROADCAST, IFLA_CARRIER,
  IFLA_CARRIER_CHANGES, IFLA_CARRIER_DOWN_COUNT, IFLA_CARRIER_UP_COUNT, IFLA_GRO_IPV4_MAX_SIZE, IFLA_GRO_MAX_SIZE, IFLA_GROUP,
  IFLA_GSO_IPV4_MAX_SIZE, IFLA_GSO_MAX_SEGS, IFLA_GSO_MAX_SIZE, IFLA_HEADROOM, IFLA_IFNAME, IFLA_LINKMODE, IFLA_MAP,
  IFLA_MAX_MTU, IFLA_MAX_PACING_OFFLOAD_HORIZON, IFLA_MIN_MTU, IFLA_MTU, IFLA_NETNS_IMMUTABLE, IFLA_NUM_RX_QUEUES,
  IFLA_NUM_TX_QUEUES, IFLA_OPERSTATE, IFLA_PROMISCUITY, IFLA_PROTO_DOWN, IFLA_QDISC, IFLA_STATS, IFLA_STATS64, IFLA_TAILROOM,
  IFLA_TSO_MAX_SEGS, IFLA_TSO_MAX_SIZE, IFLA_TXQLEN, IFLA_XDP, IFLA_XDP_ATTACHED, IF_OPER_UNKNOWN, RTA_CACHEINFO, RTA_DST,
  RTA_OIF, RTA_PREF, RTA_PREFSRC, RTA_PRIORITY, RTA_TABLE, RTM_GETADDR, RTM_GETLINK, RTM_GETROUTE,
  RTN_BROADCAST, RTN_LOCAL, RTPROT_KERNEL, RT_SCOPE_HOST, RT_SCOPE_LINK, RT_SCOPE_UNIVERSE, RT_TABLE_LOCAL, NLMSG_HDRLEN, NLM_F_ACK,
  NLM_F_DUMP, NLM_F_MULTI,
} from './constants.js';
import {
  type NetlinkMessage, ackMessage, attr, attributesOf, buildMessage, concatBytes, doneMessage, stringAttr, u16Attr, u32Attr, u8Attr,
} from './message.js';

const LOOPBACK_NAME = 'lo';
const LOOPBACK_INDEX = 1;
const LOOPBACK_MTU = 65536;
const LOOPBACK_FLAGS = IFF_UP | IFF_LOOPBACK | IFF_RUNNING | IFF_LOWER_UP;

const IFINFOMSG_SIZE = 16;
/** struct rtnl_link_stats64 (25 counters) and struct rtnl_link_stats (24). */
const STATS64_SIZE = 200;
const STATS_SIZE = 96;
/** struct rtnl_link_ifmap, padded to its 8-byte alignment. */
const IFMAP_SIZE = 32;
/** struct rta_cacheinfo. */
const RTA_CACHEINFO_SIZE = 32;
const INFINITY_LIFETIME = 0xffffffff;

const IPV4_LOOPBACK = Uint8Array.of(127, 0, 0, 1);
const IPV6_LOOPBACK = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);

/** A message's fixed header and attributes as one payload. */
type Payload = Uint8Array;

function linkPayload(): Payload {
  const header = new Uint8Array(IFINFOMSG_SIZE);
  const view = new DataView(header.buffer);
  view.setUint16(2, ARPHRD_LOOPBACK, true);
  view.setInt32(4, LOOPBACK_INDEX, true);
  view.setUint32(8, LOOPBACK_FLAGS, true);
  return concatBytes([
    header,
    stringAttr(IFLA_IFNAME, LOOPBACK_NAME), u32Attr(IFLA_TXQLEN, 1000), u8Attr(IFLA_OPERSTATE, IF_OPER_UNKNOWN),
    u8Attr(IFLA_LINKMODE, 0), u8Attr(IFLA_NETNS_IMMUTABLE, 1), u32Attr(IFLA_MTU, LOOPBACK_MTU), u32Attr(IFLA_MIN_MTU, 0),
    u32Attr(IFLA_MAX_MTU, 0), u32Attr(IFLA_GROUP, 0), u32Attr(IFLA_PROMISCUITY, 0), u32Attr(IFLA_ALLMULTI, 0),
    u32Attr(IFLA_NUM_TX_QUEUES, 1), u32Attr(IFLA_GSO_MAX_SEGS, 65535), u32Attr(IFLA_GSO_MAX_SIZE, 65536),
    u32Attr(IFLA_GRO_MAX_SIZE, 65536), u32Attr(IFLA_GSO_IPV4_MAX_SIZE, 65536), u32Attr(IFLA_GRO_IPV4_MAX_SIZE, 65536),
    u32Attr(IFLA_TSO_MAX_SIZE, 524280), u32Attr(IFLA_TSO_MAX_SEGS, 65535), u32Attr(IFLA_MAX_PACING_OFFLOAD_HORIZON, 0),
    u32Attr(IFLA_NUM_RX_QUEUES, 1), u8Attr(IFLA_CARRIER, 1), u32Attr(IFLA_CARRIER_CHANGES, 0),
    u32Attr(IFLA_CARRIER_UP_COUNT, 0), u32Attr(IFLA_CARRIER_DOWN_COUNT, 0), u16Attr(IFLA_HEADROOM, 0), u16Attr(IFLA_TAILROOM, 0),
    u8Attr(IFLA_PROTO_DOWN, 0), attr(IFLA_ADDRESS, new Uint8Array(6)), attr(IFLA_BROADCAST, new Uint8Array(6)),
    // The traffic counters stay 0: ushim counts no packets.
    attr(IFLA_STATS64, new Uint8Array(STATS64_SIZE)), attr(IFLA_STATS, new Uint8Array(STATS_SIZE)),
    attr(IFLA_XDP, u8Attr(IFLA_XDP_ATTACHED, 0)), stringAttr(IFLA_QDISC, 'noqueue'), attr(IFLA_MAP, new Uint8Array(IFMAP_SIZE)),
  ]);
}

function ifaddrHeader(family: number, prefixLength: number): Uint8Array {
  const header = Uint8Array.of(family, prefixLength, IFA_F_PERMANENT, RT_SCOPE_HOST, 0, 0, 0, 0);
  new DataView(header.buffer).setUint32(4, LOOPBACK_INDEX, true);
  return header;
}

function rtmsgHeader(family: number, dstLength: number, scope: number, type: number): Uint8Array {
  return Uint8Array.of(family, dstLength, 0, 0, RT_TABLE_LOCAL, RTPROT_KERNEL, scope, type, 0, 0, 0, 0);
}

function ipv4Route(dst: Uint8Array, dstLength: number, scope: number, type: number): Payload {
  return concatBytes([
    rtmsgHeader(AF_INET, dstLength, scope, type), u32Attr(RTA_TABLE, RT_TABLE_LOCAL), attr(RTA_DST, dst),
    attr(RTA_PREFSRC, IPV4_LOOPBACK), u32Attr(RTA_OIF, LOOPBACK_INDEX),
  ]);
}

/** The RTM_NEW* type a read's answers carry (RTM_GETLINK -> RTM_NEWLINK, ...). */
function answerType(getType: number): number {
  return getType - 2;
}

/** Which families a dump covers: its own, or all for AF_UNSPEC and families without the dump (rtnl_dump_all). */
function coversFamily(requested: number, family: number): boolean {
  return requested === family || (requested !== AF_INET && requested !== AF_INET6);
}

export class LoopbackView {
  /** IFA_CACHEINFO's stamps: when the addresses appeared, in hundredths of a second since boot. */
  constructor(private readonly createdCs: number) {}

  /**
   * The datagrams answering a read request from `portId`: for a dump, its messages and then
   * NLMSG_DONE; otherwise the answer (followed by an ack when asked) or an error ack.
   */
  answer(request: NetlinkMessage, portId: number, capAck: boolean): Uint8Array[] {
    const family = request.bytes.length > NLMSG_HDRLEN ? request.bytes[NLMSG_HDRLEN] : 0;
    if (request.flags & NLM_F_DUMP) {
      const payloads = this.dump(request.type, family);
      const messages = payloads.map((p) => buildMessage(answerType(request.type), NLM_F_MULTI, request.seq, portId, p));
      const datagrams = messages.length > 0 ? [concatBytes(messages)] : [];
      return [...datagrams, doneMessage(request, portId)];
    }
    const found = request.type === RTM_GETLINK ? this.getLink(request) : -Errno.EOPNOTSUPP;
    if (typeof found === 'number') return [ackMessage(request, found, portId, capAck)];
    const reply = buildMessage(answerType(request.type), 0, request.seq, portId, found);
    return request.flags & NLM_F_ACK ? [reply, ackMessage(request, 0, portId, capAck)] : [reply];
  }

  /** A dump's payloads in Linux's order; other reads dump nothing in a fresh namespace. */
  private dump(type: number, family: number): Payload[] {
    switch (type) {
      case RTM_GETLINK: return [linkPayload()];
      case RTM_GETADDR: return [
        ...(coversFamily(family, AF_INET) ? [this.ipv4Address()] : []),
        ...(coversFamily(family, AF_INET6) ? [this.ipv6Address()] : []),
      ];
      case RTM_GETROUTE: return [
        ...(coversFamily(family, AF_INET) ? [
          ipv4Route(Uint8Array.of(127, 0, 0, 0), 8, RT_SCOPE_HOST, RTN_LOCAL),
          ipv4Route(IPV4_LOOPBACK, 32, RT_SCOPE_HOST, RTN_LOCAL),
          ipv4Route(Uint8Array.of(127, 255, 255, 255), 32, RT_SCOPE_LINK, RTN_BROADCAST),
        ] : []),
        ...(coversFamily(family, AF_INET6) ? [ipv6Route()] : []),
      ];
      default: return [];
    }
  }

  /** RTM_GETLINK of one link, by ifi_index or else by IFLA_IFNAME/IFLA_ALT_IFNAME (rtnl_getlink). */
  private getLink(request: NetlinkMessage): Payload | number {
    if (request.bytes.length < NLMSG_HDRLEN + IFINFOMSG_SIZE) return -Errno.EINVAL;
    const index = new DataView(request.bytes.buffer, request.bytes.byteOffset).getInt32(NLMSG_HDRLEN + 4, true);
    if (index > 0) return index === LOOPBACK_INDEX ? linkPayload() : -Errno.ENODEV;
    const attrs = attributesOf(request, IFINFOMSG_SIZE);
    const name = attrs.get(IFLA_IFNAME) ?? attrs.get(IFLA_ALT_IFNAME);
    if (name === undefined) return -Errno.EINVAL;
    const end = name.indexOf(0);
    return new TextDecoder().decode(end < 0 ? name : name.subarray(0, end)) === LOOPBACK_NAME ? linkPayload() : -Errno.ENODEV;
  }

  private cacheInfo(): Uint8Array {
    const value = new Uint8Array(16);
    const view = new DataView(value.buffer);
    view.setUint32(0, INFINITY_LIFETIME, true);
    view.setUint32(4, INFINITY_LIFETIME, true);
    view.setUint32(8, this.createdCs, true);
    view.setUint32(12, this.createdCs, true);
    return attr(IFA_CACHEINFO, value);
  }

  private ipv4Address(): Payload {
    return concatBytes([
      ifaddrHeader(AF_INET, 8), attr(IFA_ADDRESS, IPV4_LOOPBACK), attr(IFA_LOCAL, IPV4_LOOPBACK), stringAttr(IFA_LABEL, LOOPBACK_NAME),
      u32Attr(IFA_FLAGS, IFA_F_PERMANENT), this.cacheInfo(),
    ]);
  }

  private ipv6Address(): Payload {
    return concatBytes([
      ifaddrHeader(AF_INET6, 128), attr(IFA_ADDRESS, IPV6_LOOPBACK), this.cacheInfo(), u32Attr(IFA_FLAGS, IFA_F_PERMANENT),
      u8Attr(IFA_PROTO, IFAPROT_KERNEL_LO),
    ]);
  }
}

function ipv6Route(): Payload {
  return concatBytes([
    rtmsgHeader(AF_INET6, 128, RT_SCOPE_UNIVERSE, RTN_LOCAL), u32Attr(RTA_TABLE, RT_TABLE_LOCAL), attr(RTA_DST, IPV6_LOOPBACK),
    u32Attr(RTA_PRIORITY, 0), u32Attr(RTA_OIF, LOOPBACK_INDEX), attr(RTA_CACHEINFO, new Uint8Array(RTA_CACHEINFO_SIZE)),
    u8Attr(RTA_PREF, 0),
  ]);
}
