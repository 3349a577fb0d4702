// mq_timedsend, mq_timedreceive, mq_notify and mq_getsetattr on a queue descriptor. A full
// queue (send) or an empty one (receive) parks only the calling task, on the queue's own
// wait queue, until room or a message, an absolute CLOCK_REALTIME timeout (ETIMEDOUT) or a
// signal (restarted under SA_RESTART, as wq_sleep's -ERESTARTSYS is).
import { CLOCK_MONOTONIC, CLOCK_REALTIME } from '../clock.js';
import { Errno } from '../errno.js';
import { O_NONBLOCK, canRead, canWrite } from '../fs/constants.js';
import { NSIG } from '../signal/numbers.js';
import type { Task } from '../task.js';
import { type Block, ERESTARTSYS, block } from '../wait.js';
import { MqueueFile } from './mq-file.js';
import { type MqAttr, SIGEV_NONE, SIGEV_SIGNAL, SIGEV_THREAD } from './queue.js';

/** MQ_PRIO_MAX: priorities are 0..32767. */
const MQ_PRIO_MAX = 32768;

/** struct mq_attr as mq_getsetattr reports it. */
export interface MqStatus extends MqAttr {
  flags: number;
  curmsgs: number;
}

/** struct sigevent's fields mq_notify reads. */
export interface MqSigevent {
  notify: number;
  signo: number;
  value: bigint;
}

function queueFile(t: Task, fd: number): MqueueFile | number {
  const f = t.process.fds.get(fd)?.file;
  return f instanceof MqueueFile ? f : -Errno.EBADF;
}

/** A wait until the absolute CLOCK_REALTIME time `abs` (undefined: forever), or ETIMEDOUT if it passed. */
function sleepOn(t: Task, queue: Block['queues'][number], abs: bigint | undefined): Block | number {
  if (abs === undefined) return block([queue], { onSignal: -ERESTARTSYS });
  const clock = t.kernel.clock;
  const left = abs - clock.now(CLOCK_REALTIME)!;
  if (left <= 0n) return -Errno.ETIMEDOUT;
  return block([queue], { deadline: clock.now(CLOCK_MONOTONIC)! + left, onTimeout: -Errno.ETIMEDOUT, onSignal: -ERESTARTSYS });
}

/**
 * mq_timedsend: `data` is the message read from the caller (null: its buffer faulted),
 * `timeout` the absolute deadline in ns (undefined: none) or the errno reading it gave.
 */
export function mqSend(t: Task, fd: number, data: (len: number) => Uint8Array | null, len: number, prio: number, timeout: bigint | number | undefined): number | Block {
  if (typeof timeout === 'number') return timeout;
  if (prio < 0 || prio >= MQ_PRIO_MAX) return -Errno.EINVAL;
  const file = queueFile(t, fd);
  if (typeof file === 'number') return file;
  if (!canWrite(file.flags)) return -Errno.EBADF;
  const q = file.queue;
  if (len > q.attr.msgsize) return -Errno.EMSGSIZE;
  const message = data(len);
  if (message === null) return -Errno.EFAULT;
  if (q.full) return file.flags & O_NONBLOCK ? -Errno.EAGAIN : sleepOn(t, q.senders, timeout);
  q.insert(t, prio, message);
  q.mtimeNs = q.ctimeNs = t.kernel.clock.now(CLOCK_REALTIME)!;
  return 0;
}

/**
 * mq_timedreceive: the message's length, its text and priority handed to `store` (false:
 * the caller's memory faulted, and the message is gone, as on Linux).
 */
export function mqReceive(
  t: Task, fd: number, len: number, store: (data: Uint8Array, prio: number) => boolean, timeout: bigint | number | undefined,
): number | Block {
  if (typeof timeout === 'number') return timeout;
  const file = queueFile(t, fd);
  if (typeof file === 'number') return file;
  if (!canRead(file.flags)) return -Errno.EBADF;
  const q = file.queue;
  if (len < q.attr.msgsize) return -Errno.EMSGSIZE;
  const m = q.take();
  if (m === undefined) return file.flags & O_NONBLOCK ? -Errno.EAGAIN : sleepOn(t, q.receivers, timeout);
  return store(m.data, m.prio) ? m.data.length : -Errno.EFAULT;
}

/**
 * mq_notify: sev undefined unregisters the caller's notification; EBUSY while any process
 * (the caller too) is registered. SIGEV_THREAD needs the kernel to send the C library's
 * cookie to its netlink socket, which ushim's netlink does not carry: ENOSYS, what glibc
 * answers when it cannot provide SIGEV_THREAD.
 */
export function mqNotify(t: Task, fd: number, sev: MqSigevent | number | undefined): number {
  if (typeof sev === 'number') return sev;
  if (sev !== undefined) {
    if (sev.notify !== SIGEV_NONE && sev.notify !== SIGEV_SIGNAL && sev.notify !== SIGEV_THREAD) return -Errno.EINVAL;
    if (sev.notify === SIGEV_SIGNAL && (sev.signo < 0 || sev.signo > NSIG)) return -Errno.EINVAL;
    if (sev.notify === SIGEV_THREAD) return -Errno.ENOSYS;
  }
  const file = queueFile(t, fd);
  if (typeof file === 'number') return file;
  const q = file.queue;
  if (sev === undefined) {
    if (q.notification?.owner === t.process) q.notification = undefined;
    return 0;
  }
  if (q.notification !== undefined) return -Errno.EBUSY;
  q.notification = { owner: t.process, image: t.process.image, notify: sev.notify, signo: sev.signo, value: sev.value };
  return 0;
}

/** mq_getsetattr: the old attributes; `newFlags` (undefined: none) sets O_NONBLOCK only. */
export function mqGetSetAttr(t: Task, fd: number, newFlags: number | undefined): MqStatus | number {
  if (newFlags !== undefined && newFlags & ~O_NONBLOCK) return -Errno.EINVAL;
  const file = queueFile(t, fd);
  if (typeof file === 'number') return file;
  const q = file.queue;
  const old: MqStatus = { flags: file.flags & O_NONBLOCK, maxmsg: q.attr.maxmsg, msgsize: q.attr.msgsize, curmsgs: q.count };
  if (newFlags !== undefined) file.flags = (file.flags & ~O_NONBLOCK) | newFlags;
  return old;
}
