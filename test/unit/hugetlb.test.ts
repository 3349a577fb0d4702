import assert from 'node:assert/strict';
import { PhysicalMemory } from '../../host/physmem.js';
import { Access, TLB_FAULT } from '../../kernel-shim/cpu-port.js';
import { AddressSpace } from '../../kernel-shim/mm/addrspace.js';
import {
  MAP_ANONYMOUS, MAP_FIXED, MAP_HUGETLB, MAP_NORESERVE, MAP_PRIVATE, MAP_SHARED, MREMAP_FIXED, MREMAP_MAYMOVE, PROT_READ, PROT_WRITE,
} from '../../kernel-shim/mm/constants.js';
import { forkAddressSpace } from '../../kernel-shim/mm/fork.js';
import { FrameAllocator } from '../../kernel-shim/mm/frames.js';
import { HPAGE_SIZE, HugePool } from '../../kernel-shim/mm/hugetlb-pool.js';
import { mmap, mprotect, mremap, munmap } from '../../kernel-shim/mm/mapping.js';

const HP = HPAGE_SIZE;
const RW = PROT_READ | PROT_WRITE;
const HUGE = MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB;

function setup(pages: number, ramMiB = 64): { mm: AddressSpace; pool: HugePool; frames: FrameAllocator } {
  const frames = new FrameAllocator(new PhysicalMemory(ramMiB << 20));
  const pool = new HugePool(frames);
  pool.resize(pages);
  const mm = new AddressSpace(frames, { pgfault: 0, spfAttempt: 0, spfAbort: 0 });
  mm.mmapBase = 0x7ffff7fff000;
  return { mm, pool, frames };
}

function counts(pool: HugePool): number[] {
  return [pool.total, pool.free, pool.reserved, pool.surplus];
}

describe('huge page pool', () => {
  it('grows from guest RAM while 512 frames are free, and no further', () => {
    const { pool, frames } = setup(1000, 16);
    assert.equal(pool.total, 7, '16 MiB of frames (frame 0 unused) hold 7 huge pages');
    assert.equal(frames.inUse, 7 * 512);
    pool.resize(2);
    assert.deepEqual(counts(pool), [2, 2, 0, 0]);
    assert.equal(frames.inUse, 2 * 512, 'the pages given back are guest RAM again');
  });

  it('keeps pages in use or reserved beyond a smaller size as surplus, freed when released', () => {
    const { pool } = setup(4);
    assert.ok(pool.reserve(1));
    const page = pool.take(false)!;
    pool.resize(0);
    assert.deepEqual(counts(pool), [2, 1, 1, 2], 'one page in use, one reserved');
    pool.put(page);
    assert.deepEqual(counts(pool), [1, 1, 1, 1]);
    pool.resize(3);
    assert.deepEqual(counts(pool), [3, 3, 1, 0], 'the surplus page counts again, two more are made');
  });
});

describe('MAP_HUGETLB', () => {
  it('reserves at mmap, takes at the first touch (the whole huge page), gives back at munmap', () => {
    const { mm, pool } = setup(4);
    const a = mmap(mm, { addr: 0, length: 3 << 20, prot: RW, flags: HUGE, offset: 0, hugePool: pool });
    assert.equal(a % HP, 0);
    assert.deepEqual(counts(pool), [4, 4, 2, 0]);
    assert.notEqual(mm.fill(a + 4096 * 7, Access.Write), TLB_FAULT);
    assert.deepEqual(counts(pool), [4, 3, 1, 0]);
    assert.ok(mm.residentFrame(a) >= 0 && mm.residentFrame(a + HP - 4096) >= 0, 'all 512 entries mapped');
    assert.equal(mm.residentFrame(a + HP), -1);
    assert.equal(munmap(mm, a + 4096, HP), -22, 'inside a huge page');
    assert.equal(mprotect(mm, a, 4096, PROT_READ), -22);
    assert.equal(mprotect(mm, a, HP, PROT_READ), 0);
    assert.equal(mremap(mm, a, 2 * HP, 3 * HP, MREMAP_MAYMOVE, 0), -22, 'no growing');
    assert.equal(munmap(mm, a, 2 * HP), 0);
    assert.deepEqual(counts(pool), [4, 4, 0, 0]);
  });

  it('mremap moves a private mapping with its pages and reservations', () => {
    const { mm, pool } = setup(4);
    const a = mmap(mm, { addr: 0, length: 2 * HP, prot: RW, flags: HUGE, offset: 0, hugePool: pool });
    assert.ok(mm.write(a + 5, new Uint8Array([42])));
    const target = a - 8 * HP;
    assert.equal(mremap(mm, a, 2 * HP, 2 * HP, MREMAP_MAYMOVE | MREMAP_FIXED, target), target);
    assert.deepEqual(counts(pool), [4, 3, 1, 0]);
    assert.equal(mm.read(target + 5, 1)![0], 42);
    assert.equal(mremap(mm, target, 2 * HP, HP, 0, 0), target, 'shrinking gives the tail back');
    assert.deepEqual(counts(pool), [4, 3, 0, 0]);
  });

  it('refuses what Linux refuses with the errno Linux gives', () => {
    const { mm, pool } = setup(2);
    const req = { addr: 0, length: HP, prot: RW, flags: HUGE, offset: 0, hugePool: pool };
    assert.equal(mmap(mm, { ...req, length: 3 * HP }), -12, 'more than the pool');
    assert.equal(mmap(mm, { ...req, flags: HUGE | (30 << 26) }), -22, 'MAP_HUGE_1GB');
    assert.equal(mmap(mm, { ...req, hugePool: undefined }), -22, 'no pool');
    assert.equal(mmap(mm, { ...req, addr: 0x40001000, flags: HUGE | MAP_FIXED }), -22);
    assert.deepEqual(counts(pool), [2, 2, 0, 0], 'nothing reserved by a refusal');
    const big = mmap(mm, { ...req, length: 3 * HP, flags: HUGE | MAP_NORESERVE });
    assert.ok(big > 0, 'MAP_NORESERVE maps past the pool');
    assert.notEqual(mm.fill(big, Access.Read), TLB_FAULT);
    assert.notEqual(mm.fill(big + HP, Access.Read), TLB_FAULT);
    assert.equal(mm.fill(big + 2 * HP, Access.Read), TLB_FAULT, 'the pool is empty');
  });

  it('never throws, whatever the arguments', () => {
    const { mm, pool } = setup(3);
    const values = [0, 1, 4095, 4096, HP - 1, HP, HP + 1, 2 ** 47, 2 ** 52, Number.MAX_SAFE_INTEGER, 0x7ffff7e00000];
    const flagSets = [HUGE, MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB, HUGE | MAP_FIXED, HUGE | MAP_NORESERVE, HUGE | (21 << 26), HUGE | (63 << 26)];
    for (const addr of values) {
      for (const length of values) {
        for (const flags of flagSets) {
          const r = mmap(mm, { addr, length, prot: RW, flags, offset: 0, hugePool: pool });
          assert.ok(Number.isInteger(r));
          if (r > 0) {
            assert.equal(r % HP, 0);
            mm.fill(r, Access.Write);
            assert.ok(Number.isInteger(mremap(mm, r, length, length / 2, MREMAP_MAYMOVE, addr)));
            assert.ok(Number.isInteger(munmap(mm, r, length)));
          }
        }
      }
    }
    assert.equal(munmap(mm, 0, 2 ** 47 - 4096), 0);
    assert.deepEqual(counts(pool), [3, 3, 0, 0], 'everything given back');
  });

  it('shares MAP_SHARED pages with a forked child and copies MAP_PRIVATE ones', () => {
    const { mm, pool, frames } = setup(4);
    const s = mmap(mm, { addr: 0, length: HP, prot: RW, flags: MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB, offset: 0, hugePool: pool });
    const p = mmap(mm, { addr: 0, length: HP, prot: RW, flags: HUGE, offset: 0, hugePool: pool });
    assert.ok(mm.write(s, new Uint8Array([1])) && mm.write(p, new Uint8Array([2])));
    const child = forkAddressSpace(mm);
    assert.ok(child.write(s, new Uint8Array([3])) && child.write(p, new Uint8Array([4])));
    assert.deepEqual([mm.read(s, 1)![0], mm.read(p, 1)![0]], [3, 2]);
    assert.equal(pool.free, 1, 'shared page, private page and the child\'s copy');
    munmap(child, 0, 2 ** 47 - 4096);
    munmap(mm, 0, 2 ** 47 - 4096);
    assert.deepEqual(counts(pool), [4, 4, 0, 0]);
    assert.equal(frames.inUse, 4 * 512);
  });
});
