import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Errno } from '../../kernel-shim/errno.js';
import { BufferFile } from '../../kernel-shim/fs/bufferfile.js';
import {
  DT_CHR,
  DT_DIR,
  DT_LNK,
  DT_REG,
  O_APPEND,
  O_CLOEXEC,
  O_CREAT,
  O_DIRECTORY,
  O_EXCL,
  O_LARGEFILE,
  O_NOFOLLOW,
  O_PATH,
  O_RDONLY,
  O_RDWR,
  O_TRUNC,
  O_WRONLY,
  SEEK_CUR,
  SEEK_DATA,
  SEEK_END,
  SEEK_HOLE,
  SEEK_SET,
  S_IFCHR,
  S_IFIFO,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
  TCGETS,
  makedev,
} from '../../kernel-shim/fs/constants.js';
import { FdTable, releaseFile, retainFile } from '../../kernel-shim/fs/fdtable.js';
import type { DirEntry, FileStat, OpenFile } from '../../kernel-shim/fs/file.js';
import { hostErrno } from '../../kernel-shim/fs/hosterrno.js';
import { heldDirectory } from '../../kernel-shim/fs/dirref.js';
import { MemFile } from '../../kernel-shim/fs/memfd.js';
import { FrameAllocator } from '../../kernel-shim/mm/frames.js';
import { PhysicalMemory } from '../../cpu/physmem.js';
import { devMajor, devMinor } from '../../kernel-shim/abi/statx.js';
import type { ProcProvider } from '../../kernel-shim/fs/procfs.js';
import { FsRoot, type HostResolved } from '../../kernel-shim/fs/root.js';
import { RENAME_EXCHANGE, RENAME_NOREPLACE, UTIME_NOW, UTIME_OMIT, Vfs } from '../../kernel-shim/fs/vfs.js';

function ok<T>(v: T | number): T {
  if (typeof v === 'number') assert.fail(`unexpected errno ${-v}`);
  return v;
}

const enc = (s: string): Uint8Array => Buffer.from(s);
const dec = (b: Uint8Array): string => Buffer.from(b).toString();

function readAll(f: OpenFile): string {
  const out: Buffer[] = [];
  const buf = new Uint8Array(7);
  for (let n = f.read(buf); n > 0; n = f.read(buf)) out.push(Buffer.from(buf.subarray(0, n)));
  return Buffer.concat(out).toString();
}

function names(entries: DirEntry[] | number): string[] {
  return ok(entries).map((e) => e.name);
}

class FakeProc implements ProcProvider {
  readonly table = new FdTable();
  self(): number {
    return 42;
  }
  pids(): number[] {
    return [1, 42];
  }
  exe(pid: number): string | undefined {
    return pid === 42 ? '/bin/prog' : undefined;
  }
  cwd(): string {
    return '/home/user';
  }
  cmdline(): Uint8Array {
    return enc('prog\0-x\0');
  }
  environ(): Uint8Array {
    return enc('A=1\0');
  }
  auxv(): Uint8Array {
    return new Uint8Array(16);
  }
  maps(): string {
    return '00400000-00401000 r-xp 00000000 00:00 0 /bin/prog\n';
  }
  stat(pid: number): string {
    return `${pid} (prog) R 1\n`;
  }
  status(): string {
    return 'Name:\tprog\n';
  }
  mounts(): string {
    return '/ / rootfs rw 0 0\n';
  }
  vmstat(): string {
    return 'pgfault 7\n';
  }
  meminfo(): string {
    return 'MemTotal: 1 kB\n';
  }
  cpuinfo(): string {
    return 'processor\t: 0\n';
  }
  uptime(): string {
    return '1.00 1.00\n';
  }
  version(): string {
    return 'Linux version 6.12.0\n';
  }
  comm(): string {
    return 'prog';
  }
  osrelease(): string {
    return '6.12.0';
  }
  hostname(): string {
    return 'box';
  }
  fds(): number[] {
    return this.table.list();
  }
  fd(_pid: number, fd: number): OpenFile | undefined {
    return this.table.get(fd)?.file;
  }
}

const pipeStat: FileStat = {
  dev: 12n,
  ino: 7n,
  nlink: 1,
  mode: S_IFIFO | 0o600,
  uid: 0,
  gid: 0,
  rdev: 0n,
  size: 0n,
  blksize: 4096,
  blocks: 0n,
  atimeNs: 0n,
  mtimeNs: 0n,
  ctimeNs: 0n,
  birthtimeNs: 0n,
};

/** A description without a host path (like a pipe), counting its releases. */
class Probe extends BufferFile {
  released = 0;
  constructor() {
    super('pipe:[7]', O_RDONLY, enc('probe'), pipeStat);
  }
  override release(): void {
    this.released++;
  }
}

describe('fs', () => {
  let top: string;
  let root: string;
  let proc: FakeProc;
  let vfs: Vfs;
  const host = (p: string): string => path.join(root, p);

  beforeEach(() => {
    top = fs.mkdtempSync(path.join(os.tmpdir(), 'ushim-fs-'));
    root = path.join(top, 'root');
    fs.writeFileSync(path.join(top, 'secret.txt'), 'outside');
    for (const d of ['etc', 'home/user', 'bin', 'd/sub']) fs.mkdirSync(host(d), { recursive: true });
    fs.writeFileSync(host('etc/passwd'), 'root:x:0:0\n');
    fs.writeFileSync(host('bin/prog'), 'ELF');
    fs.symlinkSync('/etc', host('abs'));
    fs.symlinkSync('../../../../../etc', host('home/user/up'));
    fs.symlinkSync('../../../secret.txt', host('home/user/escape'));
    fs.symlinkSync('/loop2', host('loop1'));
    fs.symlinkSync('/loop1', host('loop2'));
    fs.symlinkSync('/created', host('dangling'));
    proc = new FakeProc();
    let seed = 0;
    vfs = new Vfs({
      root,
      proc,
      randomBytes: (n) => Uint8Array.from({ length: n }, () => seed++ & 0xff),
      hostTty: path.join(top, 'no-tty'),
      timeNs: 5_000_000_000n,
    });
  });

  afterEach(() => {
    proc.table.closeAll();
    fs.rmSync(top, { recursive: true, force: true });
  });

  describe('FsRoot.resolve', () => {
    const resolveHost = (p: string, cwd = '/', followLast = true): HostResolved => {
      const r = ok(vfs.resolve(p, followLast, cwd));
      assert.equal(r.virtual, undefined);
      return r as HostResolved;
    };

    it('keeps .. inside the root', () => {
      const r = resolveHost('/../../secret.txt');
      assert.equal(r.guestPath, '/secret.txt');
      assert.equal(r.hostPath, path.join(fs.realpathSync(root), 'secret.txt'));
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
      assert.ok(resolveHost('/newdir/').hostPath.endsWith('/newdir/'));
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
      assert.equal(plain.readlink(host('abs')), '/etc');
      assert.equal(plain.readlink(host('etc')), -Errno.EINVAL);
    });
  });

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

    const hostfileUrl = new URL('../../kernel-shim/fs/hostfile.js', import.meta.url).href;

    it('answers terminal ioctls on a host tty', function () {
      // script(1) runs the check on a pseudo-terminal.
      if (spawnSync('script', ['--version']).error) this.skip();
      const check = `import { openStdio } from ${JSON.stringify(hostfileUrl)};
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
        import { openStdio } from ${JSON.stringify(hostfileUrl)};
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
      assert.deepEqual(list('/proc'), ['.', '..', 'self', 'mounts', 'vmstat', 'meminfo', 'cpuinfo', 'uptime', 'version', 'sys', '1', '42']);
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

    it('renames, with RENAME_NOREPLACE', () => {
      fs.writeFileSync(host('a'), 'A');
      fs.writeFileSync(host('b'), 'B');
      assert.equal(vfs.rename('/a', '/b', RENAME_NOREPLACE, '/'), -Errno.EEXIST);
      assert.equal(vfs.rename('/a', '/b', RENAME_EXCHANGE, '/'), -Errno.EINVAL);
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
      assert.equal(heldDirectory(vfs.root, d), '/moved');
      assert.equal(ok(vfs.stat('sub', true, heldDirectory(vfs.root, d))).mode & S_IFMT, 0o040000);
      assert.deepEqual(names(d.readdir()), ['.', '..', 'sub']);
      fs.rmdirSync(host('moved/sub'));
      const sub = ok(vfs.open('/moved', O_PATH | O_DIRECTORY, 0, '/'));
      fs.rmdirSync(host('moved'));
      const gone = heldDirectory(vfs.root, sub);
      assert.equal(typeof gone, 'object');
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

  describe('memfd and the page cache', () => {
    const frames = new FrameAllocator(new PhysicalMemory(8 << 20));
    const owner = { uid: 1, gid: 2, now: () => 7n };

    it('keeps a memfd in guest frames: sizes, holes, offsets and truncation', () => {
      const m = new MemFile(frames, 'jit', O_RDWR, owner, 1000n);
      assert.equal(m.path, '/memfd:jit (deleted)');
      assert.equal(m.truncate(10000n), 0);
      assert.equal(m.pwrite(enc('code'), 5000n), 4);
      const buf = new Uint8Array(8);
      assert.equal(m.pread(buf, 4998n), 8);
      assert.deepEqual([...buf], [0, 0, 99, 111, 100, 101, 0, 0]);
      assert.equal(m.write(enc('ab')), 2);
      assert.equal(m.seek(0n, SEEK_CUR), 2n);
      assert.equal(m.pread(buf, 9998n), 2, 'reads stop at the size');
      assert.equal(m.truncate(5002n), 0);
      assert.equal(m.truncate(6000n), 0);
      assert.equal(m.pread(buf, 5000n), 8);
      assert.equal(dec(buf.subarray(0, 4)), 'co\0\0', 'the truncated tail reads back as zeros');
      const st = m.stat();
      assert.equal(st.mode, S_IFREG | 0o777);
      assert.equal(st.size, 6000n);
      assert.equal(m.object.frameAt(1), m.object.frameAt(1), 'one frame per page, shared by mappings');
      m.release();
    });

    it('lets reads of a host file see mapped pages, and writes reach them', () => {
      const f = ok(vfs.open('/etc/passwd', O_RDWR, 0, '/'));
      const st = ok(f.stat());
      const object = vfs.pageCache.objectFor(frames, { hostFd: f.hostFd!, path: '/etc/passwd', devMajor: devMajor(st.dev), devMinor: devMinor(st.dev), ino: st.ino });
      object.users++;
      const page = frames.memory.bytes.subarray(object.frameAt(0) * 4096);
      page[0] = 'R'.charCodeAt(0);
      const buf = new Uint8Array(4);
      assert.equal(f.pread(buf, 0n), 4);
      assert.equal(dec(buf), 'Root', 'a store through the mapping');
      assert.equal(f.pwrite(enc('XY'), 1n), 2);
      assert.equal(dec(page.subarray(0, 4)), 'RXYt', 'the mapping sees write()');
      object.release();
      assert.equal(fs.readFileSync(host('etc/passwd'), 'utf8').slice(0, 4), 'RXYt', 'written back when unmapped');
      f.release();
    });
  });

  it('maps host error codes to guest errno values', () => {
    assert.equal(hostErrno(Object.assign(new Error(), { code: 'ENOENT' })), -Errno.ENOENT);
    assert.equal(hostErrno(Object.assign(new Error(), { code: 'ENOTSUP' })), -Errno.EOPNOTSUPP);
    assert.equal(hostErrno(Object.assign(new Error(), { code: 'ELOOP' })), -Errno.ELOOP);
    assert.equal(hostErrno(new Error('no code')), -Errno.EIO);
  });
});
