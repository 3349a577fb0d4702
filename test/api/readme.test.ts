// The README's "Programmable API" example, run exactly as written: its C block is compiled
// with the command in its first line, its JavaScript block runs with Node next to the
// program, importing 'ushim' through a node_modules link to this package (so the package
// entry, "main": dist/emu/index.js, is what it gets). The README and this test cannot drift.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readmeBlocks } from '../readme-blocks.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

describe('README: Programmable API example', function () {
  this.timeout(60000);
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ushim-readme-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs as written', () => {
    const blocks = readmeBlocks('## Programmable API');
    const c = blocks.find((b) => b.lang === 'c');
    const js = blocks.find((b) => b.lang === 'js');
    assert.ok(c !== undefined && js !== undefined, 'the section has a c and a js block');
    const m = /^\/\/ (\S+\.c), built with: (gcc .*)$/m.exec(c.code);
    assert.ok(m !== null, 'the C block says how it is built');
    writeFileSync(join(dir, m[1]), c.code);
    const [cc, ...args] = m[2].split(/\s+/);
    const build = spawnSync(cc, args, { cwd: dir, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(root, join(dir, 'node_modules', 'ushim'));
    writeFileSync(join(dir, 'example.mjs'), js.code);
    const run = spawnSync(process.execPath, ['example.mjs'], { cwd: dir, encoding: 'utf8', timeout: 50000 });
    assert.equal(run.stderr, '');
    assert.equal(run.status, 0);
    assert.equal(run.stdout, 'ok\n');
  });
});
