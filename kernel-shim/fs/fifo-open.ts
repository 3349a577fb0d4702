// Opening a FIFO without freezing ushim. On Linux open(2) of a FIFO waits for the other end:
// a reader for a writer, a writer for a reader; O_RDWR never waits, an O_NONBLOCK reader
// neither, and an O_NONBLOCK writer without a reader fails with ENXIO. ushim opens every host
// file non-blocking (hostfile.ts), so the host never waits: the wait is a parked task. Peers
// among the guest's own tasks wake each other through the Kernel's FIFO registry; a peer
// outside ushim is noticed by polling the waiting reader's host fd (data, or a writer that
// came and went) or by retrying a waiting writer's host open on a timer.
import { pollHostFds } from '../../host/poll.js';
import { CLOCK_MONOTONIC } from '../clock.js';
import { Errno } from '../errno.js';
import { hasDeliverable } from '../signal/deliver.js';
import type { Task } from '../task.js';
import { type Block, ERESTARTSYS, WaitQueue, block } from '../wait.js';
import { O_ACCMODE, O_NOFOLLOW, O_NONBLOCK, O_RDONLY, O_WRONLY, S_IFIFO, S_IFMT } from './constants.js';
import type { BaseDir } from './dirref.js';
import { releaseFile } from './fdtable.js';
import type { FileStat, OpenFile } from './file.js';

/** How often a writer waiting for a reader outside ushim retries its host open. */
export const HOST_RETRY_NS = 10_000_000n;

/** One FIFO (by device and inode) as the guest's tasks open it. */
interface Endpoint {
  /** Woken whenever a guest task opens the FIFO: waiting openers of the other end retry. */
  readonly queue: WaitQueue;
  /** Descriptions that write to it (O_WRONLY, O_RDWR); closed ones have no references left. */
  readonly writers: Set<OpenFile>;
  /** How many writer opens there have been: a reader waits for this to change. */
  writerOpens: number;
}

/** A reader parked in open(): its host fd stays open, so writers find a reader meanwhile. */
interface PendingReader {
  readonly file: OpenFile;
  readonly endpoint: Endpoint;
  readonly path: string;
  readonly flags: number;
  readonly writerOpens: number;
}

function fifoKey(st: FileStat | number): string | undefined {
  return typeof st !== 'number' && (st.mode & S_IFMT) === S_IFIFO ? `${st.dev}:${st.ino}` : undefined;
}

/** The Kernel's FIFO registry: which FIFOs its tasks hold open, and readers parked in open(). */
export class FifoRegistry {
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly pending = new Map<Task, PendingReader>();

  endpoint(key: string): Endpoint {
    let ep = this.endpoints.get(key);
    if (ep === undefined) {
      ep = { queue: new WaitQueue(), writers: new Set(), writerOpens: 0 };
      this.endpoints.set(key, ep);
    }
    return ep;
  }

  /** A guest task opened one end: count a writer, wake the other end's waiting openers. */
  opened(ep: Endpoint, file: OpenFile, accmode: number): void {
    if (accmode !== O_RDONLY) {
      ep.writers.add(file);
      ep.writerOpens++;
    }
    ep.queue.wakeAll();
  }

  /** Whether a description still writing to the FIFO exists (forgetting closed ones). */
  hasWriter(ep: Endpoint): boolean {
    for (const w of ep.writers) if (w.refs === 0) ep.writers.delete(w);
    return ep.writers.size > 0;
  }

  /** The kernel ends: readers parked in open() give their host fds back. */
  releaseAll(): void {
    for (const r of this.pending.values()) releaseFile(r.file);
    this.pending.clear();
  }

  hold(t: Task, reader: PendingReader): void {
    this.pending.set(t, reader);
  }

  /** The reader `t` left parked by this same open (path and flags), if any; others are dropped. */
  take(t: Task, path: string, flags: number): PendingReader | undefined {
    for (const [task, r] of this.pending) {
      if (task.state === 'exited' || task === t) {
        this.pending.delete(task);
        if (task === t && r.path === path && r.flags === flags) return r;
        releaseFile(r.file);
      }
    }
    return undefined;
  }
}

/**
 * open/openat of a path: the file, -errno, or the Block a blocking FIFO open parks on.
 * `mode` has the guest's umask applied already.
 */
export function openPath(t: Task, path: string, flags: number, mode: number, dir: BaseDir, resolve = 0): OpenFile | number | Block {
  const fifos = t.kernel.fifos;
  const held = fifos.take(t, path, flags);
  if (held !== undefined && hasDeliverable(t)) {
    releaseFile(held.file);
    return -ERESTARTSYS;
  }
  const file = held?.file ?? t.process.vfs.open(path, flags, mode, dir, resolve);
  if (typeof file === 'number') return file === -Errno.ENXIO ? writerWaits(t, path, flags, dir) : file;
  let ep = held?.endpoint;
  if (ep === undefined) {
    const key = file.hostFd === undefined ? undefined : fifoKey(file.stat());
    if (key === undefined) return file;
    ep = fifos.endpoint(key);
    fifos.opened(ep, file, file.flags & O_ACCMODE);
  }
  if ((flags & O_ACCMODE) !== O_RDONLY || flags & O_NONBLOCK) return file;
  const writerOpens = held?.writerOpens ?? ep.writerOpens;
  // A writer is there, has come since, or one outside ushim wrote or came and went.
  if (fifos.hasWriter(ep) || ep.writerOpens !== writerOpens || pollHostFds([file.hostFd!], 0n).length > 0) return file;
  if (hasDeliverable(t)) {
    releaseFile(file);
    return -ERESTARTSYS;
  }
  fifos.hold(t, { file, endpoint: ep, path, flags, writerOpens });
  return block([ep.queue], { onSignal: 'retry', hostFds: [file.hostFd!] });
}

/** The host had no reader for a blocking O_WRONLY open of a FIFO: wait for one (-ENXIO otherwise). */
function writerWaits(t: Task, path: string, flags: number, dir: BaseDir): number | Block {
  if ((flags & O_ACCMODE) !== O_WRONLY || flags & O_NONBLOCK) return -Errno.ENXIO;
  const key = fifoKey(t.process.vfs.stat(path, !(flags & O_NOFOLLOW), dir));
  if (key === undefined) return -Errno.ENXIO;
  const deadline = t.kernel.clock.now(CLOCK_MONOTONIC)! + HOST_RETRY_NS;
  return block([t.kernel.fifos.endpoint(key).queue], { deadline, onTimeout: 'retry', onSignal: -ERESTARTSYS });
}
