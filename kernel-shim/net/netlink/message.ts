// Netlink messages as bytes: the nlmsghdr walk netlink_rcv_skb does over a request, and
// building answers (headers, attributes, acks and NLMSG_DONE) as the kernel lays them out.
import { NLMSG_DONE, NLMSG_ERROR, NLMSG_HDRLEN, NLM_F_CAPPED, NLM_F_MULTI } from './constants.js';

/** One message of a request. */
export interface NetlinkMessage {
  readonly type: number;
  readonly flags: number;
  readonly seq: number;
  readonly pid: number;
  /** The whole message, header included (nlmsg_len bytes). */
  readonly bytes: Uint8Array;
}

/** NLMSG_ALIGN / NLA_ALIGN. */
export function align4(n: number): number {
  return (n + 3) & ~3;
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The messages of one sendmsg, as netlink_rcv_skb walks them: it stops at the first header
 * whose nlmsg_len is below the header or beyond what is left.
 */
export function splitMessages(data: Uint8Array): NetlinkMessage[] {
  const view = viewOf(data);
  const out: NetlinkMessage[] = [];
  let pos = 0;
  while (data.length - pos >= NLMSG_HDRLEN) {
    const len = view.getUint32(pos, true);
    if (len < NLMSG_HDRLEN || len > data.length - pos) break;
    out.push({
      type: view.getUint16(pos + 4, true), flags: view.getUint16(pos + 6, true),
      seq: view.getUint32(pos + 8, true), pid: view.getUint32(pos + 12, true),
      bytes: data.subarray(pos, pos + len),
    });
    pos += Math.min(align4(len), data.length - pos);
  }
  return out;
}

/** Byte strings end to end. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

/** A message: header and payload, padded to 4 bytes as nlmsg_put reserves it. */
export function buildMessage(type: number, flags: number, seq: number, pid: number, payload: Uint8Array): Uint8Array {
  const len = NLMSG_HDRLEN + payload.length;
  const out = new Uint8Array(align4(len));
  const view = viewOf(out);
  view.setUint32(0, len, true);
  view.setUint16(4, type, true);
  view.setUint16(6, flags, true);
  view.setUint32(8, seq, true);
  view.setUint32(12, pid, true);
  out.set(payload, NLMSG_HDRLEN);
  return out;
}

/** An attribute (struct nlattr and its value), padded to 4 bytes. */
export function attr(type: number, value: Uint8Array): Uint8Array {
  const out = new Uint8Array(align4(4 + value.length));
  const view = viewOf(out);
  view.setUint16(0, 4 + value.length, true);
  view.setUint16(2, type, true);
  out.set(value, 4);
  return out;
}

export function u8Attr(type: number, v: number): Uint8Array {
  return attr(type, Uint8Array.of(v));
}

export function u16Attr(type: number, v: number): Uint8Array {
  return attr(type, Uint8Array.of(v & 0xff, v >>> 8));
}

export function u32Attr(type: number, v: number): Uint8Array {
  const value = new Uint8Array(4);
  viewOf(value).setUint32(0, v >>> 0, true);
  return attr(type, value);
}

/** A NUL-terminated string attribute (IFLA_IFNAME, IFA_LABEL, IFLA_QDISC). */
export function stringAttr(type: number, s: string): Uint8Array {
  return attr(type, new TextEncoder().encode(`${s}\0`));
}

/** The attributes of a message's payload after its fixed header of `headerSize` bytes. */
export function attributesOf(message: NetlinkMessage, headerSize: number): Map<number, Uint8Array> {
  const out = new Map<number, Uint8Array>();
  const body = message.bytes.subarray(NLMSG_HDRLEN + align4(headerSize));
  const view = viewOf(body);
  let pos = 0;
  while (body.length - pos >= 4) {
    const len = view.getUint16(pos, true);
    if (len < 4 || len > body.length - pos) break;
    out.set(view.getUint16(pos + 2, true) & 0x3fff, body.subarray(pos + 4, pos + len));
    pos += align4(len);
  }
  return out;
}

/**
 * netlink_ack: NLMSG_ERROR to `portId` with the error (0 acknowledges), followed by the whole
 * request when it failed and the socket did not ask for NETLINK_CAP_ACK, else by its header
 * alone (NLM_F_CAPPED).
 */
export function ackMessage(request: NetlinkMessage, err: number, portId: number, capAck: boolean): Uint8Array {
  const echoWhole = err !== 0 && !capAck;
  const echoed = echoWhole ? request.bytes : request.bytes.subarray(0, NLMSG_HDRLEN);
  const payload = new Uint8Array(4 + echoed.length);
  viewOf(payload).setInt32(0, err, true);
  payload.set(echoed, 4);
  return buildMessage(NLMSG_ERROR, echoWhole ? 0 : NLM_F_CAPPED, request.seq, portId, payload);
}

/** The NLMSG_DONE ending a dump: NLM_F_MULTI, an int 0 as payload. */
export function doneMessage(request: NetlinkMessage, portId: number): Uint8Array {
  return buildMessage(NLMSG_DONE, NLM_F_MULTI, request.seq, portId, new Uint8Array(4));
}

/** Sets the nlmsg_pid of every whole message in `data` that carries `from` to `to`. */
export function rewritePortIds(data: Uint8Array, from: number, to: number): void {
  const view = viewOf(data);
  let pos = 0;
  while (data.length - pos >= NLMSG_HDRLEN) {
    const len = view.getUint32(pos, true);
    if (len < NLMSG_HDRLEN) break;
    if (view.getUint32(pos + 12, true) === from >>> 0) view.setUint32(pos + 12, to >>> 0, true);
    pos += align4(len);
  }
}
