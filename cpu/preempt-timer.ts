// Time slices without counting instructions: a periodic host timer whose expiry calls
// Unicorn's uc_emu_stop directly, on a thread libc starts for it (timer_create with
// SIGEV_THREAD: the notify function is uc_emu_stop itself and its argument the engine's
// handle, both pointer-sized, passed in the first argument register). No JavaScript runs on
// that thread. Unicorn then leaves the translated code at the next block boundary with pc
// synchronized (cpu_tb_exec restores it from the block when no UC_HOOK_CODE hook exists, and
// cpu/exit-checks.ts keeps it from leaving mid-block), so the task resumes exactly where it
// stopped. A tick that lands outside a run, or in a run that ends anyway, does nothing.
import { libcCalls } from '../host/libc.js';

const CLOCK_MONOTONIC = 1;
const SIGEV_THREAD = 2;
/** struct sigevent (64 bytes): sigev_value, sigev_signo, sigev_notify, then the thread's function and attributes. */
const SIGEVENT_SIZE = 64;
const RTLD_NOW = 2;
const RTLD_NOLOAD = 4;
/**
 * A longer period is taken only after no shorter one was asked for this long: runs that
 * alternate between contended and lone slices (tasks waking each other) would otherwise
 * reprogram the timer every run.
 */
const LENGTHEN_AFTER_MS = 250;
/** How long close() waits for a tick already on its way to finish (uc_emu_stop takes microseconds). */
const SETTLE_MS = 2;

export class PreemptTimer {
  private readonly timer: bigint | null;
  private periodMs = 0;
  /** When a period shorter than or equal to the current one was last asked for (performance.now()). */
  private lastShortAsk = 0;
  private deleted = false;
  private readonly deleteOnExit = (): void => this.close();

  /** A timer that stops the engine `handle` of the library at `library`; without one, ticks never come. */
  constructor(handle: bigint, library: string) {
    this.timer = PreemptTimer.create(handle, library);
    // Ticks must end before ushim's exit unloads the library their thread calls into.
    if (this.timer !== null) process.once('exit', this.deleteOnExit);
  }

  private static create(handle: bigint, library: string): bigint | null {
    // The reference taken here is never dropped: a tick whose thread libc started before the
    // timer was deleted may run after ushim's exit began, and the code it calls must still be
    // mapped then (koffi unloads the library on the way out).
    const lib = libcCalls.dlopen(library, RTLD_NOW | RTLD_NOLOAD);
    if (lib === null) return null;
    const stop = BigInt(libcCalls.dlsym(lib, 'uc_emu_stop') as number | bigint);
    if (stop === 0n) return null;
    const sev = Buffer.alloc(SIGEVENT_SIZE);
    sev.writeBigUInt64LE(handle, 0);
    sev.writeInt32LE(SIGEV_THREAD, 12);
    sev.writeBigUInt64LE(stop, 16);
    const out: [bigint] = [0n];
    return libcCalls.timer_create(CLOCK_MONOTONIC, sev, out) === 0 ? BigInt(out[0]) : null;
  }

  /** Whether runs can be timed. */
  get available(): boolean {
    return this.timer !== null;
  }

  /** Ticks every `ms` milliseconds from now on (0: no ticks). */
  tickEvery(ms: number): void {
    if (this.timer === null || this.deleted) return;
    const now = performance.now();
    if (ms !== 0 && this.periodMs !== 0 && ms >= this.periodMs) {
      if (ms === this.periodMs) this.lastShortAsk = now;
      if (ms === this.periodMs || now - this.lastShortAsk < LENGTHEN_AFTER_MS) return;
    }
    this.lastShortAsk = now;
    this.periodMs = ms;
    const ns = BigInt(Math.round(ms * 1e6));
    const spec = new BigInt64Array([ns / 1_000_000_000n, ns % 1_000_000_000n, ns / 1_000_000_000n, ns % 1_000_000_000n]);
    libcCalls.timer_settime(this.timer, 0, spec, null);
  }

  close(): void {
    if (this.timer === null || this.deleted) return;
    this.deleted = true;
    process.removeListener('exit', this.deleteOnExit);
    libcCalls.timer_delete(this.timer);
    // A tick's thread may still be calling uc_emu_stop; the engine is freed after this returns.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, SETTLE_MS);
  }
}
