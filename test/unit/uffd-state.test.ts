// userfaultfd state held by the Kernel (kernel-shim/uffd/state.ts): a syscall's access to a
// tracked page is reported to the call that made it (UffdState.runSyscall returns the Block
// it parks on, later accesses of the call fail, nothing is thrown), only a handler of the
// address space's own task may sleep, and the copies a snapshot takes.
import assert from 'node:assert/strict';
import { PhysicalMemory } from '../../cpu/physmem.js';
import * as U from '../../kernel-shim/abi/uffd.js';
import type { Kernel } from '../../kernel-shim/kernel.js';
import { AddressSpace } from '../../kernel-shim/mm/addrspace.js';
import { MAP_ANONYMOUS, MAP_PRIVATE, PROT_READ, PROT_WRITE } from '../../kernel-shim/mm/constants.js';
import { FrameAllocator } from '../../kernel-shim/mm/frames.js';
import { mmap } from '../../kernel-shim/mm/mapping.js';
import type { Process } from '../../kernel-shim/process.js';
import type { Task } from '../../kernel-shim/task.js';
import { type FaultBlock, UffdCtx } from '../../kernel-shim/uffd/context.js';
import { uffdCopy } from '../../kernel-shim/uffd/fill.js';
import { uffdApi, uffdRegister } from '../../kernel-shim/uffd/register.js';
import { UffdState } from '../../kernel-shim/uffd/state.js';
import { isBlock } from '../../kernel-shim/wait.js';

const P = 4096;

function world() {
  const mm = new AddressSpace(new FrameAllocator(new PhysicalMemory(16 << 20)), { pgfault: 0, spfAttempt: 0, spfAbort: 0 });
  mm.mmapBase = 0x7ffff7fff000;
  const k = { current: undefined, uffd: new UffdState() } as unknown as Kernel;
  const proc = { exited: false, mm, uid: 0 } as unknown as Process;
  const task = { tid: 41, process: proc, kernel: k, state: 'runnable', wait: null } as unknown as Task;
  const a = mmap(mm, { addr: 0, length: 4 * P, prot: PROT_READ | PROT_WRITE, flags: MAP_PRIVATE | MAP_ANONYMOUS, offset: 0 });
  const ctx = new UffdCtx(k, proc, mm, 0);
  assert.equal(uffdApi(ctx, 0xaan, BigInt(U.UFFD_FEATURE_THREAD_ID), 0), 0);
  assert.equal(uffdRegister(ctx, BigInt(a), BigInt(2 * P), 1n) !== undefined, true);
  return { k, mm, proc, task, a, ctx };
}

describe('userfaultfd state on the Kernel', function () {
  it('a handler touching a missing tracked page gets EFAULT, and its call parks on the fault', function () {
    const w = world();
    let later: boolean | undefined;
    const r = w.k.uffd.runSyscall(w.task, () => {
      const first = w.mm.read(w.a + 8, 8);
      later = w.mm.write(w.a + 2 * P, new Uint8Array([1])); // an untracked page: fails too, the call is over
      return first === null ? -14 : 0;
    });
    assert.ok(isBlock(r), 'a Block, not the handler result');
    assert.equal(later, false);
    const rec = (r as FaultBlock).uffdFault;
    assert.deepEqual([rec.address, rec.flags, rec.ptid, rec.read], [w.a, 0, 41, false]);
    assert.equal((r as FaultBlock).onSignal, -14, 'a signal fails the call with EFAULT');
    assert.equal(w.k.uffd.stats.kernel, 1);
    assert.equal(w.k.uffd.callParked, false, 'nothing left behind after the call');
    assert.ok(w.mm.write(w.a + 2 * P, new Uint8Array([1])), 'accesses outside a call work again');
  });

  it('after the page is supplied the retried call runs through', function () {
    const w = world();
    const src = mmap(w.mm, { addr: 0, length: P, prot: PROT_READ | PROT_WRITE, flags: MAP_PRIVATE | MAP_ANONYMOUS, offset: 0 });
    w.mm.write(src, new Uint8Array(P).fill(7));
    assert.deepEqual(uffdCopy(w.ctx, w.mm, { dst: BigInt(w.a), src: BigInt(src), len: BigInt(P), mode: 0n }), { field: P, ret: 0 });
    const r = w.k.uffd.runSyscall(w.task, () => w.mm.read(w.a, 1)?.[0] ?? -14);
    assert.equal(r, 7);
  });

  it('outside a syscall handler (signal frames, strace) the access only fails', function () {
    const w = world();
    assert.equal(w.mm.read(w.a, 8), null);
    assert.equal(w.k.uffd.stats.kernel, 0);
    assert.equal(w.ctx.hasUnread(), false);
  });

  it('copies for a snapshot: counters, finished chains, contexts and markers', function () {
    const w = world();
    w.k.uffd.runSyscall(w.task, () => w.mm.read(w.a, 1));
    w.k.uffd.approved.set(w.task, '1:2:4');
    const other = { tid: 42 } as unknown as Task;
    const copy = w.k.uffd.copy((t) => (t === w.task ? other : undefined));
    assert.equal(copy.stats.kernel, 1);
    assert.equal(copy.approved.get(other), '1:2:4');
    const mm2 = new AddressSpace(w.mm.frames, w.mm.stats);
    const ctx2 = w.ctx.copyFor(w.proc, mm2);
    assert.deepEqual([ctx2.features, ctx2.initialized, ctx2.flags, ctx2.mm === mm2], [w.ctx.features, true, 0, true]);
    w.mm.uffd!.mark(w.a / P, 1);
    assert.ok(w.mm.uffd!.copyFor(mm2).hasMarker(w.a / P));
  });
});
