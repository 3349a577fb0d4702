// A task's side of signals that syscalls change: dispositions (rt_sigaction), the blocked
// mask (rt_sigprocmask), the alternate stack (sigaltstack), and taking a pending signal
// without a handler (rt_sigtimedwait, which waits for one).
import type { Siginfo } from '../abi/siginfo.js';
import { Errno } from '../errno.js';
import type { SigAction } from './handlers.js';
import type { AltStack, Task } from '../task.js';
import { NSIG, SIGKILL, SIGSTOP, defaultAction } from './numbers.js';
import { UNBLOCKABLE, unblockWhileWaiting } from './wait-mask.js';
import { hasDeliverable } from './deliver.js';
import { CLOCK_MONOTONIC } from '../clock.js';
import { type Block, block } from '../wait.js';

const SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;
const SIG_DFL = 0n, SIG_IGN = 1n;
/** SA_* bits Linux keeps; others are stripped so libcs can probe for support. */
const SA_KNOWN = 0x1n | 0x2n | 0x4n | 0x04000000n | 0x08000000n | 0x10000000n | 0x40000000n | 0x80000000n | 0x800n;
export const SS_ONSTACK = 1, SS_DISABLE = 2, SS_AUTODISARM = 0x80000000 | 0;
const MINSIGSTKSZ = 2048;

/**
 * rt_sigaction(sig, next): `publishOld` stores the current disposition for the caller (false:
 * EFAULT, and nothing changes); next, when given, replaces it (an errno when it could not be
 * read). SIGKILL and SIGSTOP keep theirs.
 */
export function sigaction(t: Task, sig: number, next: SigAction | number | undefined, publishOld: ((old: SigAction) => boolean) | undefined): number {
  if (sig < 1 || sig > NSIG) return -Errno.EINVAL;
  if (next !== undefined) {
    if (sig === SIGKILL || sig === SIGSTOP) return -Errno.EINVAL;
    if (typeof next === 'number') return next;
  }
  if (publishOld !== undefined && !publishOld(t.process.sighand.actions[sig])) return -Errno.EFAULT;
  if (next !== undefined) setAction(t, sig, next);
  return 0;
}

/** Installs a disposition; one that ignores the signal discards it where it is pending. */
export function setAction(t: Task, sig: number, next: SigAction): void {
  const proc = t.process;
  proc.sighand.actions[sig] = { handler: next.handler, flags: next.flags & SA_KNOWN, restorer: next.restorer, mask: next.mask & ~UNBLOCKABLE };
  const ignored = next.handler === SIG_IGN || (next.handler === SIG_DFL && defaultAction(sig) === 'ignore');
  if (ignored) {
    proc.pending.discard(sig);
    for (const task of proc.tasks) task.pending.discard(sig);
  }
}

/** Whether rt_sigprocmask knows `how`. */
export function validMaskHow(how: number): boolean {
  return how === SIG_BLOCK || how === SIG_UNBLOCK || how === SIG_SETMASK;
}

/** rt_sigprocmask's change (how validated): SIGKILL and SIGSTOP stay unblocked. */
export function changeMask(t: Task, how: number, set: bigint): void {
  if (how === SIG_BLOCK) t.signalMask |= set;
  else if (how === SIG_UNBLOCK) t.signalMask &= ~set;
  else t.signalMask = set;
  t.signalMask &= ~UNBLOCKABLE;
}

/** Blocked signals pending for the task or its process (rt_sigpending). */
export function pendingBlocked(t: Task): bigint {
  return (t.pending.mask | t.process.pending.mask) & t.signalMask;
}

/** The lowest pending signal in `set` (thread's first, then the process's), taken off the queue; undefined when none. */
export function takePending(t: Task, set: bigint): { sig: number; info: Siginfo } | undefined {
  const wanted = set & ~UNBLOCKABLE;
  const sig = t.pending.next(~wanted) || t.process.pending.next(~wanted);
  if (sig === 0) return undefined;
  return { sig, info: t.pending.take(sig) ?? t.process.pending.take(sig)! };
}

/**
 * rt_sigtimedwait(set, deadline): a pending signal of the set, taken; else the signals of the
 * set are unblocked and the task sleeps until one comes (the retry takes it) or the deadline
 * (EAGAIN). deadline is an errno when the timeout could not be read.
 */
export function sigtimedwait(t: Task, set: bigint, deadline: bigint | undefined | number): { sig: number; info: Siginfo } | number | Block {
  const taken = takePending(t, set);
  if (taken !== undefined) return taken;
  if (typeof deadline === 'number') return deadline;
  if (deadline !== undefined && deadline <= t.kernel.clock.now(CLOCK_MONOTONIC)!) return -Errno.EAGAIN;
  unblockWhileWaiting(t, set);
  // A signal outside the set interrupts the wait; one in it is taken by the retry.
  if (hasDeliverable(t)) return -Errno.EINTR;
  return block([], { deadline, onTimeout: -Errno.EAGAIN, onSignal: 'retry', hostFds: [] });
}

/** sigaltstack's view of the alternate stack: on it now (rsp inside), and the flags it reports. */
export function altStackState(t: Task): { onStack: boolean; flags: number } {
  const rsp = Number(t.kernel.cpu.readRegister('rsp'));
  const alt = t.altStack;
  const onStack = alt.flags !== SS_DISABLE && !(alt.flags & SS_AUTODISARM) && rsp > alt.sp && rsp <= alt.sp + alt.size;
  const flags = alt.flags === SS_DISABLE ? SS_DISABLE : (onStack ? SS_ONSTACK : 0) | (alt.flags & SS_AUTODISARM);
  return { onStack, flags };
}

/** sigaltstack's change: 0, -EINVAL (flags), -EPERM (on the stack now), -ENOMEM (too small). */
export function setAltStack(t: Task, onStack: boolean, next: AltStack): number {
  const mode = next.flags & ~SS_AUTODISARM;
  if (mode !== 0 && mode !== SS_ONSTACK && mode !== SS_DISABLE) return -Errno.EINVAL;
  if (onStack) return -Errno.EPERM;
  if (mode === SS_DISABLE) t.altStack = { sp: 0, size: 0, flags: SS_DISABLE };
  else {
    if (next.size < MINSIGSTKSZ) return -Errno.ENOMEM;
    t.altStack = { sp: next.sp, size: next.size, flags: next.flags & SS_AUTODISARM };
  }
  return 0;
}
