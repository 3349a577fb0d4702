// A socket call that would block: parked on the socket's wait queue (or its host fd's
// readiness) unless it is non-blocking, for at most SO_RCVTIMEO/SO_SNDTIMEO, and ended by a
// signal with EINTR under a timeout or a restart without one (sock_intr_errno).
import { Errno } from '../errno.js';
import { O_NONBLOCK } from '../fs/constants.js';
import { hasDeliverable } from '../signal/deliver.js';
import type { Task } from '../task.js';
import { type Block, ERESTARTSYS, block } from '../wait.js';
import { MSG_DONTWAIT } from './constants.js';
import type { Socket } from './socket.js';

/**
 * The call's result, or the Block to wait on when it is -EAGAIN on a blocking call; the
 * handler runs again when woken, on a timeout or on a signal, and answers each itself.
 * `onTimeout` is what the call returns when its timeout passes.
 */
export function waitFor<T>(t: Task, socket: Socket, dir: 'in' | 'out', result: T | number, msgFlags: number, onTimeout = -Errno.EAGAIN): T | number | Block {
  const net = t.kernel.net;
  if (result !== -Errno.EAGAIN || socket.flags & O_NONBLOCK || msgFlags & MSG_DONTWAIT) {
    net.callDone(t);
    return result;
  }
  const timeout = dir === 'in' ? socket.rcvTimeoutNs : socket.sndTimeoutNs;
  if (hasDeliverable(t)) {
    net.callDone(t);
    return timeout > 0n ? -Errno.EINTR : -ERESTARTSYS;
  }
  const deadline = timeout > 0n ? net.deadlineFor(t, socket, timeout) : undefined;
  if (deadline !== undefined && deadline <= t.kernel.clock.now(1)!) {
    net.callDone(t);
    return onTimeout;
  }
  const queues = socket.waitQueue !== undefined ? [socket.waitQueue] : [];
  const host = socket.waitQueue === undefined && socket.hostFd !== undefined ? [socket.hostFd] : undefined;
  return block(queues, {
    deadline, onTimeout: 'retry', onSignal: 'retry',
    hostFds: dir === 'in' ? host : undefined, hostWritableFds: dir === 'out' ? host : undefined,
  });
}
