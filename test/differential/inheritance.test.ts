// What the first guest process inherits from whoever starts ushim, as execve passes it on:
// the umask and the resource limits (set here by a host shell just before it runs the
// program natively or under ushim).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { emulatorCommand } from './harness.js';

function underHostShell(setup: string, guest: string[]): string {
  const quoted = guest.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const r = spawnSync('/bin/sh', ['-c', `${setup}; exec ${quoted}`], { encoding: 'utf8' });
  return `${r.status} ${r.stdout}${r.stderr}`;
}

describe('inherited from the host process', function () {
  const probe = ['/bin/busybox', 'sh', '-c', 'umask; ulimit -n; ulimit -s; ulimit -c'];
  for (const setup of ['umask 0', 'umask 077; ulimit -n 333; ulimit -s 4096; ulimit -c 0']) {
    it(setup, function () {
      const native = underHostShell(setup, probe);
      assert.equal(underHostShell(setup, [...emulatorCommand(), ...probe]), native);
    });
  }
});
