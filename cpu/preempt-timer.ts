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
const RTLD_NODELETE = 0x1000;
/**
 * A longer period is taken only after no shorter one was asked for this long: runs that
 * alternate between contended and lone slices (tasks waking each other) would otherwise
 * reprogram the timer every run.
 */
const LENGTHEN_AFTER_MS = 250;
/**
 * How long an engine outlives its timer (Engine.close): a tick already dispatched when the
 * timer is deleted still calls uc_emu_stop on it. libc runs each tick on a thread it creates
 * then; on a loaded machine that thread can wait many milliseconds to run.
 */
export const TICK_GRACE_MS = 1000;

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
    if (this.timer !== null) process.once('exit', this.deleteOnExit);
  }

  private static create(handle: bigint, library: string): bigint | null {
    // RTLD_NODELETE, and this reference never dropped: the library stays mapped for good. At
    // exit koffi unloads the libraries it loaded, and a tick whose thread runs after that
    // (deleting the timer does not recall ticks already dispatched) jumped into unmapped
    // code: ushim died of SIGSEGV after short guests on a loaded machine.
    const lib = libcCalls.dlopen(library, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
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

  /** No more ticks are dispatched; ones already dispatched may still come (TICK_GRACE_MS). */
  close(): void {
    if (this.timer === null || this.deleted) return;
    this.deleted = true;
    process.removeListener('exit', this.deleteOnExit);
    libcCalls.timer_delete(this.timer);
  }
}
