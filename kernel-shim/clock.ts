// Time and randomness as the guest sees them. Deterministic mode replaces the host clock with
// a virtual one that starts at a fixed date and advances only by what the guest consumes, and
// replaces host randomness with a seeded generator, so that two runs are byte-identical.
import { randomFillSync } from 'node:crypto';
import { Errno } from './errno.js';

export const CLOCK_REALTIME = 0;
export const CLOCK_MONOTONIC = 1;
export const CLOCK_PROCESS_CPUTIME_ID = 2;
export const CLOCK_THREAD_CPUTIME_ID = 3;
export const CLOCK_MONOTONIC_RAW = 4;
export const CLOCK_REALTIME_COARSE = 5;
export const CLOCK_MONOTONIC_COARSE = 6;
export const CLOCK_BOOTTIME = 7;
export const CLOCK_REALTIME_ALARM = 8;
export const CLOCK_BOOTTIME_ALARM = 9;
export const CLOCK_TAI = 11;

/** 2000-01-01T00:00:00Z, the deterministic epoch. */
const DETERMINISTIC_EPOCH_NS = 946684800n * 1_000_000_000n;
/** Each reading of the deterministic clock moves it forward by one microsecond. */
const DETERMINISTIC_TICK_NS = 1000n;

export class Clock {
  /** Deterministic mode's virtual time (public for snapshots: emu/api/snapshot.ts). */
  virtualNs = 0n;
  private readonly startCpu = process.cpuUsage();

  constructor(readonly deterministic: boolean) {}

  /** Nanoseconds for clock id, or null for an invalid clock. */
  now(clock: number): bigint | null {
    if (this.deterministic) {
      this.virtualNs += DETERMINISTIC_TICK_NS;
      switch (clock) {
        case CLOCK_REALTIME: case CLOCK_REALTIME_COARSE: case CLOCK_REALTIME_ALARM: case CLOCK_TAI:
          return DETERMINISTIC_EPOCH_NS + this.virtualNs;
        case CLOCK_MONOTONIC: case CLOCK_MONOTONIC_RAW: case CLOCK_MONOTONIC_COARSE: case CLOCK_BOOTTIME:
        case CLOCK_BOOTTIME_ALARM: case CLOCK_PROCESS_CPUTIME_ID: case CLOCK_THREAD_CPUTIME_ID:
          return this.virtualNs;
        default:
          return null;
      }
    }
    switch (clock) {
      case CLOCK_REALTIME: case CLOCK_REALTIME_COARSE: case CLOCK_REALTIME_ALARM: case CLOCK_TAI: {
        const ms = BigInt(Date.now());
        const hr = process.hrtime.bigint() % 1_000_000n;
        return ms * 1_000_000n + hr;
      }
      case CLOCK_MONOTONIC: case CLOCK_MONOTONIC_RAW: case CLOCK_MONOTONIC_COARSE: case CLOCK_BOOTTIME:
      case CLOCK_BOOTTIME_ALARM:
        return process.hrtime.bigint();
      case CLOCK_PROCESS_CPUTIME_ID: case CLOCK_THREAD_CPUTIME_ID: {
        const u = process.cpuUsage(this.startCpu);
        return BigInt(u.user + u.system) * 1000n;
      }
      default:
        return null;
    }
  }

  /** Resolution of a clock in nanoseconds, or null when invalid. */
  resolution(clock: number): bigint | null {
    if (clock === CLOCK_REALTIME_COARSE || clock === CLOCK_MONOTONIC_COARSE) return 4_000_000n;
    return this.now(clock) === null ? null : 1n;
  }

  /**
   * Nanoseconds since boot (sysinfo and /proc/uptime, process start times): what
   * CLOCK_BOOTTIME reads, the host's since boot or the virtual clock's since it started.
   */
  uptime(): bigint {
    return this.deterministic ? this.virtualNs : process.hrtime.bigint();
  }

  /** Sleeps the host (single runnable task) or, deterministically, advances virtual time. */
  sleep(ns: bigint): void {
    if (this.deterministic) {
      this.virtualNs += ns;
      return;
    }
    const ms = Number(ns / 1_000_000n);
    const rest = ns % 1_000_000n;
    if (ms > 0) Atomics.wait(sleeper, 0, 0, ms);
    const until = process.hrtime.bigint() + rest;
    while (process.hrtime.bigint() < until);
  }

  /**
   * Sleeps the host for ms real milliseconds whatever the mode: the guest waits for something
   * from outside it (a host signal), which virtual time cannot bring nearer.
   */
  waitOutside(ms: number): void {
    if (ms > 0) Atomics.wait(sleeper, 0, 0, ms);
  }
}

const GRND_NONBLOCK = 1, GRND_RANDOM = 2, GRND_INSECURE = 4;

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Random bytes for AT_RANDOM, getrandom and /dev/urandom. */
export class RandomSource {
  /** Deterministic mode's generator state (public for snapshots: emu/api/snapshot.ts). */
  state: bigint;

  constructor(readonly deterministic: boolean, seed = 0x5eed_0f_05_11_1eedn) {
    this.state = seed;
  }

  fill(out: Uint8Array): void {
    if (!this.deterministic) {
      randomFillSync(out);
      return;
    }
    // splitmix64: fixed sequence from the seed.
    for (let i = 0; i < out.length; i += 8) {
      this.state = BigInt.asUintN(64, this.state + 0x9e3779b97f4a7c15n);
      let z = this.state;
      z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
      z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
      z ^= z >> 31n;
      for (let j = 0; j < 8 && i + j < out.length; j++) out[i + j] = Number((z >> BigInt(8 * j)) & 0xffn);
    }
  }

  /** getrandom(len, flags): up to 32 MiB - 1 bytes; never blocks (the pool is always ready). */
  getrandom(len: number, flags: number): Uint8Array | number {
    if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE) || (flags & GRND_RANDOM && flags & GRND_INSECURE)) return -Errno.EINVAL;
    return this.bytes(Math.min(len, 0x1ffffff));
  }

  bytes(n: number): Uint8Array {
    const b = new Uint8Array(n);
    this.fill(b);
    return b;
  }
}
