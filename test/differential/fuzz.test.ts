// The seeded differential syscall fuzzer (issue 12): fixtures/src/fuzz_syscalls.c makes the
// same random calls natively and under ushim (valid and bad fds, names in a scratch
// directory, random flags, bad pointers). Both sides run inside bubblewrap with the host
// read-only and an unprivileged uid, so that a call the fuzzer should not have made cannot
// touch this machine. The result class of each call (a value or which errno) must agree for
// at least 95% of the calls before the first divergence in state, and ushim must never print
// an internal error or a stack trace.

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hasTool, requireHost } from '../host-requirements.js';
import { agreement } from './fuzz-agreement.js';
import { FIXTURES_BUILD, REPO_ROOT, emulatorCommand } from './harness.js';

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
const CALLS = 2000;
const REQUIRED_AGREEMENT = 0.95;
const JS_TRACE = /^\s+at |internal error|Error:|^ushim:/m;

/** Runs command inside bubblewrap: host read-only, scratch writable, uid 65534, own pid namespace. */
function contained(scratch: string, command: string[]): { stdout: string; stderr: string; status: number | null; signal: NodeJS.Signals | null } {
  const r = spawnSync('bwrap', [
    // The checkout may itself live under /tmp: it is bound back read-only over the fresh /tmp.
    '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp', '--ro-bind', REPO_ROOT, REPO_ROOT, '--bind', scratch, scratch,
    '--unshare-user', '--uid', '65534', '--unshare-pid', '--die-with-parent', ...command,
  ], { encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status, signal: r.signal };
}

describe('differential syscall fuzzer (bubblewrap, uid 65534)', function () {
  this.timeout(600_000);
  const program = path.join(FIXTURES_BUILD, 'glibc', 'fuzz_syscalls');

  before(function () {
    requireHost(this, hasTool('bwrap'), 'bwrap (Debian: bubblewrap)');
    if (!fs.existsSync(program)) throw new Error('fixtures not built (npm run fixtures)');
  });

  it(`agrees on >= ${REQUIRED_AGREEMENT * 100}% of ${SEEDS.length} x ${CALLS} calls before state diverges`, function () {
    let compared = 0;
    let agreed = 0;
    const report: string[] = [];
    for (const seed of SEEDS) {
      const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ushim-fuzz-'));
      try {
        for (const side of ['native', 'ushim']) fs.mkdirSync(path.join(scratch, side), { mode: 0o777 });
        fs.chmodSync(scratch, 0o777);
        for (const side of ['native', 'ushim']) fs.chmodSync(path.join(scratch, side), 0o777);
        const args = [String(seed), String(CALLS)];
        const native = contained(scratch, [program, path.join(scratch, 'native'), ...args]);
        const ushim = contained(scratch, [...emulatorCommand(), program, path.join(scratch, 'ushim'), ...args]);
        assert.doesNotMatch(ushim.stderr, JS_TRACE, `seed ${seed}: ushim printed an internal error:\n${ushim.stderr}`);
        assert.deepEqual({ status: ushim.status, signal: ushim.signal }, { status: native.status, signal: native.signal }, `seed ${seed}: exit`);
        const a = agreement(native.stdout, ushim.stdout);
        compared += a.compared;
        agreed += a.agreed;
        const where = a.divergence === undefined ? 'no divergence in state' : `state diverges at native "${a.divergence.native}" / ushim "${a.divergence.ushim}"`;
        report.push(`seed ${seed}: ${a.agreed}/${a.compared} agree; ${where}`);
        for (const d of a.disagreements.slice(0, 5)) report.push(`  native "${d.native}" / ushim "${d.ushim}"`);
      } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
      }
    }
    const figure = agreed / compared;
    console.log(`      fuzz: ${agreed}/${compared} calls agree before state diverges (${(figure * 100).toFixed(1)}%)`);
    assert.ok(figure >= REQUIRED_AGREEMENT, `agreement ${(figure * 100).toFixed(1)}%:\n${report.join('\n')}`);
  });
});
