// epoll: an interest list of (fd, description, events, data); readiness is level-triggered,
// except that an EPOLLET entry of a file with a wait queue is reported again only after the
// queue was woken since (a file without one is reported like level); EPOLLONESHOT disarms an
// entry after it fires once.
import { NoopSeekFile, anonInodeStat } from './basefile.js';
import { O_RDWR } from './constants.js';
import type { FileStat, OpenFile } from './file.js';
import { releaseFile, retainFile } from './fdtable.js';

export const EPOLLIN = 1, EPOLLPRI = 2, EPOLLOUT = 4, EPOLLERR = 8, EPOLLHUP = 16, EPOLLRDHUP = 0x2000,
  EPOLLEXCLUSIVE = 1 << 28, EPOLLWAKEUP = 1 << 29, EPOLLONESHOT = 1 << 30, EPOLLET = 1 << 31;

export interface Interest {
  file: OpenFile;
  events: number;
  data: bigint;
  armed: boolean;
  /** EPOLLET: the file's wait-queue generation when the entry was last looked at (undefined: never). */
  seen?: number;
}

export class EpollFile extends NoopSeekFile {
  readonly interests = new Map<number, Interest>();

  constructor(flags: number) {
    super('anon_inode:[eventpoll]', flags | O_RDWR);
  }

  add(fd: number, file: OpenFile, events: number, data: bigint): void {
    retainFile(file);
    this.interests.set(fd, { file, events, data, armed: true });
  }

  remove(fd: number): void {
    const entry = this.interests.get(fd);
    if (entry === undefined) return;
    this.interests.delete(fd);
    releaseFile(entry.file);
  }

  /** Ready entries, at most max; one-shot entries are disarmed. */
  ready(max: number, readiness: (file: OpenFile) => number): { events: number; data: bigint }[] {
    const out: { events: number; data: bigint }[] = [];
    for (const entry of this.interests.values()) {
      if (out.length >= max) break;
      if (!entry.armed) continue;
      const queue = entry.events & EPOLLET ? entry.file.waitQueue : undefined;
      if (queue !== undefined) {
        if (entry.seen === queue.generation) continue;
        entry.seen = queue.generation;
      }
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
  }
}
