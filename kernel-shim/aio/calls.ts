// io_setup, io_destroy, io_submit, io_cancel and io_getevents/io_pgetevents on the caller's
// address space's contexts. Waiting for events parks only the caller, on the context's wait
// queue and on whatever its requests in flight wait for, until min_nr events, the timeout
// (relative; whatever completed by then is returned), or a signal (EINTR when nothing came).
import { Errno } from '../errno.js';
import { watchSources } from '../fs/readiness.js';
import { hasDeliverable } from '../signal/deliver.js';
import type { Task } from '../task.js';
import { type Block, ERESTARTNOHAND, block } from '../wait.js';
import type { AioContext } from './contexts.js';
import { type IoEvent, type Iocb } from './iocb.js';
import { submitOne } from './submit.js';

/** io_setup: the new context's id handed to `publish` (false: EFAULT, and the context goes). */
export function ioSetup(t: Task, nrEvents: number, current: bigint | null, publish: (id: number) => boolean): number {
  if (current === null) return -Errno.EFAULT;
  if (current !== 0n || nrEvents === 0) return -Errno.EINVAL;
  const mm = t.process.mm;
  const ctx = t.kernel.aio.create(mm, nrEvents);
  if (typeof ctx === 'number') return ctx;
  if (publish(ctx.id)) return 0;
  t.kernel.aio.destroy(mm, ctx);
  return -Errno.EFAULT;
}

export function ioDestroy(t: Task, id: bigint): number {
  const ctx = t.kernel.aio.get(t.process.mm, id);
  if (ctx === undefined) return -Errno.EINVAL;
  t.kernel.aio.destroy(t.process.mm, ctx);
  return 0;
}

/**
 * io_submit: `iocbAt(i)` reads the i-th iocb pointer (null: EFAULT), `readIocb` the iocb.
 * How many were submitted, or the first one's error.
 */
export function ioSubmit(t: Task, id: bigint, nr: number, iocbAt: (i: number) => number | null, readIocb: (addr: number) => Iocb | number): number {
  if (nr < 0) return -Errno.EINVAL;
  const ctx = t.kernel.aio.get(t.process.mm, id);
  if (ctx === undefined) return -Errno.EINVAL;
  const count = Math.min(nr, ctx.ringEvents);
  let i = 0;
  for (; i < count; i++) {
    const addr = iocbAt(i);
    const r = addr === null ? -Errno.EFAULT : submitOne(t, ctx, addr, readIocb(addr));
    if (r < 0) return i > 0 ? i : r;
  }
  return i;
}

/** io_cancel: a request still in flight completes with its cancelled result (-EINPROGRESS); anything else is EINVAL. */
export function ioCancel(t: Task, id: bigint, iocbAddr: number, key: number | null): number {
  if (key === null) return -Errno.EFAULT;
  if (key !== 0) return -Errno.EINVAL;
  const ctx = t.kernel.aio.get(t.process.mm, id);
  if (ctx === undefined) return -Errno.EINVAL;
  const at = ctx.pending.findIndex((r) => r.obj === BigInt(iocbAddr));
  if (at < 0) return -Errno.EINVAL;
  const [req] = ctx.pending.splice(at, 1);
  ctx.complete(req, req.cancelled);
  return -Errno.EINPROGRESS;
}

export interface GetEvents {
  minNr: number;
  nr: number;
  /** The relative timeout in ns (undefined: none), or the errno reading it gave. */
  timeout: bigint | number | undefined;
  /** Copies events to the caller (false: EFAULT, and they stay queued). */
  store: (events: readonly IoEvent[]) => boolean;
  /** io_pgetevents: an interrupted wait that got nothing restarts unless a handler ran. */
  pgetevents: boolean;
}

function reap(ctx: AioContext, nr: number, store: GetEvents['store']): number {
  const events = ctx.events.slice(0, nr);
  if (events.length === 0) return 0;
  if (!store(events)) return -Errno.EFAULT;
  ctx.events.splice(0, events.length);
  return events.length;
}

/** io_getevents and io_pgetevents (after its mask is in place). */
export function ioGetEvents(t: Task, id: bigint, req: GetEvents): number | Block {
  if (typeof req.timeout === 'number') return req.timeout;
  const ctx = t.kernel.aio.get(t.process.mm, id);
  if (ctx === undefined) return -Errno.EINVAL;
  if (req.minNr < 0 || req.minNr > req.nr) return -Errno.EINVAL;
  ctx.progress();
  const deadline = req.timeout === undefined ? undefined : t.deadlineAfter(req.timeout);
  const expired = deadline !== undefined && deadline <= t.kernel.clock.now(1)!;
  if (ctx.events.length >= req.minNr || expired || ctx.dead) {
    const got = reap(ctx, req.nr, req.store);
    return got === 0 && hasDeliverable(t) ? (req.pgetevents ? -ERESTARTNOHAND : -Errno.EINTR) : got;
  }
  if (hasDeliverable(t)) {
    const got = reap(ctx, req.nr, req.store);
    return got !== 0 ? got : req.pgetevents ? -ERESTARTNOHAND : -Errno.EINTR;
  }
  const { queues, hostFds, hostWritableFds } = watchSources(ctx.pending.map((r) => r.watch));
  return block([ctx.waitQueue, ...queues], { deadline, onTimeout: 'retry', onSignal: 'retry', hostFds, hostWritableFds });
}
