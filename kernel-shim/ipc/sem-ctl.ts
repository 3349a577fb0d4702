// semctl(2): the values (GETVAL/SETVAL/GETALL/SETALL), GETPID/GETNCNT/GETZCNT, IPC_STAT/
// SEM_STAT/SEM_STAT_ANY, IPC_SET, IPC_RMID and IPC_INFO/SEM_INFO. arg is union semun as
// passed in the register: an int for SETVAL, an address otherwise.
import { SEMID_DS_SIZE, SEMINFO_SIZE, encodeArray, encodeSemid } from '../abi/ipc.js';
import { Errno } from '../errno.js';
import type { Kernel } from '../kernel.js';
import type { Task } from '../task.js';
import { ipcNow, permValue } from './ipc-namespace.js';
import { IPC_INFO, IPC_RMID, IPC_SET, IPC_STAT, S_IRUGO, S_IWUGO, ipcPermits, setPerm } from './ipc-perm.js';
import { changeOwned, statObject, storeStruct } from './ipc-user.js';
import { SEMAEM, SEMMNI, SEMMNS, SEMMSL, SEMOPM, SEMVMX, type SemSet, removeSemSet, totalSems } from './sem.js';

export const GETPID = 11, GETVAL = 12, GETALL = 13, GETNCNT = 14, GETZCNT = 15, SETVAL = 16, SETALL = 17;
export const SEM_STAT = 18, SEM_INFO = 19, SEM_STAT_ANY = 20;
/** SEMUSZ: the size of an undo structure, as IPC_INFO reports it. */
const SEMUSZ = 20;

function info(k: Kernel, t: Task, cmd: number, arg: number): number {
  const inUse = cmd === SEM_INFO;
  const seminfo = encodeArray(SEMINFO_SIZE, 4, [
    SEMMNS, SEMMNI, SEMMNS, SEMMNS, SEMMSL, SEMOPM, SEMOPM,
    inUse ? k.ipc.sem.size : SEMUSZ, SEMVMX, inUse ? totalSems(k) : SEMAEM,
  ]);
  const err = storeStruct(t, arg, seminfo);
  return err < 0 ? err : k.ipc.sem.maxIndex;
}

function stat(k: Kernel, t: Task, semid: number, cmd: number, arg: number): number {
  const by = cmd === IPC_STAT ? 'id' : cmd === SEM_STAT ? 'index' : 'index-any';
  return statObject(t, k.ipc.sem, by, semid, arg, (set) => encodeSemid({ perm: permValue(set.perm), otime: set.otime, ctime: set.perm.ctime, nsems: set.nsems }));
}

/** A change of values: adjustments of them void, pids noted, sleepers retry. */
function changed(k: Kernel, t: Task, set: SemSet, nums: readonly number[] | undefined): void {
  set.clearUndo(nums?.[0]);
  for (const num of nums ?? set.values.keys()) set.pids[num] = t.process.pid;
  set.perm.ctime = ipcNow(k);
  set.waiters.wakeAll();
}

function setVal(k: Kernel, t: Task, semid: number, semnum: number, val: number): number {
  if (val > SEMVMX || val < 0) return -Errno.ERANGE;
  const set = k.ipc.sem.get(semid);
  if (set === undefined || semnum < 0 || semnum >= set.nsems) return -Errno.EINVAL;
  if (!ipcPermits(t, set.perm, S_IWUGO)) return -Errno.EACCES;
  set.values[semnum] = val;
  changed(k, t, set, [semnum]);
  return 0;
}

function all(k: Kernel, t: Task, set: SemSet, cmd: number, arg: number): number {
  if (!ipcPermits(t, set.perm, cmd === GETALL ? S_IRUGO : S_IWUGO)) return -Errno.EACCES;
  const bytes = set.nsems * 2;
  if (cmd === GETALL) {
    const out = new Uint8Array(bytes);
    const view = new DataView(out.buffer);
    set.values.forEach((v, i) => view.setUint16(i * 2, v, true));
    return storeStruct(t, arg, out);
  }
  const raw = t.process.mm.read(arg, bytes);
  if (raw === null) return -Errno.EFAULT;
  const view = new DataView(raw.buffer, raw.byteOffset, bytes);
  const values = Array.from({ length: set.nsems }, (_, i) => view.getUint16(i * 2, true));
  if (values.some((v) => v > SEMVMX)) return -Errno.ERANGE;
  set.values.set(values);
  changed(k, t, set, undefined);
  return 0;
}

function one(t: Task, set: SemSet, cmd: number, semnum: number): number {
  if (!ipcPermits(t, set.perm, S_IRUGO)) return -Errno.EACCES;
  if (semnum < 0 || semnum >= set.nsems) return -Errno.EINVAL;
  switch (cmd) {
    case GETVAL: return set.values[semnum];
    case GETPID: return set.pids[semnum];
    case GETNCNT: return set.count(semnum, false);
    default: return set.count(semnum, true);
  }
}

function down(k: Kernel, t: Task, semid: number, cmd: number, arg: number): number {
  return changeOwned(t, k.ipc.sem, semid, cmd, arg, SEMID_DS_SIZE, (set, update) => {
    if (update === undefined) removeSemSet(k, set);
    else setPerm(set.perm, update, ipcNow(k));
    return 0;
  });
}

export function semctl(k: Kernel, t: Task, semid: number, semnum: number, cmd: number, arg: number): number {
  if (semid < 0) return -Errno.EINVAL;
  switch (cmd) {
    case IPC_INFO: case SEM_INFO:
      return info(k, t, cmd, arg);
    case IPC_STAT: case SEM_STAT: case SEM_STAT_ANY:
      return stat(k, t, semid, cmd, arg);
    case SETVAL:
      return setVal(k, t, semid, semnum, arg | 0);
    case IPC_SET: case IPC_RMID:
      return down(k, t, semid, cmd, arg);
    case GETVAL: case GETPID: case GETNCNT: case GETZCNT: case GETALL: case SETALL: {
      const set = k.ipc.sem.get(semid);
      if (set === undefined) return -Errno.EINVAL;
      return cmd === GETALL || cmd === SETALL ? all(k, t, set, cmd, arg) : one(t, set, cmd, semnum);
    }
    default:
      return -Errno.EINVAL;
  }
}
