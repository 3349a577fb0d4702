// Sizing guest RAM where the host limits address space (ulimit -v): --memory the host will
// not reserve is refused with one line and status 1; without --memory, guest RAM shrinks
// to what the host reserves, and the guest sees that in /proc/meminfo. ushim-only (about
// ushim's own start), so no native comparison.

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { totalmem } from 'node:os';
import { emulatorCommand } from './harness.js';

/** 8 GB of address space: room for Node and the engine, not for the host's RAM of 24 GiB. */
const LIMIT_KB = 8_000_000;

function underLimit(args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync('sh', ['-c', `ulimit -v ${LIMIT_KB} && exec "$@"`, 'sh', ...emulatorCommand(), ...args], { encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe('guest RAM the host cannot reserve (ulimit -v)', function () {
  this.timeout(60_000);
  before(function () {
    if (totalmem() / 1024 <= LIMIT_KB) this.skip(); // the default would fit anyway
  });

  it('refuses --memory beyond it with one line and status 1', () => {
    const r = underLimit(['--memory', '100G', '/bin/true']);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, 'ushim: cannot reserve 107374182400 bytes of guest RAM on this host\n');
  });

  it('gives a host-sized guest what the host reserves instead, and says so in /proc/meminfo', () => {
    const r = underLimit(['/bin/sh', '-c', 'head -n 1 /proc/meminfo']);
    assert.equal(r.status, 0, r.stderr);
    const kb = Number(/^MemTotal:\s+(\d+) kB\n$/.exec(r.stdout)?.[1]);
    assert.ok(kb > 0 && kb < LIMIT_KB, r.stdout);
  });
});
