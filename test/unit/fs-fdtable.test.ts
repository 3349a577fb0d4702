// The fd table: lowest free fd, dup rules, the fd limit, descriptions shared by dups and fork.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { Errno } from '../../kernel-shim/errno.js';
import { O_CLOEXEC, O_RDONLY, O_RDWR, SEEK_CUR, SEEK_SET } from '../../kernel-shim/fs/constants.js';
import { FdTable, releaseFile, retainFile } from '../../kernel-shim/fs/fdtable.js';
import { Vfs } from '../../kernel-shim/fs/vfs.js';
import { ok, Probe, eachTestInFsWorld } from './fs-world.js';

describe('fs', () => {
  let vfs: Vfs;
  eachTestInFsWorld((w) => ({ vfs } = w));

  describe('FdTable', () => {
    it('allocates the lowest free fd, from minFd', () => {
      const t = new FdTable();
      assert.equal(t.install(new Probe()), 0);
      assert.equal(t.install(new Probe()), 1);
      assert.equal(t.install(new Probe(), true, 10), 10);
      assert.equal(t.get(10)?.cloexec, true);
      assert.equal(t.close(0), 0);
      assert.equal(t.install(new Probe()), 0);
      assert.equal(t.close(5), -Errno.EBADF);
      assert.deepEqual(t.list(), [0, 1, 10]);
    });

    it('shares descriptions between dups and releases on the last close', () => {
      const t = new FdTable();
      const f = ok(vfs.open('/etc/passwd', O_RDONLY, 0, '/'));
      const fd = t.install(f);
      const dupFd = t.dup(fd, 0, true);
      assert.equal(dupFd, 1);
      assert.equal(t.get(dupFd)?.file, f);
      assert.equal(t.get(dupFd)?.cloexec, true);
      t.get(dupFd)!.file.seek(5n, SEEK_SET);
      assert.equal(t.get(fd)!.file.seek(0n, SEEK_CUR), 5n);
      const hostFd = f.hostFd!;
      t.close(fd);
      fs.fstatSync(hostFd);
      t.close(dupFd);
      assert.throws(() => fs.fstatSync(hostFd), /EBADF/);
    });

    it('follows dup2 and dup3 rules', () => {
      const t = new FdTable();
      const a = new Probe();
      const b = new Probe();
      t.install(a);
      t.install(b);
      assert.equal(t.dup2(0, 0), 0);
      assert.equal(t.dup2(7, 7), -Errno.EBADF);
      assert.equal(t.dup3(0, 0, 0), -Errno.EINVAL);
      assert.equal(t.dup3(0, 1, O_RDWR), -Errno.EINVAL);
      assert.equal(t.dup2(0, 1024), -Errno.EBADF);
      assert.equal(t.dup2(5, 1), -Errno.EBADF);
      assert.equal(t.dup3(0, 1, O_CLOEXEC), 1);
      assert.equal(b.released, 1, 'the replaced description is released');
      assert.equal(t.get(1)?.file, a);
      assert.equal(t.get(1)?.cloexec, true);
      assert.equal(t.dup2(1, 0), 0, 'dup2 onto an fd of the same description');
      assert.equal(a.released, 0);
      assert.equal(t.get(0)?.cloexec, false);
      t.closeOnExec();
      assert.deepEqual(t.list(), [0]);
      assert.equal(a.released, 0);
      t.close(0);
      assert.equal(a.released, 1);
      assert.equal(t.dup(0), -Errno.EBADF);
    });

    it('enforces the fd limit', () => {
      const t = new FdTable();
      t.limit = 3;
      for (let i = 0; i < 3; i++) t.install(new Probe());
      assert.equal(t.install(new Probe()), -Errno.EMFILE);
      assert.equal(t.dup(0), -Errno.EMFILE);
      assert.equal(t.dup(0, 3), -Errno.EINVAL);
    });

    it('clones for fork with shared, counted descriptions', () => {
      const t = new FdTable();
      const a = new Probe();
      t.install(a, true);
      const child = t.clone();
      assert.equal(child.get(0)?.file, a);
      assert.equal(child.get(0)?.cloexec, true);
      t.closeAll();
      assert.equal(a.released, 0);
      child.closeOnExec();
      assert.equal(a.released, 1);
    });

    it('counts other holders with retainFile/releaseFile', () => {
      const t = new FdTable();
      const a = new Probe();
      t.install(a);
      retainFile(a);
      t.close(0);
      assert.equal(a.released, 0);
      releaseFile(a);
      assert.equal(a.released, 1);
    });
  });
});
