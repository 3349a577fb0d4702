// A guest waiting for something only the host can bring (a FIFO's other end) is parked, not
// stuck in a host call: host signals still reach it, and ushim dies of SIGTERM promptly.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { emulatorCommand } from './harness.js';

/** Runs `busybox sh -c script` under ushim, sends SIGTERM once it printed "ready", and reports how it ended. */
async function terminateWhenReady(script: string, cwd: string): Promise<{ out: string; signal: NodeJS.Signals | null; ms: number }> {
  const [node, ...rest] = emulatorCommand();
  const child = spawn(node, [...rest, '/bin/busybox', 'sh', '-c', script], { cwd });
  let out = '';
  let sentAt = 0;
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out === 'ready\n') {
        // Long enough for the guest to be parked in its open().
        setTimeout(() => {
          sentAt = performance.now();
          child.kill('SIGTERM');
        }, 300);
      }
    });
    child.on('close', (_code, sig) => resolve(sig));
  });
  clearTimeout(timer);
  return { out, signal, ms: performance.now() - sentAt };
}

describe('a guest blocked on the host still takes host signals', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ushim-fifo-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('SIGTERM ends a guest opening a FIFO for reading with no writer', async function () {
    const r = await terminateWhenReady('mkfifo f; echo ready; exec cat f', dir);
    assert.deepEqual({ out: r.out, signal: r.signal }, { out: 'ready\n', signal: 'SIGTERM' });
    assert.ok(r.ms < 2000, `ushim took ${Math.round(r.ms)} ms to die`);
  });

  it('SIGTERM ends a guest opening a FIFO for writing with no reader', async function () {
    const r = await terminateWhenReady('mkfifo f; echo ready; echo never > f', dir);
    assert.deepEqual({ out: r.out, signal: r.signal }, { out: 'ready\n', signal: 'SIGTERM' });
    assert.ok(r.ms < 2000, `ushim took ${Math.round(r.ms)} ms to die`);
  });
});
