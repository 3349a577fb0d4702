// Guest RAM larger than 4 GiB: JS sees it through 2 GiB chunks (host/physmem.ts), and the
// frame allocator hands out frames past 4 GiB. Only the pages used here get host memory.
import assert from 'node:assert/strict';
import { CHUNK_BYTES, PhysicalMemory } from '../../host/physmem.js';
import { PAGE_SIZE } from '../../kernel-shim/mm/constants.js';
import { FrameAllocator } from '../../kernel-shim/mm/frames.js';

const GIB = 2 ** 30;

describe('guest RAM past 4 GiB', () => {
  let memory: PhysicalMemory;
  before(() => {
    memory = new PhysicalMemory(5 * GIB);
  });
  after(() => memory.free());

  it('keeps bytes past 4 GiB apart from the bytes 4 GiB below them', () => {
    const high = 4 * GIB + 3 * PAGE_SIZE;
    memory.set(Uint8Array.of(1, 2, 3), high);
    memory.set(Uint8Array.of(9, 9, 9), high - 4 * GIB);
    assert.deepEqual([...memory.bytesAt(high, 3)], [1, 2, 3]);
    assert.deepEqual([...memory.bytesAt(high - 4 * GIB, 3)], [9, 9, 9]);
  });

  it('copies and zeroes within a chunk and between chunks', () => {
    const low = 5 * PAGE_SIZE;
    const nextChunk = CHUNK_BYTES + 7 * PAGE_SIZE;
    const last = 5 * GIB - PAGE_SIZE;
    memory.set(Uint8Array.of(7, 7, 7, 7), low);
    memory.copy(nextChunk, low, PAGE_SIZE);
    memory.copy(last, nextChunk, PAGE_SIZE);
    memory.copy(low + PAGE_SIZE, last, PAGE_SIZE);
    for (const at of [nextChunk, last, low + PAGE_SIZE]) assert.deepEqual([...memory.bytesAt(at, 5)], [7, 7, 7, 7, 0], `at ${at}`);
    memory.zero(last + 1, 2);
    assert.deepEqual([...memory.bytesAt(last, 4)], [7, 0, 0, 7]);
  });

  it('hands out frames past 4 GiB, and copy-on-write copies reach them', () => {
    const frames = new FrameAllocator(memory);
    assert.equal(frames.frameCount, (5 * GIB) / PAGE_SIZE);
    const first = frames.alloc();
    memory.set(Uint8Array.of(42), first * PAGE_SIZE);
    let frame = first;
    while (frame * PAGE_SIZE < 4 * GIB) frame = frames.alloc();
    const copy = frames.copy(first);
    assert.ok(copy * PAGE_SIZE > 4 * GIB);
    assert.equal(memory.bytesAt(copy * PAGE_SIZE, 1)[0], 42);
  });
});
