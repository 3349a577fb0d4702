// The sched_* family and getpriority/setpriority: decode the arguments (struct sched_param
// and sched_attr), call kernel-shim/sched-calls.ts, write the answer back.
import { Errno } from '../kernel-shim/errno.js';
import type { Kernel } from '../kernel-shim/kernel.js';
import {
  getPriority, priorityBound, rrInterval, rtPriorityOf, schedAttrOf, schedulerOf, setPriority, setSchedAttr, setScheduler,
} from '../kernel-shim/sched-calls.js';
import type { Task } from '../kernel-shim/task.js';
import { getIoprio, setIoprio } from '../kernel-shim/ioprio.js';
import type { SyscallDef, SyscallFrame } from './types.js';

const PAGE_SIZE = 4096;
/** struct sched_attr: VER0 (48 bytes) and the kernel's current size (VER1, with util clamps). */
const SCHED_ATTR_SIZE_VER0 = 48;
const SCHED_ATTR_SIZE = 56;
const SCHED_FLAG_UTIL_CLAMP = 0x60;
const SCHED_CAPACITY_SCALE = 1024;

function setSchedulerCall(k: Kernel, t: Task, pid: number, policy: number, keepPolicy: boolean, paramAddr: number): number {
  if (paramAddr === 0) return -Errno.EINVAL;
  return setScheduler(k, t, pid, policy, keepPolicy, t.process.mm.readU32(paramAddr));
}

function getattr(k: Kernel, t: Task, a: SyscallFrame): number {
  const [pid, addr, size, flags] = [a.int(0), a.arg(1), a.arg(2), a.int(3)];
  if (addr === 0 || pid < 0 || size > PAGE_SIZE || size < SCHED_ATTR_SIZE_VER0 || flags !== 0) return -Errno.EINVAL;
  const attr = schedAttrOf(k, t, pid);
  if (typeof attr === 'number') return attr;
  const out = new DataView(new ArrayBuffer(SCHED_ATTR_SIZE));
  const written = Math.min(size, SCHED_ATTR_SIZE);
  out.setUint32(0, written, true);
  out.setUint32(4, attr.policy, true);
  out.setBigUint64(8, BigInt(attr.flags), true);
  out.setInt32(16, attr.nice, true);
  out.setUint32(20, attr.priority, true);
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
  return setSchedAttr(k, t, pid, {
    policy: attr.getInt32(4, true), flags: Number(attr.getBigUint64(8, true)), nice: attr.getInt32(16, true), priority: attr.getUint32(20, true),
  });
}

function rrIntervalCall(k: Kernel, t: Task, a: SyscallFrame): number {
  const ns = rrInterval(k, t, a.int(0));
  if (typeof ns === 'number') return ns;
  const ts = new DataView(new ArrayBuffer(16));
  ts.setBigInt64(0, ns / 1_000_000_000n, true);
  ts.setBigInt64(8, ns % 1_000_000_000n, true);
  return t.process.mm.write(a.arg(1), new Uint8Array(ts.buffer)) ? 0 : -Errno.EFAULT;
}

const KEPT = 'kept per task and reported back; nice and SCHED_IDLE weight the task\'s slice as Linux weighs its CPU share (not under --deterministic); FIFO/RR get the largest slice but do not preempt';

export const schedSyscalls: SyscallDef[] = [
  { name: 'sched_setscheduler', args: ['int', 'sched_policy', 'sched_param'], result: 'dec', support: 'partial', note: KEPT, handler: (k, t, a) => (a.int(1) < 0 ? -Errno.EINVAL : setSchedulerCall(k, t, a.int(0), a.int(1), false, a.arg(2))) },
  { name: 'sched_setparam', args: ['int', 'sched_param'], result: 'dec', support: 'partial', note: KEPT, handler: (k, t, a) => setSchedulerCall(k, t, a.int(0), 0, true, a.arg(1)) },
  { name: 'sched_getscheduler', args: ['int'], result: 'sched_policy', support: 'full', handler: (k, t, a) => schedulerOf(k, t, a.int(0)) },
  {
    name: 'sched_getparam', args: ['int', 'sched_param_out'], result: 'dec', support: 'full',
    handler: (k, t, a) => {
      if (a.arg(1) === 0) return -Errno.EINVAL;
      const prio = rtPriorityOf(k, t, a.int(0));
      if (prio < 0) return prio;
      return t.process.mm.writeU32(a.arg(1), prio) ? 0 : -Errno.EFAULT;
    },
  },
  { name: 'sched_get_priority_max', args: ['sched_policy'], result: 'dec', support: 'full', handler: (_k, _t, a) => priorityBound(a.int(0), true) },
  { name: 'sched_get_priority_min', args: ['sched_policy'], result: 'dec', support: 'full', handler: (_k, _t, a) => priorityBound(a.int(0), false) },
  { name: 'sched_rr_get_interval', args: ['int', 'timespec_out'], result: 'dec', support: 'full', note: 'SCHED_RR: 100 ms; other policies 0', handler: rrIntervalCall },
  { name: 'sched_getattr', args: ['int', 'sched_attr_out', 'uint', 'uint'], result: 'dec', support: 'full', handler: getattr },
  { name: 'sched_setattr', args: ['int', 'sched_attr', 'uint'], result: 'dec', support: 'partial', note: `${KEPT}; SCHED_DEADLINE: EBUSY (no bandwidth to admit)`, handler: setattr },
  { name: 'getpriority', args: ['priority_which', 'int'], result: 'dec', support: 'full', note: 'nice per task, by process, process group or user', handler: (k, t, a) => getPriority(k, t, a.int(0), a.int(1)) },
  { name: 'setpriority', args: ['priority_which', 'int', 'int'], result: 'dec', support: 'partial', note: KEPT, handler: (k, t, a) => setPriority(k, t, a.int(0), a.int(1), a.int(2)) },
  {
    name: 'ioprio_set', args: ['int', 'int', 'hex'], result: 'dec', support: 'partial',
    note: 'stored per task and reported; no block layer uses it; CLONE_IO does not share it',
    handler: (k, t, a) => setIoprio(k, t, a.int(0), a.int(1), a.int(2)),
  },
  { name: 'ioprio_get', args: ['int', 'int'], result: 'hex', support: 'full', handler: (k, t, a) => getIoprio(k, t, a.int(0), a.int(1)) },
];
