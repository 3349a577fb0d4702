// Linux native AIO: io_setup, io_destroy, io_submit, io_cancel, io_getevents and
// io_pgetevents, decoding iocbs, io_events, timeouts and io_pgetevents' struct __aio_sigset;
// the semantics are in kernel-shim/aio/.
import { ioCancel, ioDestroy, ioGetEvents, ioSetup, ioSubmit } from '../kernel-shim/aio/calls.js';
import { IOCB_KEY_OFFSET, IOCB_SIZE, type IoEvent, decodeIocb, encodeIoEvents } from '../kernel-shim/aio/iocb.js';
import { TIMESPEC_SIZE, decodeTimespec } from '../kernel-shim/abi/time.js';
import { Errno } from '../kernel-shim/errno.js';
import { useWaitMask } from '../kernel-shim/signal/wait-mask.js';
import type { Task } from '../kernel-shim/task.js';
import type { Block } from '../kernel-shim/wait.js';
import type { SyscallDef, SyscallFrame } from './types.js';

const NS = 1_000_000_000n;
const SIGSET_SIZE = 8;

/** io_getevents' relative timeout (NULL: none); Linux takes it unchecked, a negative one as already passed. */
function readTimeout(t: Task, addr: number): bigint | number | undefined {
  if (addr === 0) return undefined;
  const raw = t.process.mm.read(addr, TIMESPEC_SIZE);
  if (raw === null) return -Errno.EFAULT;
  const ts = decodeTimespec(new DataView(raw.buffer, raw.byteOffset, TIMESPEC_SIZE), 0);
  return ts.sec * NS + ts.nsec;
}

function getEvents(t: Task, a: SyscallFrame, pgetevents: boolean): number | Block {
  const events = a.arg(3);
  return ioGetEvents(t, a.argBig(0), {
    minNr: Number(BigInt.asIntN(64, a.argBig(1))), nr: Number(BigInt.asIntN(64, a.argBig(2))), timeout: readTimeout(t, a.arg(4)), pgetevents,
    store: (list: readonly IoEvent[]) => t.process.mm.write(events, encodeIoEvents(list)),
  });
}

/** io_pgetevents: struct __aio_sigset { sigmask, sigsetsize } (NULL, or a NULL mask: none). */
function pgetevents(t: Task, a: SyscallFrame): number | Block {
  const timeout = a.arg(4) === 0 ? undefined : t.process.mm.read(a.arg(4), TIMESPEC_SIZE);
  if (timeout === null) return -Errno.EFAULT;
  if (a.arg(5) !== 0) {
    const raw = t.process.mm.read(a.arg(5), 16);
    if (raw === null) return -Errno.EFAULT;
    const v = new DataView(raw.buffer, raw.byteOffset, 16);
    const maskAddr = Number(v.getBigUint64(0, true));
    if (maskAddr !== 0) {
      if (v.getBigUint64(8, true) !== BigInt(SIGSET_SIZE)) return -Errno.EINVAL;
      const r = useWaitMask(t, () => t.process.mm.readU64(maskAddr));
      if (r < 0) return r;
    }
  }
  return getEvents(t, a, true);
}

function submit(t: Task, a: SyscallFrame): number {
  const list = a.arg(2);
  const mm = t.process.mm;
  return ioSubmit(t, a.argBig(0), Number(BigInt.asIntN(64, a.argBig(1))), (i) => {
    const p = mm.readU64(list + 8 * i);
    return p === null ? null : Number(p);
  }, (addr) => {
    const raw = mm.read(addr, IOCB_SIZE);
    return raw === null ? -Errno.EFAULT : decodeIocb(raw);
  });
}

function setup(t: Task, a: SyscallFrame): number {
  const ctxp = a.arg(1);
  return ioSetup(t, a.arg(0) >>> 0, t.process.mm.readU64(ctxp), (id) => {
    const out = new Uint8Array(8);
    new DataView(out.buffer).setBigUint64(0, BigInt(id), true);
    return t.process.mm.write(ctxp, out);
  });
}

const SETUP_NOTE = 'the ring is mapped but carries no AIO_RING_MAGIC: libaio and other ring readers reap through io_getevents';
const SUBMIT_NOTE = 'regular files complete at submission; a pipe or socket transfer that would block, and IOCB_CMD_POLL, stay in flight and complete (an IOCB_FLAG_RESFD eventfd signalled then) while io_getevents waits, not on their own';
const GETEVENTS_NOTE = 'completes the in-flight pipe, socket and poll requests of the context while it waits';

export const aioSyscalls: SyscallDef[] = [
  { name: 'io_setup', args: ['uint', 'ptr_box_out'], result: 'dec', support: 'partial', note: SETUP_NOTE, handler: (_k, t, a) => setup(t, a) },
  { name: 'io_destroy', args: ['hex'], result: 'dec', support: 'partial', note: 'requests still in flight are dropped without events', handler: (_k, t, a) => ioDestroy(t, a.argBig(0)) },
  { name: 'io_submit', args: ['hex', 'long', { kind: 'iocb_array', len: 1 }], result: 'dec', support: 'partial', note: SUBMIT_NOTE, handler: (_k, t, a) => submit(t, a) },
  {
    name: 'io_cancel', args: ['hex', 'iocb', 'io_event_out'], result: 'dec', support: 'full',
    note: 'cancels requests in flight: a poll completes with 0, a pipe or socket transfer with -ECANCELED',
    handler: (_k, t, a) => ioCancel(t, a.argBig(0), a.arg(1), t.process.mm.readU32(a.arg(1) + IOCB_KEY_OFFSET)),
  },
  { name: 'io_getevents', args: ['hex', 'long', 'long', 'io_events_out', 'timespec'], result: 'dec', support: 'full', note: GETEVENTS_NOTE, handler: (_k, t, a) => getEvents(t, a, false) },
  {
    name: 'io_pgetevents', args: ['hex', 'long', 'long', 'io_events_out', 'timespec', 'aio_sigset'], result: 'dec', support: 'full', note: GETEVENTS_NOTE,
    handler: (_k, t, a) => pgetevents(t, a),
  },
];
