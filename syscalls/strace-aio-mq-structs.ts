// strace's decoding of the POSIX message queue and native AIO structures: struct mq_attr,
// struct iocb (one, or io_submit's array of pointers to them), io_getevents' io_events and
// io_pgetevents' struct __aio_sigset.
import { sigset } from './strace-structs.js';
import { type GuestReader, MAX_STRLEN, buffer, hex, pointer, readView, readWord } from './strace-values.js';

const MQ_ATTR_SIZE = 32;
const IOCB_SIZE = 64;
const IO_EVENT_SIZE = 32;
const O_NONBLOCK = 0x800n;
const IOCB_FLAG_RESFD = 1;
const IOCB_CMDS = ['IOCB_CMD_PREAD', 'IOCB_CMD_PWRITE', 'IOCB_CMD_FSYNC', 'IOCB_CMD_FDSYNC', undefined, 'IOCB_CMD_POLL', 'IOCB_CMD_NOOP', 'IOCB_CMD_PREADV', 'IOCB_CMD_PWRITEV'];

/** {mq_flags=O_NONBLOCK, mq_maxmsg=10, mq_msgsize=8192, mq_curmsgs=0} */
export function mqAttr(addr: bigint, mem: GuestReader): string {
  const v = readView(addr, MQ_ATTR_SIZE, mem);
  if (v === null) return pointer(addr);
  const f = [0, 8, 16, 24].map((o) => v.getBigInt64(o, true));
  const flags = f[0] === O_NONBLOCK ? 'O_NONBLOCK' : f[0] === 0n ? '0' : hex(BigInt.asUintN(64, f[0]));
  return `{mq_flags=${flags}, mq_maxmsg=${f[1]}, mq_msgsize=${f[2]}, mq_curmsgs=${f[3]}}`;
}

/** {aio_data=0x64, aio_lio_opcode=IOCB_CMD_PWRITE, aio_fildes=3, aio_buf="hello", aio_nbytes=5, aio_offset=0} */
export function iocb(addr: bigint, mem: GuestReader): string {
  const v = readView(addr, IOCB_SIZE, mem);
  if (v === null) return pointer(addr);
  const op = v.getUint16(16, true);
  const buf = v.getBigUint64(24, true), nbytes = v.getBigUint64(32, true);
  const fields = [`aio_data=${hex(v.getBigUint64(0, true))}`, `aio_lio_opcode=${IOCB_CMDS[op] ?? `${op} /* IOCB_CMD_??? */`}`];
  const prio = v.getInt16(18, true);
  if (prio !== 0) fields.push(`aio_reqprio=${prio}`);
  fields.push(`aio_fildes=${v.getInt32(20, true)}`);
  if (op === 1) fields.push(`aio_buf=${buffer(buf, nbytes, false, mem)}`);
  else fields.push(`aio_buf=${pointer(buf)}`);
  fields.push(`aio_nbytes=${nbytes}`, `aio_offset=${v.getBigInt64(40, true)}`);
  const flags = v.getUint32(56, true);
  if (flags & IOCB_FLAG_RESFD) fields.push('aio_flags=IOCB_FLAG_RESFD', `aio_resfd=${v.getInt32(60, true)}`);
  return `{${fields.join(', ')}}`;
}

/** io_submit's array of nr iocb pointers: [{...}, {...}]. */
export function iocbs(addr: bigint, nr: bigint, mem: GuestReader): string {
  const count = nr < 0n ? 0 : Number(nr > BigInt(MAX_STRLEN) ? BigInt(MAX_STRLEN) : nr);
  const items: string[] = [];
  for (let i = 0; i < count; i++) {
    const p = readWord(addr + BigInt(8 * i), mem);
    if (p === null) return items.length === 0 ? pointer(addr) : `[${items.join(', ')}, ...]`;
    items.push(iocb(p, mem));
  }
  return `[${[...items, ...(nr > BigInt(count) ? ['...'] : [])].join(', ')}]`;
}

function ioEventAt(v: DataView, o: number): string {
  return `{data=${hex(v.getBigUint64(o, true))}, obj=${pointer(v.getBigUint64(o + 8, true))}, res=${v.getBigInt64(o + 16, true)}, res2=${v.getBigInt64(o + 24, true)}}`;
}

/** The io_events io_getevents stored: [{data=0x64, obj=0x..., res=18, res2=0}]. */
export function ioEvents(addr: bigint, count: number, mem: GuestReader): string {
  const n = Math.min(count, MAX_STRLEN);
  if (n <= 0) return '[]';
  const v = readView(addr, n * IO_EVENT_SIZE, mem);
  if (v === null) return pointer(addr);
  const items = Array.from({ length: n }, (_, i) => ioEventAt(v, i * IO_EVENT_SIZE));
  return `[${[...items, ...(count > n ? ['...'] : [])].join(', ')}]`;
}

/** io_cancel's one io_event. */
export function ioEvent(addr: bigint, mem: GuestReader): string {
  const v = readView(addr, IO_EVENT_SIZE, mem);
  return v === null ? pointer(addr) : ioEventAt(v, 0);
}

/** io_pgetevents' {sigmask=[ALRM], sigsetsize=8}. */
export function aioSigset(addr: bigint, mem: GuestReader): string {
  const v = readView(addr, 16, mem);
  if (v === null) return pointer(addr);
  const mask = v.getBigUint64(0, true), size = v.getBigUint64(8, true);
  return `{sigmask=${mask === 0n ? 'NULL' : sigset(mask, size, mem)}, sigsetsize=${size}}`;
}
