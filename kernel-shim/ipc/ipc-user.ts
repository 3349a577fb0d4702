// Copying the IPC structs between the kernel and the caller's memory, and the stat commands
// every kind of object shares.
import { IPC_PERM_SIZE, decodePermUpdate } from '../abi/ipc.js';
import { Errno } from '../errno.js';
import type { Task } from '../task.js';
import type { IpcIds, IpcObject } from './ipc-ids.js';
import { IPC_SET, type IpcPermUpdate, S_IRUGO, ipcOwner, ipcPermits } from './ipc-perm.js';

/** Stores a struct at addr: 0 or -EFAULT. */
export function storeStruct(t: Task, addr: number, struct: Uint8Array): number {
  return t.process.mm.write(addr, struct) ? 0 : -Errno.EFAULT;
}

/** IPC_SET's struct as read: the fields of its ipc64_perm and all its bytes. */
export type PermUpdateRead = IpcPermUpdate & { raw: Uint8Array };

/** IPC_SET's struct ipc64_perm at the head of the caller's *id64_ds (`extra` more bytes read), or -EFAULT. */
function readPermUpdate(t: Task, addr: number, extra: number): PermUpdateRead | number {
  const raw = t.process.mm.read(addr, IPC_PERM_SIZE + extra);
  return raw === null ? -Errno.EFAULT : { ...decodePermUpdate(raw), raw };
}

/**
 * IPC_SET and IPC_RMID (ipcctl_obtain_check): IPC_SET's struct (dsSize bytes at addr) is read
 * first, then the object is found, which the caller must own; apply gets the update, or
 * undefined for IPC_RMID.
 */
export function changeOwned<T extends IpcObject>(
  t: Task, ids: IpcIds<T>, id: number, cmd: number, addr: number, dsSize: number, apply: (obj: T, update: PermUpdateRead | undefined) => number,
): number {
  const update = cmd === IPC_SET ? readPermUpdate(t, addr, dsSize - IPC_PERM_SIZE) : undefined;
  if (typeof update === 'number') return update;
  const obj = ids.get(id);
  if (obj === undefined) return -Errno.EINVAL;
  return ipcOwner(t, obj.perm) ? apply(obj, update) : -Errno.EPERM;
}

/** How a stat command names its object: IPC_STAT by id, *_STAT by index, *_STAT_ANY by index without the read check. */
export type StatBy = 'id' | 'index' | 'index-any';

/** IPC_STAT, *_STAT, *_STAT_ANY: the object's struct stored at addr; 0 for IPC_STAT, the object's id otherwise. */
export function statObject<T extends IpcObject>(t: Task, ids: IpcIds<T>, by: StatBy, which: number, addr: number, encode: (obj: T) => Uint8Array): number {
  const obj = by === 'id' ? ids.get(which) : ids.at(which);
  if (obj === undefined) return -Errno.EINVAL;
  if (by !== 'index-any' && !ipcPermits(t, obj.perm, S_IRUGO)) return -Errno.EACCES;
  const err = storeStruct(t, addr, encode(obj));
  if (err < 0) return err;
  return by === 'id' ? 0 : obj.perm.id;
}
