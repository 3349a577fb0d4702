// The signal mask a task waits with (ppoll, pselect6, epoll_pwait, rt_sigsuspend,
// rt_sigtimedwait): swapped in for the call and kept across its retries; the old mask
// (Task.savedMask) comes back when the call ends, or after a handler it ran (the signal
// frame holds the old one).
import { Errno } from '../errno.js';
import type { Task } from '../task.js';
import { SIGKILL, SIGSTOP, sigBit } from './numbers.js';

export const UNBLOCKABLE = sigBit(SIGKILL) | sigBit(SIGSTOP);

/**
 * Swaps in the mask `read` returns (null: EFAULT) unless the call's retry already did.
 * 0 or -EFAULT.
 */
export function useWaitMask(t: Task, read: () => bigint | null): number {
  if (t.savedMask !== null) return 0;
  const mask = read();
  if (mask === null) return -Errno.EFAULT;
  t.savedMask = t.signalMask;
  t.signalMask = mask & ~UNBLOCKABLE;
  return 0;
}

/** rt_sigtimedwait: the signals waited for are unblocked while it sleeps (they wake it, staying blocked). */
export function unblockWhileWaiting(t: Task, set: bigint): void {
  if (t.savedMask !== null) return;
  t.savedMask = t.signalMask;
  t.signalMask &= ~(set & ~UNBLOCKABLE);
}
