// msgctl(2): IPC_STAT/MSG_STAT/MSG_STAT_ANY, IPC_SET (with msg_qbytes), IPC_RMID and
// IPC_INFO/MSG_INFO.
import { MSGINFO_SIZE, MSQID_DS_SIZE, MSQID_QBYTES_OFFSET, encodeFields, encodeMsqid } from '../abi/ipc.js';
import { Errno } from '../errno.js';
import type { Kernel } from '../kernel.js';
import type { Task } from '../task.js';
import { ipcNow, permValue } from './ipc-namespace.js';
import { CAP_SYS_RESOURCE, IPC_INFO, IPC_RMID, IPC_SET, IPC_STAT, capable, setPerm } from './ipc-perm.js';
import { changeOwned, statObject, storeStruct } from './ipc-user.js';
import { MSGMAX, MSGMNB, MSGMNI, removeMsgQueue } from './msg.js';

export const MSG_STAT = 11, MSG_INFO = 12, MSG_STAT_ANY = 13;
/** MSGSSZ, MSGSEG: the message segment size and count IPC_INFO reports. */
const MSGSSZ = 16, MSGSEG = 0xffff;

function info(k: Kernel, t: Task, cmd: number, buf: number): number {
  let messages = 0, bytes = 0;
  for (const q of k.ipc.msg.values()) {
    messages += q.messages.length;
    bytes += q.cbytes;
  }
  const inUse = cmd === MSG_INFO;
  const msginfo = encodeFields(MSGINFO_SIZE, [
    [0, 4, inUse ? k.ipc.msg.size : Math.floor((MSGMNI * MSGMNB) / 1024)], [4, 4, inUse ? messages : MSGMNB], [8, 4, MSGMAX],
    [12, 4, MSGMNB], [16, 4, MSGMNI], [20, 4, MSGSSZ], [24, 4, inUse ? bytes : MSGMNB], [28, 2, MSGSEG],
  ]);
  const err = storeStruct(t, buf, msginfo);
  return err < 0 ? err : k.ipc.msg.maxIndex;
}

function stat(k: Kernel, t: Task, msqid: number, cmd: number, buf: number): number {
  const by = cmd === IPC_STAT ? 'id' : cmd === MSG_STAT ? 'index' : 'index-any';
  return statObject(t, k.ipc.msg, by, msqid, buf, (q) => encodeMsqid({
    perm: permValue(q.perm), stime: q.stime, rtime: q.rtime, ctime: q.perm.ctime, cbytes: q.cbytes, qnum: q.messages.length,
    qbytes: q.qbytes, lspid: q.lspid, lrpid: q.lrpid,
  }));
}

function down(k: Kernel, t: Task, msqid: number, cmd: number, buf: number): number {
  return changeOwned(t, k.ipc.msg, msqid, cmd, buf, MSQID_DS_SIZE, (q, update) => {
    if (update === undefined) {
      removeMsgQueue(k, q);
      return 0;
    }
    const qbytes = new DataView(update.raw.buffer, update.raw.byteOffset).getBigUint64(MSQID_QBYTES_OFFSET, true);
    if (qbytes > BigInt(MSGMNB) && !capable(t, CAP_SYS_RESOURCE)) return -Errno.EPERM;
    setPerm(q.perm, update, ipcNow(k));
    q.qbytes = Number(qbytes);
    q.waiters.wakeAll();
    return 0;
  });
}

export function msgctl(k: Kernel, t: Task, msqid: number, cmd: number, buf: number): number {
  if (msqid < 0 || cmd < 0) return -Errno.EINVAL;
  switch (cmd) {
    case IPC_INFO: case MSG_INFO:
      return info(k, t, cmd, buf);
    case IPC_STAT: case MSG_STAT: case MSG_STAT_ANY:
      return stat(k, t, msqid, cmd, buf);
    case IPC_SET: case IPC_RMID:
      return down(k, t, msqid, cmd, buf);
    default:
      return -Errno.EINVAL;
  }
}
