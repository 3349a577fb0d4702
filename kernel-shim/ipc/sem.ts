// System V semaphore sets (semget, semop, semtimedop). A semop applies all its operations
// or none; one that cannot proceed parks only the calling task on the set's wait queue and
// is retried whenever a value of the set changes (or fails with EIDRM when the set goes).
// SEM_UNDO adjustments are kept per process and per set, and applied when the process exits.
import { Errno } from '../errno.js';
import type { Kernel } from '../kernel.js';
import type { Process } from '../process.js';
import type { Task } from '../task.js';
import { type Block, ERESTARTNOHAND, WaitQueue, block } from '../wait.js';
import { ipcGet } from './ipc-ids.js';
import { ipcNow } from './ipc-namespace.js';
import { IPC_NOWAIT, IpcPerm, S_IRUGO, S_IRWXUGO, S_IWUGO, ipcPermits } from './ipc-perm.js';

export const SEM_UNDO = 0x1000;
/** Linux's defaults: SEMMSL, SEMMNS, SEMOPM, SEMMNI; values and adjustments stay within SEMVMX. */
export const SEMMSL = 32000, SEMMNS = 1024000000, SEMOPM = 500, SEMMNI = 32000, SEMVMX = 32767, SEMAEM = SEMVMX;

/** One struct sembuf. */
export interface SemOp {
  num: number;
  op: number;
  flg: number;
}

export class SemSet {
  readonly values: Int32Array;
  /** sempid: the last process to change each semaphore. */
  readonly pids: Int32Array;
  otime = 0n;
  /** Tasks sleeping in semop; woken to retry on every change. */
  readonly waiters = new WaitQueue();
  /** What each sleeping task waits for (GETNCNT/GETZCNT): the operation that blocked it. */
  readonly blockedOn = new WeakMap<Task, SemOp>();
  /** SEM_UNDO adjustments (semadj) by process. */
  readonly undo = new Map<Process, Int32Array>();

  constructor(readonly perm: IpcPerm, nsems: number) {
    this.values = new Int32Array(nsems);
    this.pids = new Int32Array(nsems);
  }

  get nsems(): number {
    return this.values.length;
  }

  /** Tasks in semop waiting for semaphore num to grow (ncnt) or to become zero (zcnt). */
  count(num: number, zero: boolean): number {
    return this.waiters.tasks().filter((w) => {
      const op = this.blockedOn.get(w);
      return op !== undefined && op.num === num && (op.op === 0) === zero;
    }).length;
  }

  /** SETVAL/SETALL: the adjustments of semaphore num (all when undefined) are void. */
  clearUndo(num?: number): void {
    for (const adj of this.undo.values()) {
      if (num === undefined) adj.fill(0);
      else adj[num] = 0;
    }
  }
}

export function totalSems(k: Kernel): number {
  let n = 0;
  for (const set of k.ipc.sem.values()) n += set.nsems;
  return n;
}

export function semget(k: Kernel, t: Task, key: number, nsems: number, flg: number): number {
  if (nsems < 0 || nsems > SEMMSL) return -Errno.EINVAL;
  const create = (): SemSet | number => {
    if (nsems === 0) return -Errno.EINVAL;
    if (k.ipc.sem.size >= SEMMNI || totalSems(k) + nsems > SEMMNS) return -Errno.ENOSPC;
    return new SemSet(new IpcPerm(key, flg & S_IRWXUGO, t, ipcNow(k)), nsems);
  };
  return ipcGet(t, k.ipc.sem, key, flg, create, (set) => (nsems > set.nsems ? -Errno.EINVAL : 0));
}

/** IPC_RMID of a set: sleepers fail with EIDRM. */
export function removeSemSet(k: Kernel, set: SemSet): void {
  k.ipc.sem.remove(set);
  set.waiters.wakeAll(-Errno.EIDRM);
}

const SEMBUF_SIZE = 6;

function readOps(t: Task, addr: number, nsops: number): SemOp[] | number {
  const raw = t.process.mm.read(addr, nsops * SEMBUF_SIZE);
  if (raw === null) return -Errno.EFAULT;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const ops: SemOp[] = [];
  for (let i = 0; i < nsops; i++) {
    ops.push({ num: view.getUint16(i * SEMBUF_SIZE, true), op: view.getInt16(i * SEMBUF_SIZE + 2, true), flg: view.getInt16(i * SEMBUF_SIZE + 4, true) });
  }
  return ops;
}

/**
 * perform_atomic_semop: the operations in order on copies of the values and adjustments.
 * The new values and adjustments, the operation that has to wait, or an errno.
 */
function tryOps(set: SemSet, ops: readonly SemOp[], adj: Int32Array | undefined): { values: Int32Array; adj?: Int32Array } | SemOp | number {
  const values = set.values.slice();
  const newAdj = adj?.slice();
  for (const sop of ops) {
    const result = values[sop.num] + sop.op;
    if ((sop.op === 0 && result !== 0) || result < 0) return sop.flg & IPC_NOWAIT ? -Errno.EAGAIN : sop;
    if (result > SEMVMX) return -Errno.ERANGE;
    if (sop.flg & SEM_UNDO) {
      const undo = newAdj![sop.num] - sop.op;
      if (undo < -SEMAEM - 1 || undo > SEMAEM) return -Errno.ERANGE;
      newAdj![sop.num] = undo;
    }
    values[sop.num] = result;
  }
  return { values, adj: newAdj };
}

/** One semop/semtimedop call; timeout: nanoseconds, an errno from reading it, or undefined (none). */
export interface SemopRequest {
  semid: number;
  sops: number;
  nsops: number;
  timeout: bigint | number | undefined;
}

export function semop(k: Kernel, t: Task, r: SemopRequest): number | Block {
  if (typeof r.timeout === 'number') return r.timeout;
  if (r.nsops < 1 || r.semid < 0) return -Errno.EINVAL;
  if (r.nsops > SEMOPM) return -Errno.E2BIG;
  const ops = readOps(t, r.sops, r.nsops);
  if (typeof ops === 'number') return ops;
  const set = k.ipc.sem.get(r.semid);
  if (set === undefined) return -Errno.EINVAL;
  if (ops.some((o) => o.num >= set.nsems)) return -Errno.EFBIG;
  const alter = ops.some((o) => o.op !== 0);
  if (!ipcPermits(t, set.perm, alter ? S_IWUGO : S_IRUGO)) return -Errno.EACCES;
  const undos = ops.some((o) => o.flg & SEM_UNDO);
  const adj = undos ? set.undo.get(t.process) ?? new Int32Array(set.nsems) : undefined;
  const outcome = tryOps(set, ops, adj);
  if (typeof outcome === 'number') return outcome;
  if (!('values' in outcome)) {
    set.blockedOn.set(t, outcome);
    const deadline = r.timeout === undefined ? undefined : t.deadlineAfter(r.timeout);
    return block([set.waiters], { deadline, onTimeout: -Errno.EAGAIN, onSignal: -ERESTARTNOHAND });
  }
  set.values.set(outcome.values);
  if (outcome.adj !== undefined) set.undo.set(t.process, outcome.adj);
  for (const o of ops) set.pids[o.num] = t.process.pid;
  set.otime = ipcNow(k);
  if (alter) set.waiters.wakeAll();
  return 0;
}

/** exit: the process's SEM_UNDO adjustments are applied, each value kept within [0, SEMVMX]. */
export function undoOnExit(k: Kernel, proc: Process): void {
  for (const set of k.ipc.sem.values()) {
    const adj = set.undo.get(proc);
    if (adj === undefined) continue;
    set.undo.delete(proc);
    if (adj.every((a) => a === 0)) continue;
    adj.forEach((a, num) => {
      if (a === 0) return;
      set.values[num] = Math.min(SEMVMX, Math.max(0, set.values[num] + a));
      set.pids[num] = proc.pid;
    });
    set.waiters.wakeAll();
  }
}
