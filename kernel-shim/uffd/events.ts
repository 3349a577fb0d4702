// Starting and finishing the event chains of non-cooperative userfaultfd (chain.ts), and
// the events each operation raises: UNMAP (munmap, mremap, MAP_FIXED, brk), REMOVE
// (madvise), REMAP (mremap); FORK comes from fork.ts.
import * as A from '../abi/uffd.js';
import type { AddressSpace } from '../mm/addrspace.js';
import type { Task } from '../task.js';
import { type Block, block } from '../wait.js';
import { EventChain, type PendingEvent, advance, event } from './chain.js';
import type { ResumeBlock, UffdCtx } from './context.js';

/**
 * Makes `task` wait until the monitors have read `events` (in order), then the call returns
 * `result` ('rerun': the handler runs again, see uffdApproved). Returns the Block, or the
 * result at once when there is nothing to wait for.
 */
export function startEventChain(task: Task, events: PendingEvent[], result: number | 'rerun', key = ''): Block | number | undefined {
  if (events.length === 0) return result === 'rerun' ? undefined : result;
  const chain = new EventChain(task, events, result, key);
  for (const ev of events) ev.chain = chain;
  task.kernel.uffd.chains.set(task, chain);
  advance(chain);
  if (chain.done) return resumeChain(task);
  return block([chain.queue], { onSignal: 'retry' });
}

/**
 * At the entry of a call that may have been waiting on events: its result once they were
 * read, a Block while they are not (the wait is only killable), undefined otherwise.
 */
export function resumeChain(task: Task): Block | number | undefined {
  const state = task.kernel.uffd;
  const chain = state.chains.get(task);
  if (chain === undefined) return undefined;
  if (!chain.done) return block([chain.queue], { onSignal: 'retry' });
  state.chains.delete(task);
  if (chain.result !== 'rerun') return chain.result;
  state.approved.set(task, chain.key);
  return undefined;
}

/** True (once) when the events of the call identified by key were read: it may proceed. */
export function uffdApproved(task: Task, key: string): boolean {
  const approved = task.kernel.uffd.approved;
  if (approved.get(task) !== key) return false;
  approved.delete(task);
  return true;
}

/** Parks a new fork child until its parent's FORK events were read (copy_process waits). */
export function holdChild(parent: Task, child: Task): void {
  const chain = parent.kernel.uffd.chains.get(parent);
  if (chain === undefined || chain.done) return;
  const b: ResumeBlock = { ...block([chain.queue], { onSignal: 'retry' }), uffdResume: true };
  parent.kernel.park(child, b);
}

/** userfaultfd_unmap_prep: one UNMAP event per context (with the feature) over [start, end). */
export function unmapEvents(mm: AddressSpace, start: number, end: number): PendingEvent[] {
  if (mm.uffd === undefined || end <= start) return [];
  const out: PendingEvent[] = [];
  const seen = new Set<UffdCtx>();
  for (const a of mm.areas.overlapping(start, end)) {
    const ctx = a.uffd;
    if (ctx === undefined || ctx.released || !(ctx.features & A.UFFD_FEATURE_EVENT_UNMAP) || seen.has(ctx)) continue;
    seen.add(ctx);
    out.push(event(ctx, { event: A.UFFD_EVENT_UNMAP, start: BigInt(start), end: BigInt(end) }));
  }
  return out;
}

/** The UNMAP event of one context for a range whose areas are already gone (mremap's old range). */
export function unmapEventFor(ctx: UffdCtx, start: number, end: number): PendingEvent[] {
  if (ctx.released || !(ctx.features & A.UFFD_FEATURE_EVENT_UNMAP) || end <= start) return [];
  return [event(ctx, { event: A.UFFD_EVENT_UNMAP, start: BigInt(start), end: BigInt(end) })];
}

/** userfaultfd_remove: one REMOVE event per registered area part (with the feature) in [start, end). */
export function removeEvents(mm: AddressSpace, start: number, end: number): PendingEvent[] {
  if (mm.uffd === undefined || end <= start) return [];
  const out: PendingEvent[] = [];
  for (const a of mm.areas.overlapping(start, end)) {
    const ctx = a.uffd;
    if (ctx === undefined || ctx.released || !(ctx.features & A.UFFD_FEATURE_EVENT_REMOVE)) continue;
    out.push(event(ctx, { event: A.UFFD_EVENT_REMOVE, start: BigInt(Math.max(a.start, start)), end: BigInt(Math.min(a.end, end)) }));
  }
  return out;
}

/** A REMAP event for a moved registered area whose context has the feature. */
export function remapEvent(ctx: UffdCtx, from: number, to: number, len: number): PendingEvent {
  return event(ctx, { event: A.UFFD_EVENT_REMAP, from: BigInt(from), to: BigInt(to), len: BigInt(len) });
}
