import assert from 'node:assert/strict';
import { Access, TLB_FAULT } from '../../kernel-shim/cpu-port.js';
import { PhysicalMemory } from '../../host/physmem.js';
import { AddressSpace } from '../../kernel-shim/mm/addrspace.js';
import {
  MADV_DONTNEED, MAP_ANONYMOUS, MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_GROWSDOWN, MAP_PRIVATE, MAP_SHARED, MREMAP_DONTUNMAP, MREMAP_MAYMOVE,
  PROT_EXEC, PROT_NONE, PROT_READ, PROT_WRITE,
} from '../../kernel-shim/mm/constants.js';
import { FrameAllocator } from '../../kernel-shim/mm/frames.js';
import { brk, madvise, mmap, mprotect, mremap, munmap } from '../../kernel-shim/mm/mapping.js';
import { PageTable } from '../../kernel-shim/mm/pagetable.js';
import { accessOk, userPrefix } from '../../kernel-shim/mm/uaccess.js';

const P = 4096;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;
const memory = new PhysicalMemory(64 << 20);

function space(): AddressSpace {
  const mm = new AddressSpace(new FrameAllocator(memory), { pgfault: 0, spfAttempt: 0, spfAbort: 0 });
  mm.mmapBase = 0x7ffff7fff000;
  return mm;
}

describe('page table', () => {
  it('stores and clears entries across leaves, and visits present entries in order', () => {
    const pt = new PageTable();
    pt.set(5, 0x123);
    pt.set(2 ** 35 - 1, 0x456);
    pt.set(513, 0x789);
    assert.equal(pt.get(5), 0x123);
    assert.equal(pt.get(2 ** 35 - 1), 0x456);
    assert.equal(pt.get(6), 0);
    const seen: number[] = [];
    pt.forEachPresent(0, 2 ** 35, (vpn) => seen.push(vpn));
    assert.deepEqual(seen, [5, 513, 2 ** 35 - 1]);
  });
});

describe('mmap and the fault path', () => {
  it('places anonymous mappings top-down below mmap_base and merges neighbours', () => {
    const mm = space();
    const a = mmap(mm, { addr: 0, length: 2 * P, prot: PROT_READ | PROT_WRITE, flags: ANON, offset: 0 });
    const b = mmap(mm, { addr: 0, length: P, prot: PROT_READ | PROT_WRITE, flags: ANON, offset: 0 });
    assert.equal(a, 0x7ffff7fff000 - 2 * P);
    assert.equal(b, a - P);
    assert.equal(mm.areas.items.length, 1, 'adjacent anonymous areas with equal protection merge');
  });

  it('demand-zero: first touch allocates a zeroed frame, counted as pgfault', () => {
    const mm = space();
    const a = mmap(mm, { addr: 0, length: P, prot: PROT_READ | PROT_WRITE, flags: ANON, offset: 0 });
    assert.ok(mm.write(a + 10, new Uint8Array([1, 2, 3])));
    assert.deepEqual([...mm.read(a + 9, 5)!], [0, 1, 2, 3, 0]);
    assert.equal(mm.stats.pgfault, 1);
  });

  it('enforces protections: read-only refuses writes, PROT_NONE refuses everything, exec needs PROT_EXEC', () => {
    const mm = space();
    const ro = mmap(mm, { addr: 0, length: P, prot: PROT_READ, flags: ANON, offset: 0 });
    assert.notEqual(mm.fill(ro, Access.Read), TLB_FAULT);
    assert.equal(mm.fill(ro, Access.Write), TLB_FAULT);
    assert.equal(mm.fill(ro, Access.Fetch), TLB_FAULT);
    const none = mmap(mm, { addr: 0, length: P, prot: PROT_NONE, flags: ANON, offset: 0 });
    assert.equal(mm.fill(none, Access.Read), TLB_FAULT);
    const rx = mmap(mm, { addr: 0, length: P, prot: PROT_READ | PROT_EXEC, flags: ANON, offset: 0 });
    assert.notEqual(mm.fill(rx, Access.Fetch), TLB_FAULT);
    assert.equal(mm.fill(0x1000, Access.Read), TLB_FAULT, 'unmapped');
  });

  it('MAP_FIXED replaces, MAP_FIXED_NOREPLACE refuses with EEXIST, hints are honoured when free', () => {
    const mm = space();
    const at = 0x10000000;
    assert.equal(mmap(mm, { addr: at, length: 4 * P, prot: PROT_READ, flags: ANON | MAP_FIXED, offset: 0 }), at);
    assert.equal(mmap(mm, { addr: at + P, length: P, prot: PROT_READ, flags: ANON | MAP_FIXED_NOREPLACE, offset: 0 }), -17);
    assert.equal(mmap(mm, { addr: at + P, length: P, prot: PROT_READ | PROT_WRITE, flags: ANON | MAP_FIXED, offset: 0 }), at + P);
    assert.equal(mm.areas.items.length, 3);
    assert.equal(mmap(mm, { addr: 0x20000000, length: P, prot: PROT_READ, flags: ANON, offset: 0 }), 0x20000000);
  });

  it('rejects bad arguments with Linux errnos', () => {
    const mm = space();
    assert.equal(mmap(mm, { addr: 0, length: 0, prot: PROT_READ, flags: ANON, offset: 0 }), -22);
    assert.equal(mmap(mm, { addr: 0, length: P, prot: PROT_READ, flags: MAP_ANONYMOUS, offset: 0 }), -22, 'no type');
    assert.equal(mmap(mm, { addr: 0x10001, length: P, prot: PROT_READ, flags: ANON | MAP_FIXED, offset: 0 }), -22);
    assert.equal(munmap(mm, 0x10001, P), -22);
    assert.equal(munmap(mm, 0x10000, 0), -22);
    assert.equal(mprotect(mm, 0x30000000, P, PROT_READ), -12, 'unmapped range');
  });

  it('munmap punches holes and frees frames; the next touch faults', () => {
    const mm = space();
    const a = mmap(mm, { addr: 0, length: 3 * P, prot: PROT_READ | PROT_WRITE, flags: ANON, offset: 0 });
    mm.write(a, new Uint8Array(3 * P).fill(7));
    const before = mm.frames.inUse;
    assert.equal(munmap(mm, a + P, P), 0);
    assert.equal(mm.frames.inUse, before - 1);
    assert.equal(mm.areas.items.length, 2);
    assert.equal(mm.fill(a + P, Access.Read), TLB_FAULT);
    assert.equal(mm.read(a + 2 * P, 1)![0], 7);
  });

  it('mprotect splits areas, rewrites entries and merges back', () => {
    const mm = space();
    const a = mmap(mm, { addr: 0, length: 3 * P, prot: PROT_READ | PROT_WRITE, flags: ANON, offset: 0 });
    mm.write(a + P, new Uint8Array([9]));
    assert.equal(mprotect(mm, a + P, P, PROT_READ), 0);
    assert.equal(mm.areas.items.length, 3);
    assert.equal(mm.fill(a + P, Access.Write), TLB_FAULT);
    assert.equal(mm.read(a + P, 1)![0], 9);
    assert.equal(mprotect(mm, a + P, P, PROT_READ | PROT_WRITE), 0);
    assert.equal(mm.areas.items.length, 1);
  });

  it('madvise(DONTNEED) zero-fills private anonymous memory', () => {
    const mm = space();
    const a = mmap(mm, { addr: 0, length: P, prot: PROT_READ | PROT_WRITE, flags: ANON, offset: 0 });
    mm.write(a, new Uint8Array([5]));
    assert.equal(madvise(mm, a, P, MADV_DONTNEED), 0);
    assert.equal(mm.read(a, 1)![0], 0);
    assert.equal(madvise(mm, a, P, 12345), -22);
  });

  it('MAP_SHARED anonymous pages are one frame for every alias after mremap', () => {
    const mm = space();
    const a = mmap(mm, { addr: 0, length: P, prot: PROT_READ | PROT_WRITE, flags: MAP_SHARED | MAP_ANONYMOUS, offset: 0 });
    mm.write(a, new Uint8Array([42]));
    const moved = mremap(mm, a, P, 2 * P, MREMAP_MAYMOVE, 0);
    assert.ok(moved > 0);
    assert.equal(mm.read(moved, 1)![0], 42);
  });

  it('mremap grows in place when free, moves with MAYMOVE keeping contents, fails with ENOMEM otherwise', () => {
    const mm = space();
    const at = 0x10000000;
    mmap(mm, { addr: at, length: P, prot: PROT_READ | PROT_WRITE, flags: ANON | MAP_FIXED, offset: 0 });
    mm.write(at, new Uint8Array([1]));
    assert.equal(mremap(mm, at, P, 2 * P, 0, 0), at);
    mmap(mm, { addr: at + 2 * P, length: P, prot: PROT_READ, flags: ANON | MAP_FIXED, offset: 0 });
    assert.equal(mremap(mm, at, 2 * P, 4 * P, 0, 0), -12);
    const moved = mremap(mm, at, 2 * P, 4 * P, MREMAP_MAYMOVE, 0);
    assert.notEqual(moved, at);
    assert.equal(mm.read(moved, 1)![0], 1);
    assert.equal(mm.fill(at, Access.Read), TLB_FAULT);
    assert.equal(mremap(mm, 0x50000000, P, 2 * P, 0, 0), -14);
  });

  it('brk grows and shrinks the heap and returns the old break when it cannot move', () => {
    const mm = space();
    mm.brkStart = mm.brk = 0x600000;
    assert.equal(brk(mm, 0), 0x600000);
    assert.equal(brk(mm, 0x600000 + 3 * P + 1), 0x600000 + 3 * P + 1);
    assert.ok(mm.write(0x600000 + 3 * P, new Uint8Array([1])));
    assert.equal(brk(mm, 0x600000 + P), 0x600000 + P);
    assert.equal(mm.fill(0x600000 + 2 * P, Access.Read), TLB_FAULT);
    mmap(mm, { addr: 0x600000 + 4 * P, length: P, prot: PROT_READ, flags: ANON | MAP_FIXED, offset: 0 });
    assert.equal(brk(mm, 0x600000 + 8 * P), 0x600000 + P, 'collision leaves the break where it was');
    assert.match(mm.maps(), /\[heap\]/);
  });

  it('brk keeps a free page below the next mapping and refuses more than RAM or RLIMIT_DATA', () => {
    const mm = space();
    mm.brkStart = mm.brk = 0x600000;
    mmap(mm, { addr: 0x600000 + 16 * P, length: P, prot: PROT_READ, flags: ANON | MAP_FIXED, offset: 0 });
    assert.equal(brk(mm, 0x600000 + 16 * P), 0x600000, 'right up to the mapping');
    assert.equal(brk(mm, 0x600000 + 15 * P), 0x600000 + 15 * P, 'one page below it');
    munmap(mm, 0x600000 + 16 * P, P);
    assert.equal(brk(mm, 0x600000 + 2 ** 45), 0x600000 + 15 * P, 'larger than guest RAM');
    assert.equal(brk(mm, 0x600000 + 20 * P, 18 * P), 0x600000 + 15 * P, 'over RLIMIT_DATA');
    munmap(mm, 0x600000, 15 * P);
    assert.equal(brk(mm, 0x600000 + P), 0x600000 + 15 * P, 'nothing to shrink');
  });

  it('mmap lengths too large for the address space are ENOMEM; DONTUNMAP never resizes', () => {
    const mm = space();
    assert.equal(mmap(mm, { addr: 0, length: 2 ** 64 - 2048, prot: PROT_READ, flags: ANON, offset: 0 }), -12);
    assert.equal(mmap(mm, { addr: 0, length: 2 ** 62, prot: PROT_READ, flags: ANON, offset: 0 }), -12);
    const a = mmap(mm, { addr: 0, length: 2 * P, prot: PROT_READ, flags: ANON, offset: 0 });
    assert.equal(mremap(mm, a, 2 * P, 3 * P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0), -22);
  });

  it('userPrefix stops at the first page that is unmapped or lacks the permission', () => {
    const mm = space();
    const a = mmap(mm, { addr: 0, length: 4 * P, prot: PROT_READ | PROT_WRITE, flags: ANON, offset: 0 });
    munmap(mm, a + 2 * P, P);
    mprotect(mm, a + P, P, PROT_READ);
    assert.equal(userPrefix(mm, a + 10, 4 * P, false), 2 * P - 10);
    assert.equal(userPrefix(mm, a + 10, 4 * P, true), P - 10);
    assert.equal(userPrefix(mm, a + 2 * P, 10, false), 0);
    assert.equal(userPrefix(mm, a, 100, true), 100);
    assert.ok(!accessOk(2 ** 47 - 10, 20));
    assert.ok(accessOk(0, 0));
  });

  it('a frame seen through a write alias and an exec alias flushes the TLB when use flips', () => {
    const mm = space();
    let flushes = 0;
    mm.listener = { invalidate: () => flushes++ };
    const rw = mmap(mm, { addr: 0, length: P, prot: PROT_READ | PROT_WRITE, flags: MAP_SHARED | MAP_ANONYMOUS, offset: 0 });
    const rx = mremap(mm, rw, 0, P, MREMAP_MAYMOVE, 0);
    mprotect(mm, rx, P, PROT_READ | PROT_EXEC);
    mm.fill(rw, Access.Write);
    mm.fill(rw, Access.Write);
    assert.equal(flushes, 0, 'one kind of alias so far');
    mm.fill(rx, Access.Fetch);
    assert.equal(flushes, 1);
    mm.fill(rx, Access.Fetch);
    assert.equal(flushes, 1, 'same kind again');
    mm.fill(rw, Access.Read);
    assert.equal(flushes, 2, 'a read fill caches the writable entry too');
  });

  it('a MAP_GROWSDOWN area grows on a fault just below it', () => {
    const mm = space();
    const top = 0x70000000;
    mmap(mm, { addr: top - P, length: P, prot: PROT_READ | PROT_WRITE, flags: ANON | MAP_FIXED | MAP_GROWSDOWN, offset: 0 });
    assert.ok(mm.write(top - 3 * P, new Uint8Array([1])));
    assert.equal(mm.areas.items[0].start, top - 3 * P);
  });

  it('writes /proc/self/maps lines in Linux format', () => {
    const mm = space();
    mmap(mm, { addr: 0x400000, length: P, prot: PROT_READ | PROT_EXEC, flags: ANON | MAP_FIXED, offset: 0, name: '[stack]' });
    mmap(mm, { addr: 0x500000, length: P, prot: PROT_READ | PROT_WRITE, flags: MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, offset: 0 });
    const lines = mm.maps().split('\n');
    // Linux pads the header to 73 columns before the name (seq_setwidth 25 + 6 * 8 - 1, then a space).
    assert.equal(lines[0], '00400000-00401000 r-xp 00000000 00:00 0' + ' '.repeat(34) + '[stack]');
    assert.equal(lines[0].indexOf('['), 73);
    assert.equal(lines[1], '00500000-00501000 rw-s 00000000 00:00 0 ');
  });

  it('counts the fast path (cached area) and its aborts after changes', () => {
    const mm = space();
    const a = mmap(mm, { addr: 0, length: 4 * P, prot: PROT_READ | PROT_WRITE, flags: ANON, offset: 0 });
    for (let i = 0; i < 4; i++) mm.fill(a + i * P, Access.Read);
    assert.equal(mm.stats.spfAttempt, 4);
    assert.equal(mm.stats.spfAbort, 1);
    mmap(mm, { addr: 0, length: P, prot: PROT_READ, flags: ANON, offset: 0 });
    mm.fill(a + P, Access.Write);
    assert.equal(mm.stats.spfAbort, 1, 'a present entry needs no area lookup');
  });
});
