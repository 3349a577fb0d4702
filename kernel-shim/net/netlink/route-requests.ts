// What rtnetlink does with each message of a request before any handler runs
// (netlink_rcv_skb, then rtnetlink_rcv_msg's checks): messages that are not requests and
// control messages are only acknowledged, unknown types are EOPNOTSUPP, and anything but a
// read (RTM_NEW*, RTM_DEL*, RTM_SET*) is EPERM, as for a process without CAP_NET_ADMIN:
// ushim never lets a guest change the host's network configuration.
import { Errno } from '../../errno.js';
import { NLMSG_HDRLEN, NLMSG_MIN_TYPE, NLM_F_ACK, NLM_F_REQUEST, RTM_BASE, RTM_KIND_GET, RTM_MAX } from './constants.js';
import { type NetlinkMessage, ackMessage } from './message.js';

export type RouteRequest =
  /** A read (RTM_GET*): the loopback view or the host answers it. */
  | { readonly kind: 'get'; readonly message: NetlinkMessage }
  /** Settled here with this error (0: nothing to do). */
  | { readonly kind: 'settled'; readonly message: NetlinkMessage; readonly err: number };

export function classifyRequest(message: NetlinkMessage): RouteRequest {
  const settled = (err: number): RouteRequest => ({ kind: 'settled', message, err });
  if (!(message.flags & NLM_F_REQUEST) || message.type < NLMSG_MIN_TYPE) return settled(0);
  if (message.type > RTM_MAX) return settled(-Errno.EOPNOTSUPP);
  // rtnetlink ignores a message without even the one byte of struct rtgenmsg.
  if (message.bytes.length - NLMSG_HDRLEN < 1) return settled(0);
  if (((message.type - RTM_BASE) & 3) !== RTM_KIND_GET) return settled(-Errno.EPERM);
  return { kind: 'get', message };
}

/** The ack a settled message gets: one when it failed or asked with NLM_F_ACK, else null. */
export function settledReply(request: RouteRequest & { kind: 'settled' }, portId: number, capAck: boolean): Uint8Array | null {
  if (request.err === 0 && !(request.message.flags & NLM_F_ACK)) return null;
  return ackMessage(request.message, request.err, portId, capAck);
}
