// eventfd: a 64-bit counter that write() adds to and read() takes (all of it, or one in
// semaphore mode); reading zero or overflowing would block.
import { Errno } from '../errno.js';
import { WaitQueue } from '../wait.js';
import { NoopSeekFile, anonInodeStat } from './basefile.js';
import { O_RDWR, POLLIN, POLLOUT } from './constants.js';
import type { FileStat } from './file.js';

export const EFD_SEMAPHORE = 1;
const MAX = 0xfffffffffffffffen;

export class EventFd extends NoopSeekFile {
  readonly waitQueue = new WaitQueue();

  constructor(
    private counter: bigint,
    private readonly semaphore: boolean,
    flags: number,
  ) {
    super('anon_inode:[eventfd]', flags | O_RDWR);
  }

  override read(buf: Uint8Array): number {
    if (buf.length < 8) return -Errno.EINVAL;
    if (this.counter === 0n) return -Errno.EAGAIN;
    const value = this.semaphore ? 1n : this.counter;
    this.counter -= value;
    new DataView(buf.buffer, buf.byteOffset, 8).setBigUint64(0, value, true);
    this.waitQueue.wakeAll();
    return 8;
  }

  override write(buf: Uint8Array): number {
    if (buf.length < 8) return -Errno.EINVAL;
    const value = new DataView(buf.buffer, buf.byteOffset, 8).getBigUint64(0, true);
    if (value === 0xffffffffffffffffn) return -Errno.EINVAL;
    if (MAX - this.counter < value) return -Errno.EAGAIN;
    this.counter += value;
    this.waitQueue.wakeAll();
    return 8;
  }

  /** eventfd_signal: adds one (saturating), as a completed AIO request with IOCB_FLAG_RESFD does. */
  signal(): void {
    if (this.counter < MAX) this.counter++;
    this.waitQueue.wakeAll();
  }

  /** eventfd_read/eventfd_write check the count, then (reading) the counter, then copy. */
  refusalFor(count: number, writing: boolean): number {
    if (count < 8) return -Errno.EINVAL;
    return !writing && this.counter === 0n ? -Errno.EAGAIN : 0;
  }

  override poll(): number {
    return (this.counter > 0n ? POLLIN : 0) | (this.counter < MAX ? POLLOUT : 0);
  }

  stat(): FileStat {
    return anonInodeStat(1n);
  }
}
