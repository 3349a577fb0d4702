// timerfd: a file whose read returns how many times its timer expired since the last read
// (a u64), and which polls readable while that count is not zero.
import { Errno } from '../errno.js';
import { NoopSeekFile, anonInodeStat } from '../fs/basefile.js';
import { O_RDWR, POLLIN } from '../fs/constants.js';
import type { FileStat } from '../fs/file.js';
import { WaitQueue } from '../wait.js';
import { IntervalTimer, type KernelTimers } from './armed.js';

export const TFD_TIMER_ABSTIME = 1;
export const TFD_TIMER_CANCEL_ON_SET = 2;

export class TimerFd extends NoopSeekFile {
  readonly waitQueue = new WaitQueue();
  private ticks = 0n;
  private readonly timer: IntervalTimer;

  constructor(timers: KernelTimers, readonly clockId: number, flags: number) {
    super('anon_inode:[timerfd]', flags | O_RDWR);
    this.timer = new IntervalTimer(timers, (count) => {
      this.ticks += count;
      this.waitQueue.wakeAll();
    });
  }

  /** timerfd_settime: the previous setting; a new one also forgets unread expirations. */
  set(value: bigint, interval: bigint, absolute: boolean): { value: bigint; interval: bigint } {
    const old = this.timer.setting();
    this.ticks = 0n;
    if (value === 0n) this.timer.disarm();
    else if (absolute) this.timer.armAt(this.clockId, value, interval);
    else this.timer.arm(value, interval);
    return old;
  }

  setting(): { value: bigint; interval: bigint } {
    return this.timer.setting();
  }

  override read(buf: Uint8Array): number {
    if (buf.length < 8) return -Errno.EINVAL;
    this.timer.catchUp();
    if (this.ticks === 0n) return -Errno.EAGAIN;
    new DataView(buf.buffer, buf.byteOffset, 8).setBigUint64(0, this.ticks, true);
    this.ticks = 0n;
    return 8;
  }

  override poll(): number {
    this.timer.catchUp();
    return this.ticks > 0n ? POLLIN : 0;
  }

  override release(): void {
    this.timer.disarm();
  }

  stat(): FileStat {
    return anonInodeStat(1n);
  }
}
