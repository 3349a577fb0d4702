// userfaultfd: the ABI codecs against <linux/userfaultfd.h> (compiled with gcc), and the
// registration, fault/message and event logic of kernel-shim/uffd/ on a bare
// address space with a minimal scheduler; Machine.serviceFaults end to end.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Access, TLB_FAULT } from '../../kernel-shim/cpu-port.js';
import { PhysicalMemory } from '../../host/physmem.js';
import { Machine } from '../../emu/machine.js';
import * as U from '../../kernel-shim/abi/uffd.js';
import type { Kernel } from '../../kernel-shim/kernel.js';
import { AddressSpace } from '../../kernel-shim/mm/addrspace.js';
import { MAP_ANONYMOUS, MAP_PRIVATE, MAP_SHARED, PROT_READ, PROT_WRITE } from '../../kernel-shim/mm/constants.js';
import { FrameAllocator } from '../../kernel-shim/mm/frames.js';
import { mmap, munmap } from '../../kernel-shim/mm/mapping.js';
import { UffdCtx } from '../../kernel-shim/uffd/context.js';
import { resumeChain, startEventChain, unmapEvents } from '../../kernel-shim/uffd/events.js';
import { uffdUserFault } from '../../kernel-shim/uffd/fault.js';
import { uffdCopy, uffdFillRange, uffdWriteProtect } from '../../kernel-shim/uffd/fill.js';
import { serviceHostFaults } from '../../kernel-shim/uffd/host-service.js';
import { uffdApi, uffdRegister, uffdUnregister } from '../../kernel-shim/uffd/register.js';
import { UffdState, uffdSupportedFeatures } from '../../kernel-shim/uffd/state.js';
import type { Process } from '../../kernel-shim/process.js';
import type { Task } from '../../kernel-shim/task.js';
import type { Block } from '../../kernel-shim/wait.js';
import { argKinds } from '../../syscalls/strace-signature.js';
import { type GuestReader, formatSyscall } from '../../syscalls/strace.js';

const P = 4096;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;
const RW = PROT_READ | PROT_WRITE;

// ---------------------------------------------------------------- the ABI against gcc

const C_CHECK = String.raw`
#include <stdio.h>
#include <stddef.h>
#include <linux/ioctl.h>
#include <linux/userfaultfd.h>
#ifndef UFFDIO_POISON
struct uffdio_poison { struct uffdio_range range; __u64 mode; __s64 updated; };
#define UFFDIO_POISON _IOWR(UFFDIO, 0x08, struct uffdio_poison)
#endif
#ifndef UFFDIO_MOVE
struct uffdio_move { __u64 dst; __u64 src; __u64 len; __u64 mode; __s64 move; };
#define UFFDIO_MOVE _IOWR(UFFDIO, 0x05, struct uffdio_move)
#endif
#define S(t) printf("size %s %zu\n", #t, sizeof(struct t))
#define O(t, f, name) printf("off %s.%s %zu\n", #t, name, offsetof(struct t, f))
#define V(name) printf("val %s %llu\n", #name, (unsigned long long)(name))
int main(void) {
  S(uffdio_api); O(uffdio_api, api, "api"); O(uffdio_api, features, "features"); O(uffdio_api, ioctls, "ioctls");
  S(uffdio_range); O(uffdio_range, start, "start"); O(uffdio_range, len, "len");
  S(uffdio_register); O(uffdio_register, range.start, "start"); O(uffdio_register, range.len, "len"); O(uffdio_register, mode, "mode"); O(uffdio_register, ioctls, "ioctls");
  S(uffdio_copy); O(uffdio_copy, dst, "dst"); O(uffdio_copy, src, "src"); O(uffdio_copy, len, "len"); O(uffdio_copy, mode, "mode"); O(uffdio_copy, copy, "copy");
  S(uffdio_zeropage); O(uffdio_zeropage, range.start, "start"); O(uffdio_zeropage, range.len, "len"); O(uffdio_zeropage, mode, "mode"); O(uffdio_zeropage, zeropage, "zeropage");
  S(uffdio_writeprotect); O(uffdio_writeprotect, range.start, "start"); O(uffdio_writeprotect, range.len, "len"); O(uffdio_writeprotect, mode, "mode");
  S(uffdio_continue); O(uffdio_continue, range.start, "start"); O(uffdio_continue, range.len, "len"); O(uffdio_continue, mode, "mode"); O(uffdio_continue, mapped, "mapped");
  S(uffdio_poison); O(uffdio_poison, range.start, "start"); O(uffdio_poison, range.len, "len"); O(uffdio_poison, mode, "mode"); O(uffdio_poison, updated, "updated");
  S(uffdio_move); O(uffdio_move, dst, "dst"); O(uffdio_move, src, "src"); O(uffdio_move, len, "len"); O(uffdio_move, mode, "mode"); O(uffdio_move, move, "move");
  S(uffd_msg); O(uffd_msg, event, "event"); O(uffd_msg, reserved1, "reserved1"); O(uffd_msg, reserved2, "reserved2"); O(uffd_msg, reserved3, "reserved3");
  O(uffd_msg, arg.pagefault.flags, "pagefaultFlags"); O(uffd_msg, arg.pagefault.address, "pagefaultAddress"); O(uffd_msg, arg.pagefault.feat.ptid, "pagefaultPtid");
  O(uffd_msg, arg.fork.ufd, "forkUfd"); O(uffd_msg, arg.remap.from, "remapFrom"); O(uffd_msg, arg.remap.to, "remapTo"); O(uffd_msg, arg.remap.len, "remapLen");
  O(uffd_msg, arg.remove.start, "removeStart"); O(uffd_msg, arg.remove.end, "removeEnd");
  V(UFFD_API); V(UFFDIO_API); V(UFFDIO_REGISTER); V(UFFDIO_UNREGISTER); V(UFFDIO_WAKE); V(UFFDIO_COPY); V(UFFDIO_ZEROPAGE);
  V(UFFDIO_WRITEPROTECT); V(UFFDIO_CONTINUE); V(UFFDIO_POISON); V(UFFDIO_MOVE); V(USERFAULTFD_IOC_NEW);
  V(UFFD_API_IOCTLS); V(UFFD_EVENT_PAGEFAULT); V(UFFD_EVENT_FORK); V(UFFD_EVENT_REMAP); V(UFFD_EVENT_REMOVE); V(UFFD_EVENT_UNMAP);
  V(UFFD_PAGEFAULT_FLAG_WRITE); V(UFFD_PAGEFAULT_FLAG_WP); V(UFFD_PAGEFAULT_FLAG_MINOR);
  V(UFFD_FEATURE_PAGEFAULT_FLAG_WP); V(UFFD_FEATURE_EVENT_FORK); V(UFFD_FEATURE_EVENT_REMAP); V(UFFD_FEATURE_EVENT_REMOVE);
  V(UFFD_FEATURE_MISSING_HUGETLBFS); V(UFFD_FEATURE_MISSING_SHMEM); V(UFFD_FEATURE_EVENT_UNMAP); V(UFFD_FEATURE_SIGBUS);
  V(UFFD_FEATURE_THREAD_ID); V(UFFD_FEATURE_MINOR_HUGETLBFS); V(UFFD_FEATURE_MINOR_SHMEM); V(UFFD_FEATURE_EXACT_ADDRESS);
  V(UFFD_FEATURE_WP_HUGETLBFS_SHMEM);
  V(UFFDIO_REGISTER_MODE_MISSING); V(UFFDIO_REGISTER_MODE_WP); V(UFFDIO_REGISTER_MODE_MINOR);
  V(UFFDIO_COPY_MODE_DONTWAKE); V(UFFDIO_COPY_MODE_WP); V(UFFDIO_WRITEPROTECT_MODE_WP); V(UFFDIO_WRITEPROTECT_MODE_DONTWAKE);
  V(UFFDIO_CONTINUE_MODE_DONTWAKE);
  return 0;
}
`;

describe('userfaultfd ABI against <linux/userfaultfd.h>', function () {
  const got = new Map<string, string>();
  before(function () {
    const dir = mkdtempSync(join(tmpdir(), 'ushim-uffd-'));
    try {
      writeFileSync(join(dir, 'check.c'), C_CHECK);
      execFileSync('gcc', ['-Wall', '-Werror', '-o', join(dir, 'check'), join(dir, 'check.c')]);
      for (const line of execFileSync(join(dir, 'check'), { encoding: 'utf8' }).trimEnd().split('\n')) {
        const [what, key, value] = line.split(' ');
        got.set(`${what} ${key}`, value);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const structs: [string, number, Record<string, number>][] = [
    ['uffdio_api', U.UFFDIO_API_SIZE, U.UFFDIO_API_OFFSETS],
    ['uffdio_range', U.UFFDIO_RANGE_SIZE, U.UFFDIO_RANGE_OFFSETS],
    ['uffdio_register', U.UFFDIO_REGISTER_SIZE, U.UFFDIO_REGISTER_OFFSETS],
    ['uffdio_copy', U.UFFDIO_COPY_SIZE, U.UFFDIO_COPY_OFFSETS],
    ['uffdio_zeropage', U.UFFDIO_ZEROPAGE_SIZE, U.UFFDIO_ZEROPAGE_OFFSETS],
    ['uffdio_writeprotect', U.UFFDIO_WRITEPROTECT_SIZE, U.UFFDIO_WRITEPROTECT_OFFSETS],
    ['uffdio_continue', U.UFFDIO_CONTINUE_SIZE, U.UFFDIO_CONTINUE_OFFSETS],
    ['uffdio_poison', U.UFFDIO_POISON_SIZE, U.UFFDIO_POISON_OFFSETS],
    ['uffdio_move', U.UFFDIO_MOVE_SIZE, U.UFFDIO_MOVE_OFFSETS],
    ['uffd_msg', U.UFFD_MSG_SIZE, U.UFFD_MSG_OFFSETS],
  ];
  for (const [name, size, offsets] of structs) {
    it(`struct ${name}: size and offsets`, function () {
      assert.equal(Number(got.get(`size ${name}`)), size, 'sizeof');
      for (const [field, off] of Object.entries(offsets)) assert.equal(Number(got.get(`off ${name}.${field}`)), off, field);
    });
  }

  it('ioctl numbers, events, flags, features and modes', function () {
    const ours: Record<string, number | bigint> = {
      UFFD_API: U.UFFD_API, UFFDIO_API: U.UFFDIO_API, UFFDIO_REGISTER: U.UFFDIO_REGISTER, UFFDIO_UNREGISTER: U.UFFDIO_UNREGISTER,
      UFFDIO_WAKE: U.UFFDIO_WAKE, UFFDIO_COPY: U.UFFDIO_COPY, UFFDIO_ZEROPAGE: U.UFFDIO_ZEROPAGE,
      UFFDIO_WRITEPROTECT: U.UFFDIO_WRITEPROTECT, UFFDIO_CONTINUE: U.UFFDIO_CONTINUE, UFFDIO_POISON: U.UFFDIO_POISON,
      UFFDIO_MOVE: U.UFFDIO_MOVE, USERFAULTFD_IOC_NEW: U.USERFAULTFD_IOC_NEW, UFFD_API_IOCTLS: U.UFFD_API_IOCTLS,
      UFFD_EVENT_PAGEFAULT: U.UFFD_EVENT_PAGEFAULT, UFFD_EVENT_FORK: U.UFFD_EVENT_FORK, UFFD_EVENT_REMAP: U.UFFD_EVENT_REMAP,
      UFFD_EVENT_REMOVE: U.UFFD_EVENT_REMOVE, UFFD_EVENT_UNMAP: U.UFFD_EVENT_UNMAP,
      UFFD_PAGEFAULT_FLAG_WRITE: U.UFFD_PAGEFAULT_FLAG_WRITE, UFFD_PAGEFAULT_FLAG_WP: U.UFFD_PAGEFAULT_FLAG_WP,
      UFFD_PAGEFAULT_FLAG_MINOR: U.UFFD_PAGEFAULT_FLAG_MINOR,
      UFFD_FEATURE_PAGEFAULT_FLAG_WP: U.UFFD_FEATURE_PAGEFAULT_FLAG_WP, UFFD_FEATURE_EVENT_FORK: U.UFFD_FEATURE_EVENT_FORK,
      UFFD_FEATURE_EVENT_REMAP: U.UFFD_FEATURE_EVENT_REMAP, UFFD_FEATURE_EVENT_REMOVE: U.UFFD_FEATURE_EVENT_REMOVE,
      UFFD_FEATURE_MISSING_HUGETLBFS: U.UFFD_FEATURE_MISSING_HUGETLBFS, UFFD_FEATURE_MISSING_SHMEM: U.UFFD_FEATURE_MISSING_SHMEM,
      UFFD_FEATURE_EVENT_UNMAP: U.UFFD_FEATURE_EVENT_UNMAP, UFFD_FEATURE_SIGBUS: U.UFFD_FEATURE_SIGBUS,
      UFFD_FEATURE_THREAD_ID: U.UFFD_FEATURE_THREAD_ID, UFFD_FEATURE_MINOR_HUGETLBFS: U.UFFD_FEATURE_MINOR_HUGETLBFS,
      UFFD_FEATURE_MINOR_SHMEM: U.UFFD_FEATURE_MINOR_SHMEM, UFFD_FEATURE_EXACT_ADDRESS: U.UFFD_FEATURE_EXACT_ADDRESS,
      UFFD_FEATURE_WP_HUGETLBFS_SHMEM: U.UFFD_FEATURE_WP_HUGETLBFS_SHMEM,
      UFFDIO_REGISTER_MODE_MISSING: U.UFFDIO_REGISTER_MODE_MISSING, UFFDIO_REGISTER_MODE_WP: U.UFFDIO_REGISTER_MODE_WP,
      UFFDIO_REGISTER_MODE_MINOR: U.UFFDIO_REGISTER_MODE_MINOR, UFFDIO_COPY_MODE_DONTWAKE: U.UFFDIO_COPY_MODE_DONTWAKE,
      UFFDIO_COPY_MODE_WP: U.UFFDIO_COPY_MODE_WP, UFFDIO_WRITEPROTECT_MODE_WP: U.UFFDIO_WRITEPROTECT_MODE_WP,
      UFFDIO_WRITEPROTECT_MODE_DONTWAKE: U.UFFDIO_WRITEPROTECT_MODE_DONTWAKE, UFFDIO_CONTINUE_MODE_DONTWAKE: U.UFFDIO_CONTINUE_MODE_DONTWAKE,
    };
    for (const [name, value] of Object.entries(ours)) assert.equal(got.get(`val ${name}`), BigInt(value).toString(), name);
    assert.equal(U.UFFD_API_RANGE_IOCTLS, 0x1fcn);
  });
});

describe('uffd_msg codec', function () {
  const cases: U.UffdMsg[] = [
    { event: U.UFFD_EVENT_PAGEFAULT, flags: U.UFFD_PAGEFAULT_FLAG_WRITE | U.UFFD_PAGEFAULT_FLAG_WP, address: 0x7fff12345000n, ptid: 4242 },
    { event: U.UFFD_EVENT_FORK, ufd: 7 },
    { event: U.UFFD_EVENT_REMAP, from: 0x1000n, to: 0x200000n, len: 0x3000n },
    { event: U.UFFD_EVENT_REMOVE, start: 0x5000n, end: 0x9000n },
    { event: U.UFFD_EVENT_UNMAP, start: 0x5000n, end: 0x9000n },
  ];
  for (const msg of cases) {
    it(`round trip of event ${msg.event.toString(16)}, unused bytes zero`, function () {
      const bytes = new Uint8Array(U.UFFD_MSG_SIZE).fill(0xee);
      const view = new DataView(bytes.buffer);
      U.encodeUffdMsg(view, 0, msg);
      assert.deepEqual(U.decodeUffdMsg(view, 0), msg);
      assert.deepEqual([...bytes.subarray(1, 8)], [0, 0, 0, 0, 0, 0, 0], 'reserved bytes');
      if (msg.event === U.UFFD_EVENT_FORK) assert.ok(bytes.subarray(12).every((b) => b === 0));
    });
  }
});

// ---------------------------------------------------------------- the core on a bare address space

interface World {
  k: Kernel;
  mm: AddressSpace;
  proc: Process;
  task(tid: number): Task;
}

/** An address space, a process around it and a kernel that only parks and wakes. */
function world(): World {
  // Fresh guest RAM for each world: frames handed out for the first time are zero.
  const mm = new AddressSpace(new FrameAllocator(new PhysicalMemory(16 << 20)), { pgfault: 0, spfAttempt: 0, spfAbort: 0 });
  mm.mmapBase = 0x7ffff7fff000;
  const k = {
    current: undefined,
    uffd: new UffdState(),
    park(t: Task, b: Block) {
      t.state = 'blocked';
      t.wait = b;
      for (const q of b.queues) q.add(t);
    },
    wake(t: Task) {
      if (t.state !== 'blocked') return;
      for (const q of t.wait!.queues) q.remove(t);
      t.state = 'runnable';
    },
  } as unknown as Kernel;
  const noSignals = { add() {}, next: () => 0 };
  const proc = { exited: false, mm, uid: 0, pending: noSignals } as unknown as Process;
  const task = (tid: number) =>
    ({ tid, process: proc, kernel: k, state: 'runnable', wait: null, pending: noSignals, signalMask: 0n }) as unknown as Task;
  return { k, mm, proc, task };
}

function anon(mm: AddressSpace, pages: number): number {
  return mmap(mm, { addr: 0, length: pages * P, prot: RW, flags: ANON, offset: 0 });
}

function ctxOf(w: World, features = 0): UffdCtx {
  const ctx = new UffdCtx(w.k, w.proc, w.mm, 0x800);
  assert.equal(uffdApi(ctx, 0xaan, BigInt(features), 0), 0);
  return ctx;
}

describe('userfaultfd registration', function () {
  it('UFFDIO_API: exact feature negotiation, only once', function () {
    const w = world();
    const ctx = new UffdCtx(w.k, w.proc, w.mm, 0);
    assert.equal(uffdApi(ctx, 0xabn, 0n, 0), -22);
    assert.equal(uffdApi(ctx, 0xaan, BigInt(U.UFFD_FEATURE_WP_ASYNC), 0), -22, 'not implemented: refused');
    assert.equal(uffdApi(ctx, 0xaan, BigInt(U.UFFD_FEATURE_EVENT_FORK), 1000), -1, 'EVENT_FORK needs CAP_SYS_PTRACE');
    assert.equal(uffdApi(ctx, 0xaan, BigInt(U.UFFD_FEATURE_THREAD_ID), 0), 0);
    assert.equal(ctx.features, U.UFFD_FEATURE_THREAD_ID);
    assert.equal(uffdApi(ctx, 0xaan, 0n, 0), -22, 'second UFFDIO_API');
    const f = uffdSupportedFeatures();
    for (const bit of [U.UFFD_FEATURE_WP_UNPOPULATED, U.UFFD_FEATURE_WP_ASYNC]) assert.equal(f & bit, 0, `bit ${bit} not offered`);
    for (const bit of [U.UFFD_FEATURE_MISSING_HUGETLBFS, U.UFFD_FEATURE_MINOR_HUGETLBFS, U.UFFD_FEATURE_WP_HUGETLBFS_SHMEM]) {
      assert.equal(f & bit, bit, `hugetlb bit ${bit} offered`);
    }
  });

  it('splits areas at the range, merges them back on unregister, reports the ioctls', function () {
    const w = world();
    const a = anon(w.mm, 8);
    const ctx = ctxOf(w);
    assert.equal(uffdRegister(ctx, BigInt(a + P), BigInt(2 * P), 1n), 0x13cn);
    assert.equal(w.mm.areas.items.length, 3);
    assert.equal(w.mm.areas.find(a + P)!.uffd, ctx);
    assert.equal(w.mm.areas.find(a)!.uffd, undefined);
    assert.equal(uffdRegister(ctx, BigInt(a + 2 * P), BigInt(2 * P), 3n), 0x17cn, 'WP adds WRITEPROTECT');
    assert.equal(w.mm.areas.items.length, 4);
    const other = ctxOf(w);
    assert.equal(uffdRegister(other, BigInt(a), BigInt(2 * P), 1n), -16, 'EBUSY');
    assert.equal(uffdRegister(ctx, BigInt(a), BigInt(P), 0n), -22, 'mode 0');
    assert.equal(uffdRegister(ctx, BigInt(a), BigInt(P), 4n), -22, 'MINOR on anonymous memory');
    assert.equal(uffdRegister(ctx, BigInt(a + 1), BigInt(P), 1n), -22, 'unaligned');
    assert.equal(uffdUnregister(ctx, BigInt(a), BigInt(8 * P)), 0);
    assert.equal(w.mm.areas.items.length, 1, 'merged again');
  });

  it('MINOR only on shmem; registration survives a split by mprotect-like slicing', function () {
    const w = world();
    const s = mmap(w.mm, { addr: 0, length: 4 * P, prot: RW, flags: MAP_SHARED | MAP_ANONYMOUS, offset: 0 });
    const ctx = ctxOf(w);
    assert.equal(uffdRegister(ctx, BigInt(s), BigInt(4 * P), 4n), 0x1bcn);
    w.mm.areas.splitAt(s + P);
    assert.equal(w.mm.areas.find(s + 2 * P)!.uffd, ctx, 'a split keeps the registration');
  });
});

describe('userfaultfd faults and messages', function () {
  it('a missing page faults, queues one message, parks the task; COPY maps it and wakes', function () {
    const w = world();
    const a = anon(w.mm, 4);
    const ctx = ctxOf(w, U.UFFD_FEATURE_THREAD_ID);
    uffdRegister(ctx, BigInt(a), BigInt(4 * P), 1n);
    assert.equal(w.mm.fill(a + P, Access.Write), TLB_FAULT);
    const t = w.task(77);
    assert.ok(uffdUserFault(w.k, t, a + P, Access.Write));
    assert.equal(t.state, 'blocked');
    assert.ok(ctx.hasUnread());
    const msg = ctx.takeMessage(() => -1);
    assert.deepEqual(msg, { event: U.UFFD_EVENT_PAGEFAULT, flags: U.UFFD_PAGEFAULT_FLAG_WRITE, address: BigInt(a + P), ptid: 77 });
    assert.equal(ctx.takeMessage(() => -1), null, 'a message is returned once');
    assert.ok(!ctx.hasUnread());
    // the source: a page of another mapping, filled with 0x5a
    const src = anon(w.mm, 1);
    w.mm.write(src, new Uint8Array(P).fill(0x5a));
    const r = uffdCopy(ctx, w.mm, { dst: BigInt(a + P), src: BigInt(src), len: BigInt(P), mode: 0n });
    assert.deepEqual(r, { field: P, ret: 0 });
    assert.equal(t.state, 'runnable', 'woken');
    assert.notEqual(w.mm.fill(a + P, Access.Write), TLB_FAULT);
    assert.equal(w.mm.read(a + P + 10, 1)![0], 0x5a);
    assert.deepEqual(uffdCopy(ctx, w.mm, { dst: BigInt(a + P), src: BigInt(src), len: BigInt(P), mode: 0n }), { field: -17, ret: -17 });
    assert.deepEqual(uffdFillRange(ctx, 'zeropage', BigInt(a), BigInt(2 * P), 0n), { field: P, ret: -11 }, 'partial: EAGAIN');
    assert.equal(w.k.uffd.stats.missing >= 1, true);
  });

  it('write protection: faults WRITE|WP, survives, and clearing wakes', function () {
    const w = world();
    const a = anon(w.mm, 2);
    w.mm.write(a, new Uint8Array([1]));
    const ctx = ctxOf(w, U.UFFD_FEATURE_PAGEFAULT_FLAG_WP);
    uffdRegister(ctx, BigInt(a), BigInt(2 * P), 2n);
    assert.equal(uffdWriteProtect(ctx, BigInt(a), BigInt(2 * P), 1n), 0);
    assert.notEqual(w.mm.fill(a, Access.Read), TLB_FAULT, 'reads do not fault');
    assert.equal(w.mm.fill(a, Access.Write), TLB_FAULT);
    const t = w.task(5);
    assert.ok(uffdUserFault(w.k, t, a, Access.Write));
    const msg = ctx.takeMessage(() => -1) as { flags: number };
    assert.equal(msg.flags, U.UFFD_PAGEFAULT_FLAG_WRITE | U.UFFD_PAGEFAULT_FLAG_WP);
    assert.equal(uffdWriteProtect(ctx, BigInt(a), BigInt(P), 3n), -22, 'WP|DONTWAKE');
    assert.equal(uffdWriteProtect(ctx, BigInt(a), BigInt(P), 0n), 0);
    assert.equal(t.state, 'runnable');
    assert.notEqual(w.mm.fill(a, Access.Write), TLB_FAULT);
  });

  it('closing the uffd unregisters everything and releases parked tasks', function () {
    const w = world();
    const a = anon(w.mm, 1);
    const ctx = ctxOf(w);
    uffdRegister(ctx, BigInt(a), BigInt(P), 1n);
    w.mm.fill(a, Access.Read);
    const t = w.task(9);
    uffdUserFault(w.k, t, a, Access.Read);
    ctx.release();
    assert.equal(t.state, 'runnable');
    assert.notEqual(w.mm.fill(a, Access.Read), TLB_FAULT, 'now an ordinary zero page');
  });

  it('UNMAP events: one per context over the whole range; the task waits until read', function () {
    const w = world();
    const a = anon(w.mm, 4);
    const ctx = ctxOf(w, U.UFFD_FEATURE_EVENT_UNMAP);
    uffdRegister(ctx, BigInt(a + P), BigInt(P), 1n);
    const events = unmapEvents(w.mm, a, a + 4 * P);
    assert.equal(events.length, 1);
    assert.equal(ctx.changing, 1, 'resolving ioctls now see EAGAIN');
    munmap(w.mm, a, 4 * P);
    const t = w.task(3);
    const b = startEventChain(t, events, 0);
    assert.equal(typeof b, 'object', 'a Block');
    w.k.park(t, b as Block);
    assert.equal(resumeChain(t) !== undefined && typeof resumeChain(t), 'object', 'still waiting');
    assert.deepEqual(ctx.takeMessage(() => -1), { event: U.UFFD_EVENT_UNMAP, start: BigInt(a), end: BigInt(a + 4 * P) });
    assert.equal(ctx.changing, 0);
    assert.equal(t.state, 'runnable');
    assert.equal(resumeChain(t), 0, "the call's result");
  });

  it('host-serviced ranges supply pages on first touch', function () {
    const w = world();
    const a = anon(w.mm, 4);
    const seen: number[] = [];
    const svc = serviceHostFaults(w.k, w.mm, a, 4 * P, (page) => {
      seen.push(page);
      return new Uint8Array([page / P & 0xff, 2, 3]);
    });
    assert.deepEqual([...w.mm.read(a + P, 4)!], [((a + P) / P) & 0xff, 2, 3, 0]);
    assert.deepEqual([...w.mm.read(a + P, 1)!], [((a + P) / P) & 0xff]);
    assert.equal(svc.faults, 1);
    assert.deepEqual(seen, [a + P]);
    svc.close();
    assert.deepEqual([...w.mm.read(a, 1)!], [0], 'closed: ordinary memory');
  });
});

describe('Machine.serviceFaults', function () {
  it('supplies the pages a guest maps and touches, also through read()', function () {
    const dir = mkdtempSync(join(tmpdir(), 'ushim-uffd-host-'));
    try {
      const src = join(dir, 'guest.c');
      const exe = join(dir, 'guest');
      writeFileSync(src, String.raw`
#include <sys/mman.h>
#include <unistd.h>
int main(void) {
  unsigned char *p = mmap((void *)0x200000000UL, 8 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (p != (void *)0x200000000UL) return 100;
  unsigned sum = 0;
  for (int i = 0; i < 8; i++) sum += p[i * 4096 + 1];
  int fds[2];
  pipe(fds);
  write(fds[1], p + 3 * 4096, 2);      /* the page is present by now */
  unsigned char b[2];
  read(fds[0], b, 2);
  return sum == 8 * 0x11 && b[0] == 3 && b[1] == 0x11 ? 0 : 1;
}`);
      execFileSync('gcc', ['-static', '-O2', '-o', exe, src]);
      const m = new Machine({ root: '/', deterministic: true });
      m.load({ program: exe, argv: [exe], env: [] });
      const svc = m.serviceFaults(0x200000000, 8 * P, (page) => new Uint8Array([(page - 0x200000000) / P, 0x11]));
      const status = m.run();
      assert.equal(status.code, 0);
      assert.equal(svc.faults, 8);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('--strace of the userfaultfd calls', function () {
  const mem = (addr: bigint, words: bigint[]): GuestReader => ({
    readCString: () => null,
    readBytes(a: bigint, len: number) {
      if (a !== addr || len > words.length * 8) return null;
      const b = new Uint8Array(words.length * 8);
      words.forEach((w, i) => new DataView(b.buffer).setBigUint64(8 * i, BigInt.asUintN(64, w), true));
      return b.subarray(0, len);
    },
  });
  const line = (name: string, args: bigint[], result: bigint, m: GuestReader) => formatSyscall(name, argKinds(name, args), args, result, m);
  const A = 0x7f0000001000n;

  it('userfaultfd flags', function () {
    assert.equal(line('userfaultfd', [0x80800n], 3n, mem(0n, [])), 'userfaultfd(O_NONBLOCK|O_CLOEXEC)       = 3');
    assert.equal(line('userfaultfd', [1n], 3n, mem(0n, [])), 'userfaultfd(UFFD_USER_MODE_ONLY)        = 3');
  });

  it('UFFDIO_API, REGISTER, COPY, ZEROPAGE, WAKE, WRITEPROTECT', function () {
    assert.equal(line('ioctl', [3n, BigInt(U.UFFDIO_API), A], 0n, mem(A, [0xaan, 0x100n, U.UFFD_API_IOCTLS])),
      'ioctl(3, UFFDIO_API, {api=0xaa, features=UFFD_FEATURE_THREAD_ID, ioctls=1<<_UFFDIO_REGISTER|1<<_UFFDIO_UNREGISTER|1<<_UFFDIO_API}) = 0');
    assert.equal(line('ioctl', [3n, BigInt(U.UFFDIO_REGISTER), A], 0n, mem(A, [0x7f0000000000n, 0x4000n, 1n, 0x13cn])),
      'ioctl(3, UFFDIO_REGISTER, {range={start=0x7f0000000000, len=0x4000}, mode=UFFDIO_REGISTER_MODE_MISSING, ' +
      'ioctls=1<<_UFFDIO_WAKE|1<<_UFFDIO_COPY|1<<_UFFDIO_ZEROPAGE|1<<_UFFDIO_MOVE|1<<_UFFDIO_POISON}) = 0');
    assert.equal(line('ioctl', [3n, BigInt(U.UFFDIO_COPY), A], 0n, mem(A, [0x7f0000000000n, 0x400000n, 0x1000n, 1n, 4096n])),
      'ioctl(3, UFFDIO_COPY, {dst=0x7f0000000000, src=0x400000, len=0x1000, mode=UFFDIO_COPY_MODE_DONTWAKE, copy=4096}) = 0');
    assert.equal(line('ioctl', [3n, BigInt(U.UFFDIO_COPY), A], -17n, mem(A, [0x7f0000000000n, 0x400000n, 0x1000n, 0n, -17n])),
      'ioctl(3, UFFDIO_COPY, {dst=0x7f0000000000, src=0x400000, len=0x1000, mode=0}) = -1 EEXIST (File exists)');
    assert.equal(line('ioctl', [3n, BigInt(U.UFFDIO_ZEROPAGE), A], 0n, mem(A, [0x7f0000000000n, 0x1000n, 0n, 4096n])),
      'ioctl(3, UFFDIO_ZEROPAGE, {range={start=0x7f0000000000, len=0x1000}, mode=0, zeropage=4096}) = 0');
    assert.equal(line('ioctl', [3n, BigInt(U.UFFDIO_WAKE), A], 0n, mem(A, [0x7f0000000000n, 0x1000n])),
      'ioctl(3, UFFDIO_WAKE, {start=0x7f0000000000, len=0x1000}) = 0');
    assert.equal(line('ioctl', [3n, BigInt(U.UFFDIO_WRITEPROTECT), A], 0n, mem(A, [0x7f0000000000n, 0x1000n, 1n])),
      'ioctl(3, UFFDIO_WRITEPROTECT, {range={start=0x7f0000000000, len=0x1000}, mode=UFFDIO_WRITEPROTECT_MODE_WP}) = 0');
    assert.equal(line('ioctl', [3n, BigInt(U.UFFDIO_CONTINUE), 0n], -14n, mem(A, [])),
      'ioctl(3, UFFDIO_CONTINUE, NULL)         = -1 EFAULT (Bad address)');
    assert.equal(line('ioctl', [4n, BigInt(U.USERFAULTFD_IOC_NEW), 0x80000n], 5n, mem(A, [])),
      'ioctl(4, USERFAULTFD_IOC_NEW, O_CLOEXEC) = 5');
  });
});
