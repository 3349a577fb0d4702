// The datagrams waiting on a netlink socket, received as netlink_recvmsg does: one datagram
// per call, cut to the caller's length (the rest is lost unless MSG_PEEK), from the kernel's
// address, with NETLINK_PKTINFO's group when the socket asked for it.
import { Errno } from '../../errno.js';
import { MSG_PEEK } from '../constants.js';
import type { ControlMessage, IncomingMessage } from '../socket.js';
import { encodeNetlinkAddress } from './address.js';
import { NETLINK_PKTINFO, SOL_NETLINK } from './constants.js';

interface Datagram {
  readonly data: Uint8Array;
  /** The multicast group it was sent to (0: unicast to this socket). */
  readonly group: number;
}

export class DatagramQueue {
  private readonly datagrams: Datagram[] = [];
  /** The bytes waiting, held against the socket's receive buffer. */
  queuedBytes = 0;

  get empty(): boolean {
    return this.datagrams.length === 0;
  }

  push(data: Uint8Array, group = 0): void {
    this.datagrams.push({ data, group });
    this.queuedBytes += data.length;
  }

  /** The first datagram, -EAGAIN when there is none. */
  take(length: number, flags: number, pktinfo: boolean): IncomingMessage | number {
    const first = this.datagrams[0];
    if (first === undefined) return -Errno.EAGAIN;
    if (!(flags & MSG_PEEK)) {
      this.datagrams.shift();
      this.queuedBytes -= first.data.length;
    }
    const control: ControlMessage[] = [];
    if (pktinfo) {
      const info = new Uint8Array(4);
      new DataView(info.buffer).setUint32(0, first.group, true);
      control.push({ level: SOL_NETLINK, type: NETLINK_PKTINFO, data: info });
    }
    const groups = first.group > 0 && first.group <= 32 ? 2 ** (first.group - 1) : 0;
    return {
      data: first.data.slice(0, Math.max(0, length)), length: first.data.length,
      addr: encodeNetlinkAddress({ pid: 0, groups }), rights: [], creds: null, control, flags: 0,
    };
  }
}
