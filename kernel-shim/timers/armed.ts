// The kernel's armed timers (timerfd, POSIX timers): each has its next expiry on
// CLOCK_MONOTONIC and an optional interval. The scheduler asks for the earliest expiry to
// sleep until and fires the due ones between slices; readers catch a timer up themselves, so
// a value read is exact even before the scheduler got a turn.
import {
  CLOCK_BOOTTIME, CLOCK_BOOTTIME_ALARM, CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_REALTIME_ALARM, CLOCK_TAI, type Clock,
} from '../clock.js';

export class IntervalTimer {
  /** Next expiry (CLOCK_MONOTONIC ns), undefined while disarmed. */
  private expiry: bigint | undefined;
  private interval = 0n;

  constructor(
    private readonly timers: KernelTimers,
    /** Called with the number of expirations (>= 1) since the last call. */
    private readonly onExpire: (count: bigint) => void,
  ) {}

  /** Arms for a first expiry `value` ns from now (0 disarms), then every `interval` ns. */
  arm(value: bigint, interval: bigint): void {
    if (value === 0n) {
      this.disarm();
      return;
    }
    this.expiry = this.timers.now() + value;
    this.interval = interval;
    this.timers.armed.add(this);
    this.timers.onArm();
  }

  /** Arms for an absolute first expiry on `clock`; one in the past expires at once. */
  armAt(clock: number, at: bigint, interval: bigint): void {
    const now = this.timers.clock.now(clockBase(clock))!;
    if (at > now) {
      this.arm(at - now, interval);
      return;
    }
    this.arm(1n, interval);
    this.expiry = this.timers.now() - (now - at);
  }

  disarm(): void {
    this.expiry = undefined;
    this.interval = 0n;
    this.timers.armed.delete(this);
  }

  get nextExpiry(): bigint | undefined {
    return this.expiry;
  }

  /** Runs the expirations due by `now`. */
  catchUp(now = this.timers.now()): void {
    if (this.expiry === undefined || now < this.expiry) return;
    const count = this.interval > 0n ? (now - this.expiry) / this.interval + 1n : 1n;
    if (this.interval > 0n) this.expiry += count * this.interval;
    else this.disarm();
    this.onExpire(count);
  }

  /** What timer_gettime and timerfd_gettime report: time to the next expiry, and the interval. */
  setting(): { value: bigint; interval: bigint } {
    this.catchUp();
    if (this.expiry === undefined) return { value: 0n, interval: this.interval };
    const left = this.expiry - this.timers.now();
    return { value: left > 0n ? left : 1n, interval: this.interval };
  }
}

/** The clock an absolute expiry is read on: the realtime ones, or monotonic time. */
function clockBase(clock: number): number {
  if (clock === CLOCK_REALTIME || clock === CLOCK_REALTIME_ALARM || clock === CLOCK_TAI) return CLOCK_REALTIME;
  return clock === CLOCK_BOOTTIME || clock === CLOCK_BOOTTIME_ALARM ? CLOCK_BOOTTIME : CLOCK_MONOTONIC;
}

export class KernelTimers {
  readonly armed = new Set<IntervalTimer>();

  constructor(
    private readonly clockOf: () => Clock,
    /** Tells the scheduler, whose uncounted runs would not end for a timer otherwise. */
    readonly onArm: () => void,
  ) {}

  get clock(): Clock {
    return this.clockOf();
  }

  now(): bigint {
    return this.clock.now(CLOCK_MONOTONIC)!;
  }

  /** The earliest expiry of an armed timer (the scheduler sleeps no longer). */
  nextExpiry(): bigint | undefined {
    let next: bigint | undefined;
    for (const t of this.armed) {
      const e = t.nextExpiry;
      if (e !== undefined && (next === undefined || e < next)) next = e;
    }
    return next;
  }

  fireDue(now: bigint): void {
    for (const t of [...this.armed]) t.catchUp(now);
  }
}
