// Time-slice preemption: uc_emu_start blocks the JS thread, so a worker thread stops the
// engine when a slice runs too long (design.md: never pass a timeout to uc_emu_start).
// A stop issued before uc_emu_start begins is lost, so the worker repeats it every
// millisecond until the slice it was aimed at has ended.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { libraryPath } from './unicorn.js';

const SLICE = 0, ARMED = 1, FIRED = 2, READY = 3;
const SLICE_MS = 10;

const workerSource = `
const { workerData } = require('node:worker_threads');
const koffi = require(workerData.koffi);
const lib = koffi.load(workerData.lib);
const stop = lib.func('int uc_emu_stop(void *uc)');
const state = new Int32Array(workerData.state);
const handle = new BigUint64Array(workerData.handle);
Atomics.store(state, ${READY}, 1);
Atomics.notify(state, ${READY});
for (;;) {
  Atomics.wait(state, ${ARMED}, 0);
  const slice = Atomics.load(state, ${SLICE});
  if (Atomics.wait(state, ${SLICE}, slice, ${SLICE_MS}) !== 'timed-out') continue;
  while (Atomics.load(state, ${SLICE}) === slice && Atomics.load(state, ${ARMED}) === 1) {
    Atomics.store(state, ${FIRED}, 1);
    stop(handle[0]);
    Atomics.wait(state, ${SLICE}, slice, 1);
  }
}`;

export class Preempter {
  private readonly state = new Int32Array(new SharedArrayBuffer(16));
  private readonly handle = new BigUint64Array(new SharedArrayBuffer(8));
  private worker: Worker | undefined;

  private start(): void {
    const require = createRequire(import.meta.url);
    this.worker = new Worker(workerSource, {
      eval: true,
      workerData: { koffi: require.resolve('koffi'), lib: libraryPath(), state: this.state.buffer, handle: this.handle.buffer },
    });
    this.worker.unref();
    // Node aborts if the process exits while a worker is still loading a native addon.
    Atomics.wait(this.state, READY, 0, 5000);
  }

  /** Starts a slice on engine `handle`: it is stopped after SLICE_MS unless disarmed first. */
  arm(handle: bigint): void {
    if (this.worker === undefined) this.start();
    this.handle[0] = handle;
    Atomics.store(this.state, FIRED, 0);
    Atomics.add(this.state, SLICE, 1);
    Atomics.store(this.state, ARMED, 1);
    Atomics.notify(this.state, ARMED);
  }

  /** Ends the slice; true when the worker stopped the engine. */
  disarm(): boolean {
    Atomics.store(this.state, ARMED, 0);
    Atomics.add(this.state, SLICE, 1);
    Atomics.notify(this.state, SLICE);
    return Atomics.load(this.state, FIRED) === 1;
  }

  close(): void {
    void this.worker?.terminate();
  }
}
