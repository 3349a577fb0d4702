// Sending and delivering signals: pending sets, default actions, handler frames, syscall
// restart (signals-x86_64.md sections 5 and 11).
import { SI, type Siginfo } from '../abi/siginfo.js';
import type { RegisterValues } from '../cpu-port.js';
import type { Kernel } from '../kernel.js';
import { killProcess } from '../lifecycle.js';
import type { Process } from '../process.js';
import type { Task } from '../task.js';
import { ERESTARTNOHAND, ERESTARTNOINTR, ERESTARTSYS, ERESTART_RESTARTBLOCK } from '../wait.js';
import { type TrapInfo, buildFrame } from './frame.js';
import { groupContinue, groupStop, orphanedGroup, stopSignalSent } from './jobctl.js';
import { SIGCHLD, SIGCONT, SIGKILL, SIGSEGV, SIGSTOP, defaultAction, sigBit } from './numbers.js';
import { rseqResumeAt } from '../rseq.js';

const SIG_DFL = 0n, SIG_IGN = 1n;
const SA_ONSTACK = 0x08000000n, SA_RESTART = 0x10000000n, SA_NODEFER = 0x40000000n,
  SA_RESETHAND = 0x80000000n, SA_RESTORER = 0x04000000n;
const SS_DISABLE = 2, SS_AUTODISARM = 0x80000000 | 0;
const UNBLOCKABLE = sigBit(SIGKILL) | sigBit(SIGSTOP);
/** RFLAGS bits cleared for the handler: TF, DF, RF. */
const HANDLER_CLEARED_FLAGS = 0x100n | 0x400n | 0x10000n;

/** A fault's siginfo as queued, with the details that go into sigcontext (trapno, err, cr2). */
type FaultSiginfo = Siginfo & { trap?: TrapInfo };

function isIgnored(proc: Process, sig: number): boolean {
  const h = proc.sighand.actions[sig].handler;
  if (sig === SIGKILL || sig === SIGSTOP) return false;
  return h === SIG_IGN || (h === SIG_DFL && (defaultAction(sig) === 'ignore' || (sig === SIGCONT)));
}

/** Wakes a task parked in an interruptible wait when `sig` can be delivered to it. */
function interrupt(k: Kernel, task: Task, sig: number): void {
  if (task.state === 'blocked' && (sig === SIGKILL || !(task.signalMask & sigBit(sig)))) {
    const onSignal = task.wait!.onSignal;
    k.wake(task, onSignal === 'retry' ? undefined : onSignal);
  }
}

export function signalTask(k: Kernel, task: Task, info: Siginfo): void {
  if (task.state === 'exited' || !prepareSignal(k, task.process, info.signo)) return;
  task.pending.add(info);
  k.signalArrivals.wakeAll();
  interrupt(k, task, info.signo);
}

export function signalProcess(k: Kernel, proc: Process, info: Siginfo): void {
  if (proc.exited || !prepareSignal(k, proc, info.signo)) return;
  proc.pending.add(info);
  k.signalArrivals.wakeAll();
  const target = proc.liveTasks.find((t) => !(t.signalMask & sigBit(info.signo)));
  if (target !== undefined) interrupt(k, target, info.signo);
}

/**
 * What sending `sig` does before it is queued (Linux's prepare_signal): SIGKILL kills at once,
 * SIGCONT continues the process even when ignored, a stop signal cancels a pending SIGCONT.
 * False when nothing is to be queued (killed, or ignored).
 */
function prepareSignal(k: Kernel, proc: Process, sig: number): boolean {
  if (sig === SIGKILL) {
    killProcess(proc, SIGKILL);
    return false;
  }
  if (sig === SIGCONT) groupContinue(k, proc);
  else if (defaultAction(sig) === 'stop') stopSignalSent(proc);
  return !isIgnored(proc, sig);
}

/** A signal raised by the task's own fault: never ignored or blocked (force_sig_info). */
export function forceSignal(k: Kernel, task: Task, info: Siginfo, trap?: TrapInfo): void {
  const action = task.process.sighand.actions[info.signo];
  if (action.handler === SIG_IGN || task.signalMask & sigBit(info.signo)) {
    action.handler = SIG_DFL;
    task.signalMask &= ~sigBit(info.signo);
  }
  if (trap !== undefined) (info as FaultSiginfo).trap = trap;
  task.pending.add(info);
}

/**
 * The task was preempted, or gets a signal frame, at `rip`: a restartable sequence it was in
 * aborts (kernel-shim/rseq.ts). An unusable rseq area costs it SIGSEGV, as on Linux.
 */
export function rseqInterrupted(k: Kernel, task: Task, rip: bigint): bigint {
  if (task.rseq === undefined) return rip;
  const resume = rseqResumeAt(task, rip);
  if (resume !== undefined) return resume;
  // force_sigsegv: the kernel could not do what the task asked of it on its way back.
  forceSignal(k, task, { signo: SIGSEGV, errno: 0, code: SI.KERNEL, layout: 'kill', pid: 0, uid: 0 });
  return rip;
}

export function hasDeliverable(task: Task): boolean {
  return task.pending.next(task.signalMask) !== 0 || task.process.pending.next(task.signalMask) !== 0;
}

function dequeue(task: Task): Siginfo | undefined {
  const own = task.pending.next(task.signalMask);
  if (own !== 0) return task.pending.take(own);
  const shared = task.process.pending.next(task.signalMask);
  return shared === 0 ? undefined : task.process.pending.take(shared);
}

/**
 * A debugger's signal-delivery stop (ptrace's): sees each signal dequeued for `task` before
 * it acts, and returns true when it took the signal (the task stops; the debugger delivers or
 * discards it later). `ret` and `inHook` are deliverSignal's arguments.
 */
export type SignalInterceptor = (task: Task, info: Siginfo, ret: SyscallReturn | undefined, inHook: boolean) => boolean;

/** A syscall the task is returning from: its result, where its `syscall` instruction is and where it returns to. */
export interface SyscallReturn {
  nr: number;
  result: number | bigint;
  syscallRip: bigint;
  returnRip: bigint;
}

/**
 * Runs on every return to user mode of `task`, whose registers are loaded in its engine.
 * Acts on one pending signal (default action or handler frame) and applies syscall restart.
 * `inHook`: called on the syscall path (a stop is requested for a group stop).
 * Returns true when it rewrote the registers (the caller must not write a result).
 */
export function deliverSignal(k: Kernel, task: Task, ret: SyscallReturn | undefined, inHook: boolean): boolean {
  const engine = k.cpu;
  // Like Linux's exit-to-user loop, every deliverable signal gets a frame: each new frame is
  // built over the previous handler's entry state, so the last-built handler runs first.
  let regs: RegisterValues | undefined;
  let pendingRet = ret;
  for (;;) {
    // A group stop ends the loop: the signals still pending wait until SIGCONT.
    const info = task.process.stopped ? undefined : dequeue(task);
    const restartCode = pendingRet !== undefined && typeof pendingRet.result === 'number' ? -pendingRet.result : 0;
    const isRestart = restartCode === ERESTARTSYS || restartCode === ERESTARTNOINTR || restartCode === ERESTARTNOHAND || restartCode === ERESTART_RESTARTBLOCK;
    if (info === undefined) {
      if (regs !== undefined) {
        engine.writeRegisters(regs);
        return true;
      }
      if (pendingRet !== undefined && isRestart) {
        // No handler ran: the interrupted call starts over.
        engine.writeRegisters({ rax: BigInt(pendingRet.nr), rip: pendingRet.syscallRip });
        restoreSuspendMask(task);
        return true;
      }
      return false;
    }
    if (k.signalInterceptor?.(task, info, pendingRet, inHook)) return true;
    const sig = info.signo;
    const proc = task.process;
    const action = proc.sighand.actions[sig];
    if (action.handler === SIG_IGN) continue;
    if (action.handler === SIG_DFL) {
      const what = defaultAction(sig);
      if (what === 'stop') {
        if (sig !== SIGSTOP && orphanedGroup(k, proc.pgid)) continue;
        groupStop(k, proc, sig);
        if (inHook) engine.requestStop();
        continue;
      }
      if (what === 'ignore' || what === 'continue' || sig === SIGCHLD) continue;
      k.onFatalSignal?.(task, info);
      killProcess(proc, sig, what === 'core');
      return true;
    }
    if (!(action.flags & SA_RESTORER)) {
      killProcess(proc, 11, true);
      return true;
    }
    regs ??= engine.readRegisters();
    if (pendingRet !== undefined) {
      if (isRestart && (restartCode === ERESTARTNOINTR || (restartCode === ERESTARTSYS && action.flags & SA_RESTART))) {
        regs.rax = BigInt(pendingRet.nr);
        regs.rip = pendingRet.syscallRip;
      } else {
        regs.rax = BigInt.asUintN(64, BigInt(isRestart ? -4 : pendingRet.result));
        regs.rip = pendingRet.returnRip;
      }
      pendingRet = undefined;
    }
    if (task.rseq !== undefined) regs = { ...regs, rip: rseqInterrupted(k, task, regs.rip) };
    const alt = task.altStack;
    const onAltStack = alt.flags !== SS_DISABLE && !(alt.flags & SS_AUTODISARM) && regs.rsp > BigInt(alt.sp) && regs.rsp <= BigInt(alt.sp + alt.size);
    const useAlt = (action.flags & SA_ONSTACK) !== 0n && alt.flags !== SS_DISABLE && !onAltStack;
    const oldMask = task.savedMask ?? task.signalMask;
    const frame = buildFrame({
      regs,
      fpu: engine.readFpu(),
      info,
      restorer: action.restorer,
      oldMask,
      altStack: { sp: alt.sp, size: alt.size, flags: alt.flags === SS_DISABLE ? SS_DISABLE : alt.flags | (onAltStack ? 1 : 0) },
      stackTop: useAlt ? BigInt(alt.sp + alt.size) : regs.rsp,
      useAltStack: useAlt,
      trap: (info as FaultSiginfo).trap,
    });
    if (!proc.mm.write(Number(frame.addr), frame.bytes)) {
      killProcess(proc, 11, true);
      return true;
    }
    task.savedMask = null;
    task.signalMask |= action.mask | (action.flags & SA_NODEFER ? 0n : sigBit(sig));
    task.signalMask &= ~UNBLOCKABLE;
    if (action.flags & SA_RESETHAND) proc.sighand.actions[sig] = { handler: SIG_DFL, flags: 0n, restorer: 0n, mask: 0n };
    if (useAlt && alt.flags & SS_AUTODISARM) task.altStack = { sp: 0, size: 0, flags: SS_DISABLE };
    engine.writeFpu(null);
    regs = {
      ...regs,
      rdi: BigInt(sig),
      rsi: frame.infoAddr,
      rdx: frame.ucAddr,
      rax: 0n,
      rsp: frame.addr,
      rip: action.handler,
      rflags: regs.rflags & ~HANDLER_CLEARED_FLAGS,
    };
  }
}

/** After rt_sigsuspend or ppoll/pselect6 with a mask, the old mask comes back when no handler ran. */
function restoreSuspendMask(task: Task): void {
  if (task.savedMask !== null) {
    task.signalMask = task.savedMask;
    task.savedMask = null;
  }
}
