// shmctl(2): IPC_STAT/SHM_STAT/SHM_STAT_ANY, IPC_SET, IPC_RMID, IPC_INFO/SHM_INFO and
// SHM_LOCK/SHM_UNLOCK (a flag only: guest memory is never swapped out).
import { SHMID_DS_SIZE, SHMINFO_SIZE, SHM_INFO_SIZE, encodeArray, encodeFields, encodeShmid } from '../abi/ipc.js';
import { Errno } from '../errno.js';
import type { Kernel } from '../kernel.js';
import type { Task } from '../task.js';
import { ipcNow, permValue } from './ipc-namespace.js';
import { CAP_IPC_LOCK, IPC_INFO, IPC_RMID, IPC_SET, IPC_STAT, capable, setPerm } from './ipc-perm.js';
import { changeOwned, statObject, storeStruct } from './ipc-user.js';
import { SHMALL, SHMMAX, SHMMIN, SHMMNI, SHM_LOCKED, destroySegment, reapSegments, segmentOf, totalShmPages } from './shm.js';

export const SHM_LOCK = 11, SHM_UNLOCK = 12, SHM_STAT = 13, SHM_INFO = 14, SHM_STAT_ANY = 15;

function stat(k: Kernel, t: Task, shmid: number, cmd: number, buf: number): number {
  reapSegments(k);
  const by = cmd === IPC_STAT ? 'id' : cmd === SHM_STAT ? 'index' : 'index-any';
  return statObject(t, k.ipc.shm, by, shmid, buf, (seg) => encodeShmid({
    perm: permValue(seg.perm), segsz: Number(seg.size), atime: seg.atime, dtime: seg.dtime, ctime: seg.perm.ctime,
    cpid: seg.cpid, lpid: seg.lpid, nattch: seg.nattch,
  }));
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

/** SHM_LOCK, SHM_UNLOCK: the owner or creator, or CAP_IPC_LOCK; a flag in the mode only. */
function lock(k: Kernel, t: Task, shmid: number, cmd: number): number {
  const seg = segmentOf(k, shmid);
  if (seg === undefined) return -Errno.EINVAL;
  if (!capable(t, CAP_IPC_LOCK) && t.process.uid !== seg.perm.uid && t.process.uid !== seg.perm.cuid) return -Errno.EPERM;
  seg.perm.mode = cmd === SHM_LOCK ? seg.perm.mode | SHM_LOCKED : seg.perm.mode & ~SHM_LOCKED;
  return 0;
}

export function shmctl(k: Kernel, t: Task, shmid: number, cmd: number, buf: number): number {
  if (cmd < 0 || shmid < 0) return -Errno.EINVAL;
  switch (cmd) {
    case IPC_INFO: case SHM_INFO:
      return info(k, t, cmd, buf);
    case IPC_STAT: case SHM_STAT: case SHM_STAT_ANY:
      return stat(k, t, shmid, cmd, buf);
    case SHM_LOCK: case SHM_UNLOCK:
      return lock(k, t, shmid, cmd);
    case IPC_SET: case IPC_RMID:
      reapSegments(k);
      return changeOwned(t, k.ipc.shm, shmid, cmd, buf, SHMID_DS_SIZE, (seg, update) => {
        if (update === undefined) destroySegment(k, seg);
        else setPerm(seg.perm, update, ipcNow(k));
        return 0;
      });
    default:
      return -Errno.EINVAL;
  }
}
