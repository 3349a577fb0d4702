// shmctl(2): IPC_STAT/SHM_STAT/SHM_STAT_ANY, IPC_SET, IPC_RMID, IPC_INFO/SHM_INFO and
// SHM_LOCK/SHM_UNLOCK (a flag only: guest memory is never swapped out).
import { IPC_PERM_SIZE, SHMID_DS_SIZE, SHMINFO_SIZE, SHM_INFO_SIZE, encodeArray, encodeFields, encodeShmid } from '../abi/ipc.js';
import { Errno } from '../errno.js';
import type { Kernel } from '../kernel.js';
import type { Task } from '../task.js';
import { ipcNow, permValue } from './ipc-namespace.js';
import { CAP_IPC_LOCK, IPC_INFO, IPC_RMID, IPC_SET, IPC_STAT, S_IRUGO, capable, ipcOwner, ipcPermits, setPerm } from './ipc-perm.js';
import { readPermUpdate, storeStruct } from './ipc-user.js';
import { SHMALL, SHMMAX, SHMMIN, SHMMNI, SHM_LOCKED, type ShmSegment, destroySegment, reapSegments, segmentOf, totalShmPages } from './shm.js';

export const SHM_LOCK = 11, SHM_UNLOCK = 12, SHM_STAT = 13, SHM_INFO = 14, SHM_STAT_ANY = 15;

function stat(k: Kernel, t: Task, shmid: number, cmd: number, buf: number): number {
  reapSegments(k);
  const seg = cmd === IPC_STAT ? k.ipc.shm.get(shmid) : k.ipc.shm.at(shmid);
  if (seg === undefined) return -Errno.EINVAL;
  if (cmd !== SHM_STAT_ANY && !ipcPermits(t, seg.perm, S_IRUGO)) return -Errno.EACCES;
  const ds = encodeShmid({
    perm: permValue(seg.perm), segsz: Number(seg.size), atime: seg.atime, dtime: seg.dtime, ctime: seg.perm.ctime,
    cpid: seg.cpid, lpid: seg.lpid, nattch: seg.nattch,
  });
  const err = storeStruct(t, buf, ds);
  if (err < 0) return err;
  return cmd === IPC_STAT ? 0 : seg.perm.id;
}

function info(k: Kernel, t: Task, cmd: number, buf: number): number {
  reapSegments(k);
  let struct: Uint8Array;
  if (cmd === IPC_INFO) {
    struct = encodeArray(SHMINFO_SIZE, 8, [SHMMAX, SHMMIN, SHMMNI, SHMMNI, SHMALL]);
  } else {
    let rss = 0;
    for (const seg of k.ipc.shm.values()) rss += seg.object.residentPages;
    struct = encodeFields(SHM_INFO_SIZE, [[0, 4, k.ipc.shm.size], [8, 8, totalShmPages(k)], [16, 8, rss]]);
  }
  const err = storeStruct(t, buf, struct);
  return err < 0 ? err : k.ipc.shm.maxIndex;
}

/** IPC_SET, IPC_RMID, SHM_LOCK, SHM_UNLOCK on a segment the caller owns (or may manage). */
function change(k: Kernel, t: Task, seg: ShmSegment, cmd: number, update: ReturnType<typeof readPermUpdate>): number {
  if (cmd === SHM_LOCK || cmd === SHM_UNLOCK) {
    if (!capable(t, CAP_IPC_LOCK) && t.process.uid !== seg.perm.uid && t.process.uid !== seg.perm.cuid) return -Errno.EPERM;
    seg.perm.mode = cmd === SHM_LOCK ? seg.perm.mode | SHM_LOCKED : seg.perm.mode & ~SHM_LOCKED;
    return 0;
  }
  if (!ipcOwner(t, seg.perm)) return -Errno.EPERM;
  if (cmd === IPC_RMID) destroySegment(k, seg);
  else if (typeof update !== 'number') setPerm(seg.perm, update, ipcNow(k));
  return 0;
}

export function shmctl(k: Kernel, t: Task, shmid: number, cmd: number, buf: number): number {
  if (cmd < 0 || shmid < 0) return -Errno.EINVAL;
  switch (cmd) {
    case IPC_INFO: case SHM_INFO:
      return info(k, t, cmd, buf);
    case IPC_STAT: case SHM_STAT: case SHM_STAT_ANY:
      return stat(k, t, shmid, cmd, buf);
    case IPC_SET: case IPC_RMID: case SHM_LOCK: case SHM_UNLOCK: {
      const update = cmd === IPC_SET ? readPermUpdate(t, buf, SHMID_DS_SIZE - IPC_PERM_SIZE) : 0;
      if (typeof update === 'number' && update < 0) return update;
      const seg = segmentOf(k, shmid);
      return seg === undefined ? -Errno.EINVAL : change(k, t, seg, cmd, update);
    }
    default:
      return -Errno.EINVAL;
  }
}
