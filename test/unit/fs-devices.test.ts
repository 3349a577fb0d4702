// The device files under /dev: null, zero, full, urandom, tty, and the fd aliases.
import assert from 'node:assert/strict';
import { Errno } from '../../kernel-shim/errno.js';
import {
  DT_CHR, DT_LNK, O_CREAT, O_DIRECTORY, O_RDONLY, O_RDWR, O_WRONLY, SEEK_SET, S_IFCHR, S_IFLNK, S_IFMT, makedev,
} from '../../kernel-shim/fs/constants.js';
import { Vfs } from '../../kernel-shim/fs/vfs.js';
import { ok, enc, eachTestInFsWorld } from './fs-world.js';

describe('fs', () => {
  let vfs: Vfs;
  eachTestInFsWorld((w) => ({ vfs } = w));

  describe('devices', () => {
    it('implements null, zero, full and urandom', () => {
      const nul = ok(vfs.open('/dev/null', O_RDWR, 0, '/'));
      assert.equal(nul.read(new Uint8Array(4)), 0);
      assert.equal(nul.write(enc('abc')), 3);
      assert.equal(nul.seek(10n, SEEK_SET), 0n);
      const zero = ok(vfs.open('/dev/zero', O_RDONLY, 0, '/'));
      const buf = new Uint8Array(4).fill(9);
      assert.equal(zero.read(buf), 4);
      assert.deepEqual([...buf], [0, 0, 0, 0]);
      assert.equal(zero.write(enc('x')), -Errno.EBADF);
      const full = ok(vfs.open('/dev/full', O_RDWR, 0, '/'));
      assert.equal(full.write(enc('x')), -Errno.ENOSPC);
      assert.equal(full.read(buf), 4);
      const rnd = ok(vfs.open('/dev/urandom', O_RDONLY, 0, '/'));
      assert.equal(rnd.read(buf), 4);
      assert.deepEqual([...buf], [0, 1, 2, 3]);
    });

    it('reports character device modes and numbers', () => {
      const expect: [string, number, number][] = [
        ['null', 1, 3],
        ['zero', 1, 5],
        ['full', 1, 7],
        ['random', 1, 8],
        ['urandom', 1, 9],
        ['tty', 5, 0],
      ];
      for (const [name, major, minor] of expect) {
        const st = ok(vfs.stat(`/dev/${name}`, true, '/'));
        assert.equal(st.mode, S_IFCHR | 0o666, name);
        assert.equal(st.rdev, makedev(major, minor), name);
        assert.equal(st.mtimeNs, 5_000_000_000n);
      }
      assert.equal(makedev(1, 3), 0x103n);
      assert.equal(ok(ok(vfs.open('/dev/null', O_RDONLY, 0, '/')).stat()).rdev, 0x103n);
      // /dev/userfaultfd: a misc device (major 10), root only (kernel-shim/fs/uffd-file.ts).
      const uffd = ok(vfs.stat('/dev/userfaultfd', true, '/'));
      assert.equal(uffd.mode, S_IFCHR | 0o600);
      assert.equal(uffd.rdev >> 8n, 10n);
    });

    it('fails /dev/tty with ENXIO without a terminal', () => {
      assert.equal(vfs.open('/dev/tty', O_RDWR, 0, '/'), -Errno.ENXIO);
    });

    it('lists /dev and links the fd aliases to /proc/self/fd', () => {
      const d = ok(vfs.open('/dev', O_RDONLY | O_DIRECTORY, 0, '/'));
      const entries = ok(d.readdir());
      assert.deepEqual(
        entries.map((e) => e.name),
        ['.', '..', 'null', 'zero', 'full', 'random', 'urandom', 'tty', 'userfaultfd', 'stdin', 'stdout', 'stderr', 'fd'],
      );
      assert.equal(entries.find((e) => e.name === 'null')?.type, DT_CHR);
      assert.equal(entries.find((e) => e.name === 'fd')?.type, DT_LNK);
      assert.equal(vfs.readlink('/dev/stdin', '/'), '/proc/self/fd/0');
      assert.equal(vfs.readlink('/dev/fd', '/'), '/proc/self/fd');
      assert.equal(ok(vfs.stat('/dev/stderr', false, '/')).mode & S_IFMT, S_IFLNK);
    });

    it('refuses to change /dev', () => {
      assert.equal(vfs.unlink('/dev/null', '/'), -Errno.EACCES);
      assert.equal(vfs.unlink('/dev/nope', '/'), -Errno.ENOENT);
      assert.equal(vfs.mkdir('/dev/x', 0o755, '/'), -Errno.EACCES);
      assert.equal(vfs.mkdir('/dev/null', 0o755, '/'), -Errno.EEXIST);
      assert.equal(vfs.open('/dev/newfile', O_CREAT | O_WRONLY, 0o644, '/'), -Errno.EACCES);
      assert.equal(vfs.rename('/dev/null', '/nul', 0, '/'), -Errno.EXDEV);
      assert.equal(vfs.chmod('/dev/null', 0o600, true, '/'), -Errno.EPERM);
      assert.equal(vfs.truncate('/dev/null', 0n, '/'), -Errno.EINVAL);
    });
  });
});
