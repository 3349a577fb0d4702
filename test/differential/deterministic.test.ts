// --deterministic: scheduling is a pure function of the program and its input (a virtual
// clock advanced by executed work, fixed slices), so threaded and forking programs give
// byte-identical output and --strace traces on every run.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIXTURES_BUILD, ScratchDir, runUshim } from './harness.js';
import { unifiedDiff } from './unified-diff.js';
import { requireFile } from '../host-requirements.js';

/** Threads contending on locks, fork/exec/wait chains, a three-process pipeline, signals; whether they take the scratch dir. */
const PROGRAMS: [string, boolean][] = [['threads_sync', false], ['fork_exec', true], ['pipeline', false], ['signals_basic', false]];
const VARIANTS = ['glibc', 'musl'];

describe('--deterministic: identical runs', function () {
  this.timeout(300_000);

  for (const variant of VARIANTS) {
    for (const [name, takesDir] of PROGRAMS) {
      const bin = path.join(FIXTURES_BUILD, variant, name);
      it(`${name} (${variant}): two runs, the same output and byte-identical --strace`, function () {
        requireFile(this, bin, 'npm run fixtures');
        const scratch = new ScratchDir();
        try {
          const runs = [0, 1].map((i) => {
            scratch.reset();
            const trace = path.join(scratch.path, '..', `${path.basename(scratch.path)}-${i}.strace`);
            const r = runUshim(bin, takesDir ? [scratch.path] : [], { cwd: scratch.path, ushimArgs: ['--deterministic', `--strace=${trace}`] });
            const text = fs.readFileSync(trace, 'utf8');
            fs.rmSync(trace);
            return { r, text };
          });
          const [a, b] = runs;
          assert.equal(a.r.error, undefined, a.r.error);
          assert.equal(a.r.status, 0, a.r.stderr);
          assert.equal(b.r.status, a.r.status);
          assert.equal(b.r.stdout, a.r.stdout, unifiedDiff(a.r.stdout, b.r.stdout, 'first', 'second'));
          assert.ok(a.text.split('\n').length > 100, 'the trace is not empty');
          assert.ok(/^\[pid \d+\] /m.test(a.text), 'more than one task appears in the trace');
          assert.equal(b.text, a.text, unifiedDiff(a.text, b.text, 'first', 'second'));
        } finally {
          scratch.remove();
        }
      });
    }
  }
});
