// Waiting, on the runner's one thread, for a file that a process the runner started makes
// once it is ready (ushim --serve's socket, a host peer's port file).
import { existsSync } from 'node:fs';

const POLL_MS = 10;

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Returns once `path` exists; throws `failure` after timeoutMs. */
export function waitForPath(path: string, timeoutMs: number, failure: string): void {
  for (let waited = 0; !existsSync(path); waited += POLL_MS) {
    if (waited > timeoutMs) throw new Error(failure);
    sleep(POLL_MS);
  }
}
