// Signal dispositions, masks and sending. Handlers run once signal frames exist (threads,
// processes and signals work); until then a signal whose action is a handler is reported.
import { Errno } from '../kernel-shim/errno.js';
import { decodeSigaction, encodeSigaction, SIGACTION_SIZE } from '../kernel-shim/abi/signal.js';
import { exitProcess } from '../kernel-shim/lifecycle.js';
import { NSIG, SIGKILL, SIGSTOP, defaultAction, sigBit } from '../kernel-shim/signal/numbers.js';
import type { Kernel } from '../kernel-shim/kernel.js';
import type { Task } from '../kernel-shim/task.js';
import type { Process } from '../kernel-shim/process.js';
import type { SyscallDef } from './types.js';

const SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;
const SIGSET_SIZE = 8;
const UNBLOCKABLE = sigBit(SIGKILL) | sigBit(SIGSTOP);
const SIG_IGN = 1n;

/** Sends sig to a process: the default action or SIG_IGN; handlers need signal frames. */
function sendSignal(k: Kernel, target: Process, sig: number): number {
  if (sig === 0) return 0;
  const action = target.sigactions[sig];
  if (action.handler === SIG_IGN && sig !== SIGKILL && sig !== SIGSTOP) return 0;
  if (action.handler > SIG_IGN) {
    k.warn(`signal ${sig} has a handler: delivery to handlers is not implemented yet`);
    return 0;
  }
  const what = defaultAction(sig);
  if (what === 'ignore' || what === 'continue' || what === 'stop') return 0;
  exitProcess(target, { code: 128 + sig, signal: sig, core: what === 'core' });
  return 0;
}

function findTask(k: Kernel, tid: number): Task | undefined {
  for (const p of k.processes.values()) for (const t of p.tasks) if (t.tid === tid && !t.exited) return t;
  return undefined;
}

export const signalSyscalls: SyscallDef[] = [
  {
    name: 'rt_sigaction', support: 'partial', note: 'dispositions are kept; handlers are not yet invoked',
    handler: (_k, t, a) => {
      const sig = a.int(0);
      if (a.arg(3) !== SIGSET_SIZE) return -Errno.EINVAL;
      if (sig < 1 || sig > NSIG) return -Errno.EINVAL;
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
      if (next !== undefined) t.process.sigactions[sig] = { ...next, mask: next.mask & ~UNBLOCKABLE };
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
    name: 'rt_sigpending', support: 'partial',
    handler: (_k, t, a) => (a.arg(1) > SIGSET_SIZE ? -Errno.EINVAL : t.process.mm.write(a.arg(0), new Uint8Array(a.arg(1))) ? 0 : -Errno.EFAULT),
  },
  {
    name: 'sigaltstack', support: 'partial', note: 'recorded; used once signal frames exist',
    handler: (_k, t, a) => {
      const mm = t.process.mm;
      let next: { sp: number; flags: number; size: number } | undefined;
      if (a.arg(0) !== 0) {
        const raw = mm.read(a.arg(0), 24);
        if (raw === null) return -Errno.EFAULT;
        const dv = new DataView(raw.buffer);
        next = { sp: Number(dv.getBigUint64(0, true)), flags: dv.getInt32(8, true), size: Number(dv.getBigUint64(16, true)) };
        if (next.flags & ~(2 | 0x80000000)) return -Errno.EINVAL;
        if (!(next.flags & 2) && next.size < 2048) return -Errno.ENOMEM;
      }
      if (a.arg(1) !== 0) {
        const out = new Uint8Array(24);
        const dv = new DataView(out.buffer);
        dv.setBigUint64(0, BigInt(t.altStack.sp), true);
        dv.setInt32(8, t.altStack.flags, true);
        dv.setBigUint64(16, BigInt(t.altStack.size), true);
        if (!mm.write(a.arg(1), out)) return -Errno.EFAULT;
      }
      if (next !== undefined) t.altStack = next.flags & 2 ? { sp: 0, size: 0, flags: 2 } : next;
      return 0;
    },
  },
  {
    name: 'kill', support: 'partial', note: 'default actions and SIG_IGN',
    handler: (k, t, a) => {
      const pid = a.int(0);
      const sig = a.int(1);
      if (sig < 0 || sig > NSIG) return -Errno.EINVAL;
      const target = pid === 0 || pid === -1 ? t.process : k.processes.get(Math.abs(pid));
      if (target === undefined) return -Errno.ESRCH;
      return sendSignal(k, target, sig);
    },
  },
  {
    name: 'tgkill', support: 'partial', note: 'default actions and SIG_IGN',
    handler: (k, _t, a) => {
      const sig = a.int(2);
      if (sig < 0 || sig > NSIG || a.int(0) <= 0 || a.int(1) <= 0) return -Errno.EINVAL;
      const task = findTask(k, a.int(1));
      if (task === undefined || task.process.pid !== a.int(0)) return -Errno.ESRCH;
      return sendSignal(k, task.process, sig);
    },
  },
  {
    name: 'tkill', support: 'partial', note: 'default actions and SIG_IGN',
    handler: (k, _t, a) => {
      const sig = a.int(1);
      if (sig < 0 || sig > NSIG || a.int(0) <= 0) return -Errno.EINVAL;
      const task = findTask(k, a.int(0));
      return task === undefined ? -Errno.ESRCH : sendSignal(k, task.process, sig);
    },
  },
];
