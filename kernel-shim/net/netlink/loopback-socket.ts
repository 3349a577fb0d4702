// A NETLINK_ROUTE socket with --net=none: ushim answers every request itself, from the
// loopback view of a fresh network namespace; nothing ever changes, so no notification comes.
import { Errno } from '../../errno.js';
import { WaitQueue } from '../../wait.js';
import type { IncomingMessage, Ucred } from '../socket.js';
import type { LoopbackView } from './loopback-view.js';
import type { NetlinkPorts } from './ports.js';
import { type RouteRequest, settledReply } from './route-requests.js';
import { NetlinkSocket } from './socket.js';

export class LoopbackRouteSocket extends NetlinkSocket {
  override readonly waitQueue = new WaitQueue();

  constructor(ports: NetlinkPorts, private readonly view: LoopbackView, type: number, ino: bigint, statusFlags: number, creator: Ucred) {
    super(ports, type, ino, statusFlags, creator);
  }

  protected deliver(requests: RouteRequest[]): number {
    for (const request of requests) {
      if (request.kind === 'get') {
        for (const datagram of this.view.answer(request.message, this.portId, this.capAck)) this.queue.push(datagram);
      } else {
        const reply = settledReply(request, this.portId, this.capAck);
        if (reply !== null) this.queue.push(reply);
      }
    }
    this.waitQueue.wakeAll();
    return 0;
  }

  protected receive(_length: number, _flags: number): IncomingMessage | number {
    return -Errno.EAGAIN;
  }
}
