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
import { hasDeliverable } from '../signal/deliver.js';
import { type Block, ERESTARTSYS, block } from '../wait.js';

/** Before reading a host fd that is not a regular file: sleep until it has data. */
export function hostReadGate(file: OpenFile): Block | null {
  if (file.hostFd === undefined || file.flags & O_NONBLOCK) return null;
  const st = file.stat();
  if (typeof st === 'number' || (st.mode & S_IFMT) === S_IFREG) return null;
  if (pollHostFds([file.hostFd], 0n).length > 0) return null;
  return block([], { hostFds: [file.hostFd] });
}

/**
 * After a read or write: EAGAIN on a blocking file sleeps; EPIPE also raises SIGPIPE. The
 * guest's view of blocking is ushim's, never the host's: a host pipe that another process
 * (Node, for ushim's own stderr on the same pipe) put in non-blocking mode answers EAGAIN,
 * and the guest's blocking write then waits in the scheduler's host poll for room.
 */
export function ioResult(t: Task, file: OpenFile, result: number, op: 'read' | 'write'): number | Block {
  if (result === -Errno.EAGAIN && !(file.flags & O_NONBLOCK)) {
    if (file.waitQueue !== undefined) return block([file.waitQueue]);
    if (file.hostFd !== undefined) return op === 'read' ? block([], { hostFds: [file.hostFd] }) : block([], { hostWritableFds: [file.hostFd] });
  }
  if (result === -Errno.EPIPE) {
    signalTask(t.kernel, t, { signo: SIGPIPE, errno: 0, code: 0, layout: 'kill', pid: t.process.pid, uid: t.process.uid });
  }
  return result;
}

interface PartialWrite {
  readonly file: OpenFile;
  readonly addr: number;
  readonly count: number;
  readonly done: number;
}

/** How much of a blocking write(2) to a host stream went out before it parked, by task. */
export class PartialWrites {
  private readonly byTask = new Map<Task, PartialWrite>();

  /** What this same call (file, buffer, count) wrote before it parked; entries of others are dropped. */
  take(t: Task, file: OpenFile, addr: number, count: number): number {
    for (const [task] of this.byTask) if (task.state === 'exited') this.byTask.delete(task);
    const p = this.byTask.get(t);
    this.byTask.delete(t);
    return p !== undefined && p.file === file && p.addr === addr && p.count === count ? p.done : 0;
  }

  keep(t: Task, p: PartialWrite): void {
    this.byTask.set(t, p);
  }
}

/**
 * write(2): the host fd of a pipe, FIFO, tty or device is non-blocking, so the host may take
 * only part of the buffer; a blocking guest write then waits for room and goes on where it
 * stopped, as Linux's blocking pipe write does, and a signal ends it with the count written
 * so far (-ERESTARTSYS when nothing was). `write(addr, count)` writes from guest memory.
 */
export function blockingWrite(t: Task, file: OpenFile, addr: number, count: number, write: (addr: number, count: number) => number): number | Block {
  const partial = t.kernel.partialWrites;
  const before = partial.take(t, file, addr, count);
  const r = write(addr + before, count - before);
  const done = before + Math.max(r, 0);
  const waits = file.hostFd !== undefined && file.waitQueue === undefined && !(file.flags & O_NONBLOCK) && (r === -Errno.EAGAIN || (r >= 0 && done < count));
  if (!waits) {
    const result = ioResult(t, file, r, 'write');
    return before > 0 ? done : result;
  }
  if (hasDeliverable(t)) return done > 0 ? done : -ERESTARTSYS;
  partial.keep(t, { file, addr, count, done });
  return block([], { hostWritableFds: [file.hostFd!], onSignal: 'retry' });
}
