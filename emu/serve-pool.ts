// The workers of `ushim --serve` (emu/serve.ts): N of them are kept idle, waiting for a
// client, however many are busy, so that a pipeline of more runs than N (each run waits
// for the next stage's output) still gets a worker for every stage. A worker tells the
// server on its fd 4 when it took a client (BUSY), and, when it serves several runs, asks
// after each whether to go on (IDLE_AGAIN: answered CONTINUE, or EXIT when 2N are idle: a
// pool that shrank as soon as a burst of runs ended would start workers again at the next).
import type { ChildProcess } from 'node:child_process';
import type { Duplex } from 'node:stream';

export const CONTROL_FD = 4;
export const BUSY = 'b';
export const IDLE_AGAIN = 'i';
export const CONTINUE = 'c';
export const EXIT = 'x';
/** An idle worker that ends sooner than this after its start is replaced only after this long. */
const RESPAWN_DELAY_MS = 1000;

export class WorkerPool {
  private readonly idle = new Set<ChildProcess>();
  private readonly all = new Set<ChildProcess>();
  private closing = false;

  /** `spawnWorker` starts a worker with a pipe as its fd CONTROL_FD. */
  constructor(
    private readonly size: number,
    private readonly spawnWorker: () => ChildProcess,
  ) {}

  /** Starts workers until `size` are idle. */
  fill(): void {
    while (!this.closing && this.idle.size < this.size) this.start();
  }

  /** Idle workers end; busy ones end after their run. */
  close(): void {
    this.closing = true;
    for (const worker of this.idle) worker.kill('SIGTERM');
  }

  private start(): void {
    const started = performance.now();
    const worker = this.spawnWorker();
    this.all.add(worker);
    this.idle.add(worker);
    const control = worker.stdio[CONTROL_FD] as Duplex;
    control.on('data', (bytes: Buffer) => {
      for (const message of bytes.toString('latin1')) this.heard(worker, control, message);
    });
    control.on('error', () => {});
    worker.on('exit', () => {
      this.all.delete(worker);
      // An idle worker that died (killed, or failing as it starts) is replaced, slowly if it died young.
      if (this.idle.delete(worker) && !this.closing) {
        setTimeout(() => this.fill(), performance.now() - started < RESPAWN_DELAY_MS ? RESPAWN_DELAY_MS : 0);
      }
    });
  }

  private heard(worker: ChildProcess, control: Duplex, message: string): void {
    if (message === BUSY) {
      this.idle.delete(worker);
      this.fill();
    } else if (message === IDLE_AGAIN) {
      const stay = !this.closing && this.idle.size < 2 * this.size;
      if (stay) this.idle.add(worker);
      control.write(stay ? CONTINUE : EXIT);
    }
  }
}
