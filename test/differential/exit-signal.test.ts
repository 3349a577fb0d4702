// A guest that dies of a signal makes ushim die of the same signal, as its parent would see
// natively (WIFSIGNALED, WTERMSIG), and ushim adds no line of its own for signals that do
// not dump core: shell-driven test suites compare that output.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIXTURES_BUILD, compare, emulatorCommand, runNative, runUshim } from './harness.js';

describe('death by signal looks native to the parent', function () {
  for (const sig of ['TERM', 'PIPE', 'INT', 'HUP', 'USR1', 'KILL', 'SEGV', 'ABRT']) {
    it(`SIG${sig}`, function () {
      const args = ['sh', '-c', `echo before; kill -${sig} $$; echo after`];
      const native = runNative('/bin/busybox', args);
      const ushim = runUshim('/bin/busybox', args);
      assert.equal(native.signal, `SIG${sig}`);
      assert.deepEqual(
        { signal: ushim.signal, status: ushim.status, stdout: ushim.stdout, stderr: ushim.stderr },
        { signal: native.signal, status: native.status, stdout: native.stdout, stderr: native.stderr },
      );
    });
  }

  it('a non-core signal prints nothing even with the crash report on', function () {
    const r = runUshim('/bin/busybox', ['sh', '-c', 'kill -TERM $$'], { ushimArgs: ['--crash-report=on'] });
    assert.equal(r.signal, 'SIGTERM');
    assert.equal(r.stderr, '');
  });

  it('an exit status of 128+N stays an exit status', function () {
    compare('/bin/busybox', ['sh', '-c', 'exit 141'], { expectStatus: 141 });
  });
});

describe('host signals reach the guest', function () {
  it('SIGUSR1 to ushim runs the guest handler and opens no inspector', async function () {
    const [node, ...rest] = emulatorCommand();
    const child = spawn(node, [...rest, '/bin/busybox', 'sh', '-c', 'trap "echo got USR1; exit 0" USR1; echo ready; while :; do sleep 0.05; done']);
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out === 'ready\n') child.kill('SIGUSR1');
      });
      child.on('close', (c) => resolve(c));
    });
    assert.equal(out, 'ready\ngot USR1\n');
    assert.equal(code, 0);
    assert.doesNotMatch(err, /Debugger/);
  });
});

describe('a guest waiting for a signal only a host process can send', function () {
  /** Runs pause_wake in its "host" mode and sends SIGUSR1 well after each "ready". */
  async function wakeTwice(command: string[]): Promise<{ out: string; code: number | null }> {
    const [cmd, ...args] = command;
    const child = spawn(cmd, [...args, 'host']);
    let out = '';
    const code = await new Promise<number | null>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.endsWith('ready\n')) setTimeout(() => child.kill('SIGUSR1'), 800);
      });
      child.on('close', (c) => resolve(c));
    });
    return { out, code };
  }

  it('waits in pause() and sigsuspend() instead of being killed as deadlocked', async function () {
    const program = path.join(FIXTURES_BUILD, 'glibc', 'pause_wake');
    if (!fs.existsSync(program)) throw new Error('fixtures not built (npm run fixtures)');
    const native = await wakeTwice([program]);
    const ushim = await wakeTwice([...emulatorCommand(), program]);
    assert.equal(native.out, 'ready\npause woken by SIGUSR1\nready\nsigsuspend woken by SIGUSR1\n');
    assert.deepEqual(ushim, native);
  });
});
