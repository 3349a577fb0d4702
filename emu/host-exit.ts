// Ends ushim the way its guest ended, so that the parent (a shell, a test runner) sees what it
// would see natively: the exit status, or death by the same signal (WIFSIGNALED, WTERMSIG),
// not an exit status of 128+N that a shell would report differently.
import { constants } from 'node:os';
import type { ExitStatus } from '../kernel-shim/process.js';

const NAME_OF_SIGNAL = new Map(Object.entries(constants.signals).map(([name, nr]) => [nr, name as NodeJS.Signals]));

/** Signals whose disposition Node may not touch: they act by default already. */
const UNCATCHABLE = new Set(['SIGKILL', 'SIGSTOP']);

export function exitLikeGuest(status: ExitStatus): void {
  process.exitCode = status.code;
  if (status.signal === undefined) return;
  const name = NAME_OF_SIGNAL.get(status.signal);
  if (name === undefined) return;
  if (!UNCATCHABLE.has(name)) {
    // Node ignores SIGPIPE and opens its inspector on SIGUSR1; libuv puts the default action
    // back when the last listener of a signal goes away.
    process.removeAllListeners(name);
    const noop = (): void => {};
    process.on(name, noop);
    process.removeListener(name, noop);
  }
  // If the host blocks the signal after all, the exit status above stands.
  process.kill(process.pid, name);
}
