// Pending signals of a task or a process: standard signals are not queued (one instance at
// most), real-time signals queue each instance with its own siginfo.
import type { Siginfo } from '../abi/siginfo.js';
import { SIGBUS, SIGFPE, SIGILL, SIGSEGV, SIGSYS, SIGTRAP, sigBit } from './numbers.js';

const SIGRTMIN = 32;
const SYNCHRONOUS = [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGSYS];

export class PendingSignals {
  mask = 0n;
  private readonly queue: Siginfo[] = [];

  add(info: Siginfo): void {
    const bit = sigBit(info.signo);
    if (info.signo < SIGRTMIN && this.mask & bit) return;
    this.mask |= bit;
    this.queue.push(info);
  }

  /** The signal to deliver next among those not in `blocked`: synchronous first, then lowest. */
  next(blocked: bigint): number {
    const ready = this.mask & ~blocked;
    if (ready === 0n) return 0;
    for (const sig of SYNCHRONOUS) if (ready & sigBit(sig)) return sig;
    for (let sig = 1; sig <= 64; sig++) if (ready & sigBit(sig)) return sig;
    return 0;
  }

  take(sig: number): Siginfo | undefined {
    const i = this.queue.findIndex((s) => s.signo === sig);
    if (i < 0) return undefined;
    const [info] = this.queue.splice(i, 1);
    if (!this.queue.some((s) => s.signo === sig)) this.mask &= ~sigBit(sig);
    return info;
  }

  /** The queued siginfos, oldest first (snapshots: emu/api/snapshot.ts). */
  get queued(): readonly Siginfo[] {
    return this.queue;
  }

  /** Drops one queued siginfo (a deleted POSIX timer's signal). */
  remove(info: Siginfo): void {
    const i = this.queue.indexOf(info);
    if (i < 0) return;
    this.queue.splice(i, 1);
    if (!this.queue.some((s) => s.signo === info.signo)) this.mask &= ~sigBit(info.signo);
  }

  discard(sig: number): void {
    while (this.take(sig) !== undefined);
  }

  clear(): void {
    this.queue.length = 0;
    this.mask = 0n;
  }
}
