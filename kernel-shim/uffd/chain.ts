// Non-cooperative events as chains: an operation (munmap, mremap, madvise, fork) queues one
// message per monitor that asked for it, one after another, and its task waits until each
// was read (spec/userfaultfd.md section 7). Whether a context has read its message or went
// away, the chain moves on.
import type * as A from '../abi/uffd.js';
import type { Task } from '../task.js';
import { WaitQueue } from '../wait.js';
import type { UffdCtx } from './context.js';

/** A non-cooperative event queued on a context, part of its task's chain. */
export interface PendingEvent {
  readonly ctx: UffdCtx;
  readonly msg: A.UffdMsg;
  /** FORK: the child's new context, installed as an fd in the reader at read time. */
  readonly forkCtx?: UffdCtx;
  chain?: EventChain;
}

/** The events one operation waits on, one after another. */
export class EventChain {
  next = 0;
  done = false;
  readonly queue = new WaitQueue();
  constructor(
    readonly task: Task,
    readonly events: PendingEvent[],
    /** The syscall's result once every event was read; 'rerun' runs the handler again. */
    readonly result: number | 'rerun',
    readonly key: string,
  ) {}

  /** A finished chain carried over to `task` (a snapshot): only its result matters. */
  copyFor(task: Task): EventChain {
    const copy = new EventChain(task, [], this.result, this.key);
    copy.next = this.next;
    copy.done = this.done;
    return copy;
  }
}

/** An event for `ctx`: resolving ioctls answer EAGAIN until it was read (mmap_changing). */
export function event(ctx: UffdCtx, msg: A.UffdMsg, forkCtx?: UffdCtx): PendingEvent {
  ctx.changing++;
  return { ctx, msg, forkCtx };
}

/** An event was read (or dropped, `abandoned`): its chain goes on to the next. */
export function finishEvent(ev: PendingEvent, abandoned: boolean): void {
  ev.ctx.changing = Math.max(0, ev.ctx.changing - 1);
  // A fork event nobody will read: the child's context goes, and its areas lose registration.
  if (abandoned && ev.forkCtx !== undefined) ev.forkCtx.release();
  const chain = ev.chain;
  if (chain === undefined) return;
  chain.next++;
  advance(chain);
}

/** Queues the chain's next event, skipping contexts that are gone; wakes the task when done. */
export function advance(chain: EventChain): void {
  while (chain.next < chain.events.length) {
    const ev = chain.events[chain.next];
    if (!ev.ctx.released) {
      ev.ctx.events.push(ev);
      ev.ctx.notify();
      return;
    }
    ev.ctx.changing = Math.max(0, ev.ctx.changing - 1);
    if (ev.forkCtx !== undefined) ev.forkCtx.release();
    chain.next++;
  }
  chain.done = true;
  chain.queue.wakeAll();
}

/** Events that were prepared for an operation that then failed. */
export function cancelEvents(events: PendingEvent[]): void {
  for (const ev of events) ev.ctx.changing = Math.max(0, ev.ctx.changing - 1);
}
