// One kind of System V IPC object's id table (struct ipc_ids): ids are a sequence number
// times 32768 plus the lowest free index, keys find public objects, and xxxget's shared
// path (ipcget) creates or finds one.
import { Errno } from '../errno.js';
import type { Task } from '../task.js';
import { IPC_CREAT, IPC_EXCL, IPC_PRIVATE, type IpcPerm, ipcPermits } from './ipc-perm.js';

/** IPCMNI_SEQ_SHIFT: an id is seq << 15 | index. */
const SEQ_MULTIPLIER = 32768;
const SEQ_MAX = 65535;

export interface IpcObject {
  readonly perm: IpcPerm;
}

export class IpcIds<T extends IpcObject> {
  private readonly byIndex = new Map<number, T>();
  private seq = 0;

  add(obj: T): number {
    let index = 0;
    while (this.byIndex.has(index)) index++;
    obj.perm.seq = this.seq;
    obj.perm.id = this.seq * SEQ_MULTIPLIER + index;
    this.seq = this.seq >= SEQ_MAX ? 0 : this.seq + 1;
    this.byIndex.set(index, obj);
    return obj.perm.id;
  }

  /** The object with this full id (a stale sequence number finds nothing). */
  get(id: number): T | undefined {
    if (id < 0) return undefined;
    const obj = this.byIndex.get(id % SEQ_MULTIPLIER);
    return obj?.perm.id === id ? obj : undefined;
  }

  /** The object at this index (SHM_STAT and friends). */
  at(index: number): T | undefined {
    return this.byIndex.get(index);
  }

  byKey(key: number): T | undefined {
    if (key === IPC_PRIVATE) return undefined;
    for (const obj of this.byIndex.values()) if (obj.perm.key === key) return obj;
    return undefined;
  }

  remove(obj: T): void {
    this.byIndex.delete(obj.perm.id % SEQ_MULTIPLIER);
  }

  /** The highest index in use, 0 when none (what IPC_INFO and *_INFO return). */
  get maxIndex(): number {
    return Math.max(0, ...this.byIndex.keys());
  }

  get size(): number {
    return this.byIndex.size;
  }

  values(): IterableIterator<T> {
    return this.byIndex.values();
  }
}

/**
 * ipcget: IPC_PRIVATE or an unknown key with IPC_CREAT makes a new object (create returns
 * it or an errno); an existing key fails with EEXIST under IPC_CREAT|IPC_EXCL, then its own
 * checks (`check`: the size or count asked for) and the permissions in flg's low bits.
 */
export function ipcGet<T extends IpcObject>(t: Task, ids: IpcIds<T>, key: number, flg: number, create: () => T | number, check: (obj: T) => number): number {
  const existing = ids.byKey(key);
  if (existing === undefined) {
    if (key !== IPC_PRIVATE && !(flg & IPC_CREAT)) return -Errno.ENOENT;
    const obj = create();
    return typeof obj === 'number' ? obj : ids.add(obj);
  }
  if (flg & IPC_CREAT && flg & IPC_EXCL) return -Errno.EEXIST;
  const err = check(existing);
  if (err < 0) return err;
  return ipcPermits(t, existing.perm, flg) ? existing.perm.id : -Errno.EACCES;
}
