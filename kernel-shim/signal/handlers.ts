// The signal handler table (Linux's sighand_struct): one disposition per signal. All threads
// of a process use one table; clone(CLONE_SIGHAND) shares it between processes too, so a
// sigaction in one is seen by the other; fork copies it.
import { NSIG, SIGKILL, SIGSTOP } from './numbers.js';

export interface SigAction {
  handler: bigint; // SIG_DFL 0, SIG_IGN 1, or a guest address
  flags: bigint;
  restorer: bigint;
  mask: bigint;
}

const SIG_IGN = 1n;

export class SignalHandlers {
  /** Indexed by signal number (1..NSIG; 0 is unused). */
  readonly actions: SigAction[] = Array.from({ length: NSIG + 1 }, () => ({ handler: 0n, flags: 0n, restorer: 0n, mask: 0n }));

  /** A separate table with the same dispositions (fork; a snapshot's saved copy). */
  copy(): SignalHandlers {
    const copy = new SignalHandlers();
    this.actions.forEach((a, i) => (copy.actions[i] = { ...a }));
    return copy;
  }

  /** The first process starts with the signals its starter ignored (bit N-1: signal N) ignored, as execve leaves them. */
  ignoreInherited(mask: bigint): void {
    for (let sig = 1; sig <= NSIG; sig++) {
      if (sig !== SIGKILL && sig !== SIGSTOP && (mask >> BigInt(sig - 1)) & 1n) this.actions[sig].handler = SIG_IGN;
    }
  }

  /** execve: caught signals go back to SIG_DFL; ignored ones stay ignored. */
  resetForExec(): void {
    for (const action of this.actions) {
      if (action.handler > SIG_IGN) action.handler = 0n;
      action.flags = 0n;
      action.mask = 0n;
    }
  }
}
