// The programmable API (emu/index.ts) on real guest programs built at test time
// (test/api/src, gcc -static -O0): breakpoints on symbols, registers and memory, syscall
// interception, memory and code hooks, single steps, snapshots.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Emulator, LoadError, type StopEvent } from '../../emu/index.js';
import { compileGuest } from './guest.js';

const TARGET_OUTPUT = 'counter 6 message hello\npid 1000\n';

describe('programmable API', function () {
  this.timeout(30000);
  let dir: string;
  let target: string;
  let rerun: string;
  let data: string;
  const open: Emulator[] = [];

  function load(program: string, argv?: string[]): Emulator {
    const emu = Emulator.load({ program, argv });
    open.push(emu);
    return emu;
  }

  function u32(emu: Emulator, address: bigint): number {
    return new DataView(emu.readMemory(address, 4).buffer).getUint32(0, true);
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ushim-api-'));
    target = join(dir, 'target');
    rerun = join(dir, 'rerun');
    data = join(dir, 'data.txt');
    writeFileSync(data, 'ABCDEFGHIJ');
    await Promise.all([compileGuest('target', target), compileGuest('rerun', rerun, ['-pthread'])]);
  });
  afterEach(() => {
    for (const emu of open.splice(0)) emu.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs a program to completion and captures its output', () => {
    const emu = load(target);
    assert.deepEqual(emu.run(), { reason: 'exited', status: { code: 6 } });
    assert.equal(emu.stdout, TARGET_OUTPUT);
    assert.equal(emu.stderr, '');
    assert.deepEqual(emu.exitStatus, { code: 6 });
    // Nothing more to run.
    assert.deepEqual(emu.run(), { reason: 'exited', status: { code: 6 } });
  });

  it('refuses a missing program with LoadError', () => {
    assert.throws(() => Emulator.load({ program: join(dir, 'nonexistent') }), LoadError);
  });

  it('stops at a breakpoint on a symbol, each time it is reached', () => {
    const emu = load(target);
    const add = emu.symbol('add');
    assert.ok(add !== undefined && add.type === 'FUNC');
    assert.equal(emu.addBreakpoint('add'), add.address);
    const args: bigint[][] = [];
    let stop: StopEvent;
    for (;;) {
      stop = emu.run();
      if (stop.reason !== 'breakpoint') break;
      assert.equal(stop.address, add.address);
      assert.equal(stop.symbol, 'add');
      assert.equal(stop.tid, emu.pid);
      assert.equal(emu.readRegister('rip'), add.address);
      args.push([emu.readRegister('rdi'), emu.readRegister('rsi')]);
    }
    assert.deepEqual(args, [[0n, 1n], [1n, 2n], [3n, 3n]]);
    assert.deepEqual(stop, { reason: 'exited', status: { code: 6 } });
    assert.equal(emu.stdout, TARGET_OUTPUT);
  });

  it('breaks at a numeric address and removes breakpoints', () => {
    const emu = load(target);
    const main = emu.symbol('main')!.address;
    emu.addBreakpoint(main);
    emu.addBreakpoint('add');
    assert.equal(emu.run().reason, 'breakpoint');
    assert.equal(emu.readRegister('rip'), main);
    assert.equal(emu.removeBreakpoint('add'), true);
    assert.equal(emu.removeBreakpoint('add'), false);
    assert.deepEqual(emu.run(), { reason: 'exited', status: { code: 6 } });
  });

  it('reads and writes registers and memory', () => {
    const emu = load(target);
    const message = emu.symbol('message')!.address;
    const counter = emu.symbol('counter')!.address;
    assert.equal(emu.readCString(message), 'hello');
    emu.addBreakpoint('add');
    emu.run();
    emu.run(); // add(1, 2)
    assert.equal(u32(emu, counter), 1);
    const regs = emu.registers();
    assert.equal(regs.rdi, 1n);
    assert.equal(regs.rip, emu.symbol('add')!.address);
    emu.writeRegister('rsi', 40n); // add(1, 40) = 41, then + 3
    emu.writeMemory(message, new TextEncoder().encode('patched\0'));
    assert.equal(emu.readCString(message), 'patched');
    emu.removeBreakpoint('add');
    assert.deepEqual(emu.run(), { reason: 'exited', status: { code: 44 } });
    assert.equal(emu.stdout, 'counter 44 message patched\npid 1000\n');
    assert.throws(() => emu.readRegister('rax'), /no live thread/);
  });

  it('rejects unmapped memory', () => {
    const emu = load(target);
    assert.throws(() => emu.readMemory(0x1000, 4), RangeError);
    assert.throws(() => emu.writeMemory(0x1000, new Uint8Array(4)), RangeError);
  });

  it('writes code: patched instructions run', () => {
    const emu = load(target);
    const add = emu.symbol('add')!.address;
    emu.addBreakpoint('main');
    emu.run();
    // add(a, b) { return 7; }: mov eax, 7; ret
    emu.writeMemory(add, new Uint8Array([0xb8, 7, 0, 0, 0, 0xc3]));
    assert.deepEqual(emu.run(), { reason: 'exited', status: { code: 7 } });
  });

  it("intercepts syscalls: changes write's buffer and length, replaces its result, skips getpid", () => {
    const emu = load(target);
    const seen: string[] = [];
    emu.onSyscall({
      enter(call) {
        seen.push(`enter ${call.name}`);
        if (call.name === 'getpid') call.skip(4242);
        if (call.name === 'write' && call.args[0] === 1n && call.args[2] > 10n) {
          // Upper-case the guest's buffer and cut the write to its first word...
          const text = emu.readCString(call.args[1], Number(call.args[2]));
          emu.writeMemory(call.args[1], new TextEncoder().encode(text.toUpperCase()));
          call.args[2] = 8n;
        }
      },
      exit(call) {
        seen.push(`exit ${call.name} ${call.result}`);
        // ...while the program is told everything was written.
        if (call.name === 'write' && call.args[2] === 8n) call.result = 24n;
      },
    });
    assert.deepEqual(emu.run(), { reason: 'exited', status: { code: 6 } });
    assert.equal(emu.stdout, 'COUNTER pid 4242\n');
    assert.ok(seen.includes('enter getpid'));
    assert.ok(seen.includes('exit getpid 4242'));
    assert.ok(seen.includes('exit write 8'));
    assert.ok(!seen.includes('exit exit_group'), 'exit_group never returns');
  });

  it('fails a syscall with an errno, and removes syscall hooks', () => {
    const emu = load(target);
    const results: (bigint | null)[] = [];
    let writes = 0;
    emu.onSyscall({
      enter: (call) => {
        if (call.name === 'write' && writes++ === 0) call.skip(-9); // EBADF for the direct write()
      },
      exit: (call) => {
        if (call.name === 'write') results.push(call.result);
      },
    });
    const unused = emu.onSyscall({ enter: (call) => call.skip(-1) });
    unused.remove();
    assert.deepEqual(emu.run(), { reason: 'exited', status: { code: 6 } });
    assert.equal(emu.stdout, 'pid 1000\n');
    assert.deepEqual(results, [-9n, 9n]);
  });

  it('calls memory hooks for the loads and stores of a range', () => {
    const emu = load(target);
    const counter = emu.symbol('counter')!.address;
    const accesses: string[] = [];
    emu.hookMemory({ start: counter, end: counter + 4n }, 'access', (e) => {
      assert.equal(e.address, counter);
      assert.equal(e.size, 4);
      accesses.push(`${e.kind} ${e.value}`);
      assert.throws(() => emu.stop(), /memory hook/);
    });
    const writes: bigint[] = [];
    const h = emu.hookMemory({ start: counter, end: counter + 1n }, 'write', (e) => writes.push(e.value));
    emu.addBreakpoint('add');
    emu.run();
    emu.run(); // second call: the first add's store has happened
    h.remove();
    emu.removeBreakpoint('add');
    emu.run();
    // -O0: counter is loaded for each call and stored after it, then read for snprintf and return.
    assert.deepEqual(accesses, ['read 0', 'write 1', 'read 1', 'write 3', 'read 3', 'write 6', 'read 6', 'read 6']);
    assert.deepEqual(writes, [1n]);
  });

  it('calls code hooks on addresses and ranges, and stop() stops before the instruction', () => {
    const emu = load(target);
    const add = emu.symbol('add')!;
    const entries: bigint[] = [];
    emu.hookCode('add', (e) => {
      entries.push(e.address);
      if (entries.length === 2) emu.stop();
    });
    const inAdd = new Set<bigint>();
    emu.hookCode({ start: add.address, end: add.address + BigInt(add.size) }, (e) => inAdd.add(e.address));
    const stop = emu.run();
    assert.deepEqual(stop, { reason: 'stopped', address: add.address, pid: emu.pid, tid: emu.pid });
    assert.equal(emu.readRegister('rsi'), 2n);
    assert.equal(entries.length, 2);
    // Resuming runs that instruction without calling its hooks a second time.
    assert.deepEqual(emu.run(), { reason: 'exited', status: { code: 6 } });
    assert.equal(entries.length, 3);
    assert.ok(inAdd.size >= 4, `instructions of add: ${inAdd.size}`);
    for (const a of inAdd) assert.ok(a >= add.address && a < add.address + BigInt(add.size));
  });

  it('single-steps through a function', () => {
    const emu = load(target);
    const add = emu.symbol('add')!;
    emu.addBreakpoint('add');
    emu.run();
    const ret = new DataView(emu.readMemory(emu.readRegister('rsp'), 8).buffer).getBigUint64(0, true);
    const path: bigint[] = [emu.readRegister('rip')];
    for (;;) {
      const stop = emu.step();
      assert.equal(stop.reason, 'step');
      if (stop.reason !== 'step') break;
      assert.equal(stop.address, emu.readRegister('rip'));
      path.push(stop.address);
      if (stop.address === ret) break;
      assert.ok(stop.address > path[path.length - 2] && stop.address < add.address + BigInt(add.size), `step to ${stop.address.toString(16)}`);
    }
    // push rbp; mov rbp, rsp; mov [rbp-4], edi; mov [rbp-8], esi; mov edx, [rbp-4]; mov eax, [rbp-8]; add eax, edx; pop rbp; ret
    assert.equal(path.length, 10);
    assert.equal(emu.readRegister('rax'), 1n);
    // A step onto a breakpoint's address stops as a step; the run from there passes it.
    assert.equal(emu.run().reason, 'breakpoint');
  });

  it('a step onto hlt stops at it, and the #GP (SIGSEGV) then kills the program', () => {
    const emu = load(target);
    emu.addBreakpoint('add');
    emu.run();
    const at = emu.readRegister('rip');
    emu.writeMemory(at, Uint8Array.of(0xf4));
    const stop = emu.step();
    assert.equal(stop.reason, 'step');
    if (stop.reason === 'step') assert.equal(stop.address, at);
    assert.equal(emu.readRegister('rip'), at);
    assert.deepEqual(emu.run(), { reason: 'exited', status: { code: 139, signal: 11, core: true } });
  });

  it('a step over an instruction ending in the byte of hlt (0xf4) is an ordinary step', () => {
    const emu = load(target);
    emu.addBreakpoint('add');
    emu.run();
    const at = emu.readRegister('rip');
    emu.writeMemory(at, Uint8Array.of(0x8b, 0x45, 0xf4)); // mov eax, [rbp-12]
    const stop = emu.step();
    assert.equal(stop.reason, 'step');
    assert.equal(emu.readRegister('rip'), at + 3n);
  });

  it('steps over a syscall', () => {
    const emu = load(target);
    let syscallAt = 0n;
    emu.onSyscall({
      enter: (call) => {
        if (call.name === 'getpid') {
          syscallAt = emu.readRegister('rip');
          emu.stop();
        }
      },
    });
    const stop = emu.run();
    // stop() in a syscall hook: after the call, rip past the `syscall` instruction.
    assert.equal(stop.reason, 'stopped');
    assert.equal(emu.readRegister('rax'), 1000n);
    assert.equal(emu.readRegister('rip'), syscallAt + 2n);
    assert.equal(emu.step().reason, 'step');
  });

  it('snapshots and restores: reruns reproduce the output exactly', () => {
    const emu = load(rerun, ['rerun', data]);
    emu.addBreakpoint('checkpoint');
    assert.equal(emu.run().reason, 'breakpoint');
    assert.equal(emu.stdout, 'first ABCD\n');
    const snap = emu.snapshot();
    emu.removeBreakpoint('checkpoint');
    assert.deepEqual(emu.run(), { reason: 'exited', status: { code: 0 } });
    const full = emu.stdout;
    assert.match(full, /^first ABCD\nsecond EFGH heap after random \d+ time [\d.]+\nthread 0\nthread 1\nchild 1003\nchild exited 3\n$/);

    // After the program exited: the process, its memory, its file (closed since) and its offset come back.
    emu.restore(snap);
    assert.equal(emu.stdout, 'first ABCD\n');
    assert.deepEqual(emu.run(), { reason: 'exited', status: { code: 0 } });
    assert.equal(emu.stdout, full);

    // In the middle of a later run (threads alive, a child forked): the same again.
    emu.restore(snap);
    emu.addBreakpoint('worker');
    const stop = emu.run();
    assert.equal(stop.reason, 'breakpoint');
    // The first worker runs as soon as it exists (clone ends its creator's slice): at least it is alive.
    assert.ok(emu.threads().length >= 2);
    emu.removeBreakpoint('worker');
    emu.restore(snap);
    assert.deepEqual(emu.threads(), [emu.pid]);
    assert.deepEqual(emu.run(), { reason: 'exited', status: { code: 0 } });
    assert.equal(emu.stdout, full);
    snap.dispose();
  });

  it('restores memory and registers changed after the snapshot', () => {
    const emu = load(rerun, ['rerun', data]);
    emu.addBreakpoint('checkpoint');
    emu.run();
    const rip = emu.readRegister('rip');
    const heapText = emu.readRegister('rsp');
    const before = emu.readMemory(heapText, 64);
    const snap = emu.snapshot();
    emu.writeMemory(heapText, new Uint8Array(64).fill(0xaa));
    emu.writeRegister('rip', 0n);
    emu.restore(snap);
    assert.equal(emu.readRegister('rip'), rip);
    assert.deepEqual(emu.readMemory(heapText, 64), before);
    // Resuming from the restored breakpoint passes it, as from the original stop.
    emu.removeBreakpoint('checkpoint');
    assert.deepEqual(emu.run(), { reason: 'exited', status: { code: 0 } });
    assert.match(emu.stdout, /second EFGH heap after/);
  });

  it('refuses API calls that need a stopped machine from inside callbacks', () => {
    const emu = load(target);
    let error: unknown;
    emu.hookCode('add', () => {
      try {
        emu.addBreakpoint('main');
      } catch (e) {
        error = e;
      }
    });
    emu.run();
    assert.match(String(error), /inside a hook callback/);
  });

  it('reports an exception thrown by a callback from run()', () => {
    const emu = load(target);
    emu.hookCode('add', () => {
      throw new Error('boom');
    });
    assert.throws(() => emu.run(), /boom/);
  });
});
