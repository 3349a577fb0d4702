// Names are bytes (issue 10): arguments, environment variables, the working directory and
// --root given to ushim's command line reach the guest with their exact bytes, also where
// they are not UTF-8 (which Node's process.argv, process.env and process.cwd() decode
// lossily). The byte_names fixture checks the file-system side itself (fixtures.test.ts).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIXTURES_BUILD, ScratchDir, emulatorCommand, runNative } from './harness.js';

const FIXTURE = path.join(FIXTURES_BUILD, 'glibc', 'byte_names');

/** A host shell line that creates a directory named d\376, enters it and runs "$@" with byte arguments and environment. */
const SCRIPT = [
  `mkdir "$(printf 'd\\376')" && cd "$(printf 'd\\376')"`,
  `exec env BYTES_ONE="$(printf '\\377\\376')" "$(printf 'BYTES_\\351')=x" "$@" --show "$(printf 'a\\377')" "$(printf '\\303\\251')" '' "$(printf '\\200\\200')"`,
].join(' && ');

describe('byte-exact command line, environment and working directory', function () {
  this.timeout(60_000);

  it('reach the guest as they reach a native program', function () {
    if (!fs.existsSync(FIXTURE)) this.skip();
    const native = new ScratchDir();
    const emulated = new ScratchDir();
    const a = runNative('/bin/sh', ['-c', SCRIPT, 'sh', FIXTURE], { cwd: native.path });
    const b = runNative('/bin/sh', ['-c', SCRIPT, 'sh', ...emulatorCommand(), FIXTURE], { cwd: emulated.path });
    assert.equal(a.status, 0, a.stderr);
    assert.match(a.stdout, /cwd's last name: "\/d\\376"/);
    assert.equal(b.stderr, a.stderr);
    assert.equal(b.stdout, a.stdout);
    assert.equal(b.status, a.status);
  });

  it('--root may be a directory whose name is not UTF-8', function () {
    if (!fs.existsSync(FIXTURE)) this.skip();
    const scratch = new ScratchDir();
    const root = Buffer.concat([Buffer.from(scratch.path + '/r'), Buffer.from([0xfe])]);
    fs.mkdirSync(root);
    fs.copyFileSync(FIXTURE, Buffer.concat([root, Buffer.from('/byte_names')]));
    const run = runNative('/bin/sh', ['-c', `cd / && exec "$@" --root "$(printf '${scratch.path}/r\\376')" /byte_names --show "$(printf 'x\\377')"`, 'sh', ...emulatorCommand()]);
    assert.equal(run.stderr, '');
    assert.equal(run.status, 0);
    assert.match(run.stdout, /argv: "x\\377"/);
  });
});
