// Signals: dispositions, masks, sending, waiting, the alternate stack, rt_sigreturn, and the
// ITIMER_REAL/alarm timer.
import { SIGACTION_SIZE, decodeSigaction, encodeSigaction } from '../kernel-shim/abi/signal.js';
import { SIGINFO_SIZE, decodeSiginfo, encodeSiginfo, type Siginfo } from '../kernel-shim/abi/siginfo.js';
import { ITIMERVAL_SIZE, decodeItimerval, encodeItimerval } from '../kernel-shim/abi/time.js';
import { Errno } from '../kernel-shim/errno.js';
import type { Kernel } from '../kernel-shim/kernel.js';
import type { Process } from '../kernel-shim/process.js';
import { readFrame } from '../kernel-shim/signal/frame.js';
import { hasDeliverable, signalProcess, signalTask } from '../kernel-shim/signal/deliver.js';
import { NSIG, SIGKILL, SIGSTOP, defaultAction, sigBit } from '../kernel-shim/signal/numbers.js';
import { killProcess } from '../kernel-shim/lifecycle.js';
import type { Task } from '../kernel-shim/task.js';
import { ERESTARTNOHAND, block } from '../kernel-shim/wait.js';
import { RT_SIGFRAME_SIZE } from '../kernel-shim/signal/frame.js';
import type { SyscallDef } from './types.js';
import { timeoutDeadline } from './guest.js';

const SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;
const SIGSET_SIZE = 8;
const UNBLOCKABLE = sigBit(SIGKILL) | sigBit(SIGSTOP);
const SIG_DFL = 0n, SIG_IGN = 1n;
/** SA_* bits Linux keeps; others are stripped so libcs can probe for support. */
const SA_KNOWN = 0x1n | 0x2n | 0x4n | 0x04000000n | 0x08000000n | 0x10000000n | 0x40000000n | 0x80000000n | 0x800n;
const SS_ONSTACK = 1, SS_DISABLE = 2, SS_AUTODISARM = 0x80000000 | 0;
const MINSIGSTKSZ = 2048;
const SI_USER = 0, SI_TKILL = -6;
const ITIMER_REAL = 0, ITIMER_VIRTUAL = 1, ITIMER_PROF = 2;
const NS = 1_000_000_000n;
/** RFLAGS bits rt_sigreturn takes from the frame (FIX_EFLAGS). */
const FIX_EFLAGS = 0x50dd5n;

function killInfo(t: Task, sig: number, code: number): Siginfo {
  return { signo: sig, errno: 0, code, layout: 'kill', pid: t.process.pid, uid: t.process.uid };
}

function findTask(k: Kernel, tid: number): Task | undefined {
  for (const p of k.processes.values()) for (const t of p.tasks) if (t.tid === tid && t.state !== 'exited') return t;
  return undefined;
}

function kill(k: Kernel, t: Task, pid: number, info: Siginfo): number {
  const sig = info.signo;
  if (sig < 0 || sig > NSIG) return -Errno.EINVAL;
  let targets: Process[];
  // Zombies are still there to be signalled (to no effect) until they are reaped.
  const existing = [...k.processes.values()].filter((p) => !p.reaped);
  if (pid > 0) targets = existing.filter((p) => p.pid === pid);
  else if (pid === 0) targets = existing.filter((p) => p.pgid === t.process.pgid);
  else if (pid === -1) targets = existing.filter((p) => p !== t.process); // everyone but the caller (and init)
  else targets = existing.filter((p) => p.pgid === -pid);
  if (targets.length === 0) return -Errno.ESRCH;
  if (sig !== 0) for (const p of targets) signalProcess(k, p, { ...info });
  return 0;
}

function setAction(t: Task, sig: number, next: ReturnType<typeof decodeSigaction>): void {
  const proc = t.process;
  proc.sigactions[sig] = { handler: next.handler, flags: next.flags & SA_KNOWN, restorer: next.restorer, mask: next.mask & ~UNBLOCKABLE };
  const ignored = next.handler === SIG_IGN || (next.handler === SIG_DFL && defaultAction(sig) === 'ignore');
  if (ignored) {
    proc.pending.discard(sig);
    for (const task of proc.tasks) task.pending.discard(sig);
  }
}

function rtSigreturn(t: Task): number | null {
  const engine = t.process.engine;
  const mm = t.process.mm;
  const frameAddr = Number(engine.readRegister('rsp')) - 8;
  const bytes = mm.read(frameAddr, RT_SIGFRAME_SIZE);
  if (bytes === null) {
    killProcess(t.process, 11, true);
    return null;
  }
  const frame = readFrame(bytes);
  t.signalMask = frame.mask & ~UNBLOCKABLE;
  const alt = frame.altStack;
  if (alt.flags === SS_DISABLE) t.altStack = { sp: 0, size: 0, flags: SS_DISABLE };
  else if (alt.size >= MINSIGSTKSZ) t.altStack = { sp: alt.sp, size: alt.size, flags: alt.flags & SS_AUTODISARM };
  const fpu = frame.fpAddr === 0n ? null : mm.read(Number(frame.fpAddr), 512);
  if (frame.fpAddr !== 0n && fpu === null) {
    killProcess(t.process, 11, true);
    return null;
  }
  const regs = frame.regs;
  const current = engine.readRegister('rflags');
  regs.rflags = (current & ~FIX_EFLAGS) | (regs.rflags! & FIX_EFLAGS);
  // Unicorn adds 2 to rip after the syscall hook returns.
  regs.rip = regs.rip! - 2n;
  engine.writeRegisters(regs);
  engine.writeFpu(fpu);
  return null;
}


function getTimer(k: Kernel, p: Process): { value: bigint; interval: bigint } {
  const timer = p.realTimer;
  if (timer === undefined) return { value: 0n, interval: 0n };
  const now = k.clock.now(1)!;
  return { value: timer.deadline > now ? timer.deadline - now : 1n, interval: timer.interval };
}

function setTimer(k: Kernel, p: Process, value: bigint, interval: bigint): void {
  p.realTimer = value === 0n ? undefined : { deadline: k.clock.now(1)! + value, interval };
}

export const signalSyscalls: SyscallDef[] = [
  {
    name: 'rt_sigaction', support: 'full',
    handler: (_k, t, a) => {
      const sig = a.int(0);
      if (a.arg(3) !== SIGSET_SIZE || sig < 1 || sig > NSIG) return -Errno.EINVAL;
      const mm = t.process.mm;
      let next;
      if (a.arg(1) !== 0) {
        if (sig === SIGKILL || sig === SIGSTOP) return -Errno.EINVAL;
        const raw = mm.read(a.arg(1), SIGACTION_SIZE);
        if (raw === null) return -Errno.EFAULT;
        next = decodeSigaction(new DataView(raw.buffer), 0);
      }
      if (a.arg(2) !== 0) {
        const b = new Uint8Array(SIGACTION_SIZE);
        encodeSigaction(new DataView(b.buffer), 0, t.process.sigactions[sig]);
        if (!mm.write(a.arg(2), b)) return -Errno.EFAULT;
      }
      if (next !== undefined) setAction(t, sig, next);
      return 0;
    },
  },
  {
    name: 'rt_sigprocmask', support: 'full',
    handler: (_k, t, a) => {
      if (a.arg(3) !== SIGSET_SIZE) return -Errno.EINVAL;
      const mm = t.process.mm;
      const how = a.int(0);
      let set: bigint | null = null;
      if (a.arg(1) !== 0) {
        set = mm.readU64(a.arg(1));
        if (set === null) return -Errno.EFAULT;
        if (how !== SIG_BLOCK && how !== SIG_UNBLOCK && how !== SIG_SETMASK) return -Errno.EINVAL;
      }
      if (a.arg(2) !== 0 && !mm.writeU64(a.arg(2), t.signalMask)) return -Errno.EFAULT;
      if (set !== null) {
        if (how === SIG_BLOCK) t.signalMask |= set;
        else if (how === SIG_UNBLOCK) t.signalMask &= ~set;
        else t.signalMask = set;
        t.signalMask &= ~UNBLOCKABLE;
      }
      return 0;
    },
  },
  {
    name: 'rt_sigpending', support: 'full',
    handler: (_k, t, a) => {
      if (a.arg(1) > SIGSET_SIZE) return -Errno.EINVAL;
      const pending = (t.pending.mask | t.process.pending.mask) & t.signalMask;
      const b = new Uint8Array(8);
      new DataView(b.buffer).setBigUint64(0, pending, true);
      return t.process.mm.write(a.arg(0), b.subarray(0, a.arg(1))) ? 0 : -Errno.EFAULT;
    },
  },
  { name: 'rt_sigreturn', support: 'full', ptregs: true, handler: (_k, t) => rtSigreturn(t) },
  {
    name: 'rt_sigsuspend', support: 'full',
    handler: (_k, t, a) => {
      if (a.arg(1) !== SIGSET_SIZE) return -Errno.EINVAL;
      if (t.savedMask === null) {
        const mask = t.process.mm.readU64(a.arg(0));
        if (mask === null) return -Errno.EFAULT;
        t.savedMask = t.signalMask;
        t.signalMask = mask & ~UNBLOCKABLE;
      }
      return block([], { onSignal: -ERESTARTNOHAND, hostFds: [] });
    },
  },
  { name: 'pause', support: 'full', handler: () => block([], { onSignal: -ERESTARTNOHAND, hostFds: [] }) },
  {
    name: 'rt_sigtimedwait', support: 'full',
    handler: (_k, t, a) => {
      if (a.arg(3) !== SIGSET_SIZE) return -Errno.EINVAL;
      const mm = t.process.mm;
      const set = mm.readU64(a.arg(0));
      if (set === null) return -Errno.EFAULT;
      const wanted = set & ~UNBLOCKABLE;
      const sig = t.pending.next(~wanted) || t.process.pending.next(~wanted);
      if (sig !== 0) {
        const info = t.pending.take(sig) ?? t.process.pending.take(sig)!;
        if (a.arg(1) !== 0) {
          const b = new Uint8Array(SIGINFO_SIZE);
          encodeSiginfo(new DataView(b.buffer), 0, info);
          if (!mm.write(a.arg(1), b)) return -Errno.EFAULT;
        }
        return sig;
      }
      const deadline = timeoutDeadline(t, a.arg(2));
      if (typeof deadline === 'number') return deadline;
      if (deadline !== undefined && deadline <= t.kernel.clock.now(1)!) return -Errno.EAGAIN;
      // Signals in the set wake the wait even though they stay blocked: unblock them meanwhile.
      if (t.savedMask === null) {
        t.savedMask = t.signalMask;
        t.signalMask &= ~wanted;
      }
      // A signal outside the set interrupts the wait; one in it is taken by the retry.
      if (hasDeliverable(t)) return -Errno.EINTR;
      return block([], { deadline, onTimeout: -Errno.EAGAIN, onSignal: 'retry', hostFds: [] });
    },
  },
  {
    name: 'rt_sigqueueinfo', support: 'full',
    handler: (k, t, a) => {
      const raw = t.process.mm.read(a.arg(2), SIGINFO_SIZE);
      if (raw === null) return -Errno.EFAULT;
      const info = decodeSiginfo(new DataView(raw.buffer), 0);
      const pid = a.int(0);
      if (info.code >= 0 && pid !== t.process.pid) return -Errno.EPERM;
      const target = k.processes.get(pid);
      if (target === undefined || target.exited) return -Errno.ESRCH;
      if (a.int(1) !== 0) signalProcess(k, target, { ...info, signo: a.int(1) });
      return 0;
    },
  },
  {
    name: 'rt_tgsigqueueinfo', support: 'full',
    handler: (k, t, a) => {
      const raw = t.process.mm.read(a.arg(3), SIGINFO_SIZE);
      if (raw === null) return -Errno.EFAULT;
      const info = decodeSiginfo(new DataView(raw.buffer), 0);
      const task = findTask(k, a.int(1));
      if (task === undefined || task.process.pid !== a.int(0)) return -Errno.ESRCH;
      if (a.int(2) !== 0) signalTask(k, task, { ...info, signo: a.int(2) });
      return 0;
    },
  },
  {
    name: 'sigaltstack', support: 'full',
    handler: (_k, t, a) => {
      const mm = t.process.mm;
      const rsp = Number(t.process.engine.readRegister('rsp'));
      const alt = t.altStack;
      const onStack = alt.flags !== SS_DISABLE && !(alt.flags & SS_AUTODISARM) && rsp > alt.sp && rsp <= alt.sp + alt.size;
      if (a.arg(1) !== 0) {
        const out = new Uint8Array(24);
        const dv = new DataView(out.buffer);
        dv.setBigUint64(0, BigInt(alt.sp), true);
        dv.setInt32(8, alt.flags === SS_DISABLE ? SS_DISABLE : (onStack ? SS_ONSTACK : 0) | (alt.flags & SS_AUTODISARM), true);
        dv.setBigUint64(16, BigInt(alt.size), true);
        if (!mm.write(a.arg(1), out)) return -Errno.EFAULT;
      }
      if (a.arg(0) !== 0) {
        const raw = mm.read(a.arg(0), 24);
        if (raw === null) return -Errno.EFAULT;
        const dv = new DataView(raw.buffer);
        const sp = Number(dv.getBigUint64(0, true));
        const flags = dv.getInt32(8, true);
        const size = Number(dv.getBigUint64(16, true));
        const mode = flags & ~SS_AUTODISARM;
        if (mode !== 0 && mode !== SS_ONSTACK && mode !== SS_DISABLE) return -Errno.EINVAL;
        if (onStack) return -Errno.EPERM;
        if (mode === SS_DISABLE) t.altStack = { sp: 0, size: 0, flags: SS_DISABLE };
        else {
          if (size < MINSIGSTKSZ) return -Errno.ENOMEM;
          t.altStack = { sp, size, flags: flags & SS_AUTODISARM };
        }
      }
      return 0;
    },
  },
  { name: 'kill', support: 'full', handler: (k, t, a) => kill(k, t, a.int(0), killInfo(t, a.int(1), SI_USER)) },
  {
    name: 'tgkill', support: 'full',
    handler: (k, t, a) => {
      const sig = a.int(2);
      if (sig < 0 || sig > NSIG || a.int(0) <= 0 || a.int(1) <= 0) return -Errno.EINVAL;
      const task = findTask(k, a.int(1));
      if (task === undefined || task.process.pid !== a.int(0)) return -Errno.ESRCH;
      if (sig !== 0) signalTask(k, task, killInfo(t, sig, SI_TKILL));
      return 0;
    },
  },
  {
    name: 'tkill', support: 'full',
    handler: (k, t, a) => {
      const sig = a.int(1);
      if (sig < 0 || sig > NSIG || a.int(0) <= 0) return -Errno.EINVAL;
      const task = findTask(k, a.int(0));
      if (task === undefined) return -Errno.ESRCH;
      if (sig !== 0) signalTask(k, task, killInfo(t, sig, SI_TKILL));
      return 0;
    },
  },
  {
    name: 'alarm', support: 'full',
    handler: (k, t, a) => {
      const old = getTimer(k, t.process).value;
      setTimer(k, t.process, BigInt(a.arg(0) >>> 0) * NS, 0n);
      return Number((old + NS / 2n) / NS) || (old > 0n ? 1 : 0);
    },
  },
  {
    name: 'setitimer', support: 'partial', note: 'ITIMER_REAL only; VIRTUAL and PROF are accepted and never fire',
    handler: (k, t, a) => {
      const which = a.int(0);
      if (which !== ITIMER_REAL && which !== ITIMER_VIRTUAL && which !== ITIMER_PROF) return -Errno.EINVAL;
      const mm = t.process.mm;
      let next;
      if (a.arg(1) !== 0) {
        const raw = mm.read(a.arg(1), ITIMERVAL_SIZE);
        if (raw === null) return -Errno.EFAULT;
        next = decodeItimerval(new DataView(raw.buffer), 0);
        if (next.value.usec < 0n || next.value.usec >= 1_000_000n || next.interval.usec < 0n || next.interval.usec >= 1_000_000n) return -Errno.EINVAL;
      }
      if (a.arg(2) !== 0) {
        const cur = which === ITIMER_REAL ? getTimer(k, t.process) : { value: 0n, interval: 0n };
        const b = new Uint8Array(ITIMERVAL_SIZE);
        encodeItimerval(new DataView(b.buffer), 0, {
          interval: { sec: cur.interval / NS, usec: (cur.interval % NS) / 1000n }, value: { sec: cur.value / NS, usec: (cur.value % NS) / 1000n },
        });
        if (!mm.write(a.arg(2), b)) return -Errno.EFAULT;
      }
      if (next !== undefined && which === ITIMER_REAL) {
        setTimer(k, t.process, next.value.sec * NS + next.value.usec * 1000n, next.interval.sec * NS + next.interval.usec * 1000n);
      }
      return 0;
    },
  },
  {
    name: 'getitimer', support: 'partial', note: 'ITIMER_REAL only',
    handler: (k, t, a) => {
      const which = a.int(0);
      if (which !== ITIMER_REAL && which !== ITIMER_VIRTUAL && which !== ITIMER_PROF) return -Errno.EINVAL;
      const cur = which === ITIMER_REAL ? getTimer(k, t.process) : { value: 0n, interval: 0n };
      const b = new Uint8Array(ITIMERVAL_SIZE);
      encodeItimerval(new DataView(b.buffer), 0, {
        interval: { sec: cur.interval / NS, usec: (cur.interval % NS) / 1000n }, value: { sec: cur.value / NS, usec: (cur.value % NS) / 1000n },
      });
      return t.process.mm.write(a.arg(1), b) ? 0 : -Errno.EFAULT;
    },
  },
  { name: 'restart_syscall', support: 'partial', note: 'interrupted sleeps restart from the start', handler: () => -Errno.EINTR },
];
