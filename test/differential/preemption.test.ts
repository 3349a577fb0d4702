// Time slices end by a timer thread's asynchronous stop (cpu/preempt-timer.ts), not by
// counting instructions: programs cut into 1 ms slices must compute exactly what they
// compute natively (a stop that left pc at the start of a half-run block would run
// instructions twice: cpu/exit-checks.ts), and a guest spinning without system calls must
// still take the signals sent to ushim.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { requireFile } from '../host-requirements.js';
import { BASE_ENV, FIXTURES_BUILD, compare, emulatorCommand } from './harness.js';

const SLICE_1MS = { ushimArgs: ['--time-slice', '1'] };
const fixture = (name: string): string => path.join(FIXTURES_BUILD, 'glibc', name);

/** Starts cmd, waits for its first output line, sends SIGINT: how it ended. */
function interruptAfterStart(command: string[]): Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), { env: { ...BASE_ENV }, timeout: 30_000, killSignal: 'SIGKILL' });
    let stdout = '';
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
      if (stdout.includes('\n')) child.kill('SIGINT');
    });
    child.on('close', (status, signal) => resolve({ status, signal, stdout }));
  });
}

describe('preemption without counting instructions', function () {
  this.timeout(120_000);

  it('a guest spinning without system calls dies of the SIGINT sent to ushim, as natively', async function () {
    requireFile(this, fixture('spin'), 'fixtures/build.sh');
    const native = await interruptAfterStart([fixture('spin'), 'forever']);
    const emu = emulatorCommand();
    const ushim = await interruptAfterStart([...emu, '--crash-report=off', fixture('spin'), 'forever']);
    assert.equal(native.signal, 'SIGINT');
    assert.deepEqual(ushim, native);
  });

  for (const name of ['compute', 'threads_spin', 'threads_sync', 'slice_boundary']) {
    it(`${name}, cut into 1 ms slices`, function () {
      requireFile(this, fixture(name), 'fixtures/build.sh');
      compare(fixture(name), [], SLICE_1MS);
    });
  }

  it('jit_stress, cut into 1 ms slices', function () {
    requireFile(this, fixture('jit_stress'), 'fixtures/build.sh');
    compare(fixture('jit_stress'), ['5000'], SLICE_1MS);
  });

  it('python3 threads (dynamic), cut into 1 ms slices', function () {
    const script = 'import threading\nout = []\nlock = threading.Lock()\ndef work(i):\n    s = sum(j * j for j in range(i * 20000))\n    with lock: out.append(s)\nts = [threading.Thread(target=work, args=(i,)) for i in range(6)]\nfor t in ts: t.start()\nfor t in ts: t.join()\nprint(sorted(out))';
    compare('/usr/bin/python3', ['-c', script], SLICE_1MS);
  });
});
