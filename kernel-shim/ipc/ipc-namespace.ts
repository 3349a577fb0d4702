// The System V IPC namespace of the guest: one per Kernel, shared by every guest process
// and separate from the host's (ids, keys and objects live only here).
import { CLOCK_REALTIME } from '../clock.js';
import type { Kernel } from '../kernel.js';
import type { IpcPermValue } from '../abi/ipc.js';
import { IpcIds } from './ipc-ids.js';
import type { IpcPerm } from './ipc-perm.js';
import type { MsgQueue } from './msg.js';
import type { SemSet } from './sem.js';
import type { ShmSegment } from './shm.js';

export class IpcNamespace {
  readonly shm = new IpcIds<ShmSegment>();
  readonly sem = new IpcIds<SemSet>();
  readonly msg = new IpcIds<MsgQueue>();
}

/** Seconds of CLOCK_REALTIME: the *_time fields. */
export function ipcNow(k: Kernel): bigint {
  return (k.clock.now(CLOCK_REALTIME) ?? 0n) / 1_000_000_000n;
}

export function permValue(p: IpcPerm): IpcPermValue {
  return { key: p.key, uid: p.uid, gid: p.gid, cuid: p.cuid, cgid: p.cgid, mode: p.mode, seq: p.seq };
}
