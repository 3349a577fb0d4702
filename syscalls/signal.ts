// Signals: dispositions, masks, sending, waiting, the alternate stack, rt_sigreturn, and the
// ITIMER_REAL/alarm timer. The semantics live in kernel-shim/signal/ (actions.ts, send.ts,
// wait-mask.ts, sigreturn.ts, itimer.ts); here the arguments are decoded and the results encoded.
import { SIGACTION_SIZE, decodeSigaction, encodeSigaction } from '../kernel-shim/abi/signal.js';
import { SIGINFO_SIZE, decodeSiginfo, encodeSiginfo } from '../kernel-shim/abi/siginfo.js';
import { ITIMERVAL_SIZE, decodeItimerval, encodeItimerval } from '../kernel-shim/abi/time.js';
import { Errno } from '../kernel-shim/errno.js';
import {
  altStackState, changeMask, pendingBlocked, setAltStack, sigaction, sigtimedwait, validMaskHow,
} from '../kernel-shim/signal/actions.js';
import type { SigAction } from '../kernel-shim/signal/handlers.js';
import { type TimerValue, alarm, getItimer, setItimer, validItimer } from '../kernel-shim/signal/itimer.js';
import { kill, killThread, queueToProcess, queueToThread } from '../kernel-shim/signal/send.js';
import { sigreturn } from '../kernel-shim/signal/sigreturn.js';
import { useWaitMask } from '../kernel-shim/signal/wait-mask.js';
import type { Task } from '../kernel-shim/task.js';
import { ERESTARTNOHAND, block, isBlock } from '../kernel-shim/wait.js';
import type { SyscallDef } from './types.js';
import { timeoutDeadline } from './guest.js';

const SIGSET_SIZE = 8;
const STACK_T_SIZE = 24;
const NS = 1_000_000_000n;

function encodeTimer(cur: TimerValue): Uint8Array {
  const b = new Uint8Array(ITIMERVAL_SIZE);
  encodeItimerval(new DataView(b.buffer), 0, {
    interval: { sec: cur.interval / NS, usec: (cur.interval % NS) / 1000n }, value: { sec: cur.value / NS, usec: (cur.value % NS) / 1000n },
  });
  return b;
}

function readSigaction(t: Task, addr: number): SigAction | number {
  const raw = t.process.mm.read(addr, SIGACTION_SIZE);
  return raw === null ? -Errno.EFAULT : decodeSigaction(new DataView(raw.buffer), 0);
}

function readSiginfo(t: Task, addr: number) {
  const raw = t.process.mm.read(addr, SIGINFO_SIZE);
  return raw === null ? null : decodeSiginfo(new DataView(raw.buffer), 0);
}

export const signalSyscalls: SyscallDef[] = [
  {
    name: 'rt_sigaction', args: ['signal', 'sigaction', 'sigaction_out', 'uint'], result: 'dec', support: 'full',
    handler: (_k, t, a) => {
      if (a.arg(3) !== SIGSET_SIZE) return -Errno.EINVAL;
      const mm = t.process.mm;
      const next = a.arg(1) === 0 ? undefined : readSigaction(t, a.arg(1));
      const publishOld = a.arg(2) === 0 ? undefined : (old: SigAction) => {
        const b = new Uint8Array(SIGACTION_SIZE);
        encodeSigaction(new DataView(b.buffer), 0, old);
        return mm.write(a.arg(2), b);
      };
      return sigaction(t, a.int(0), next, publishOld);
    },
  },
  {
    name: 'rt_sigprocmask', args: ['sigprocmask_how', { kind: 'sigset', len: 3 }, { kind: 'sigset_out', len: 3 }, 'uint'], result: 'dec', support: 'full',
    handler: (_k, t, a) => {
      if (a.arg(3) !== SIGSET_SIZE) return -Errno.EINVAL;
      const mm = t.process.mm;
      const how = a.int(0);
      let set: bigint | null = null;
      if (a.arg(1) !== 0) {
        set = mm.readU64(a.arg(1));
        if (set === null) return -Errno.EFAULT;
        if (!validMaskHow(how)) return -Errno.EINVAL;
      }
      if (a.arg(2) !== 0 && !mm.writeU64(a.arg(2), t.signalMask)) return -Errno.EFAULT;
      if (set !== null) changeMask(t, how, set);
      return 0;
    },
  },
  {
    name: 'rt_sigpending', args: ['sigset_out', 'uint'], result: 'dec', support: 'full',
    handler: (_k, t, a) => {
      if (a.arg(1) > SIGSET_SIZE) return -Errno.EINVAL;
      const b = new Uint8Array(8);
      new DataView(b.buffer).setBigUint64(0, pendingBlocked(t), true);
      return t.process.mm.write(a.arg(0), b.subarray(0, a.arg(1))) ? 0 : -Errno.EFAULT;
    },
  },
  {
    name: 'rt_sigreturn', args: [], result: 'dec', support: 'full', ptregs: true,
    handler: (_k, t) => {
      sigreturn(t);
      return null;
    },
  },
  {
    name: 'rt_sigsuspend', args: ['sigset', 'uint'], result: 'dec', support: 'full',
    handler: (_k, t, a) => {
      if (a.arg(1) !== SIGSET_SIZE) return -Errno.EINVAL;
      const m = useWaitMask(t, () => t.process.mm.readU64(a.arg(0)));
      return m < 0 ? m : block([], { onSignal: -ERESTARTNOHAND, hostFds: [] });
    },
  },
  { name: 'pause', args: [], result: 'dec', support: 'full', handler: () => block([], { onSignal: -ERESTARTNOHAND, hostFds: [] }) },
  {
    name: 'rt_sigtimedwait', args: [{ kind: 'sigset', len: 3 }, 'siginfo_out', 'timespec', 'uint'], result: 'dec', support: 'full',
    handler: (_k, t, a) => {
      if (a.arg(3) !== SIGSET_SIZE) return -Errno.EINVAL;
      const mm = t.process.mm;
      const set = mm.readU64(a.arg(0));
      if (set === null) return -Errno.EFAULT;
      const taken = sigtimedwait(t, set, timeoutDeadline(t, a.arg(2)));
      if (typeof taken === 'number' || isBlock(taken)) return taken;
      if (a.arg(1) !== 0) {
        const b = new Uint8Array(SIGINFO_SIZE);
        encodeSiginfo(new DataView(b.buffer), 0, taken.info);
        if (!mm.write(a.arg(1), b)) return -Errno.EFAULT;
      }
      return taken.sig;
    },
  },
  {
    name: 'rt_sigqueueinfo', args: ['int', 'signal', 'siginfo'], result: 'dec', support: 'full',
    handler: (k, t, a) => {
      const info = readSiginfo(t, a.arg(2));
      return info === null ? -Errno.EFAULT : queueToProcess(k, t, a.int(0), a.int(1), info);
    },
  },
  {
    name: 'rt_tgsigqueueinfo', args: ['int', 'int', 'signal', 'siginfo'], result: 'dec', support: 'full',
    handler: (k, t, a) => {
      const info = readSiginfo(t, a.arg(3));
      return info === null ? -Errno.EFAULT : queueToThread(k, t, a.int(0), a.int(1), a.int(2), info);
    },
  },
  {
    name: 'sigaltstack', args: ['stack_t', 'stack_t_out'], result: 'dec', support: 'full',
    handler: (_k, t, a) => {
      const mm = t.process.mm;
      const state = altStackState(t);
      if (a.arg(1) !== 0) {
        const out = new Uint8Array(STACK_T_SIZE);
        const dv = new DataView(out.buffer);
        dv.setBigUint64(0, BigInt(t.altStack.sp), true);
        dv.setInt32(8, state.flags, true);
        dv.setBigUint64(16, BigInt(t.altStack.size), true);
        if (!mm.write(a.arg(1), out)) return -Errno.EFAULT;
      }
      if (a.arg(0) !== 0) {
        const raw = mm.read(a.arg(0), STACK_T_SIZE);
        if (raw === null) return -Errno.EFAULT;
        const dv = new DataView(raw.buffer);
        return setAltStack(t, state.onStack, { sp: Number(dv.getBigUint64(0, true)), flags: dv.getInt32(8, true), size: Number(dv.getBigUint64(16, true)) });
      }
      return 0;
    },
  },
  { name: 'kill', args: ['int', 'signal'], result: 'dec', support: 'full', handler: (k, t, a) => kill(k, t, a.int(0), a.int(1)) },
  { name: 'tgkill', args: ['int', 'int', 'signal'], result: 'dec', support: 'full', handler: (k, t, a) => killThread(k, t, a.int(0), a.int(1), a.int(2)) },
  { name: 'tkill', args: ['int', 'signal'], result: 'dec', support: 'full', handler: (k, t, a) => killThread(k, t, undefined, a.int(0), a.int(1)) },
  { name: 'alarm', args: ['uint'], result: 'dec', support: 'full', handler: (k, t, a) => alarm(k, t.process, a.arg(0) >>> 0) },
  {
    name: 'setitimer', args: ['itimer_which', 'itimerval', 'itimerval_out'], result: 'dec', support: 'partial', note: 'ITIMER_REAL only; VIRTUAL and PROF are accepted and never fire',
    handler: (k, t, a) => {
      const which = a.int(0);
      if (!validItimer(which)) return -Errno.EINVAL;
      const mm = t.process.mm;
      let next: TimerValue | undefined;
      if (a.arg(1) !== 0) {
        const raw = mm.read(a.arg(1), ITIMERVAL_SIZE);
        if (raw === null) return -Errno.EFAULT;
        const v = decodeItimerval(new DataView(raw.buffer), 0);
        if (v.value.usec < 0n || v.value.usec >= 1_000_000n || v.interval.usec < 0n || v.interval.usec >= 1_000_000n) return -Errno.EINVAL;
        next = { value: v.value.sec * NS + v.value.usec * 1000n, interval: v.interval.sec * NS + v.interval.usec * 1000n };
      }
      if (a.arg(2) !== 0 && !mm.write(a.arg(2), encodeTimer(getItimer(k, t.process, which) as TimerValue))) return -Errno.EFAULT;
      return next === undefined ? 0 : setItimer(k, t.process, which, next);
    },
  },
  {
    name: 'getitimer', args: ['itimer_which', 'itimerval_out'], result: 'dec', support: 'partial', note: 'ITIMER_REAL only',
    handler: (k, t, a) => {
      const cur = getItimer(k, t.process, a.int(0));
      if (typeof cur === 'number') return cur;
      return t.process.mm.write(a.arg(1), encodeTimer(cur)) ? 0 : -Errno.EFAULT;
    },
  },
  { name: 'restart_syscall', args: [], result: 'dec', support: 'partial', note: 'interrupted sleeps restart from the start', handler: () => -Errno.EINTR },
];
