// Native AIO contexts (io_setup): each belongs to an address space, like Linux's mm->ioctx_table,
// and is named by the address of its ring, a mapping in that address space. The ring stays
// zero: its magic is not AIO_RING_MAGIC, so libaio and other readers of the ring header fall
// back to io_getevents, where the completions are kept here.
import { Errno } from '../errno.js';
import type { EventFd } from '../fs/eventfd.js';
import type { Watch } from '../fs/readiness.js';
import type { AddressSpace } from '../mm/addrspace.js';
import { MAP_ANONYMOUS, MAP_PRIVATE, PAGE_SIZE, PROT_READ, PROT_WRITE } from '../mm/constants.js';
import { mmap, munmap } from '../mm/mapping.js';
import { WaitQueue } from '../wait.js';
import { IO_EVENT_SIZE, type IoEvent } from './iocb.js';

/** /proc/sys/fs/aio-max-nr: the events all contexts together may ask for. */
const AIO_MAX_NR = 65536;
/** struct aio_ring's header ahead of the events. */
const RING_HEADER = 32;
/** What ioctx_alloc takes as num_possible_cpus() * 4, the least a ring is sized for. */
const MIN_RING_EVENTS = 4;

/** A request that could not complete at submission (a stream with nothing to read, a poll). */
export interface AioRequest {
  readonly data: bigint;
  readonly obj: bigint;
  /** What a waiter for its completion watches. */
  readonly watch: Watch;
  readonly resfd: EventFd | undefined;
  /** The result its event carries when io_cancel takes it back. */
  readonly cancelled: number;
  /** Tries it again: its result, or undefined while it would still block. */
  attempt(): number | undefined;
}

export class AioContext {
  readonly events: IoEvent[] = [];
  readonly pending: AioRequest[] = [];
  /** io_getevents waiters: woken by every completion and by io_destroy. */
  readonly waitQueue = new WaitQueue();
  dead = false;

  constructor(
    readonly id: number,
    readonly maxReqs: number,
    /** The ring's size in events (struct aio_ring's nr). */
    readonly ringEvents: number,
    readonly ringBytes: number,
  ) {}

  /** Whether another request fits: completions not yet reaped and requests in flight share the ring. */
  get hasRoom(): boolean {
    return this.events.length + this.pending.length < this.ringEvents - 1;
  }

  complete(req: { data: bigint; obj: bigint; resfd: EventFd | undefined }, res: number): void {
    this.events.push({ data: req.data, obj: req.obj, res: BigInt(res), res2: 0n });
    req.resfd?.signal();
    this.waitQueue.wakeAll();
  }

  /** Retries the requests in flight, completing those that can now. */
  progress(): void {
    for (const req of [...this.pending]) {
      const res = req.attempt();
      if (res === undefined) continue;
      this.pending.splice(this.pending.indexOf(req), 1);
      this.complete(req, res);
    }
  }
}

export class AioContexts {
  private readonly byMm = new WeakMap<AddressSpace, Map<number, AioContext>>();
  /** aio_nr: the events every live context asked for. */
  private total = 0;

  /** io_setup's ioctx_alloc: a context with its ring mapped in mm, or -errno. */
  create(mm: AddressSpace, nrEvents: number): AioContext | number {
    // Doubled in an unsigned int, as ioctx_alloc does: a wrap to 0 is EAGAIN.
    const ringEvents = (Math.max(nrEvents, MIN_RING_EVENTS) * 2) >>> 0;
    if (ringEvents > 0x10000000 / IO_EVENT_SIZE) return -Errno.EINVAL;
    if (ringEvents === 0 || nrEvents > AIO_MAX_NR || this.total + nrEvents > AIO_MAX_NR) return -Errno.EAGAIN;
    const pages = Math.ceil((RING_HEADER + ringEvents * IO_EVENT_SIZE) / PAGE_SIZE);
    const ringBytes = pages * PAGE_SIZE;
    const addr = mmap(mm, { addr: 0, length: ringBytes, prot: PROT_READ | PROT_WRITE, flags: MAP_PRIVATE | MAP_ANONYMOUS, offset: 0, name: '/[aio] (deleted)' });
    if (addr < 0) return addr === -Errno.ENOMEM ? -Errno.EAGAIN : addr;
    const ctx = new AioContext(addr, nrEvents, (ringBytes - RING_HEADER) / IO_EVENT_SIZE, ringBytes);
    let table = this.byMm.get(mm);
    if (table === undefined) {
      table = new Map();
      this.byMm.set(mm, table);
    }
    table.set(addr, ctx);
    this.total += nrEvents;
    return ctx;
  }

  get(mm: AddressSpace, id: bigint): AioContext | undefined {
    return id > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : this.byMm.get(mm)?.get(Number(id));
  }

  /** io_destroy: requests in flight are dropped, waiters woken, the ring unmapped. */
  destroy(mm: AddressSpace, ctx: AioContext): void {
    this.byMm.get(mm)?.delete(ctx.id);
    this.total -= ctx.maxReqs;
    ctx.dead = true;
    ctx.pending.length = 0;
    ctx.waitQueue.wakeAll();
    munmap(mm, ctx.id, ctx.ringBytes);
  }

  /** exit_aio: the address space goes (exit, exec), and its contexts with it. */
  release(mm: AddressSpace): void {
    for (const ctx of [...(this.byMm.get(mm)?.values() ?? [])]) this.destroy(mm, ctx);
  }
}
