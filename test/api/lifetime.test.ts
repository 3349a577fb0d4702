// Emulators give back what they hold when closed (guest RAM, the engine, host fds): 200 of
// them created, run and closed one after another in one Node process keep its RSS within 2x
// of what it is after 10. A child Node process (--expose-gc) runs the loop, so that this
// process's own heap and the other tests do not count.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const program = join(root, 'fixtures', 'build', 'nolibc', 'asm_hello');
const api = pathToFileURL(join(root, 'dist', 'emu', 'index.js')).href;

const LOOP = `
import { Emulator } from ${JSON.stringify(api)};
const program = ${JSON.stringify(program)};
function once() {
  const emu = Emulator.load({ program });
  const stop = emu.run();
  if (stop.reason !== 'exited' || stop.status.code !== 7 || emu.stdout !== 'hello from raw syscalls\\n') throw new Error('unexpected end: ' + JSON.stringify(stop));
  emu.close();
}
function rss() {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().rss;
}
for (let i = 0; i < 10; i++) once();
const after10 = rss();
for (let i = 10; i < 200; i++) once();
process.stdout.write(JSON.stringify({ after10, after200: rss() }));
`;

describe('Emulator lifetime', function () {
  this.timeout(300_000);

  it('200 emulators created, run and closed keep RSS within 2x of 10', () => {
    assert.ok(existsSync(program), `${program} is missing: run npm run fixtures`);
    const r = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', LOOP], { encoding: 'utf8', maxBuffer: 1 << 20 });
    assert.equal(r.status, 0, r.stderr);
    const { after10, after200 } = JSON.parse(r.stdout) as { after10: number; after200: number };
    assert.ok(after200 <= 2 * after10, `RSS ${after200 >> 20} MiB after 200 emulators, ${after10 >> 20} MiB after 10`);
  });
});
