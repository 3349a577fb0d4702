// Real runtimes that generate machine code (issue 14), each differential against one native
// run and repeated under ushim: V8 (with zlib, crypto, a worker thread, a child process and
// koffi's call trampolines), LuaJIT's trace compiler, and CPython. A stale translation or a
// resume inside an instruction shows up as a wrong line, a crash or a hang in some run.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { requireFile } from '../host-requirements.js';
import { BASE_ENV, FIXTURES_BUILD, REPO_ROOT, type RunResult, emulatorCommand, runNative } from './harness.js';

const RUNS = 20;
/** ushim runs one guest thread at a time: two runs at once keep both cores of CI busy. */
const PARALLEL = 2;

interface Outcome {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runUshimAsync(cmd: string, args: string[], timeoutMs: number): Promise<Outcome> {
  const emu = emulatorCommand();
  return new Promise((resolve) => {
    const child = spawn(emu[0], [...emu.slice(1), '--crash-report=off', cmd, ...args], { env: { ...BASE_ENV }, cwd: os.tmpdir(), timeout: timeoutMs, killSignal: 'SIGKILL' });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.stdin.end();
    child.on('close', (status, signal) => resolve({ status, signal, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
  });
}
const SCRIPTS = path.join(REPO_ROOT, 'test', 'differential', 'runtimes');

function summary(r: Outcome | RunResult): string {
  return JSON.stringify({ status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr });
}

/** Runs cmd natively once and under ushim RUNS times; every ushim run must match the native one. */
async function repeatedly(cmd: string, args: string[], timeoutMs: number): Promise<void> {
  const native = runNative(cmd, args, { timeoutMs });
  assert.equal(native.status, 0, `native run failed: ${summary(native)}`);
  const failures: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < RUNS; i = next++) {
      const u = await runUshimAsync(cmd, args, timeoutMs);
      if (u.status !== native.status || u.signal !== null || u.stdout !== native.stdout || u.stderr !== native.stderr) {
        failures.push(`run ${i + 1}: ${summary(u)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  assert.deepEqual(failures, [], `expected: ${summary(native)}`);
}

describe('JIT runtimes, each run 20 times under ushim (native vs ushim)', function () {
  it('node: hot loops, zlib, crypto, worker_threads, child_process of a static program, koffi', async function () {
    this.timeout(RUNS * 90_000);
    await repeatedly(process.execPath, [path.join(SCRIPTS, 'node-jit.mjs'), REPO_ROOT, '/bin/busybox'], 90_000);
  });

  it('luajit: compiled traces, side traces and a trace recompiled after a global changes', async function () {
    this.timeout(RUNS * 60_000);
    requireFile(this, '/usr/bin/luajit', 'Debian package luajit, installed by scripts/setup.sh');
    await repeatedly('/usr/bin/luajit', [path.join(SCRIPTS, 'luajit-hot.lua')], 60_000);
  });

  // ushim's own Unicorn inside ushim: the outer one runs the inner one's translated code,
  // which it writes, chains (patching jumps in place) and flushes. Stale code there killed the
  // inner node within its first block (issue 14: Unicorn 2.1.1 stopped checking a page for
  // code after a store beside it; see jit_stress's *-data patterns).
  it('ushim inside ushim: busybox echo', async function () {
    this.timeout(RUNS * 120_000);
    await repeatedly(process.execPath, [path.join(REPO_ROOT, 'bin', 'ushim'), '/bin/busybox', 'echo', 'nested'], 120_000);
  });

  it('ushim inside ushim: the JIT stress fixture, every pattern', async function () {
    this.timeout(RUNS * 120_000);
    await repeatedly(process.execPath, [path.join(REPO_ROOT, 'bin', 'ushim'), path.join(FIXTURES_BUILD, 'glibc', 'jit_stress'), '40'], 120_000);
  });

  it('python3: the interpreter loop, dicts, sorting and hashlib', async function () {
    this.timeout(RUNS * 60_000);
    const script = 'import hashlib\nd = {i: i * i % 1009 for i in range(200000)}\nprint(sum(sorted(d.values())[:1000]), hashlib.sha256(bytes(range(256)) * 1000).hexdigest())';
    await repeatedly('/usr/bin/python3', ['-c', script], 60_000);
  });
});
