// One POSIX message queue: its attributes, its messages (highest priority first, FIFO within
// a priority), the tasks waiting to send or receive, and the one process registered for
// notification (mq_notify), which is told when a message arrives in the empty queue while no
// receiver waits, then unregistered.
import { SI } from '../abi/siginfo.js';
import type { Process } from '../process.js';
import { signalProcess } from '../signal/deliver.js';
import type { Task } from '../task.js';
import { WaitQueue } from '../wait.js';

export const SIGEV_SIGNAL = 0, SIGEV_NONE = 1, SIGEV_THREAD = 2;

export interface MqAttr {
  maxmsg: number;
  msgsize: number;
}

interface Message {
  prio: number;
  data: Uint8Array;
}

/** Who owns a queue and who may open it: the creator's ids and the mode (umask applied). */
export interface MqOwner {
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
}

export interface MqNotification {
  owner: Process;
  /** The owner's program when it registered: after an exec the signal is not sent (notify_self_exec_id). */
  image: Process['image'];
  notify: number;
  signo: number;
  value: bigint;
}

export class MessageQueue {
  private readonly messages: Message[] = [];
  /** Bytes of message text queued (the QSIZE of the queue's status line). */
  private bytes = 0;
  /** Tasks waiting for a message; woken one at a time as messages arrive. */
  readonly receivers = new WaitQueue();
  /** Tasks waiting for room; woken one at a time as messages leave. */
  readonly senders = new WaitQueue();
  /** Woken on every change: poll, select and epoll of the queue's descriptors wait here. */
  readonly waitQueue = new WaitQueue();
  notification: MqNotification | undefined;
  /** Open descriptions of the queue: an unlinked queue goes when the last one closes. */
  openFiles = 0;
  unlinked = false;
  ctimeNs: bigint;
  mtimeNs: bigint;

  constructor(readonly name: string, readonly ino: bigint, readonly attr: MqAttr, readonly owner: MqOwner, nowNs: bigint) {
    this.ctimeNs = nowNs;
    this.mtimeNs = nowNs;
  }

  get count(): number {
    return this.messages.length;
  }

  get full(): boolean {
    return this.messages.length >= this.attr.maxmsg;
  }

  /** Queues a message after those of its priority and above; notifies or wakes a receiver. */
  insert(sender: Task, prio: number, data: Uint8Array): void {
    let at = this.messages.length;
    while (at > 0 && this.messages[at - 1].prio < prio) at--;
    this.messages.splice(at, 0, { prio, data });
    this.bytes += data.length;
    // Linux hands the message straight to a waiting receiver (pipelined_send) and notifies
    // only when nobody waits: the empty queue became non-empty unseen.
    if (this.receivers.size > 0) this.receivers.wake(1);
    else if (this.messages.length === 1) this.notify(sender);
    this.waitQueue.wakeAll();
  }

  /** Takes the first message, waking a sender waiting for room. */
  take(): Message | undefined {
    const m = this.messages.shift();
    if (m === undefined) return undefined;
    this.bytes -= m.data.length;
    this.senders.wake(1);
    this.waitQueue.wakeAll();
    return m;
  }

  private notify(sender: Task): void {
    const n = this.notification;
    if (n === undefined) return;
    this.notification = undefined;
    if (n.notify !== SIGEV_SIGNAL || n.signo === 0 || n.owner.exited || n.owner.image !== n.image) return;
    signalProcess(n.owner.kernel, n.owner, {
      signo: n.signo, errno: 0, code: SI.MESGQ, layout: 'rt', pid: sender.process.pid, uid: sender.process.uid, value: n.value,
    });
  }

  /** The text a read of a queue descriptor returns (mqueue_read_file). */
  status(): string {
    const n = this.notification;
    const signo = n?.notify === SIGEV_SIGNAL ? n.signo : 0;
    return `QSIZE:${String(this.bytes).padEnd(10)} NOTIFY:${String(n?.notify ?? 0).padEnd(5)} SIGNO:${String(signo).padEnd(5)} NOTIFY_PID:${n?.owner.pid ?? 0}\n`;
  }
}
