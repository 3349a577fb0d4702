// io_submit's one request (io_submit_one): the checks Linux makes before accepting it, then
// the operation through the same file operations as pread/pwrite, preadv/pwritev and fsync.
// A regular file completes at once; a stream that would block (an empty pipe, a socket)
// stays in flight and is retried while its context is waited on, so the emulator never
// blocks; POLL completes when the file reports an asked event.
import { Errno } from '../errno.js';
import { EventFd } from '../fs/eventfd.js';
import type { OpenFile } from '../fs/file.js';
import { O_NONBLOCK, O_PATH, canRead, canWrite } from '../fs/constants.js';
import { aioTransfer, readIovecs } from '../fs/file-io.js';
import { POLLERR, POLLHUP, readiness } from '../fs/readiness.js';
import { accessOk } from '../mm/uaccess.js';
import type { Task } from '../task.js';
import type { AioContext, AioRequest } from './contexts.js';
import {
  IOCB_CMD_FDSYNC, IOCB_CMD_FSYNC, IOCB_CMD_POLL, IOCB_CMD_PREAD, IOCB_CMD_PREADV, IOCB_CMD_PWRITE, IOCB_CMD_PWRITEV, IOCB_FLAG_RESFD,
  IOCB_KEY_OFFSET, type Iocb,
} from './iocb.js';

/** RWF_HIPRI..RWF_DONTCACHE: the per-request flags Linux knows (taken, not acted on). */
const RWF_KNOWN = 0xff;
const POLLIN = 1, POLLOUT = 4, POLLRDNORM = 0x40, POLLWRNORM = 0x100;

/** An operation's outcome at submission: an errno refusing it, a result to complete with, or a request in flight. */
type Started = { refused: number } | { res: number } | { pending: Omit<AioRequest, 'data' | 'obj' | 'resfd'> };

function transfer(t: Task, f: OpenFile, cb: Iocb, writing: boolean, vectored: boolean): Started {
  if (cb.rwFlags & ~RWF_KNOWN) return { refused: -Errno.EOPNOTSUPP };
  if (!(writing ? canWrite(f.flags) : canRead(f.flags))) return { refused: -Errno.EBADF };
  const addr = Number(cb.buf), count = Number(cb.nbytes);
  if (vectored) {
    const iovs = readIovecs(t, addr, count);
    if (typeof iovs === 'number') return { refused: iovs };
  } else if (!accessOk(addr, count)) {
    return { refused: -Errno.EFAULT };
  }
  if (cb.offset < 0n) return { refused: -Errno.EINVAL };
  const attempt = (): number | undefined => {
    const r = aioTransfer(t, f, writing, cb.offset, addr, count, vectored);
    return r === -Errno.EAGAIN && !(f.flags & O_NONBLOCK) ? undefined : r;
  };
  const res = attempt();
  return res !== undefined ? { res } : { pending: { attempt, watch: { file: f, events: writing ? POLLOUT : POLLIN }, cancelled: -Errno.ECANCELED } };
}

function fsync(f: OpenFile, cb: Iocb): Started {
  if (cb.buf !== 0n || cb.offset !== 0n || cb.nbytes !== 0n || cb.rwFlags !== 0) return { refused: -Errno.EINVAL };
  const res = f.fsync();
  return res === -Errno.EINVAL ? { refused: res } : { res };
}

/**
 * aio_poll: one-shot; the events asked (in aio_buf) and always POLLERR and POLLHUP. Ready at
 * submission, the result is what was asked; later it is the waking file's key, which names
 * the ...NORM companions of what became ready too.
 */
function poll(f: OpenFile, cb: Iocb): Started {
  if (cb.buf > 0xffffn || cb.offset !== 0n || cb.nbytes !== 0n || cb.rwFlags !== 0) return { refused: -Errno.EINVAL };
  const events = Number(cb.buf) | POLLERR | POLLHUP;
  const now = readiness(f) & events;
  if (now !== 0) return { res: now };
  const attempt = (): number | undefined => {
    const ready = readiness(f) & events;
    if (ready === 0) return undefined;
    return ready | (ready & POLLIN ? POLLRDNORM : 0) | (ready & POLLOUT ? POLLWRNORM : 0);
  };
  return { pending: { attempt, watch: { file: f, events }, cancelled: 0 } };
}

function start(t: Task, f: OpenFile, cb: Iocb): Started {
  switch (cb.opcode) {
    case IOCB_CMD_PREAD: return transfer(t, f, cb, false, false);
    case IOCB_CMD_PWRITE: return transfer(t, f, cb, true, false);
    case IOCB_CMD_PREADV: return transfer(t, f, cb, false, true);
    case IOCB_CMD_PWRITEV: return transfer(t, f, cb, true, true);
    case IOCB_CMD_FSYNC: case IOCB_CMD_FDSYNC: return fsync(f, cb);
    case IOCB_CMD_POLL: return poll(f, cb);
    default: return { refused: -Errno.EINVAL };
  }
}

/** io_submit_one for the iocb at `addr`, read as `cb` (or the errno reading it gave): 0 or -errno. */
export function submitOne(t: Task, ctx: AioContext, addr: number, cb: Iocb | number): number {
  if (typeof cb === 'number') return cb;
  if (cb.reserved2 !== 0n || cb.nbytes > 0x7fffffffffffffffn) return -Errno.EINVAL;
  if (!ctx.hasRoom) return -Errno.EAGAIN;
  const f = t.process.fds.get(cb.fd)?.file;
  if (f === undefined || f.flags & O_PATH) return -Errno.EBADF;
  let resfd: EventFd | undefined;
  if (cb.flags & IOCB_FLAG_RESFD) {
    const e = t.process.fds.get(cb.resfd)?.file;
    if (e === undefined) return -Errno.EBADF;
    if (!(e instanceof EventFd)) return -Errno.EINVAL;
    resfd = e;
  }
  if (!t.process.mm.writeU32(addr + IOCB_KEY_OFFSET, 0)) return -Errno.EFAULT;
  const started = start(t, f, cb);
  if ('refused' in started) return started.refused;
  const req = { data: cb.data, obj: BigInt(addr), resfd };
  if ('res' in started) ctx.complete(req, started.res);
  else ctx.pending.push({ ...req, ...started.pending });
  return 0;
}
