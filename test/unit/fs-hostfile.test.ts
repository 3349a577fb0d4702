// Host-backed files: I/O and seeks, open flags, directories, terminals, stdio, host errno mapping.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Errno } from '../../kernel-shim/errno.js';
import {
  DT_DIR, DT_LNK, DT_REG, O_APPEND, O_CLOEXEC, O_CREAT, O_DIRECTORY, O_EXCL, O_LARGEFILE, O_NOFOLLOW, O_PATH,
  O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY, SEEK_CUR, SEEK_DATA, SEEK_END, SEEK_HOLE, SEEK_SET, S_IFLNK, S_IFMT, S_IFREG,
  TCGETS,
} from '../../kernel-shim/fs/constants.js';
import { hostErrno } from '../../kernel-shim/fs/hosterrno.js';
import { Vfs } from '../../kernel-shim/fs/vfs.js';
import { requireHost } from '../host-requirements.js';
import { ok, enc, dec, names, eachTestInFsWorld } from './fs-world.js';

describe('fs', () => {
  let top: string, root: string, vfs: Vfs;
  const { host } = eachTestInFsWorld((w) => ({ top, root, vfs } = w));

  describe('host files', () => {
    it('reads, writes and seeks', () => {
      const f = ok(vfs.open('/etc/data', O_RDWR | O_CREAT | O_CLOEXEC, 0o600, '/'));
      assert.equal(f.flags, O_RDWR | O_LARGEFILE);
      assert.equal(f.path, '/etc/data');
      assert.equal(f.write(enc('hello world')), 11);
      assert.equal(f.seek(0n, SEEK_CUR), 11n);
      assert.equal(f.seek(6n, SEEK_SET), 6n);
      const buf = new Uint8Array(5);
      assert.equal(f.read(buf), 5);
      assert.equal(dec(buf), 'world');
      assert.equal(f.read(buf), 0);
      assert.equal(f.pread(buf, 0n), 5);
      assert.equal(dec(buf), 'hello');
      assert.equal(f.pwrite(enc('J'), 0n), 1);
      assert.equal(f.seek(-5n, SEEK_END), 6n);
      assert.equal(f.seek(-1n, SEEK_SET), -Errno.EINVAL);
      assert.equal(f.seek(3n, SEEK_DATA), 3n);
      assert.equal(f.seek(3n, SEEK_HOLE), 11n);
      assert.equal(f.seek(11n, SEEK_DATA), -Errno.ENXIO);
      assert.equal(f.truncate(4n), 0);
      const st = ok(f.stat());
      assert.equal(st.size, 4n);
      assert.equal(st.mode, S_IFREG | 0o600);
      assert.equal(f.fsync(), 0);
      assert.equal(f.readdir(), -Errno.ENOTDIR);
      assert.equal(f.ioctl(TCGETS, new Uint8Array(36)), -Errno.ENOTTY);
      f.release();
      assert.equal(fs.readFileSync(host('etc/data'), 'utf8'), 'Jell');
    });

    it('appends with O_APPEND, also for pwrite', () => {
      fs.writeFileSync(host('log'), 'abc');
      const f = ok(vfs.open('/log', O_WRONLY | O_APPEND, 0, '/'));
      assert.equal(f.write(enc('de')), 2);
      assert.equal(f.seek(0n, SEEK_CUR), 5n);
      assert.equal(f.pwrite(enc('f'), 0n), 1);
      f.flags &= ~O_APPEND;
      f.seek(0n, SEEK_SET);
      f.write(enc('A'));
      f.release();
      assert.equal(fs.readFileSync(host('log'), 'utf8'), 'Abcdef');
    });

    it('creates files with the requested mode despite the host umask', () => {
      const old = process.umask(0o077);
      try {
        ok(vfs.open('/m', O_CREAT | O_WRONLY, 0o664, '/')).release();
        assert.equal(fs.statSync(host('m')).mode & 0o7777, 0o664);
        // an existing file keeps its mode
        ok(vfs.open('/m', O_CREAT | O_WRONLY | O_TRUNC, 0o600, '/')).release();
        assert.equal(fs.statSync(host('m')).mode & 0o7777, 0o664);
        assert.equal(vfs.mkdir('/md', 0o775, '/'), 0);
        assert.equal(fs.statSync(host('md')).mode & 0o7777, 0o775);
      } finally {
        process.umask(old);
      }
    });

    it('applies open flag rules', () => {
      assert.equal(vfs.open('/etc/passwd', O_RDONLY | O_CREAT | O_EXCL, 0o644, '/'), -Errno.EEXIST);
      assert.equal(vfs.open('/etc/passwd', O_RDONLY | O_DIRECTORY, 0, '/'), -Errno.ENOTDIR);
      assert.equal(vfs.open('/etc', O_WRONLY, 0, '/'), -Errno.EISDIR);
      assert.equal(vfs.open('/abs', O_RDONLY | O_NOFOLLOW, 0, '/'), -Errno.ELOOP);
      assert.equal(vfs.open('/missing', O_RDONLY, 0, '/'), -Errno.ENOENT);
      const ro = ok(vfs.open('/etc/passwd', O_RDONLY, 0, '/'));
      assert.equal(ro.write(enc('x')), -Errno.EBADF);
      assert.equal(ro.truncate(0n), -Errno.EINVAL);
      ro.release();
      const wo = ok(vfs.open('/etc/passwd', O_WRONLY, 0, '/'));
      assert.equal(wo.read(new Uint8Array(1)), -Errno.EBADF);
      wo.release();
    });

    it('gives O_PATH descriptions stat but no I/O', () => {
      const p = ok(vfs.open('/abs', O_PATH | O_NOFOLLOW, 0, '/'));
      assert.equal(ok(p.stat()).mode & S_IFMT, S_IFLNK);
      assert.equal(p.read(new Uint8Array(1)), -Errno.EBADF);
      assert.equal(p.write(enc('x')), -Errno.EBADF);
      assert.equal(p.readdir(), -Errno.EBADF);
      assert.equal(p.flags, O_PATH | O_NOFOLLOW);
      p.release();
      const d = ok(vfs.open('/etc', O_PATH | O_DIRECTORY, 0, '/'));
      assert.equal(d.readdir(), -Errno.EBADF);
      d.release();
    });

    it('lists directories with . and .. first and a stable position', () => {
      const d = ok(vfs.open('/d', O_RDONLY | O_DIRECTORY, 0, '/'));
      fs.writeFileSync(host('d/f'), '');
      fs.symlinkSync('f', host('d/l'));
      const entries = ok(d.readdir());
      assert.deepEqual(entries.slice(0, 2).map((e) => e.name), ['.', '..']);
      assert.equal(entries[0].ino, fs.statSync(host('d'), { bigint: true }).ino);
      assert.equal(entries[1].ino, fs.statSync(root, { bigint: true }).ino);
      const byName = new Map(entries.map((e) => [e.name, e]));
      assert.equal(byName.get('sub')?.type, DT_DIR);
      assert.equal(byName.get('f')?.type, DT_REG);
      assert.equal(byName.get('l')?.type, DT_LNK);
      assert.equal(byName.get('f')?.ino, fs.lstatSync(host('d/f'), { bigint: true }).ino);
      assert.deepEqual(names(d.readdir()), names(entries), 'unchanged until consumed');
      d.advanceDir(2);
      assert.equal(d.seek(0n, SEEK_CUR), 2n);
      assert.deepEqual(names(d.readdir()), names(entries).slice(2));
      d.advanceDir(3);
      assert.deepEqual(d.readdir(), []);
      fs.writeFileSync(host('d/g'), '');
      assert.deepEqual(d.readdir(), [], 'snapshot kept until rewind');
      assert.equal(d.seek(0n, SEEK_SET), 0n);
      assert.ok(names(d.readdir()).includes('g'));
      assert.equal(d.read(new Uint8Array(4)), -Errno.EISDIR);
      assert.equal(d.write(enc('x')), -Errno.EBADF);
      assert.equal(d.seek(0n, SEEK_END), -Errno.EINVAL);
      d.release();
      const top = ok(vfs.open('/', O_RDONLY, 0, '/'));
      const [dot, dotdot] = ok(top.readdir());
      assert.equal(dot.ino, dotdot.ino, "the root is its own '..'");
      top.release();
    });

    const inheritedUrl = new URL('../../kernel-shim/fs/inherited-fds.js', import.meta.url).href;

    it('answers terminal ioctls on a host tty', function () {
      // script(1) runs the check on a pseudo-terminal.
      requireHost(this, !spawnSync('script', ['--version']).error, 'script(1) (apt-get install bsdutils)');
      const check = `import { openStdio } from ${JSON.stringify(inheritedUrl)};
        const out = openStdio()[1], t = new Uint8Array(36), w = new Uint8Array(8);
        const res = [out.ioctl(${TCGETS}, t), t[8], out.ioctl(0x5413, w), w[0] > 0 && w[2] > 0, String(out.seek(0n, 1))];
        process.stderr.write('RESULT' + JSON.stringify(res) + '\\n');`;
      fs.writeFileSync(path.join(top, 'check.mjs'), check);
      const r = spawnSync('script', ['-qec', `${process.execPath} ${path.join(top, 'check.mjs')}`, '/dev/null'], { stdio: ['ignore', 'pipe', 'pipe'] });
      const line = /RESULT(.*)/.exec(r.stdout.toString() + r.stderr.toString());
      assert.ok(line, r.stdout.toString() + r.stderr.toString());
      assert.deepEqual(JSON.parse(line[1]), [0, 0xbf, 0, true, String(-Errno.ESPIPE)]);
    });

    it('wraps the shim stdio without closing it, for pipes and files', () => {
      const script = `
        import { openStdio } from ${JSON.stringify(inheritedUrl)};
        import * as fs from 'node:fs';
        const [stdin, stdout] = openStdio();
        const buf = new Uint8Array(64);
        const n = stdin.read(buf);
        const out = [n, Buffer.from(buf.subarray(0, n)).toString(), String(stdin.seek(0n, 1)),
          stdin.ioctl(0x5413, new Uint8Array(8)), stdin.flags & 3];
        stdin.release();
        fs.fstatSync(0);
        stdout.write(Buffer.from(JSON.stringify(out)));`;
      const run = (stdin: 'pipe' | number): unknown =>
        JSON.parse(spawnSync(process.execPath, ['--input-type=module', '-e', script], { input: 'abc', stdio: [stdin, 'pipe', 'inherit'] }).stdout.toString());
      // Node's 'pipe' is a socketpair, opened read-write.
      assert.deepEqual(run('pipe'), [3, 'abc', String(-Errno.ESPIPE), -Errno.ENOTTY, O_RDWR]);
      fs.writeFileSync(path.join(top, 'in'), 'from file');
      const fd = fs.openSync(path.join(top, 'in'), 'r');
      try {
        assert.deepEqual(run(fd), [9, 'from file', '9', -Errno.ENOTTY, O_RDONLY]);
      } finally {
        fs.closeSync(fd);
      }
    });
  });

  it('maps host error codes to guest errno values', () => {
    assert.equal(hostErrno(Object.assign(new Error(), { code: 'ENOENT' })), -Errno.ENOENT);
    assert.equal(hostErrno(Object.assign(new Error(), { code: 'ENOTSUP' })), -Errno.EOPNOTSUPP);
    assert.equal(hostErrno(Object.assign(new Error(), { code: 'ELOOP' })), -Errno.ELOOP);
    assert.equal(hostErrno(new Error('no code')), -Errno.EIO);
  });
});
