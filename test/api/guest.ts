// What the API tests share: building their guest programs from test/api/src at test time
// (gcc -static -O0) and the snapshot round trip they check a restore with.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Emulator } from '../../emu/index.js';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const srcDir = join(root, 'test', 'api', 'src');

/** Compiles test/api/src/<name>.c into `out`; gcc's messages are the error on failure. */
export function compileGuest(name: string, out: string, extra: string[] = []): Promise<void> {
  return new Promise((resolve, reject) => {
    const cc = spawn('gcc', ['-static', '-O0', ...extra, '-o', out, join(srcDir, `${name}.c`)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    cc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    cc.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`gcc ${name}.c failed: ${err}`))));
  });
}

/** A guest program built into a temporary directory of its own, with the files it works on. */
export interface BuiltGuest {
  dir: string;
  program: string;
}

/**
 * Registers the calling describe block's before and after hooks: before, test/api/src/<name>.c
 * is built into a new temporary directory, which `prepare` may fill; after, the directory is
 * removed. The returned object holds the paths once the hook has run.
 */
export function guestBuiltForSuite(name: string, extra: string[] = [], prepare: (dir: string) => void = () => undefined): BuiltGuest {
  const guest: BuiltGuest = { dir: '', program: '' };
  before(async () => {
    guest.dir = mkdtempSync(join(tmpdir(), `ushim-${name}-`));
    prepare(guest.dir);
    guest.program = join(guest.dir, name);
    await compileGuest(name, guest.program, extra);
  });
  after(() => rmSync(guest.dir, { recursive: true, force: true }));
  return guest;
}

/**
 * Runs the guest to its `checkpoint` function, calls `atCheckpoint` there, takes a snapshot
 * and lets the guest exit with status 0 and `expected` as its output; then restores the
 * snapshot twice, and each rerun must end the same way.
 */
export function assertSnapshotReplays(emu: Emulator, expected: string, atCheckpoint: () => void = () => undefined): void {
  emu.addBreakpoint('checkpoint');
  assert.equal(emu.run().reason, 'breakpoint');
  atCheckpoint();
  const snap = emu.snapshot();
  emu.removeBreakpoint('checkpoint');
  assert.deepEqual(emu.run(), { reason: 'exited', status: { code: 0 } });
  assert.equal(emu.stdout, expected);
  for (let i = 0; i < 2; i++) {
    emu.restore(snap);
    assert.deepEqual(emu.run(), { reason: 'exited', status: { code: 0 } });
    assert.equal(emu.stdout, expected);
  }
  snap.dispose();
}
