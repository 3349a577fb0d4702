// A snapshot taken while a userfaultfd has a pending fault (a thread parked on a tracked
// page, its message not yet read) and a trampfd v1 trampoline is mapped: restored, the
// guest finishes with the same output as the first run, as often as it is restored.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Emulator } from '../../emu/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const source = join(root, 'test', 'api', 'src', 'uffd_tramp.c');
const includes = ['-I', join(root, 'fixtures', 'src'), '-I', join(root, 'fixtures', 'include')];

describe('snapshots of userfaultfd and trampfd state', function () {
  this.timeout(30000);
  let dir: string;
  let program: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ushim-uffd-tramp-'));
    program = join(dir, 'uffd_tramp');
    await new Promise<void>((resolve, reject) => {
      const cc = spawn('gcc', ['-static', '-O0', '-pthread', ...includes, '-o', program, source], { stdio: 'inherit' });
      cc.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`gcc failed with ${code}`))));
    });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('restores a pending userfaultfd fault and a mapped trampfd v1 trampoline', () => {
    const emu = Emulator.load({ program });
    try {
      emu.addBreakpoint('checkpoint');
      assert.equal(emu.run().reason, 'breakpoint');
      // The worker is parked on its fault.
      assert.equal(emu.threads().length, 2);
      const snap = emu.snapshot();
      emu.removeBreakpoint('checkpoint');
      assert.deepEqual(emu.run(), { reason: 'exited', status: { code: 0 } });
      const expected = "fault at offset 0\ntrampoline's rdi 4\nworker read 42, trampoline returned 502\n";
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
