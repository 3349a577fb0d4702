// procfs through a fake process provider: links, snapshots, listings, fd links, statfs.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { Errno } from '../../kernel-shim/errno.js';
import {
  O_DIRECTORY, O_RDONLY, O_TRUNC, O_WRONLY, SEEK_END, SEEK_SET, S_IFIFO, S_IFLNK,
} from '../../kernel-shim/fs/constants.js';
import { Vfs } from '../../kernel-shim/fs/vfs.js';
import { ok, enc, dec, readAll, names, FakeProc, Probe, eachTestInFsWorld } from './fs-world.js';

describe('fs', () => {
  let proc: FakeProc, vfs: Vfs;
  const { host } = eachTestInFsWorld((w) => ({ proc, vfs } = w));

  describe('procfs', () => {
    it('serves self, exe, cwd and root links', () => {
      assert.equal(vfs.readlink('/proc/self', '/'), '42');
      assert.equal(vfs.readlink('/proc/self/exe', '/'), '/bin/prog');
      assert.equal(vfs.readlink('/proc/self/cwd', '/'), '/home/user');
      assert.equal(vfs.readlink('/proc/self/root', '/'), '/');
      assert.equal(vfs.readlink('/proc/1/exe', '/'), -Errno.ENOENT);
      assert.equal(vfs.readlink('/proc/self/status', '/'), -Errno.EINVAL);
      assert.equal(vfs.canonical('/proc/self', '/'), '/proc/42');
      assert.equal(vfs.canonical('/proc/self/status', '/'), -Errno.ENOTDIR);
    });

    it('snapshots files at open and stats them like Linux', () => {
      const f = ok(vfs.open('/proc/self/cmdline', O_RDONLY, 0, '/'));
      assert.equal(readAll(f), 'prog\0-x\0');
      const buf = new Uint8Array(2);
      assert.equal(f.pread(buf, 5n), 2);
      assert.equal(dec(buf), '-x');
      assert.equal(f.seek(-3n, SEEK_END), 5n);
      assert.equal(f.write(enc('x')), -Errno.EBADF);
      const st = ok(f.stat());
      assert.equal(st.mode, 0o100444);
      assert.equal(st.size, 0n);
      assert.equal(ok(vfs.stat('/proc/42/environ', true, '/')).mode, 0o100400);
      assert.equal(readAll(ok(vfs.open('/proc/42/comm', O_RDONLY, 0, '/'))), 'prog\n');
      assert.equal(readAll(ok(vfs.open('/proc/self/stat', O_RDONLY, 0, '/'))), '42 (prog) R 1\n');
      assert.equal(readAll(ok(vfs.open('/proc/self/maps', O_RDONLY, 0, '/'))), proc.maps());
      assert.equal(readAll(ok(vfs.open('/proc/vmstat', O_RDONLY, 0, '/'))), 'pgfault 7\n');
      assert.equal(readAll(ok(vfs.open('/proc/sys/kernel/osrelease', O_RDONLY, 0, '/'))), '6.12.0\n');
      assert.equal(readAll(ok(vfs.open('/proc/sys/kernel/hostname', O_RDONLY, 0, '/'))), 'box\n');
      assert.equal(readAll(ok(vfs.open('/proc/mounts', O_RDONLY, 0, '/'))), '/ / rootfs rw 0 0\n');
    });

    it('refuses writes and unknown entries', () => {
      assert.equal(vfs.open('/proc/self/status', O_WRONLY, 0, '/'), -Errno.EACCES);
      assert.equal(vfs.open('/proc/self/status', O_RDONLY | O_TRUNC, 0, '/'), -Errno.EACCES);
      assert.equal(vfs.access('/proc/self/status', 2, '/'), -Errno.EACCES);
      assert.equal(vfs.access('/proc/self/status', 4, '/'), 0);
      assert.equal(vfs.open('/proc/99/status', O_RDONLY, 0, '/'), -Errno.ENOENT);
      assert.equal(vfs.open('/proc/042/status', O_RDONLY, 0, '/'), -Errno.ENOENT);
      assert.equal(vfs.open('/proc/nope', O_RDONLY, 0, '/'), -Errno.ENOENT);
      assert.equal(vfs.open('/proc/self', O_WRONLY, 0, '/'), -Errno.EISDIR);
      assert.equal(vfs.unlink('/proc/self/status', '/'), -Errno.EACCES);
      assert.equal(vfs.mkdir('/proc/x', 0o755, '/'), -Errno.EACCES);
      assert.equal(vfs.symlink('/x', '/proc/x', '/'), -Errno.EACCES);
      assert.equal(vfs.truncate('/proc/self/status', 0n, '/'), -Errno.EACCES);
    });

    it('lists /proc, /proc/<pid> and /proc/<pid>/fd', () => {
      const list = (p: string): string[] => names(ok(vfs.open(p, O_RDONLY | O_DIRECTORY, 0, '/')).readdir());
      assert.deepEqual(list('/proc'), ['.', '..', 'self', 'mounts', 'vmstat', 'meminfo', 'cpuinfo', 'uptime', 'version', 'sys', 'sysvipc', '1', '42']);
      assert.deepEqual(list('/proc/sysvipc'), ['.', '..', 'msg', 'sem', 'shm']);
      const pid = list('/proc/self');
      for (const n of ['exe', 'cmdline', 'environ', 'auxv', 'maps', 'stat', 'status', 'fd', 'cwd', 'comm', 'root']) assert.ok(pid.includes(n), n);
      assert.ok(!list('/proc/1').includes('exe'), 'absent exe is not listed');
      const file = ok(vfs.open('/etc/passwd', O_RDONLY, 0, '/'));
      proc.table.install(new Probe(), false, 0);
      proc.table.install(file, false, 3);
      assert.deepEqual(list('/proc/self/fd'), ['.', '..', '0', '3']);
      assert.equal(vfs.readlink('/proc/self/fd/3', '/'), '/etc/passwd');
      assert.equal(vfs.readlink('/proc/self/fd/0', '/'), 'pipe:[7]');
      assert.equal(ok(vfs.stat('/proc/self/fd/3', false, '/')).mode, S_IFLNK | 0o500);
    });

    it('follows fd links to the open file itself', () => {
      const file = ok(vfs.open('/etc/passwd', O_RDONLY, 0, '/'));
      file.seek(5n, SEEK_SET);
      proc.table.install(file, false, 3);
      const probe = new Probe();
      proc.table.install(probe, false, 0);
      const again = ok(vfs.open('/dev/fd/3', O_RDONLY, 0, '/'));
      assert.notEqual(again, file, 'a host file is reopened with its own offset');
      assert.equal(readAll(again), 'root:x:0:0\n');
      again.release();
      assert.equal(ok(vfs.open('/dev/stdin', O_RDONLY, 0, '/')), probe, 'a pipe is shared');
      assert.equal(ok(vfs.stat('/dev/stdin', true, '/')).mode, S_IFIFO | 0o600);
      assert.equal(ok(vfs.stat('/proc/self/fd/3', true, '/')).ino, fs.statSync(host('etc/passwd'), { bigint: true }).ino);
      assert.equal(vfs.resolve('/proc/self/fd/0/x', true, '/'), -Errno.ENOTDIR);
    });

    it('reports procfs to statfs', () => {
      assert.equal(ok(vfs.statfs('/proc/self', '/')).type, 0x9fa0);
      assert.ok(ok(vfs.statfs('/etc', '/')).blocks > 0n);
    });
  });
});
