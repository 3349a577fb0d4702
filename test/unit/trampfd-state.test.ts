// trampfd state that snapshots keep: clone() copies a description's contexts, assign() puts
// them back, and the per-Kernel counters and sink belong to their own Kernel.
import assert from 'node:assert/strict';
import { Kernel, type KernelOptions } from '../../kernel-shim/kernel.js';
import { TRAMPFD_REGS_OFFSET, TRAMPFD_STACK_OFFSET, TrampfdV1, V1_X64_RIP } from '../../kernel-shim/trampfd/v1.js';
import { TRAMPFD_CODE, TRAMPFD_DATA, TrampfdV2 } from '../../kernel-shim/trampfd/v2.js';
import { V2_X64_MIN } from '../../kernel-shim/trampfd/v2code.js';
import { setTraceSink, trampolineStats } from '../../kernel-shim/trampfd/events.js';
import type { Task } from '../../kernel-shim/task.js';
import { Errno } from '../../kernel-shim/errno.js';
import type { CpuPort, RegisterSet } from '../../kernel-shim/cpu-port.js';
import { CpuEngine } from '../../cpu/engine.js';

/** Just enough of a CPU for compiling a register context (no engine). */
function recordingCpu(): CpuPort {
  const set: RegisterSet = { read() {}, write() {}, number: () => 0, bigint: () => 0n, setBigint() {}, set() {} };
  return { registerSet: () => set } as unknown as CpuPort;
}

const KERNEL_OPTIONS: KernelOptions = { root: '/', deterministic: true, physicalMemory: 1 << 20, createCpu: (ram, events) => new CpuEngine(ram, events) };

/** A register context of one entry: rip = pc. */
function ripContext(pc: bigint): Uint8Array {
  const b = new Uint8Array(8 + 16);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, 1, true);
  dv.setUint32(8, V1_X64_RIP, true);
  dv.setBigUint64(16, pc, true);
  return b;
}

function stackContext(data: number[]): Uint8Array {
  const b = new Uint8Array(16 + data.length);
  new DataView(b.buffer).setUint32(8, data.length, true);
  b.set(data, 16);
  return b;
}

function descriptor(a: number, b: number, table: bigint): Uint8Array {
  const out = new Uint8Array(16);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, a, true);
  dv.setUint32(4, b, true);
  dv.setBigUint64(8, table, true);
  return out;
}

describe('trampfd state', () => {
  it('a v1 clone keeps the contexts; assign() puts them back after later writes', () => {
    const file = new TrampfdV1();
    assert.equal(file.pwrite(ripContext(0x401000n), BigInt(TRAMPFD_REGS_OFFSET)), 24);
    assert.equal(file.pwrite(stackContext([1, 2, 3, 4]), BigInt(TRAMPFD_STACK_OFFSET)), 20);
    assert.equal(file.seek(BigInt(TRAMPFD_STACK_OFFSET), 0), BigInt(TRAMPFD_STACK_OFFSET));
    const saved = file.clone();
    assert.equal(file.pwrite(ripContext(0x402000n), BigInt(TRAMPFD_REGS_OFFSET)), 24);
    assert.equal(file.pwrite(stackContext([]), BigInt(TRAMPFD_STACK_OFFSET)), 16);
    file.seek(BigInt(TRAMPFD_REGS_OFFSET), 0);
    assert.equal(file.registerContext[0].value, 0x402000n);
    assert.equal(file.stackContext, null);

    file.assign(saved);
    assert.deepEqual(file.registerContext, [{ id: V1_X64_RIP, value: 0x401000n }]);
    assert.deepEqual([...file.stackContext!.data], [1, 2, 3, 4]);
    assert.equal(file.compiledContext(recordingCpu())?.target, 0x401000n);
    // f_pos came back too: read() reads the stack context.
    const buf = new Uint8Array(20);
    assert.equal(file.read(buf), 20);
    assert.deepEqual([...buf.subarray(16)], [1, 2, 3, 4]);
    assert.throws(() => file.assign(new TrampfdV2(1, {} as Task)), TypeError);
  });

  it('a v2 clone keeps which descriptors were written (each may be written once)', () => {
    const file = new TrampfdV2(1, {} as Task);
    assert.equal(file.pwrite(descriptor(4, V2_X64_MIN, 0x1000n), BigInt(TRAMPFD_CODE)), 16);
    const saved = file.clone();
    assert.equal(file.pwrite(descriptor(V2_X64_MIN + 1, 0, 0x2000n), BigInt(TRAMPFD_DATA)), 16);
    assert.equal(file.pwrite(descriptor(V2_X64_MIN + 1, 0, 0x2000n), BigInt(TRAMPFD_DATA)), -Errno.EEXIST);
    file.assign(saved);
    assert.equal(file.data, null);
    assert.deepEqual(file.code, { ntrampolines: 4, reg: V2_X64_MIN, table: 0x1000n });
    assert.equal(file.pwrite(descriptor(V2_X64_MIN + 2, 0, 0x3000n), BigInt(TRAMPFD_DATA)), 16);
    assert.deepEqual(file.data, { reg: V2_X64_MIN + 2, table: 0x3000n });
  });

  it('counters and trace sinks are per Kernel', () => {
    const a = new Kernel(KERNEL_OPTIONS);
    const b = new Kernel(KERNEL_OPTIONS);
    try {
      trampolineStats(a).v1Created++;
      setTraceSink(a, () => {});
      assert.equal(trampolineStats(a).v1Created, 1);
      assert.equal(trampolineStats(b).v1Created, 0);
      assert.equal(a.trampfd.instrumented, true);
      assert.equal(b.trampfd.instrumented, false);
      assert.equal(b.trampfd.sink, undefined);
    } finally {
      a.close();
      b.close();
    }
  });
});
