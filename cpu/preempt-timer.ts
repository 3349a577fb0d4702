// Time slices without counting instructions: a worker thread calls uc_emu_stop when a run
// has lasted its slice, as a timer interrupt would. Unicorn then leaves the translated code
// at the next block boundary with the guest's pc synchronized (cpu_tb_exec restores it from
// the block when no UC_HOOK_CODE hook exists), so the task resumes exactly where it stopped.
// Counting instead (uc_emu_start's count) hooks every instruction, about 10x slower code.
//
// The worker and the engine share four words. Runs follow each other by the microsecond
// when tasks wake each other, so arming and disarming cost no system call unless the worker
// is idle: a worker timing an earlier run finds the new one when that wait ends (a new run's
// slice may then last up to twice its length). A stop issued just before uc_emu_start
// begins is lost (uc_emu_start clears the request), so while the same run stays armed the
// worker repeats the stop every RESTOP_MS.
import { Worker } from 'node:worker_threads';

const ARMED = 0;
const DELAY_MS = 1;
const FIRED = 2;
/** 1 while the worker waits for a run to be armed (only then does arming wake it). */
const IDLE = 3;
/** ARMED's value that ends the worker. */
const QUIT = -1;
const RESTOP_MS = 2;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const koffi = require(workerData.koffi);
const stop = koffi.load(workerData.library).func('int uc_emu_stop(void *uc)');
const state = new Int32Array(workerData.state);
for (;;) {
  Atomics.store(state, ${IDLE}, 1);
  Atomics.wait(state, ${ARMED}, 0);
  Atomics.store(state, ${IDLE}, 0);
  const run = Atomics.load(state, ${ARMED});
  if (run === ${QUIT}) break;
  if (Atomics.wait(state, ${ARMED}, run, Atomics.load(state, ${DELAY_MS})) !== 'timed-out') continue;
  do {
    if (Atomics.load(state, ${ARMED}) !== run) break;
    stop(workerData.handle);
    Atomics.store(state, ${FIRED}, run);
  } while (Atomics.wait(state, ${ARMED}, run, ${RESTOP_MS}) === 'timed-out');
}
`;

export class PreemptTimer {
  private readonly state = new Int32Array(new SharedArrayBuffer(16));
  private readonly worker: Worker;
  private lastRun = 0;

  constructor(handle: bigint, library: string, koffiPath: string) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { handle, library, koffi: koffiPath, state: this.state.buffer } });
    // The timer never keeps ushim alive, and a worker that cannot start leaves runs unbounded
    // (they still end at syscalls) rather than failing the guest.
    this.worker.unref();
    this.worker.on('error', () => {});
  }

  /** Stops the run about to start after `ms` milliseconds; returns the run's number. */
  arm(ms: number): number {
    const run = (this.lastRun % 0x7ffffffe) + 1;
    this.lastRun = run;
    Atomics.store(this.state, DELAY_MS, Math.max(1, Math.round(ms)));
    Atomics.store(this.state, ARMED, run);
    if (Atomics.load(this.state, IDLE) === 1) Atomics.notify(this.state, ARMED);
    return run;
  }

  /** The run ended; a worker timing it finds out when its wait ends. */
  disarm(): void {
    Atomics.store(this.state, ARMED, 0);
  }

  /** Whether the timer stopped run number `run`. */
  fired(run: number): boolean {
    return Atomics.load(this.state, FIRED) === run;
  }

  close(): void {
    Atomics.store(this.state, ARMED, QUIT);
    Atomics.notify(this.state, ARMED);
    void this.worker.terminate();
  }
}
