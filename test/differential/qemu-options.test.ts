// ushim as a drop-in for qemu-x86_64: qemu-user's option spellings and environment variables,
// and -L DIR (absolute paths looked up under DIR first, the rest from the root).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runUshim } from './harness.js';

describe('qemu-user options and environment', function () {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ushim-qemu-opts-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('--version and -version print the version', function () {
    for (const flag of ['--version', '-version']) {
      const r = runUshim(flag, []);
      assert.equal(r.status, 0);
      assert.match(r.stdout, /^ushim \d+\.\d+\.\d+ /);
    }
  });

  it('-L DIR: absolute paths found under DIR come from there, others from the root', function () {
    fs.mkdirSync(path.join(dir, 'etc'));
    fs.writeFileSync(path.join(dir, 'etc', 'greeting'), 'from the prefix\n');
    // A link inside the prefix is resolved inside it, as in a sysroot.
    fs.symlinkSync('/etc/greeting', path.join(dir, 'etc', 'link'));
    const r = runUshim('/bin/busybox', ['cat', '/etc/greeting', '/etc/link', '/proc/self/comm'], { ushimArgs: ['-L', dir] });
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, 'from the prefix\nfrom the prefix\nbusybox\n');
    const missing = runUshim('/bin/busybox', ['cat', '/etc/greeting'], { ushimArgs: ['-L', path.join(dir, 'nothing-here')] });
    assert.notEqual(missing.status, 0, 'without the file in DIR the root answers (it has no /etc/greeting)');
  });

  it('-L DIR supplies the ELF interpreter of a dynamic program', function () {
    fs.mkdirSync(path.join(dir, 'lib64'));
    // An interpreter that is not an ELF file: the dynamic program cannot start.
    fs.writeFileSync(path.join(dir, 'lib64', 'ld-linux-x86-64.so.2'), 'not an interpreter\n');
    const broken = runUshim('/bin/true', [], { ushimArgs: ['-L', dir] });
    assert.notEqual(broken.status, 0);
    fs.copyFileSync('/lib64/ld-linux-x86-64.so.2', path.join(dir, 'lib64', 'ld-linux-x86-64.so.2'));
    assert.equal(runUshim('/bin/true', [], { ushimArgs: ['-L', dir] }).status, 0);
    assert.equal(runUshim('/bin/true', [], { env: { QEMU_LD_PREFIX: dir } }).status, 0);
  });

  it('-0, -strace -D FILE, -d in_asm, -cpu max, QEMU_STRACE', function () {
    const argv0 = runUshim('/bin/busybox', ['-c', 'echo $0'], { ushimArgs: ['-0', 'sh'] });
    assert.equal(argv0.stdout, 'sh\n');
    const log = path.join(dir, 'log');
    const traced = runUshim('/bin/busybox', ['true'], { ushimArgs: ['-cpu', 'max', '-strace', '-D', log] });
    assert.equal(traced.status, 0);
    assert.match(fs.readFileSync(log, 'utf8'), /^exit_group\(0\) += \?$/m);
    const blocks = runUshim('/bin/busybox', ['true'], { ushimArgs: ['-d', 'in_asm', '-D', log] });
    assert.equal(blocks.status, 0);
    assert.match(fs.readFileSync(log, 'utf8'), /^block 0x[0-9a-f]+/m);
    const env = runUshim('/bin/busybox', ['true'], { env: { QEMU_STRACE: '1' } });
    assert.match(env.stderr, /^exit_group\(0\) += \?$/m);
  });
});
