// Sessions of Debian's real gdb with the stub over the fake target: registers, memory, breakpoints,
// threads, watchpoints, Ctrl-C, exit codes, symbols through vFile, acknowledged mode.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GdbServer } from '../../emu/debug/server.js';
import type { StubOptions } from '../../emu/debug/stub.js';
import { REG } from '../../emu/debug/target.js';
import { CODE, FakeTarget, type FakeOp } from './gdb-fake-target.js';
import { hasTool, requireFile, requireHost } from '../host-requirements.js';
import { program } from './gdb-client.js';

interface GdbRun {
  out: string;
  code: number | null;
  target: FakeTarget;
}

/** Process 4242 running `ops` in a loop: the op at 0x1020 jumps back to the start of the code. */
function loopingTarget(ops: [bigint, FakeOp][] = [], threads?: number[]): FakeTarget {
  return new FakeTarget({ pid: 4242, threads, program: program([...ops, [0x1020n, { op: 'jump', to: CODE }]]) });
}

async function runGdb(
  target: FakeTarget,
  commands: string[],
  opts: { interruptWhenRunning?: boolean; stub?: Omit<StubOptions, 'onEnd'>; before?: string[] } = {},
): Promise<GdbRun> {
  const dir = mkdtempSync(join(tmpdir(), 'ushim-gdb-'));
  const sockPath = join(dir, 'gdb.sock');
  const server = new GdbServer(target, opts.stub ?? {});
  await server.listen(`unix:${sockPath}`);
  try {
    const args = ['-nx', '-batch', '-ex', 'set architecture i386:x86-64'];
    for (const c of [...(opts.before ?? []), `target remote ${sockPath}`, ...commands]) args.push('-ex', c);
    const gdb = spawn('gdb', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    gdb.stdout.on('data', (d: Buffer) => (out += d.toString()));
    gdb.stderr.on('data', (d: Buffer) => (out += d.toString()));
    // Ctrl-C: once gdb has resumed the target, SIGINT to gdb makes it send 0x03.
    let interrupted = false;
    const timer = opts.interruptWhenRunning
      ? setInterval(() => {
          if (!interrupted && target.state === 'running') {
            interrupted = true;
            setTimeout(() => gdb.kill('SIGINT'), 100);
          }
        }, 10)
      : null;
    const killer = setTimeout(() => gdb.kill('SIGKILL'), 60000);
    const code = await new Promise<number | null>((r) => gdb.on('exit', (c) => r(c)));
    if (timer) clearInterval(timer);
    clearTimeout(killer);
    return { out, code, target };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('gdb stub with the real gdb', function () {
  before(function () {
    requireHost(this, hasTool('gdb'), 'gdb (apt-get install gdb)');
  });

  it('reads registers and memory, steps, stops at a breakpoint and kills', async function () {
    const target = loopingTarget([[0x1000n, { op: 'add', reg: REG.rax, value: 1n }]]);
    const { out, code } = await runGdb(target, [
      'info registers rip',
      'x/4xb 0x1000',
      'stepi',
      'info registers rip',
      'break *0x1010',
      'continue',
      'info registers rip',
      'p/x $rax',
      'p/x $rbx',
      'kill',
    ]);
    assert.equal(code, 0, out);
    const rips = [...out.matchAll(/^rip\s+(0x[0-9a-f]+)\s+0x[0-9a-f]+/gm)].map((m) => m[1]);
    assert.deepEqual(rips, ['0x1000', '0x1004', '0x1010'], out);
    assert.match(out, /^0x1000:\s+0x55\s+0x48\s+0x89\s+0xe5$/m);
    assert.match(out, /^0x0000000000001004 in \?\? \(\)$/m); // stepi
    assert.match(out, /^Breakpoint 1 at 0x1010$/m);
    assert.match(out, /^Breakpoint 1, 0x0000000000001010 in \?\? \(\)$/m);
    assert.match(out, /^\$1 = 0x1112$/m); // rax: 0x1111 + 1
    assert.match(out, /^\$2 = 0xdeadbeefcafef00d$/m);
    assert.match(out, /\[Inferior 1 \(process 4242\) killed\]/);
    assert.deepEqual(target.log, ['resume 4242:s', 'resume 4242:c', 'kill']);
    assert.equal(target.state, 'killed');
  });

  it('lists threads and mappings, watches memory, writes registers and memory, detaches', async function () {
    const target = loopingTarget([[0x1008n, { op: 'store', address: 0x2010n, data: [1, 2, 3, 4] }]], [4242, 4243]);
    const { out, code } = await runGdb(target, [
      'info threads',
      'info proc mappings',
      'watch *(int*)0x2010',
      'continue',
      'info registers rip',
      'set var $rcx = 0x77',
      'p/x $rcx',
      'set {int}0x2000 = 0x12345678',
      'x/xw 0x2000',
      'p $fs_base',
      'p $orig_rax',
      'info auxv',
      'detach',
    ]);
    assert.equal(code, 0, out);
    assert.match(out, /^\* 1 +Thread 4242\.4242 "prog" +0x0000000000001000 in \?\? \(\)$/m);
    assert.match(out, /^ {2}2 +Thread 4242\.4243 "worker-4243" +0x0000000000001000 in \?\? \(\)$/m);
    assert.match(out, /^process 4242$/m);
    assert.match(out, /^\s+0x1000\s+0x2000\s+0x1000\s+0x0\s+r-xp\s+\/fake\/prog$/m);
    assert.match(out, /^\s+0x7ffffffde000\s+0x7ffffffff000\s+0x21000\s+0x0\s+rw-p\s+\[stack\]$/m);
    assert.match(out, /^Hardware watchpoint 1: \*\(int\*\)0x2010$/m);
    assert.match(out, /hit Hardware watchpoint 1: \*\(int\*\)0x2010\s+Old value = 0\s+New value = 67305985/);
    assert.match(out, /^rip\s+0x100c\s/m);
    assert.match(out, /^\$1 = 0x77$/m);
    assert.equal(target.reg(4242, REG.rcx), 0x77n);
    assert.match(out, /^0x2000:\s+0x12345678$/m);
    assert.match(out, /^\$2 = 10240$/m);
    assert.match(out, /^\$3 = -1$/m);
    assert.match(out, /AT_ENTRY\s+Entry point of program\s+0x1000/);
    assert.match(out, /\[Inferior 1 \(process 4242\) detached\]/);
    assert.equal(target.state, 'detached');
  });

  it('interrupts a running program on Ctrl-C and reports exit codes', async function () {
    const looping = loopingTarget();
    const a = await runGdb(looping, ['continue', 'info registers rip', 'kill'], { interruptWhenRunning: true });
    assert.match(a.out, /Program received signal SIGINT, Interrupt\./, a.out);
    assert.ok(looping.log.includes('interrupt'));
    assert.match(a.out, /\[Inferior 1 \(process 4242\) killed\]/);

    const exiting = new FakeTarget({ pid: 4242, program: program([[0x1008n, { op: 'exit', status: 3 }]]) });
    const b = await runGdb(exiting, ['continue']);
    assert.match(b.out, /\[Inferior 1 \(process 4242\) exited with code 03\]/, b.out);
  });

  it('loads the executable\'s symbols through vFile (sysroot target:)', async function () {
    const elfPath = fileURLToPath(new URL('../../../fixtures/build/nolibc/asm_hello', import.meta.url));
    requireFile(this, elfPath, 'npm run fixtures');
    const target = new FakeTarget({ pid: 4242, execPath: '/bin/hello', files: new Map([['/bin/hello', readFileSync(elfPath)]]) });
    const { out, code } = await runGdb(target, ['info symbol 0x401000', 'p &_start', 'kill']);
    assert.equal(code, 0, out);
    assert.match(out, /^Reading symbols from target:\/bin\/hello\.\.\.$/m, out);
    assert.match(out, /^_start in section \.text$/m);
    assert.match(out, /0x401000 <_start>/);
  });

  it('works in acknowledged mode without multiprocess', async function () {
    const target = loopingTarget();
    let acks = 0;
    const { out } = await runGdb(target, ['break *0x1010', 'continue', 'stepi', 'p $pc', 'kill'], {
      before: ['set remote noack-packet off'],
      stub: { multiprocess: false, log: (dir, p) => (acks += dir === '<-' && p === 'QStartNoAckMode' ? 1 : 0) },
    });
    assert.equal(acks, 0); // gdb never asked to leave ack mode
    assert.match(out, /^Breakpoint 1, 0x0000000000001010 in \?\? \(\)$/m, out);
    assert.match(out, /^\$1 = \(void \(\*\)\(\)\) 0x1014$/m);
  });
});
