// Turning "would block" into sleeping: a read or write that returns -EAGAIN on a blocking
// description parks the task on the file's wait queue (the call is retried when woken), and
// a read from a host pipe or terminal waits in the scheduler's host poll instead of stalling
// every task in a blocking host read.
import { pollHostFds } from '../../host/poll.js';
import { Errno } from '../errno.js';
import { O_NONBLOCK, S_IFMT, S_IFREG } from './constants.js';
import type { OpenFile } from './file.js';
import { signalTask } from '../signal/deliver.js';
import { SIGPIPE } from '../signal/numbers.js';
import type { Task } from '../task.js';
import { type Block, block } from '../wait.js';

/** Before reading a host fd that is not a regular file: sleep until it has data. */
export function hostReadGate(file: OpenFile): Block | null {
  if (file.hostFd === undefined || file.flags & O_NONBLOCK) return null;
  const st = file.stat();
  if (typeof st === 'number' || (st.mode & S_IFMT) === S_IFREG) return null;
  if (pollHostFds([file.hostFd], 0n).length > 0) return null;
  return block([], { hostFds: [file.hostFd] });
}

/** After a read or write: EAGAIN on a blocking file sleeps; EPIPE also raises SIGPIPE. */
export function ioResult(t: Task, file: OpenFile, result: number): number | Block {
  if (result === -Errno.EAGAIN && !(file.flags & O_NONBLOCK) && file.waitQueue !== undefined) return block([file.waitQueue]);
  if (result === -Errno.EPIPE) {
    signalTask(t.kernel, t, { signo: SIGPIPE, errno: 0, code: 0, layout: 'kill', pid: t.process.pid, uid: t.process.uid });
  }
  return result;
}
