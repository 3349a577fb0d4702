// Path resolution: FsRoot keeps the guest inside its root (symlinks, .., loops), and the Vfs's
// path operations (stat, mkdir, unlink, rename, symlink, chown...) behave as Linux's.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { Errno } from '../../kernel-shim/errno.js';
import {
  O_CREAT, O_DIRECTORY, O_EXCL, O_PATH, O_RDONLY, O_WRONLY, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG,
} from '../../kernel-shim/fs/constants.js';
import { baseDirPath, heldDirectory } from '../../kernel-shim/fs/dirref.js';
import { FsRoot, type HostResolved } from '../../kernel-shim/fs/root.js';
import { RENAME_EXCHANGE, RENAME_NOREPLACE, UTIME_NOW, UTIME_OMIT, Vfs } from '../../kernel-shim/fs/vfs.js';
import { ok, readAll, names, eachTestInFsWorld } from './fs-world.js';

describe('fs', () => {
  let root: string, vfs: Vfs;
  const { host } = eachTestInFsWorld((w) => ({ root, vfs } = w));

  describe('FsRoot.resolve', () => {
    const resolveHost = (p: string, cwd = '/', followLast = true): HostResolved => {
      const r = ok(vfs.resolve(p, followLast, cwd));
      assert.equal(r.virtual, undefined);
      return r;
    };

    it('keeps .. inside the root', () => {
      const r = resolveHost('/../../secret.txt');
      assert.equal(r.guestPath, '/secret.txt');
      // secret.txt directly below the held root: the host object inside the root.
      assert.equal(vfs.root.hostRoot, fs.realpathSync(root));
      assert.deepEqual([r.host.dirFd, r.host.rel], [vfs.root.fd, 'secret.txt']);
      assert.equal(vfs.open('/../../secret.txt', O_RDONLY, 0, '/'), -Errno.ENOENT);
      assert.equal(resolveHost('../../../etc', '/home/user').guestPath, '/etc');
    });

    it('interprets absolute symlink targets inside the root', () => {
      assert.equal(resolveHost('/abs/passwd').guestPath, '/etc/passwd');
      assert.equal(readAll(ok(vfs.open('/abs/passwd', O_RDONLY, 0, '/'))), 'root:x:0:0\n');
    });

    it('stops relative symlinks that climb out at the root', () => {
      assert.equal(resolveHost('/home/user/up/passwd').guestPath, '/etc/passwd');
      assert.equal(resolveHost('/home/user/escape').guestPath, '/secret.txt');
      assert.equal(vfs.open('/home/user/escape', O_RDONLY, 0, '/'), -Errno.ENOENT);
    });

    it('resolves relative paths against cwd', () => {
      assert.equal(resolveHost('passwd', '/etc').guestPath, '/etc/passwd');
      assert.equal(resolveHost('./up/./passwd', '/home/user').guestPath, '/etc/passwd');
      assert.equal(resolveHost('.', '/').guestPath, '/');
    });

    it('reports ELOOP for symlink loops and after 40 links', () => {
      assert.equal(vfs.resolve('/loop1', true, '/'), -Errno.ELOOP);
      assert.equal(vfs.resolve('/loop1/x', false, '/'), -Errno.ELOOP);
      assert.equal(resolveHost('/loop1', '/', false).guestPath, '/loop1');
      for (let i = 0; i <= 40; i++) fs.symlinkSync(i === 40 ? '/etc/passwd' : `l${i + 1}`, host(`l${i}`));
      assert.equal(resolveHost('/l1').guestPath, '/etc/passwd');
      assert.equal(vfs.resolve('/l0', true, '/'), -Errno.ELOOP);
    });

    it('reports ENOTDIR, ENOENT and ENAMETOOLONG', () => {
      assert.equal(vfs.resolve('/etc/passwd/x', true, '/'), -Errno.ENOTDIR);
      assert.equal(vfs.resolve('/etc/passwd/', true, '/'), -Errno.ENOTDIR);
      assert.equal(vfs.resolve('/nope/x', true, '/'), -Errno.ENOENT);
      assert.equal(vfs.resolve('', true, '/'), -Errno.ENOENT);
      assert.equal(vfs.resolve('/' + 'a'.repeat(256), true, '/'), -Errno.ENAMETOOLONG);
      assert.equal(vfs.resolve('/a'.repeat(2048), true, '/'), -Errno.ENAMETOOLONG);
      assert.equal(resolveHost('/nope').guestPath, '/nope');
      const dir = resolveHost('/newdir/').host;
      assert.deepEqual([dir.rel, dir.mustBeDir], ['newdir', true]);
    });

    it('follows a dangling final symlink to the path it names', () => {
      assert.equal(resolveHost('/dangling').guestPath, '/created');
      ok(vfs.open('/dangling', O_CREAT | O_WRONLY, 0o644, '/')).release();
      assert.ok(fs.existsSync(host('created')));
      assert.equal(vfs.open('/dangling', O_CREAT | O_EXCL | O_WRONLY, 0o644, '/'), -Errno.EEXIST);
    });

    it('routes /proc and /dev to the virtual trees, including /proc/self/root tricks', () => {
      const r = ok(vfs.resolve('/proc/self/status', true, '/'));
      assert.equal(r.virtual?.mount, 'proc');
      assert.equal(r.guestPath, '/proc/42/status');
      assert.equal(ok(vfs.resolve('/dev/null', true, '/')).virtual?.mount, 'dev');
      assert.equal(resolveHost('/proc/self/root/../../etc/passwd').guestPath, '/etc/passwd');
      assert.equal(resolveHost('/proc/self/cwd/up').guestPath, '/etc');
      assert.equal(resolveHost('/proc/self/exe').guestPath, '/bin/prog');
      assert.equal(resolveHost('/proc/../etc').guestPath, '/etc');
    });

    it('works without virtual trees and reads raw link targets', () => {
      const plain = new FsRoot(root);
      const r = ok(plain.resolve('/proc', '/', { followLast: true }));
      assert.equal(r.virtual, undefined);
      assert.equal(plain.readlink(Buffer.from(host('abs'))), '/etc');
      assert.equal(plain.readlink(Buffer.from(host('etc'))), -Errno.EINVAL);
    });
  });

  describe('Vfs path operations', () => {
    it('stats with and without following', () => {
      assert.equal(ok(vfs.stat('/abs', true, '/')).mode & S_IFMT, 0o040000);
      const l = ok(vfs.stat('/abs', false, '/'));
      assert.equal(l.mode & S_IFMT, S_IFLNK);
      assert.equal(l.size, 4n);
      assert.equal(vfs.stat('/nope', true, '/'), -Errno.ENOENT);
      assert.equal(vfs.readlink('/abs', '/'), '/etc');
      assert.equal(vfs.readlink('/etc', '/'), -Errno.EINVAL);
    });

    it('makes and removes directories and files', () => {
      assert.equal(vfs.mkdir('/n', 0o755, '/'), 0);
      assert.equal(vfs.mkdir('/n', 0o755, '/'), -Errno.EEXIST);
      assert.equal(vfs.mkdir('n2/', 0o755, '/'), 0);
      assert.equal(vfs.mkdir('/nope/x', 0o755, '/'), -Errno.ENOENT);
      assert.equal(vfs.rmdir('/n/.', '/'), -Errno.EINVAL);
      assert.equal(vfs.rmdir('/n/..', '/'), -Errno.ENOTEMPTY);
      assert.equal(vfs.rmdir('/', '/'), -Errno.EBUSY);
      assert.equal(vfs.rmdir('/d', '/'), -Errno.ENOTEMPTY);
      assert.equal(vfs.rmdir('/etc/passwd', '/'), -Errno.ENOTDIR);
      assert.equal(vfs.rmdir('/n', '/'), 0);
      assert.equal(vfs.unlink('/etc', '/'), -Errno.EISDIR);
      assert.equal(vfs.unlink('/abs', '/'), 0, 'unlink removes the link, not its target');
      assert.ok(fs.existsSync(host('etc/passwd')));
      assert.equal(vfs.unlink('/abs', '/'), -Errno.ENOENT);
    });

    it('renames, with RENAME_NOREPLACE and RENAME_EXCHANGE', () => {
      fs.writeFileSync(host('a'), 'A');
      fs.writeFileSync(host('b'), 'B');
      assert.equal(vfs.rename('/a', '/b', RENAME_NOREPLACE, '/'), -Errno.EEXIST);
      assert.equal(vfs.rename('/a', '/b', RENAME_EXCHANGE, '/'), 0);
      assert.deepEqual([fs.readFileSync(host('a'), 'utf8'), fs.readFileSync(host('b'), 'utf8')], ['B', 'A']);
      assert.equal(vfs.rename('/b', '/a', RENAME_EXCHANGE, '/'), 0);
      assert.equal(vfs.rename('/a', '/zz', RENAME_EXCHANGE, '/'), -Errno.ENOENT);
      assert.equal(vfs.rename('/zz', '/c', RENAME_NOREPLACE, '/'), -Errno.ENOENT);
      assert.equal(vfs.rename('/a', '/c', RENAME_NOREPLACE, '/'), 0);
      assert.equal(vfs.rename('c', 'b', 0, '/', '/etc'), 0);
      assert.equal(fs.readFileSync(host('etc/b'), 'utf8'), 'A');
      assert.equal(vfs.rename('/', '/x', 0, '/'), -Errno.EBUSY);
      assert.equal(vfs.rename('/proc/self/status', '/x', 0, '/'), -Errno.EXDEV);
    });

    it('links and symlinks (targets verbatim)', () => {
      assert.equal(vfs.link('/etc/passwd', '/pw', false, '/'), 0);
      assert.equal(fs.statSync(host('pw')).nlink, 2);
      assert.equal(vfs.link('/etc/passwd', '/pw', false, '/'), -Errno.EEXIST);
      assert.equal(vfs.link('/abs', '/abs2', false, '/'), 0);
      assert.ok(fs.lstatSync(host('abs2')).isSymbolicLink(), 'without AT_SYMLINK_FOLLOW the link itself');
      assert.equal(vfs.symlink('../../x/./y', '/s', '/'), 0);
      assert.equal(vfs.readlink('/s', '/'), '../../x/./y');
      assert.equal(vfs.symlink('t', '/s', '/'), -Errno.EEXIST);
      assert.equal(vfs.symlink('', '/s2', '/'), -Errno.ENOENT);
    });

    it('changes modes, owners, times and sizes', () => {
      assert.equal(vfs.chmod('/etc/passwd', 0o640, true, '/'), 0);
      assert.equal(fs.statSync(host('etc/passwd')).mode & 0o7777, 0o640);
      assert.equal(vfs.chmod('/abs', 0o640, false, '/'), -Errno.EOPNOTSUPP);
      const { uid, gid } = fs.statSync(host('etc/passwd'));
      assert.equal(vfs.chown('/etc/passwd', uid, gid, true, '/'), 0);
      assert.equal(vfs.chown('/etc/passwd', -1, -1, true, '/'), 0);
      assert.equal(vfs.chown('/nope', uid, gid, true, '/'), -Errno.ENOENT);
      const before = fs.statSync(host('etc/passwd'), { bigint: true });
      assert.equal(vfs.utimens('/etc/passwd', UTIME_OMIT, 1_000_000_000_500_000_000n, true, '/'), 0);
      const after = fs.statSync(host('etc/passwd'), { bigint: true });
      assert.equal(after.mtimeNs / 1000n, 1_000_000_000_500_000n);
      assert.ok(after.atimeNs / 1000n === before.atimeNs / 1000n, 'UTIME_OMIT keeps atime');
      assert.equal(vfs.utimens('/etc/passwd', UTIME_NOW, UTIME_OMIT, true, '/'), 0);
      assert.ok(fs.statSync(host('etc/passwd')).atimeMs > Date.now() - 60_000);
      assert.equal(vfs.utimens('/etc/passwd', -2_000_000_000n, UTIME_OMIT, true, '/'), 0);
      assert.equal(fs.statSync(host('etc/passwd'), { bigint: true }).atimeNs, -2_000_000_000n);
      assert.equal(vfs.truncate('/etc/passwd', 4n, '/'), 0);
      assert.equal(fs.readFileSync(host('etc/passwd'), 'utf8'), 'root');
      assert.equal(vfs.truncate('/etc', 0n, '/'), -Errno.EISDIR);
      assert.equal(vfs.truncate('/etc/passwd', -1n, '/'), -Errno.EINVAL);
    });

    it('canonicalises directories for chdir', () => {
      assert.equal(vfs.canonical('up', '/home/user'), '/etc');
      assert.equal(vfs.canonical('/etc/passwd', '/'), -Errno.ENOTDIR);
      assert.equal(vfs.canonical('/nope', '/'), -Errno.ENOENT);
      assert.equal(vfs.canonical('/proc/self/root', '/'), '/');
    });

    it('follows a held directory through renames, and reaches a removed one only as itself', () => {
      const d = ok(vfs.open('/d', O_RDONLY | O_DIRECTORY, 0, '/'));
      fs.renameSync(host('d'), host('moved'));
      const moved = heldDirectory(vfs.root, d);
      assert.ok(typeof moved === 'object' && !moved.detached);
      assert.equal(baseDirPath(moved), '/moved');
      assert.equal(ok(vfs.stat('sub', true, heldDirectory(vfs.root, d))).mode & S_IFMT, 0o040000);
      assert.deepEqual(names(d.readdir()), ['.', '..', 'sub']);
      fs.rmdirSync(host('moved/sub'));
      const sub = ok(vfs.open('/moved', O_PATH | O_DIRECTORY, 0, '/'));
      fs.rmdirSync(host('moved'));
      const gone = heldDirectory(vfs.root, sub);
      assert.ok(typeof gone === 'object' && gone.detached, 'removed: no guest path');
      assert.equal(ok(vfs.stat('.', true, gone)).nlink, 0, '"." is the removed directory itself');
      assert.equal(vfs.mkdir('x', 0o755, gone), -Errno.ENOENT, 'nothing can be created in it');
      assert.equal(ok(vfs.stat('..', true, gone)).mode & S_IFMT, 0o040000, '".." leaves it by path');
      d.release();
      sub.release();
    });

    it('checks access and makes nodes with mknod', () => {
      assert.equal(vfs.access('/etc/passwd', 4, '/'), 0);
      assert.equal(vfs.access('/nope', 0, '/'), -Errno.ENOENT);
      assert.equal(vfs.access('/etc/passwd', 8, '/'), -Errno.EINVAL);
      assert.equal(vfs.mknod('/fifo', S_IFIFO | 0o644, 0n, '/'), 0);
      assert.ok(fs.statSync(host('fifo')).isFIFO());
      assert.equal(fs.statSync(host('fifo')).mode & 0o7777, 0o644);
      assert.equal(vfs.mknod('/etc/passwd', S_IFIFO | 0o644, 0n, '/'), -Errno.EEXIST);
      assert.equal(vfs.mknod('/dir', 0o040755, 0n, '/'), -Errno.EPERM);
      assert.equal(vfs.mknod('/reg', S_IFREG | 0o640, 0n, '/'), 0);
      assert.equal(fs.statSync(host('reg')).mode, S_IFREG | 0o640);
      assert.equal(vfs.mknod('/reg', 0o640, 0n, '/'), -Errno.EEXIST);
    });

    it('sets file times to the nanosecond, and a symlink\'s own with nofollow', () => {
      fs.symlinkSync('passwd', host('etc/plink'));
      assert.equal(vfs.utimens('/etc/passwd', 1_000_000_000_123_456_789n, -1_500_000_000n, true, '/'), 0);
      const st = fs.statSync(host('etc/passwd'), { bigint: true });
      assert.equal(st.atimeNs, 1_000_000_000_123_456_789n);
      assert.equal(st.mtimeNs, -1_500_000_000n);
      assert.equal(vfs.utimens('/etc/plink', 5n, UTIME_OMIT, false, '/'), 0);
      assert.equal(fs.lstatSync(host('etc/plink'), { bigint: true }).atimeNs, 5n);
      assert.equal(fs.statSync(host('etc/passwd'), { bigint: true }).atimeNs, 1_000_000_000_123_456_789n);
      assert.equal(vfs.access('/etc/plink', 0, '/', false), 0);
      fs.unlinkSync(host('etc/plink'));
    });
  });
});
