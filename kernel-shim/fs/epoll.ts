// epoll: an interest list of (fd, description, events, data); readiness is level-triggered,
// except that an EPOLLET entry is reported again only after an edge: for a file with a wait
// queue, a wake-up of the queue since; for a file whose readiness is a host fd's, an edge
// the host kernel saw (host-edges.ts); other files (always ready) are reported like level.
// EPOLLONESHOT disarms an entry after it fires once, until EPOLL_CTL_MOD.
import { NoopSeekFile, anonInodeStat } from './basefile.js';
import { O_RDWR } from './constants.js';
import type { FileStat, OpenFile } from './file.js';
import { type HostEdge, HostEdges } from './host-edges.js';

export const EPOLLIN = 1, EPOLLPRI = 2, EPOLLOUT = 4, EPOLLERR = 8, EPOLLHUP = 16, EPOLLRDHUP = 0x2000,
  EPOLLEXCLUSIVE = 1 << 28, EPOLLWAKEUP = 1 << 29, EPOLLONESHOT = 1 << 30, EPOLLET = 1 << 31;

export interface Interest {
  file: OpenFile;
  events: number;
  data: bigint;
  armed: boolean;
  /** EPOLLET: the file's wait-queue generation when the entry was last looked at (undefined: never). */
  seen?: number;
  /** EPOLLET on a file without a wait queue: the host's watch of its host fd (null: none possible; undefined: not yet made). */
  edge?: HostEdge | null;
}

/** Bits of an entry's events that are epoll's own, not events a file reports. */
const ENTRY_FLAGS = EPOLLEXCLUSIVE | EPOLLWAKEUP | EPOLLONESHOT | EPOLLET;

export class EpollFile extends NoopSeekFile {
  readonly interests = new Map<number, Interest>();
  readonly hostEdges = new HostEdges();

  constructor(flags: number) {
    super('anon_inode:[eventpoll]', flags | O_RDWR);
  }

  add(fd: number, file: OpenFile, events: number, data: bigint): void {
    (file.epollWatchers ??= new Set()).add(this);
    this.interests.set(fd, { file, events, data, armed: true });
  }

  /** EPOLL_CTL_MOD: new events and data for the entry of fd, armed again and looked at anew. */
  modify(fd: number, events: number, data: bigint): void {
    const entry = this.interests.get(fd);
    if (entry === undefined) return;
    this.dropEdge(entry);
    this.interests.set(fd, { file: entry.file, events, data, armed: true });
  }

  remove(fd: number): void {
    const entry = this.interests.get(fd);
    if (entry === undefined) return;
    this.dropEdge(entry);
    this.interests.delete(fd);
    for (const other of this.interests.values()) if (other.file === entry.file) return;
    entry.file.epollWatchers?.delete(this);
  }

  /** The description was released: its entries go, whatever fds they were added by. */
  forget(file: OpenFile): void {
    for (const [fd, entry] of [...this.interests]) if (entry.file === file) this.remove(fd);
  }

  private dropEdge(entry: Interest): void {
    if (entry.edge) this.hostEdges.unwatch(entry.edge);
  }

  /** EPOLLET: whether the entry had an edge since it was last looked at (and now it has not). */
  private edgeSince(entry: Interest): boolean {
    const queue = entry.file.waitQueue;
    if (queue !== undefined) {
      if (entry.seen === queue.generation) return false;
      entry.seen = queue.generation;
      return true;
    }
    const hostFd = entry.file.hostFd;
    if (hostFd === undefined) return true;
    if (entry.edge === undefined) entry.edge = this.hostEdges.watch(hostFd, (entry.events & ~ENTRY_FLAGS) | EPOLLET);
    if (entry.edge === null) return true;
    if (!entry.edge.pending) return false;
    entry.edge.pending = false;
    return true;
  }

  /** Ready entries, at most max; one-shot entries are disarmed. */
  ready(max: number, readiness: (file: OpenFile) => number): { events: number; data: bigint }[] {
    const out: { events: number; data: bigint }[] = [];
    this.hostEdges.collect();
    for (const entry of this.interests.values()) {
      if (out.length >= max) break;
      if (!entry.armed) continue;
      if (entry.events & EPOLLET && !this.edgeSince(entry)) continue;
      const events = readiness(entry.file) & (entry.events | EPOLLERR | EPOLLHUP);
      if (events === 0) continue;
      out.push({ events, data: entry.data });
      if (entry.events & EPOLLONESHOT) entry.armed = false;
    }
    return out;
  }

  override poll(): number {
    return 0;
  }

  stat(): FileStat {
    return anonInodeStat(2n);
  }

  override release(): void {
    for (const fd of [...this.interests.keys()]) this.remove(fd);
    this.hostEdges.release();
  }
}
