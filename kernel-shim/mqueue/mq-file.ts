// A message queue descriptor (what mq_open returns): a file of the mqueue filesystem. Reading
// it gives the queue's status line; poll reports readable while messages wait and writable
// while there is room. The queue lives while a descriptor holds it, unlinked or not.
import { Errno } from '../errno.js';
import { BaseFile } from '../fs/basefile.js';
import { POLLIN, POLLOUT, SEEK_CUR, SEEK_END, SEEK_SET, S_IFREG } from '../fs/constants.js';
import type { FileStat, PollMask } from '../fs/file.js';
import type { WaitQueue } from '../wait.js';
import type { MessageQueue } from './queue.js';

/** The size an mqueue inode reports (FILENT_SIZE). */
const FILENT_SIZE = 80;
/** st_dev of the mqueue filesystem (an anonymous block device number). */
const MQUEUE_DEV = 0x13n;
const POLLRDNORM = 0x40, POLLWRNORM = 0x100;

export class MqueueFile extends BaseFile {
  private pos = 0;

  constructor(readonly queue: MessageQueue, flags: number, private readonly onRelease: () => void) {
    super(`/${queue.name}`, flags);
    queue.openFiles++;
  }

  override release(): void {
    this.queue.openFiles--;
    this.onRelease();
  }

  get waitQueue(): WaitQueue {
    return this.queue.waitQueue;
  }

  override read(buf: Uint8Array): number {
    const text = new TextEncoder().encode(this.queue.status());
    if (this.pos >= text.length) return 0;
    const n = Math.min(buf.length, text.length - this.pos);
    buf.set(text.subarray(this.pos, this.pos + n));
    this.pos += n;
    return n;
  }

  override seek(offset: bigint, whence: number): bigint | number {
    const base = whence === SEEK_SET ? 0n : whence === SEEK_CUR ? BigInt(this.pos) : whence === SEEK_END ? BigInt(FILENT_SIZE) : undefined;
    if (base === undefined) return -Errno.EINVAL;
    const target = base + offset;
    if (target < 0n || target > BigInt(Number.MAX_SAFE_INTEGER)) return -Errno.EINVAL;
    this.pos = Number(target);
    return target;
  }

  override poll(): PollMask {
    return (this.queue.count > 0 ? POLLIN | POLLRDNORM : 0) | (this.queue.full ? 0 : POLLOUT | POLLWRNORM);
  }

  stat(): FileStat {
    const q = this.queue;
    return {
      dev: MQUEUE_DEV, ino: q.ino, nlink: 1, mode: S_IFREG | q.owner.mode, uid: q.owner.uid, gid: q.owner.gid, rdev: 0n, size: BigInt(FILENT_SIZE),
      blksize: 4096, blocks: 0n, atimeNs: q.mtimeNs, mtimeNs: q.mtimeNs, ctimeNs: q.ctimeNs, birthtimeNs: 0n,
    };
  }
}
