// struct kern_ipc_perm: who owns and who may use a System V IPC object (ipcperms, the
// owner test of IPC_SET/IPC_RMID), against the calling process's credentials.
import { capabilitiesOf } from '../capabilities.js';
import type { Task } from '../task.js';

export const IPC_PRIVATE = 0;
export const IPC_CREAT = 0o1000, IPC_EXCL = 0o2000, IPC_NOWAIT = 0o4000;
export const IPC_RMID = 0, IPC_SET = 1, IPC_STAT = 2, IPC_INFO = 3;
export const S_IRUGO = 0o444, S_IWUGO = 0o222, S_IXUGO = 0o111;
/** The permission bits of a mode (S_IRWXUGO); IPC_SET changes only these. */
export const S_IRWXUGO = 0o777;

export const CAP_IPC_LOCK = 14, CAP_IPC_OWNER = 15, CAP_SYS_ADMIN = 21, CAP_SYS_RESOURCE = 24;

export function capable(t: Task, cap: number): boolean {
  return ((capabilitiesOf(t).effective >> BigInt(cap)) & 1n) === 1n;
}

export class IpcPerm {
  /** The full id (sequence number and index), set when the object enters its table. */
  id = -1;
  seq = 0;
  uid: number;
  gid: number;
  readonly cuid: number;
  readonly cgid: number;
  /** Change time in seconds (IPC_SET, creation, and each object's own changes). */
  ctime: bigint;

  constructor(
    public key: number,
    public mode: number,
    t: Task,
    now: bigint,
  ) {
    this.uid = this.cuid = t.process.uid;
    this.gid = this.cgid = t.process.gid;
    this.ctime = now;
  }
}

/**
 * ipcperms: whether the caller holds the rwx bits of `flag` (any of its three triads) in
 * the owner, group or other triad that applies to it; CAP_IPC_OWNER overrides.
 */
export function ipcPermits(t: Task, perm: IpcPerm, flag: number): boolean {
  const requested = ((flag >> 6) | (flag >> 3) | flag) & 7;
  const p = t.process;
  let granted = perm.mode;
  if (p.uid === perm.cuid || p.uid === perm.uid) granted >>= 6;
  else if (inGroup(t, perm.gid) || inGroup(t, perm.cgid)) granted >>= 3;
  return (requested & ~granted & 7) === 0 || capable(t, CAP_IPC_OWNER);
}

function inGroup(t: Task, gid: number): boolean {
  return t.process.gid === gid || t.process.groups.includes(gid);
}

/** IPC_SET, IPC_RMID: the owner or creator, or CAP_SYS_ADMIN. */
export function ipcOwner(t: Task, perm: IpcPerm): boolean {
  const uid = t.process.uid;
  return uid === perm.uid || uid === perm.cuid || capable(t, CAP_SYS_ADMIN);
}

/** The fields IPC_SET copies from the caller's struct ipc64_perm. */
export interface IpcPermUpdate {
  uid: number;
  gid: number;
  mode: number;
}

export function setPerm(perm: IpcPerm, update: IpcPermUpdate, now: bigint): void {
  perm.uid = update.uid;
  perm.gid = update.gid;
  perm.mode = (perm.mode & ~S_IRWXUGO) | (update.mode & S_IRWXUGO);
  perm.ctime = now;
}
