// POSIX message queues: mq_open, mq_unlink, mq_timedsend, mq_timedreceive, mq_notify and
// mq_getsetattr, decoding struct mq_attr and struct sigevent; the semantics are in
// kernel-shim/mqueue/.
import { Errno } from '../kernel-shim/errno.js';
import { O_CREAT } from '../kernel-shim/fs/constants.js';
import { type MqSigevent, type MqStatus, mqGetSetAttr, mqNotify, mqReceive, mqSend } from '../kernel-shim/mqueue/calls.js';
import type { MqAttr } from '../kernel-shim/mqueue/queue.js';
import type { Task } from '../kernel-shim/task.js';
import { mqOpenArgs } from './argkinds-by-value.js';
import { readPath, readTimespec } from './guest.js';
import type { SyscallDef } from './types.js';

const MQ_ATTR_SIZE = 64;
const SIGEVENT_SIZE = 64;

/** struct mq_attr: flags, maxmsg, msgsize, curmsgs (longs) and four reserved longs. */
function readMqAttr(t: Task, addr: number): bigint[] | number {
  const raw = t.process.mm.read(addr, MQ_ATTR_SIZE);
  if (raw === null) return -Errno.EFAULT;
  const v = new DataView(raw.buffer, raw.byteOffset, MQ_ATTR_SIZE);
  return [0, 8, 16, 24].map((o) => v.getBigInt64(o, true));
}

function writeMqAttr(t: Task, addr: number, s: MqStatus): number {
  const out = new Uint8Array(MQ_ATTR_SIZE);
  const v = new DataView(out.buffer);
  [s.flags, s.maxmsg, s.msgsize, s.curmsgs].forEach((n, i) => v.setBigInt64(8 * i, BigInt(n), true));
  return t.process.mm.write(addr, out) ? 0 : -Errno.EFAULT;
}

/** A long of mq_attr as a number, out-of-range values clamped to what still fails the same checks. */
function attrValue(n: bigint): number {
  return n > 0x7fffffffn ? 0x7fffffff : n < 0n ? -1 : Number(n);
}

function mqOpen(t: Task, nameAddr: number, oflag: number, mode: number, attrAddr: number): number {
  const fields = attrAddr === 0 ? undefined : readMqAttr(t, attrAddr);
  if (typeof fields === 'number') return fields;
  const name = readPath(t, nameAddr);
  if (typeof name === 'number') return name;
  const attr: MqAttr | undefined = fields === undefined || !(oflag & O_CREAT) ? undefined : { maxmsg: attrValue(fields[1]), msgsize: attrValue(fields[2]) };
  return t.kernel.mqueues.open(t, name, oflag, mode, attr);
}

/** The absolute timeout argument (NULL: none) in ns, or EFAULT/EINVAL. */
function absTimeout(t: Task, addr: number): bigint | number | undefined {
  return addr === 0 ? undefined : readTimespec(t, addr);
}

function readSigevent(t: Task, addr: number): MqSigevent | number | undefined {
  if (addr === 0) return undefined;
  const raw = t.process.mm.read(addr, SIGEVENT_SIZE);
  if (raw === null) return -Errno.EFAULT;
  const v = new DataView(raw.buffer, raw.byteOffset, SIGEVENT_SIZE);
  return { value: v.getBigUint64(0, true), signo: v.getInt32(8, true), notify: v.getInt32(12, true) };
}

function mqGetSetAttrCall(t: Task, fd: number, newAddr: number, oldAddr: number): number {
  let flags: number | undefined;
  if (newAddr !== 0) {
    const fields = readMqAttr(t, newAddr);
    if (typeof fields === 'number') return fields;
    flags = fields[0] >= 0n && fields[0] <= 0x7fffffffn ? Number(fields[0]) : -1;
  }
  const old = mqGetSetAttr(t, fd, flags);
  if (typeof old === 'number') return old;
  return oldAddr === 0 ? 0 : writeMqAttr(t, oldAddr, old);
}

export const mqueueSyscalls: SyscallDef[] = [
  { name: 'mq_open', args: mqOpenArgs, result: 'dec', support: 'full', handler: (_k, t, a) => mqOpen(t, a.arg(0), a.int(1), a.int(2), a.arg(3)) },
  { name: 'mq_unlink', args: ['path'], result: 'dec', support: 'full', handler: (k, t, a) => {
    const name = readPath(t, a.arg(0));
    return typeof name === 'number' ? name : k.mqueues.unlink(t, name);
  } },
  {
    name: 'mq_timedsend', args: ['fd', 'buf_in', 'uint', 'uint', 'timespec'], result: 'dec', support: 'full',
    handler: (_k, t, a) => mqSend(t, a.int(0), (len) => t.process.mm.read(a.arg(1), len), a.arg(2), a.int(3), absTimeout(t, a.arg(4))),
  },
  {
    name: 'mq_timedreceive', args: ['fd', 'buf_out', 'uint', 'uint_ptr_out', 'timespec'], result: 'dec', support: 'full',
    handler: (_k, t, a) => mqReceive(t, a.int(0), a.arg(2), (data, prio) => {
      const mm = t.process.mm;
      return (a.arg(3) === 0 || mm.writeU32(a.arg(3), prio)) && mm.write(a.arg(1), data);
    }, absTimeout(t, a.arg(4))),
  },
  {
    name: 'mq_notify', args: ['fd', 'sigevent'], result: 'dec', support: 'partial', note: 'SIGEV_SIGNAL and SIGEV_NONE; SIGEV_THREAD (glibc\'s netlink cookie) answers ENOSYS',
    handler: (_k, t, a) => mqNotify(t, a.int(0), readSigevent(t, a.arg(1))),
  },
  { name: 'mq_getsetattr', args: ['fd', 'mq_attr', 'mq_attr_out'], result: 'dec', support: 'full', handler: (_k, t, a) => mqGetSetAttrCall(t, a.int(0), a.arg(1), a.arg(2)) },
];
