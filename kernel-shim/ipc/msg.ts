// System V message queues (msgget, msgsnd, msgrcv). A sender that does not fit under
// msg_qbytes and a receiver that finds no message park on the queue's wait queue and retry
// on every change of the queue; IPC_RMID fails them with EIDRM.
import { Errno } from '../errno.js';
import type { Kernel } from '../kernel.js';
import type { Task } from '../task.js';
import { type Block, ERESTARTNOHAND, WaitQueue, block } from '../wait.js';
import { ipcGet } from './ipc-ids.js';
import { ipcNow } from './ipc-namespace.js';
import { IPC_NOWAIT, IpcPerm, S_IRUGO, S_IRWXUGO, S_IWUGO, ipcPermits } from './ipc-perm.js';

export const MSG_NOERROR = 0o10000, MSG_EXCEPT = 0o20000, MSG_COPY = 0o40000;
/** Linux's defaults: MSGMAX (bytes of one message), MSGMNB (bytes of a queue), MSGMNI. */
export const MSGMAX = 8192, MSGMNB = 16384, MSGMNI = 32000;

export interface Message {
  readonly type: bigint;
  readonly text: Uint8Array;
}

export class MsgQueue {
  readonly messages: Message[] = [];
  cbytes = 0;
  qbytes = MSGMNB;
  stime = 0n;
  rtime = 0n;
  lspid = 0;
  lrpid = 0;
  /** Senders waiting for room and receivers waiting for a message. */
  readonly waiters = new WaitQueue();

  constructor(readonly perm: IpcPerm) {}
}

export function msgget(k: Kernel, t: Task, key: number, flg: number): number {
  const create = (): MsgQueue | number => (k.ipc.msg.size >= MSGMNI ? -Errno.ENOSPC : new MsgQueue(new IpcPerm(key, flg & S_IRWXUGO, t, ipcNow(k))));
  return ipcGet(t, k.ipc.msg, key, flg, create, () => 0);
}

export function removeMsgQueue(k: Kernel, q: MsgQueue): void {
  k.ipc.msg.remove(q);
  q.waiters.wakeAll(-Errno.EIDRM);
}

function sleep(q: MsgQueue): Block {
  return block([q.waiters], { onSignal: -ERESTARTNOHAND });
}

export function msgsnd(k: Kernel, t: Task, msqid: number, msgp: number, msgsz: bigint, flg: number): number | Block {
  const mm = t.process.mm;
  const raw = mm.readU64(msgp);
  if (raw === null) return -Errno.EFAULT;
  const type = BigInt.asIntN(64, raw);
  if (msgsz > BigInt(MSGMAX) || msqid < 0 || type < 1n) return -Errno.EINVAL;
  const size = Number(msgsz);
  const text = size === 0 ? new Uint8Array(0) : mm.read(msgp + 8, size);
  if (text === null) return -Errno.EFAULT;
  const q = k.ipc.msg.get(msqid);
  if (q === undefined) return -Errno.EINVAL;
  if (!ipcPermits(t, q.perm, S_IWUGO)) return -Errno.EACCES;
  if (size + q.cbytes > q.qbytes || q.messages.length + 1 > q.qbytes) return flg & IPC_NOWAIT ? -Errno.EAGAIN : sleep(q);
  q.messages.push({ type, text: text.slice() });
  q.cbytes += size;
  q.lspid = t.process.pid;
  q.stime = ipcNow(k);
  q.waiters.wakeAll();
  return 0;
}

/** The index of the message msgrcv takes (convert_mode and find_msg), or -1. */
function select(q: MsgQueue, msgtyp: bigint, flg: number): number {
  if (flg & MSG_COPY) return msgtyp < BigInt(q.messages.length) ? Number(msgtyp) : -1;
  if (msgtyp === 0n) return q.messages.length > 0 ? 0 : -1;
  if (msgtyp > 0n) return q.messages.findIndex((m) => (flg & MSG_EXCEPT ? m.type !== msgtyp : m.type === msgtyp));
  const limit = msgtyp === -(2n ** 63n) ? 2n ** 63n - 1n : -msgtyp;
  let best = -1;
  q.messages.forEach((m, i) => {
    if (m.type <= limit && (best < 0 || m.type < q.messages[best].type)) best = i;
  });
  return best;
}

export interface MsgrcvRequest {
  msqid: number;
  msgp: number;
  msgsz: bigint;
  msgtyp: bigint;
  flg: number;
}

export function msgrcv(k: Kernel, t: Task, r: MsgrcvRequest): number | Block {
  const bufsz = BigInt.asIntN(64, r.msgsz);
  if (r.msqid < 0 || bufsz < 0n) return -Errno.EINVAL;
  if (r.flg & MSG_COPY && (r.flg & MSG_EXCEPT || !(r.flg & IPC_NOWAIT))) return -Errno.EINVAL;
  const q = k.ipc.msg.get(r.msqid);
  if (q === undefined) return -Errno.EINVAL;
  if (!ipcPermits(t, q.perm, S_IRUGO)) return -Errno.EACCES;
  const index = select(q, r.msgtyp, r.flg);
  if (index < 0) return r.flg & IPC_NOWAIT ? -Errno.ENOMSG : sleep(q);
  const msg = q.messages[index];
  if (bufsz < BigInt(msg.text.length) && !(r.flg & MSG_NOERROR)) return -Errno.E2BIG;
  if (!(r.flg & MSG_COPY)) {
    q.messages.splice(index, 1);
    q.cbytes -= msg.text.length;
    q.lrpid = t.process.pid;
    q.rtime = ipcNow(k);
    q.waiters.wakeAll();
  }
  const n = Math.min(Number(bufsz), msg.text.length);
  const mm = t.process.mm;
  if (!mm.writeU64(r.msgp, BigInt.asUintN(64, msg.type)) || !mm.write(r.msgp + 8, msg.text.subarray(0, n))) return -Errno.EFAULT;
  return n;
}
