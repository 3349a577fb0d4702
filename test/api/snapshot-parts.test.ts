// Snapshots keep the sharing of a process's parts: a parent and a child made with
// clone(CLONE_FS | CLONE_FILES) still share their fs context (cwd, umask) and fd table after
// a restore, so the child's chdir, umask and open are seen by the parent as in the first run.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Emulator } from '../../emu/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const source = join(root, 'test', 'api', 'src', 'shared_parts.c');

describe('snapshots of shared process parts', function () {
  this.timeout(30000);
  let dir: string;
  let program: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ushim-parts-'));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'file'), 'in sub');
    program = join(dir, 'shared_parts');
    await new Promise<void>((resolve, reject) => {
      const cc = spawn('gcc', ['-static', '-O0', '-o', program, source], { stdio: 'inherit' });
      cc.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`gcc failed with ${code}`))));
    });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a CLONE_FS | CLONE_FILES child and its parent share cwd, umask and fds after a restore', () => {
    const emu = Emulator.load({ program, argv: ['shared_parts', dir] });
    try {
      emu.addBreakpoint('checkpoint');
      assert.equal(emu.run().reason, 'breakpoint');
      const snap = emu.snapshot();
      emu.removeBreakpoint('checkpoint');
      assert.deepEqual(emu.run(), { reason: 'exited', status: { code: 0 } });
      const expected = 'cwd sub umask 077 fd 3 reads in sub\n';
      assert.equal(emu.stdout, expected);
      for (let i = 0; i < 2; i++) {
        emu.restore(snap);
        assert.deepEqual(emu.run(), { reason: 'exited', status: { code: 0 } });
        assert.equal(emu.stdout, expected);
      }
      snap.dispose();
    } finally {
      emu.close();
    }
  });
});
