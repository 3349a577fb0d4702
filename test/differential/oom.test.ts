// A guest that runs out of guest RAM (ushim --memory, far below what the fixture touches):
// ushim kills it as Linux's OOM killer would (SIGKILL, one line saying so) and dies of the
// same signal (a shell sees status 137); kernel-side copies and MAP_POPULATE fail with an errno; no JavaScript error
// reaches the user. ushim-only (a native run would not run out), so no native comparison.

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIXTURES_BUILD, type RunResult, emulatorCommand, runUshim } from './harness.js';

const SMALL_RAM = ['--memory', '64M'];
/** No stack frame ("    at fn (file:line)") and no internal-error line on stderr. */
const JS_TRACE = /^\s+at |internal error|Error:/m;

function run(variant: string, args: string[]): RunResult {
  const r = runUshim(path.join(FIXTURES_BUILD, variant, 'oom'), args, { ushimArgs: SMALL_RAM });
  assert.equal(r.error, undefined, r.error);
  assert.doesNotMatch(r.stderr, JS_TRACE, r.stderr);
  return r;
}

for (const variant of ['glibc', 'musl']) {
  describe(`out of guest memory (${variant}, --memory 64M)`, function () {
    before(function () {
      if (!fs.existsSync(path.join(FIXTURES_BUILD, variant, 'oom'))) throw new Error('fixtures not built (npm run fixtures)');
    });

    it('kills a guest that touches more than guest RAM with SIGKILL, and says so', () => {
      const r = run(variant, ['touch', '256']);
      assert.equal(r.signal, 'SIGKILL');
      assert.equal(r.stdout, 'oom touch\n');
      assert.match(r.stderr, /^ushim: out of guest memory: killed process \d+ \(oom\)\n$/);
    });

    it('exits with status 137 as a shell sees it', () => {
      const bin = path.join(FIXTURES_BUILD, variant, 'oom');
      const r = spawnSync('sh', ['-c', '"$@"; echo "status $?"', 'sh', ...emulatorCommand(), ...SMALL_RAM, bin, 'touch', '256'], { encoding: 'utf8' });
      assert.equal(r.stdout, 'oom touch\nstatus 137\n');
      // ushim's one line, then the shell's own report of the signal (dash says "Killed").
      assert.match(r.stderr, /^ushim: out of guest memory: killed process \d+ \(oom\)\n(Killed\n)?$/);
    });

    it('fails mmap(MAP_POPULATE) that does not fit with ENOMEM; the guest carries on', () => {
      const r = run(variant, ['populate', '128']);
      assert.equal(r.status, 0);
      assert.equal(r.stdout, 'oom populate\nmmap 128 MiB MAP_POPULATE: ENOMEM\ndone\n');
      assert.equal(r.stderr, '');
    });

    it('fails a kernel-side copy that runs out (read into untouched memory) without killing the guest', () => {
      const r = run(variant, ['read', '128']);
      assert.equal(r.status, 0);
      assert.match(r.stdout, /^oom read\nread 128 MiB of \/dev\/zero: (EFAULT|short)\ndone\n$/);
    });

    it('runs the same guest normally when it fits', () => {
      const r = run(variant, ['touch', '16']);
      assert.equal(r.status, 0);
      assert.equal(r.stdout, 'oom touch\ntouched 16 MiB\n');
    });
  });
}
