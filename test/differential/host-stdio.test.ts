// The host's stdio as test runners wire it: stdout and stderr on one pipe (2>&1) read by a
// slow reader. Node makes that pipe non-blocking for itself; the guest's blocking writes must
// still all arrive (none may fail with EAGAIN or be cut short).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { emulatorCommand } from './harness.js';

/** Counts what arrives, reading 64 KiB at a time with a pause after each read. */
const SLOW_READER = `
import sys, time
total = 0
time.sleep(0.3)
while True:
    b = sys.stdin.buffer.read1(65536)
    if not b: break
    total += len(b)
    time.sleep(0.001)
print(total)
`;

function throughSlowPipe(command: string[]): string {
  const quoted = command.map((a) => `'${a}'`).join(' ');
  const r = spawnSync('/bin/sh', ['-c', `${quoted} 2>&1 | python3 -c "$SLOW_READER"`], { encoding: 'utf8', env: { ...process.env, SLOW_READER } });
  return r.stdout;
}

describe('host stdio', function () {
  it('2>&1 into a slow reader loses nothing', function () {
    const program = ['/bin/busybox', 'sh', '-c', '/bin/busybox seq 1 300000'];
    const native = throughSlowPipe(program);
    assert.equal(native, '1988895\n');
    assert.equal(throughSlowPipe([...emulatorCommand(), ...program]), native);
  });
});
