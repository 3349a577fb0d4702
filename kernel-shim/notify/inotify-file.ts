// An inotify instance: its watches (by watch descriptor) and its queue of events, read as
// packed struct inotify_event records. Events reach it from the kernel's FsNotify.
import { Errno } from '../errno.js';
import { NoopSeekFile, anonInodeStat } from '../fs/basefile.js';
import { FIONREAD, O_RDONLY, POLLIN } from '../fs/constants.js';
import type { FileStat } from '../fs/file.js';
import { WaitQueue } from '../wait.js';
import { IN_IGNORED, IN_ONESHOT, IN_Q_OVERFLOW, type InotifyEvent, encodeEvent, eventSize } from './inotify-abi.js';

/** /proc/sys/fs/inotify/max_queued_events: past it one IN_Q_OVERFLOW stands for what is lost. */
export const MAX_QUEUED_EVENTS = 16384;
const POLLRDNORM = 0x40;

/** A watch: which object (its identity key), and which events of it this instance wants. */
export interface Watch {
  readonly owner: InotifyFile;
  readonly wd: number;
  readonly key: string;
  mask: number;
}

/** Where an instance's watches are indexed by object, so events find them. */
export interface WatchRegistry {
  add(watch: Watch): void;
  remove(watch: Watch): void;
}

const NO_NAME = new Uint8Array(0);

export class InotifyFile extends NoopSeekFile {
  readonly waitQueue = new WaitQueue();
  /** Unread events are queue[head..]: reading moves head, and the array is compacted now and then. */
  private queue: InotifyEvent[] = [];
  private head = 0;
  private overflowQueued = false;
  private readonly overflow: InotifyEvent = { wd: -1, mask: IN_Q_OVERFLOW, cookie: 0, name: NO_NAME };
  private readonly watches = new Map<number, Watch>();
  /** The same watches by the identity of their object (one watch per object and instance). */
  private readonly byKey = new Map<string, Watch>();
  /** Watch descriptors are handed out cyclically from 1: a removed one is not reused at once. */
  private lastWd = 0;

  constructor(
    private readonly registry: WatchRegistry,
    flags: number,
  ) {
    super('anon_inode:inotify', flags | O_RDONLY);
  }

  watchOn(key: string): Watch | undefined {
    return this.byKey.get(key);
  }

  /** Whether the watch is still one of this instance's (a one-shot watch goes with its event). */
  holds(watch: Watch): boolean {
    return this.watches.get(watch.wd) === watch;
  }

  addWatch(key: string, mask: number): number {
    const wd = ++this.lastWd;
    const watch: Watch = { owner: this, wd, key, mask };
    this.watches.set(wd, watch);
    this.byKey.set(key, watch);
    this.registry.add(watch);
    return wd;
  }

  /** inotify_rm_watch, and a watched object going away: IN_IGNORED is the watch's last event. */
  removeWatch(wd: number): number {
    const watch = this.watches.get(wd);
    if (watch === undefined) return -Errno.EINVAL;
    this.watches.delete(wd);
    this.byKey.delete(watch.key);
    this.registry.remove(watch);
    this.push({ wd, mask: IN_IGNORED, cookie: 0, name: NO_NAME });
    return 0;
  }

  /** An event for one of this instance's watches; a one-shot watch ends with it. */
  deliver(watch: Watch, mask: number, cookie: number, name: Uint8Array): void {
    this.push({ wd: watch.wd, mask, cookie, name });
    if (watch.mask & IN_ONESHOT) this.removeWatch(watch.wd);
  }

  private get pending(): number {
    return this.queue.length - this.head;
  }

  /** Queues an event; one identical to the last unread one is merged into it, as Linux does. */
  private push(event: InotifyEvent): void {
    if (this.pending >= MAX_QUEUED_EVENTS) {
      if (this.overflowQueued) return;
      this.overflowQueued = true;
      this.queue.push(this.overflow);
    } else {
      const last = this.pending > 0 ? this.queue[this.queue.length - 1] : undefined;
      if (last !== undefined && sameEvent(last, event)) return;
      this.queue.push(event);
    }
    this.waitQueue.wakeAll();
  }

  /** Whole records only: EINVAL when the next one does not fit an empty buffer. */
  override read(buf: Uint8Array): number {
    if (this.pending === 0) return -Errno.EAGAIN;
    let off = 0;
    while (this.pending > 0) {
      const event = this.queue[this.head];
      const size = eventSize(event);
      if (off + size > buf.length) break;
      encodeEvent(buf, off, event);
      if (event === this.overflow) this.overflowQueued = false;
      this.head++;
      off += size;
    }
    if (off === 0) return -Errno.EINVAL;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.waitQueue.wakeAll();
    return off;
  }

  /** The guest's buffer is measured by the read path before read(); a short one is refused without consuming. */
  refusalFor(count: number, writing: boolean): number {
    if (writing) return -Errno.EINVAL;
    if (this.pending === 0) return -Errno.EAGAIN;
    return eventSize(this.queue[this.head]) > count ? -Errno.EINVAL : 0;
  }

  override poll(): number {
    return this.pending > 0 ? POLLIN | POLLRDNORM : 0;
  }

  override ioctl(cmd: number, arg: Uint8Array | null): number {
    if (cmd !== FIONREAD) return -Errno.ENOTTY;
    if (arg === null || arg.length < 4) return -Errno.EFAULT;
    const pending = this.queue.slice(this.head).reduce((n, e) => n + eventSize(e), 0);
    new DataView(arg.buffer, arg.byteOffset, 4).setInt32(0, pending, true);
    return 0;
  }

  stat(): FileStat {
    return anonInodeStat(1n);
  }

  override release(): void {
    for (const w of this.watches.values()) this.registry.remove(w);
    this.watches.clear();
    this.byKey.clear();
  }
}

function sameEvent(a: InotifyEvent, b: InotifyEvent): boolean {
  if (a.mask & IN_IGNORED || a.mask !== b.mask || a.wd !== b.wd || a.name.length !== b.name.length) return false;
  return a.name.every((c, i) => c === b.name[i]);
}
