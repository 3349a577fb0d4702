// A NETLINK_ROUTE socket with --net=none: ushim answers every request itself, from the
// loopback view of a fresh network namespace; nothing ever changes, so no notification comes.
// A dump's messages are queued at once and its NLMSG_DONE on the next receive, as Linux puts
// it there (the dump goes on as it is read); until then the dump runs and another is EBUSY.
import { Errno } from '../../errno.js';
import { WaitQueue } from '../../wait.js';
import type { IncomingMessage, Ucred } from '../socket.js';
import { NLM_F_DUMP } from './constants.js';
import type { LoopbackView } from './loopback-view.js';
import { ackMessage } from './message.js';
import type { NetlinkPorts } from './ports.js';
import { type RouteRequest, settledReply } from './route-requests.js';
import { NetlinkSocket } from './socket.js';

export class LoopbackRouteSocket extends NetlinkSocket {
  override readonly waitQueue = new WaitQueue();
  /** The NLMSG_DONE of the running dump, queued on the next receive. */
  private pendingDone: Uint8Array | null = null;

  constructor(ports: NetlinkPorts, private readonly view: LoopbackView, type: number, ino: bigint, statusFlags: number, creator: Ucred) {
    super(ports, type, ino, statusFlags, creator);
  }

  protected deliver(requests: RouteRequest[]): number {
    for (const request of requests) {
      if (request.kind === 'get') {
        const dump = (request.message.flags & NLM_F_DUMP) !== 0;
        if (dump && this.pendingDone !== null) {
          this.enqueue(ackMessage(request.message, -Errno.EBUSY, this.portId, this.capAck));
          continue;
        }
        const answers = this.view.answer(request.message, this.portId, this.capAck);
        // An empty dump is done at once: NLMSG_DONE is its only answer.
        if (dump && answers.length > 1) this.pendingDone = answers.pop()!;
        for (const datagram of answers) this.enqueue(datagram);
      } else {
        const reply = settledReply(request, this.portId, this.capAck);
        if (reply !== null) this.enqueue(reply);
      }
    }
    this.waitQueue.wakeAll();
    return 0;
  }

  protected receive(length: number, flags: number): IncomingMessage | number {
    // A dump whose messages were dropped (a full receive buffer) still ends with its NLMSG_DONE.
    if (this.pendingDone === null) return -Errno.EAGAIN;
    this.received();
    return this.recvmsg(length, flags);
  }

  protected override received(): void {
    if (this.pendingDone === null) return;
    this.enqueue(this.pendingDone);
    this.pendingDone = null;
  }
}
