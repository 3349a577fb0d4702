// The scheduler weights of kernel-shim/sched-policy.ts and what a new task inherits.
import { strict as assert } from 'node:assert';
import {
  SCHED_BATCH, SCHED_FIFO, SCHED_IDLE, SCHED_OTHER, defaultSchedState, inheritSched, sliceLength,
} from '../../kernel-shim/sched-policy.js';

const BASE = 2_000_000;

describe('scheduling policy', function () {
  it('gives nice 0 the base slice and weighs the others as Linux weighs their CPU share', function () {
    const at = (nice: number, policy = SCHED_OTHER): number => sliceLength({ ...defaultSchedState(), policy, nice }, BASE);
    assert.equal(at(0), BASE);
    assert.equal(at(0, SCHED_BATCH), BASE);
    // Each nice step is about 1.25 times the CPU share of the next.
    assert.equal(at(1), (820 / 1024) * BASE);
    assert.equal(at(-1), (1277 / 1024) * BASE);
    assert.ok(at(19) < at(10) && at(10) < at(0) && at(0) < at(-10));
    // Bounded both ways: nobody starves, nobody holds the CPU for long.
    assert.equal(at(-20), 8 * BASE);
    assert.equal(at(19), (15 / 1024) * BASE);
    assert.equal(at(0, SCHED_IDLE), BASE / 128);
    assert.equal(sliceLength({ policy: SCHED_FIFO, rtPriority: 50, nice: 0, resetOnFork: false }, BASE), 8 * BASE);
  });

  it('passes policy and nice to a child, and resets them under SCHED_RESET_ON_FORK', function () {
    const parent = { policy: SCHED_FIFO, rtPriority: 10, nice: -5, resetOnFork: false };
    assert.deepEqual(inheritSched(parent), parent);
    assert.notEqual(inheritSched(parent), parent);
    assert.deepEqual(inheritSched({ ...parent, resetOnFork: true }), { policy: SCHED_OTHER, rtPriority: 0, nice: 0, resetOnFork: false });
    assert.deepEqual(inheritSched({ policy: SCHED_BATCH, rtPriority: 0, nice: 7, resetOnFork: true }),
      { policy: SCHED_BATCH, rtPriority: 0, nice: 7, resetOnFork: false });
  });
});
