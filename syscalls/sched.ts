// The sched_* family and getpriority/setpriority: decode the arguments, read or change the
// task's SchedState (kernel-shim/sched-policy.ts), write the answer back.
import { Errno } from '../kernel-shim/errno.js';
import type { Kernel } from '../kernel-shim/kernel.js';
import {
  MAX_RT_PRIO, RR_INTERVAL_NS, SCHED_BATCH, SCHED_DEADLINE, SCHED_IDLE, SCHED_OTHER, SCHED_RESET_ON_FORK, SCHED_RR,
  isRealtime, priorityTargets, setNice, setPolicy, taskByTid,
} from '../kernel-shim/sched-policy.js';
import type { Task } from '../kernel-shim/task.js';
import type { SyscallDef, SyscallFrame } from './types.js';

const PAGE_SIZE = 4096;
/** struct sched_attr: VER0 (48 bytes) and the kernel's current size (VER1, with util clamps). */
const SCHED_ATTR_SIZE_VER0 = 48;
const SCHED_ATTR_SIZE = 56;
const SCHED_FLAG_RESET_ON_FORK = 0x01, SCHED_FLAG_KEEP_POLICY = 0x08, SCHED_FLAG_KEEP_PARAMS = 0x10;
const SCHED_FLAG_UTIL_CLAMP = 0x60, SCHED_FLAG_ALL = 0x7f;
const SCHED_CAPACITY_SCALE = 1024;
/** sched_setparam's "keep the policy" (Linux's SETPARAM_POLICY). */
const KEEP_POLICY = -1;

const clampNice = (n: number): number => Math.min(19, Math.max(-20, n));

/** sched_setscheduler / sched_setparam: EINVAL for NULL or a negative pid, then EFAULT, ESRCH. */
function setScheduler(k: Kernel, t: Task, pid: number, policyArg: number, paramAddr: number): number {
  if (paramAddr === 0 || pid < 0) return -Errno.EINVAL;
  const prio = t.process.mm.readU32(paramAddr);
  if (prio === null) return -Errno.EFAULT;
  const target = taskByTid(k, t, pid);
  if (typeof target === 'number') return target;
  const keep = policyArg === KEEP_POLICY;
  const policy = keep ? target.sched.policy : policyArg & ~SCHED_RESET_ON_FORK;
  const reset = keep ? target.sched.resetOnFork : (policyArg & SCHED_RESET_ON_FORK) !== 0;
  return setPolicy(t, target, policy, prio | 0, undefined, reset);
}

function getTarget(k: Kernel, t: Task, pid: number): Task | number {
  return pid < 0 ? -Errno.EINVAL : taskByTid(k, t, pid);
}

function getattr(k: Kernel, t: Task, a: SyscallFrame): number {
  const [pid, addr, size, flags] = [a.int(0), a.arg(1), a.arg(2), a.int(3)];
  if (addr === 0 || pid < 0 || size > PAGE_SIZE || size < SCHED_ATTR_SIZE_VER0 || flags !== 0) return -Errno.EINVAL;
  const target = taskByTid(k, t, pid);
  if (typeof target === 'number') return target;
  const s = target.sched;
  const out = new DataView(new ArrayBuffer(SCHED_ATTR_SIZE));
  const written = Math.min(size, SCHED_ATTR_SIZE);
  out.setUint32(0, written, true);
  out.setUint32(4, s.policy, true);
  out.setBigUint64(8, BigInt(s.resetOnFork ? SCHED_FLAG_RESET_ON_FORK : 0), true);
  out.setInt32(16, isRealtime(s.policy) ? 0 : s.nice, true);
  out.setUint32(20, s.rtPriority, true);
  out.setUint32(52, SCHED_CAPACITY_SCALE, true);
  return t.process.mm.write(addr, new Uint8Array(out.buffer, 0, written)) ? 0 : -Errno.EFAULT;
}

/** Reads a struct sched_attr of the size it names: E2BIG (with the kernel's size written back). */
function readAttr(t: Task, addr: number): DataView | number {
  const mm = t.process.mm;
  const named = mm.readU32(addr);
  if (named === null) return -Errno.EFAULT;
  const size = named === 0 ? SCHED_ATTR_SIZE_VER0 : named;
  const tooBig = (): number => (mm.writeU32(addr, SCHED_ATTR_SIZE) ? -Errno.E2BIG : -Errno.EFAULT);
  if (size > PAGE_SIZE || size < SCHED_ATTR_SIZE_VER0) return tooBig();
  const raw = mm.read(addr, size);
  if (raw === null) return -Errno.EFAULT;
  if (raw.subarray(SCHED_ATTR_SIZE).some((b) => b !== 0)) return tooBig();
  const attr = new Uint8Array(SCHED_ATTR_SIZE);
  attr.set(raw.subarray(0, SCHED_ATTR_SIZE));
  const view = new DataView(attr.buffer);
  if (Number(view.getBigUint64(8, true)) & SCHED_FLAG_UTIL_CLAMP && size < SCHED_ATTR_SIZE) return -Errno.EINVAL;
  return view;
}

function setattr(k: Kernel, t: Task, a: SyscallFrame): number {
  const [pid, addr, flags] = [a.int(0), a.arg(1), a.int(2)];
  if (addr === 0 || pid < 0 || flags !== 0) return -Errno.EINVAL;
  const attr = readAttr(t, addr);
  if (typeof attr === 'number') return attr;
  let policy = attr.getInt32(4, true);
  if (policy < 0) return -Errno.EINVAL;
  const schedFlags = Number(attr.getBigUint64(8, true));
  const target = taskByTid(k, t, pid);
  if (typeof target === 'number') return target;
  if (schedFlags & ~SCHED_FLAG_ALL) return -Errno.EINVAL;
  const s = target.sched;
  if (schedFlags & SCHED_FLAG_KEEP_POLICY) policy = s.policy;
  const keepParams = (schedFlags & SCHED_FLAG_KEEP_PARAMS) !== 0;
  const nice = keepParams ? s.nice : clampNice(attr.getInt32(16, true));
  const prio = keepParams ? s.rtPriority : attr.getUint32(20, true);
  // Admission control for SCHED_DEADLINE: ushim has no bandwidth to give.
  if (policy === SCHED_DEADLINE) return -Errno.EBUSY;
  return setPolicy(t, target, policy, prio, nice, (schedFlags & SCHED_FLAG_RESET_ON_FORK) !== 0);
}

function priorityMax(policy: number): number {
  if (isRealtime(policy)) return MAX_RT_PRIO;
  return [SCHED_OTHER, SCHED_BATCH, SCHED_IDLE, SCHED_DEADLINE].includes(policy) ? 0 : -Errno.EINVAL;
}

function priorityMin(policy: number): number {
  if (isRealtime(policy)) return 1;
  return [SCHED_OTHER, SCHED_BATCH, SCHED_IDLE, SCHED_DEADLINE].includes(policy) ? 0 : -Errno.EINVAL;
}

function rrInterval(k: Kernel, t: Task, a: SyscallFrame): number {
  const target = getTarget(k, t, a.int(0));
  if (typeof target === 'number') return target;
  const ns = target.sched.policy === SCHED_RR ? RR_INTERVAL_NS : 0n;
  const ts = new DataView(new ArrayBuffer(16));
  ts.setBigInt64(0, ns / 1_000_000_000n, true);
  ts.setBigInt64(8, ns % 1_000_000_000n, true);
  return t.process.mm.write(a.arg(1), new Uint8Array(ts.buffer)) ? 0 : -Errno.EFAULT;
}

/** getpriority: 20 - the lowest nice among the addressed tasks (1..40, so never an errno). */
function getpriority(k: Kernel, t: Task, a: SyscallFrame): number {
  const targets = priorityTargets(k, t, a.int(0), a.int(1));
  if (typeof targets === 'number') return targets;
  return 20 - Math.min(...targets.map((x) => x.sched.nice));
}

/** setpriority: every addressed task; the last refusal (EPERM/EACCES) is the answer, as in Linux. */
function setpriority(k: Kernel, t: Task, a: SyscallFrame): number {
  const targets = priorityTargets(k, t, a.int(0), a.int(1));
  if (typeof targets === 'number') return targets;
  const nice = clampNice(a.int(2));
  let result = 0;
  for (const target of targets) {
    const r = setNice(t, target, nice);
    if (r !== 0) result = r;
  }
  return result;
}

const KEPT = 'kept per task and reported back; nice and SCHED_IDLE weight the task\'s slice as Linux weighs its CPU share (not under --deterministic); FIFO/RR get the largest slice but do not preempt';

export const schedSyscalls: SyscallDef[] = [
  { name: 'sched_setscheduler', args: ['int', 'sched_policy', 'sched_param'], result: 'dec', support: 'partial', note: KEPT, handler: (k, t, a) => (a.int(1) < 0 ? -Errno.EINVAL : setScheduler(k, t, a.int(0), a.int(1), a.arg(2))) },
  { name: 'sched_setparam', args: ['int', 'sched_param'], result: 'dec', support: 'partial', note: KEPT, handler: (k, t, a) => setScheduler(k, t, a.int(0), KEEP_POLICY, a.arg(1)) },
  {
    name: 'sched_getscheduler', args: ['int'], result: 'sched_policy', support: 'full',
    handler: (k, t, a) => {
      const target = getTarget(k, t, a.int(0));
      return typeof target === 'number' ? target : target.sched.policy | (target.sched.resetOnFork ? SCHED_RESET_ON_FORK : 0);
    },
  },
  {
    name: 'sched_getparam', args: ['int', 'sched_param_out'], result: 'dec', support: 'full',
    handler: (k, t, a) => {
      if (a.arg(1) === 0 || a.int(0) < 0) return -Errno.EINVAL;
      const target = taskByTid(k, t, a.int(0));
      if (typeof target === 'number') return target;
      return t.process.mm.writeU32(a.arg(1), target.sched.rtPriority) ? 0 : -Errno.EFAULT;
    },
  },
  { name: 'sched_get_priority_max', args: ['sched_policy'], result: 'dec', support: 'full', handler: (_k, _t, a) => priorityMax(a.int(0)) },
  { name: 'sched_get_priority_min', args: ['sched_policy'], result: 'dec', support: 'full', handler: (_k, _t, a) => priorityMin(a.int(0)) },
  { name: 'sched_rr_get_interval', args: ['int', 'timespec_out'], result: 'dec', support: 'full', note: 'SCHED_RR: 100 ms; other policies 0', handler: rrInterval },
  { name: 'sched_getattr', args: ['int', 'sched_attr_out', 'uint', 'uint'], result: 'dec', support: 'full', handler: getattr },
  { name: 'sched_setattr', args: ['int', 'sched_attr', 'uint'], result: 'dec', support: 'partial', note: `${KEPT}; SCHED_DEADLINE: EBUSY (no bandwidth to admit)`, handler: setattr },
  { name: 'getpriority', args: ['priority_which', 'int'], result: 'dec', support: 'full', note: 'nice per task, by process, process group or user', handler: getpriority },
  { name: 'setpriority', args: ['priority_which', 'int', 'int'], result: 'dec', support: 'partial', note: KEPT, handler: setpriority },
];
