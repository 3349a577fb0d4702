// strace formatting of the calls that had no decoder before (issue 9): every expected line was
// printed by strace 6.1 on Debian 12 for the same arguments and memory (test programs issuing
// raw syscalls under `strace -f`), except where a comment says otherwise.
import { strict as assert } from 'node:assert';
import { formatEnter, formatResumed, formatUnfinished } from '../../syscalls/strace.js';
import { argKinds } from '../../syscalls/strace-signature.js';
import { EBADF, EFAULT, EINVAL, ENOENT, ERR, FakeMemory, bytes, line, none, siginfo, words64 } from './strace-memory.js';

const ESRCH = ERR(3);
const ECHILD = ERR(10);
const EPERM = ERR(1);

const PATH = 0x1000n;
const STRUCT = 0x7fffdce10870n;

describe('strace formatting: the calls decoded for issue 9', function () {
  describe('files', function () {
    it('openat2 prints struct open_how: mode only when creating or set, resolve flags by name', function () {
      const how = (flags: bigint, mode: bigint, resolve: bigint) => words64([flags, mode, resolve]);
      const m = new FakeMemory().string(PATH, '/tmp').string(0x2000n, '/tmp/tbl/xx').map(0x3000n, how(0x80000n, 0n, 0n)).map(0x4000n, how(0x41n, 0o644n, 0xcn));
      assert.equal(line('openat2', [-100n, PATH, 0x3000n, 24n], 3n, m), 'openat2(AT_FDCWD, "/tmp", {flags=O_RDONLY|O_CLOEXEC, resolve=0}, 24) = 3');
      assert.equal(
        line('openat2', [-100n, 0x2000n, 0x4000n, 24n], ERR(18), m),
        'openat2(AT_FDCWD, "/tmp/tbl/xx", {flags=O_WRONLY|O_CREAT, mode=0644, resolve=RESOLVE_NO_SYMLINKS|RESOLVE_BENEATH}, 24) = -1 EXDEV (Invalid cross-device link)',
      );
      assert.equal(line('openat2', [-100n, 0x2000n, 8n, 24n], EFAULT, m), 'openat2(AT_FDCWD, "/tmp/tbl/xx", 0x8, 24) = -1 EFAULT (Bad address)');
    });

    it('close_range, renameat2, sync_file_range, fadvise64, flock flags', function () {
      assert.equal(line('close_range', [100n, 0xffffffffn, 4n], 0n), 'close_range(100, 4294967295, CLOSE_RANGE_CLOEXEC) = 0');
      assert.equal(line('close_range', [100n, 200n, 0n], 0n), 'close_range(100, 200, 0)                = 0');
      assert.equal(line('close_range', [100n, 200n, 6n], 0n), 'close_range(100, 200, CLOSE_RANGE_UNSHARE|CLOSE_RANGE_CLOEXEC) = 0');
      const m = new FakeMemory().string(0x1000n, 'a').string(0x2000n, 'b');
      assert.equal(
        line('renameat2', [-100n, 0x1000n, -100n, 0x2000n, 7n], EINVAL, m),
        'renameat2(AT_FDCWD, "a", AT_FDCWD, "b", RENAME_NOREPLACE|RENAME_EXCHANGE|RENAME_WHITEOUT) = -1 EINVAL (Invalid argument)',
      );
      assert.equal(line('sync_file_range', [4n, 10n, 20n, 2n], 0n), 'sync_file_range(4, 10, 20, SYNC_FILE_RANGE_WRITE) = 0');
      assert.equal(
        line('sync_file_range', [4n, 0n, 0n, 7n], 0n),
        'sync_file_range(4, 0, 0, SYNC_FILE_RANGE_WAIT_BEFORE|SYNC_FILE_RANGE_WRITE|SYNC_FILE_RANGE_WAIT_AFTER) = 0',
      );
      assert.equal(line('sync_file_range', [99n, 0n, 0n, 0n], EBADF), 'sync_file_range(99, 0, 0, 0)            = -1 EBADF (Bad file descriptor)');
      assert.equal(line('fadvise64', [4n, 0n, 100n, 4n], 0n), 'fadvise64(4, 0, 100, POSIX_FADV_DONTNEED) = 0');
      assert.equal(line('fadvise64', [99n, 0n, 0n, 77n], EBADF), 'fadvise64(99, 0, 0, 0x4d /* POSIX_FADV_??? */) = -1 EBADF (Bad file descriptor)');
      assert.equal(line('flock', [4n, 6n], 0n), 'flock(4, LOCK_EX|LOCK_NB)               = 0');
      assert.equal(line('flock', [4n, 8n], 0n), 'flock(4, LOCK_UN)                       = 0');
      assert.equal(line('flock', [99n, 0n], EINVAL), 'flock(99, 0)                            = -1 EINVAL (Invalid argument)');
      assert.equal(line('syncfs', [4n], 0n), 'syncfs(4)                               = 0');
    });

    it('mknod and mknodat: the file type, and the device only for device files', function () {
      const m = new FakeMemory().string(0x1000n, '/tmp/tbl/nope/f').string(0x2000n, '/tmp/tbl/nope/c').string(0x3000n, '/tmp/tbl/nope/b');
      const enoent = ' = -1 ENOENT (No such file or directory)';
      assert.equal(line('mknod', [0x1000n, 0o10644n, 0n], ENOENT, m), `mknod("/tmp/tbl/nope/f", S_IFIFO|0644) ${enoent}`);
      assert.equal(line('mknod', [0x2000n, 0o20600n, 0x103n], ENOENT, m), `mknod("/tmp/tbl/nope/c", S_IFCHR|0600, makedev(0x1, 0x3))${enoent}`);
      assert.equal(line('mknod', [0x3000n, 0o60600n, 0x12345n], ENOENT, m), `mknod("/tmp/tbl/nope/b", S_IFBLK|0600, makedev(0x123, 0x45))${enoent}`);
      assert.equal(line('mknod', [0x3000n, 0o600n, 0n], ENOENT, m), `mknod("/tmp/tbl/nope/b", 0600)         ${enoent}`);
      assert.equal(line('mknodat', [-100n, 0x1000n, 0o100644n, 0n], ENOENT, m), `mknodat(AT_FDCWD, "/tmp/tbl/nope/f", S_IFREG|0644)${enoent}`);
    });

    it('futimesat prints both timevals with their dates; fchmodat2; getdents', function () {
      const tv = bytes(32, (dv) => [1n, 2n, 3n, 4n].forEach((v, i) => dv.setBigInt64(8 * i, v, true)));
      const m = new FakeMemory().string(PATH, '/tmp/tbl/nope').map(0x2000n, tv);
      assert.equal(
        line('futimesat', [-100n, PATH, 0x2000n], ENOENT, m),
        'futimesat(AT_FDCWD, "/tmp/tbl/nope", [{tv_sec=1, tv_usec=2} /* 1970-01-01T00:00:01.000002+0000 */, {tv_sec=3, tv_usec=4} /* 1970-01-01T00:00:03.000004+0000 */]) = -1 ENOENT (No such file or directory)',
      );
      assert.equal(line('futimesat', [-100n, PATH, 0n], ENOENT, m), 'futimesat(AT_FDCWD, "/tmp/tbl/nope", NULL) = -1 ENOENT (No such file or directory)');
      // strace 6.1 predates fchmodat2 (Linux 6.6); this is the form of strace 6.6 and later.
      assert.equal(
        line('fchmodat2', [-100n, PATH, 0o644n, 0x100n], ENOENT, m),
        'fchmodat2(AT_FDCWD, "/tmp/tbl/nope", 0644, AT_SYMLINK_NOFOLLOW) = -1 ENOENT (No such file or directory)',
      );
      const dirents = bytes(96, (dv) => [0, 24, 48, 72].forEach((off) => dv.setUint16(off + 16, 24, true)));
      assert.equal(line('getdents', [4n, 0x7fffdce109c0n, 4096n], 96n, new FakeMemory().map(0x7fffdce109c0n, dirents)), 'getdents(4, 0x7fffdce109c0 /* 4 entries */, 4096) = 96');
    });

    it('statx: sync type and AT flags, the mask by name, the struct abbreviated after success', function () {
      const stx = (mask: number, mode: number, size: bigint) =>
        bytes(256, (dv) => {
          dv.setUint32(0, mask, true);
          dv.setUint16(28, mode, true);
          dv.setBigUint64(40, size, true);
        });
      const m = new FakeMemory().string(PATH, '/etc/hostname').string(0x2000n, '/etc').map(0x3000n, stx(0x1fff, 0o100755, 3n)).map(0x4000n, stx(0x17ff, 0o40755, 4096n));
      assert.equal(
        line('statx', [-100n, PATH, 0x4100n, 0xfffn, 0x3000n], 0n, m),
        'statx(AT_FDCWD, "/etc/hostname", AT_STATX_DONT_SYNC|AT_SYMLINK_NOFOLLOW, STATX_ALL, {stx_mask=STATX_ALL|STATX_MNT_ID, stx_attributes=0, stx_mode=S_IFREG|0755, stx_size=3, ...}) = 0',
      );
      assert.equal(
        line('statx', [-100n, 0x2000n, 0n, 0x7ffn, 0x4000n], 0n, m),
        'statx(AT_FDCWD, "/etc", AT_STATX_SYNC_AS_STAT, STATX_BASIC_STATS, {stx_mask=STATX_BASIC_STATS|STATX_MNT_ID, stx_attributes=0, stx_mode=S_IFDIR|0755, stx_size=4096, ...}) = 0',
      );
      assert.equal(
        line('statx', [-100n, 0x2000n, 0x100n, 0x80000000n, STRUCT], EINVAL, m),
        'statx(AT_FDCWD, "/etc", AT_STATX_SYNC_AS_STAT|AT_SYMLINK_NOFOLLOW, 0x80000000 /* STATX_??? */, 0x7fffdce10870) = -1 EINVAL (Invalid argument)',
      );
      assert.equal(
        line('statx', [-100n, 0x2000n, 0x3000n, 2n, STRUCT], ENOENT, m),
        'statx(AT_FDCWD, "/etc", AT_STATX_FORCE_SYNC|AT_EMPTY_PATH, STATX_MODE, 0x7fffdce10870) = -1 ENOENT (No such file or directory)',
      );
    });
  });

  describe('extended attributes', function () {
    it('names as strings, values as buffers, setxattr flags by name', function () {
      const VAL = 0x7ffccbffc9e0n;
      const m = new FakeMemory()
        .string(PATH, '/tmp/tbl/xf')
        .string(0x2000n, 'user.foo')
        .string(0x2100n, 'user.baz')
        .string(0x2200n, 'user.nope')
        .map(0x3000n, new TextEncoder().encode('bar'))
        .map(0x3100n, new TextEncoder().encode('a\nb'))
        .map(VAL, new TextEncoder().encode('user.foo\0user.baz\0'));
      assert.equal(line('setxattr', [PATH, 0x2000n, 0x3000n, 3n, 1n], 0n, m), 'setxattr("/tmp/tbl/xf", "user.foo", "bar", 3, XATTR_CREATE) = 0');
      assert.equal(line('lsetxattr', [PATH, 0x2100n, 0x3100n, 3n, 0n], 0n, m), 'lsetxattr("/tmp/tbl/xf", "user.baz", "a\\nb", 3, 0) = 0');
      assert.equal(line('fsetxattr', [3n, 0x2000n, 0x3000n, 3n, 2n], 0n, m), 'fsetxattr(3, "user.foo", "bar", 3, XATTR_REPLACE) = 0');
      assert.equal(
        line('fsetxattr', [3n, 0x2000n, 0x3000n, 3n, 7n], EINVAL, m),
        'fsetxattr(3, "user.foo", "bar", 3, XATTR_CREATE|XATTR_REPLACE|0x4) = -1 EINVAL (Invalid argument)',
      );
      assert.equal(line('getxattr', [PATH, 0x2000n, 0x3000n, 256n], 3n, m), 'getxattr("/tmp/tbl/xf", "user.foo", "bar", 256) = 3');
      assert.equal(
        line('getxattr', [PATH, 0x2200n, VAL, 256n], ERR(61), m),
        'getxattr("/tmp/tbl/xf", "user.nope", 0x7ffccbffc9e0, 256) = -1 ENODATA (No data available)',
      );
      assert.equal(line('lgetxattr', [PATH, 0x2000n, 0n, 0n], 3n, m), 'lgetxattr("/tmp/tbl/xf", "user.foo", NULL, 0) = 3');
      assert.equal(line('listxattr', [PATH, VAL, 256n], 18n, m), 'listxattr("/tmp/tbl/xf", "user.foo\\0user.baz\\0", 256) = 18');
      assert.equal(line('llistxattr', [PATH, 0n, 0n], 18n, m), 'llistxattr("/tmp/tbl/xf", NULL, 0)      = 18');
      assert.equal(line('flistxattr', [3n, VAL, 256n], 18n, m), 'flistxattr(3, "user.foo\\0user.baz\\0", 256) = 18');
      assert.equal(line('removexattr', [PATH, 0x2000n], 0n, m), 'removexattr("/tmp/tbl/xf", "user.foo")  = 0');
      assert.equal(line('lremovexattr', [PATH, 0x2200n], ERR(61), m), 'lremovexattr("/tmp/tbl/xf", "user.nope") = -1 ENODATA (No data available)');
      assert.equal(line('fremovexattr', [3n, 0x2100n], 0n, m), 'fremovexattr(3, "user.baz")             = 0');
    });
  });

  describe('vectored and ranged I/O', function () {
    const iov = (entries: readonly (readonly [bigint, bigint])[]) => bytes(16 * entries.length, (dv) => entries.forEach(([base, len], i) => {
      dv.setBigUint64(16 * i, base, true);
      dv.setBigUint64(16 * i + 8, len, true);
    }));
    const text = 'hello world, this is a long string that exceeds';

    it('writev shows each buffer (32 bytes at most); readv spreads what it read over its buffers', function () {
      const m = new FakeMemory()
        .map(0x5000n, new TextEncoder().encode(text))
        .map(0x6000n, new TextEncoder().encode('b'))
        .map(0x6100n, new Uint8Array(1))
        .map(0x2000n, iov([[0x5000n, 48n], [0x6000n, 1n], [0x6100n, 0n]]))
        .map(0x7000n, new TextEncoder().encode(`${text}b`))
        .map(0x7004n, new TextEncoder().encode(`o world, this is a long string that exceedsb${'\0'.repeat(56)}`))
        .map(0x3000n, iov([[0x7000n, 4n], [0x7004n, 100n]]));
      assert.equal(
        line('writev', [6n, 0x2000n, 3n], 49n, m),
        'writev(6, [{iov_base="hello world, this is a long stri"..., iov_len=48}, {iov_base="b", iov_len=1}, {iov_base="", iov_len=0}], 3) = 49',
      );
      assert.equal(
        line('readv', [5n, 0x3000n, 2n], 49n, m),
        'readv(5, [{iov_base="hell", iov_len=4}, {iov_base="o world, this is a long string t"..., iov_len=100}], 2) = 49',
      );
      assert.equal(line('writev', [6n, 8n, 1n], EFAULT, m), 'writev(6, 0x8, 1)                       = -1 EFAULT (Bad address)');
      assert.deepEqual(formatEnter('readv', argKinds('readv', [5n, 0x3000n, 2n]), [5n, 0x3000n, 2n], m), 'readv(5, ');
    });

    it('preadv, preadv2 (with RWF flags), pwritev, pwritev2', function () {
      const m = new FakeMemory()
        .map(0x5000n, new TextEncoder().encode('vm\n'))
        .map(0x2000n, iov([[0x5000n, 10n]]))
        .map(0x3000n, iov([[0x5000n, 4n], [0x5003n, 100n]]))
        .map(0x6000n, new TextEncoder().encode('hello'))
        .map(0x4000n, iov([[0x6000n, 5n]]));
      assert.equal(line('preadv', [5n, 0x2000n, 1n, 0n, 0n], 3n, m), 'preadv(5, [{iov_base="vm\\n", iov_len=10}], 1, 0) = 3');
      assert.equal(line('preadv2', [5n, 0x2000n, 1n, 0n, 0n, 1n], 3n, m), 'preadv2(5, [{iov_base="vm\\n", iov_len=10}], 1, 0, RWF_HIPRI) = 3');
      assert.equal(line('preadv2', [5n, 0x2000n, 1n, -1n, -1n, 0n], 3n, m), 'preadv2(5, [{iov_base="vm\\n", iov_len=10}], 1, -1, 0) = 3');
      assert.equal(
        line('preadv2', [7n, 0x3000n, 2n, 0n, 0n, 0x17n], 3n, m),
        'preadv2(7, [{iov_base="vm\\n", iov_len=4}, {iov_base="", iov_len=100}], 2, 0, RWF_HIPRI|RWF_DSYNC|RWF_SYNC|RWF_APPEND) = 3',
      );
      assert.equal(line('pwritev', [6n, 0x4000n, 1n, 5n, 0n], 5n, m), 'pwritev(6, [{iov_base="hello", iov_len=5}], 1, 5) = 5');
      assert.equal(line('pwritev2', [6n, 0x4000n, 1n, 5n, 0n, 8n], 5n, m), 'pwritev2(6, [{iov_base="hello", iov_len=5}], 1, 5, RWF_NOWAIT) = 5');
    });

    it('copy_file_range shows its offsets', function () {
      const m = new FakeMemory().words(0x2000n, [1n]).words(0x3000n, [0n]);
      assert.equal(line('copy_file_range', [7n, 0x2000n, 8n, 0x3000n, 10n, 0n], 2n, m), 'copy_file_range(7, [1], 8, [0], 10, 0)  = 2');
      assert.equal(line('copy_file_range', [5n, 0n, 6n, 0n, 10n, 0n], EINVAL), 'copy_file_range(5, NULL, 6, NULL, 10, 0) = -1 EINVAL (Invalid argument)');
    });
  });

  describe('memory', function () {
    const ADDR = 0x7f8c89880000n;

    it('msync, mincore, mlock and friends', function () {
      assert.equal(line('msync', [ADDR, 8192n, 6n], 0n), 'msync(0x7f8c89880000, 8192, MS_SYNC|MS_INVALIDATE) = 0');
      assert.equal(line('msync', [ADDR, 4096n, 0n], 0n), 'msync(0x7f8c89880000, 4096, 0)          = 0');
      const vec = new Uint8Array(40);
      vec[0] = 1;
      vec[3] = 1;
      const m = new FakeMemory().map(0x7ffd0000n, vec);
      assert.equal(line('mincore', [ADDR, 12288n, 0x7ffd0000n], 0n, m), 'mincore(0x7f8c89880000, 12288, [1, 0, 0]) = 0');
      assert.equal(
        line('mincore', [ADDR, 163840n, 0x7ffd0000n], 0n, m),
        `mincore(0x7f8c89880000, 163840, [1, 0, 0, 1, ${Array(28).fill('0').join(', ')}, ...]) = 0`,
      );
      assert.equal(line('mincore', [ADDR, 12288n, 8n], EFAULT, m), 'mincore(0x7f8c89880000, 12288, 0x8)     = -1 EFAULT (Bad address)');
      assert.equal(line('mlock', [ADDR, 4096n], 0n), 'mlock(0x7f8c89880000, 4096)             = 0');
      assert.equal(line('munlock', [ADDR, 4096n], 0n), 'munlock(0x7f8c89880000, 4096)           = 0');
      assert.equal(line('mlockall', [3n], 0n), 'mlockall(MCL_CURRENT|MCL_FUTURE)        = 0');
      assert.equal(line('mlockall', [0n], EINVAL), 'mlockall(0)                             = -1 EINVAL (Invalid argument)');
      assert.equal(line('munlockall', [], 0n), 'munlockall()                            = 0');
      assert.equal(line('mlock2', [ADDR, 4096n, 1n], 0n), 'mlock2(0x7f8c89880000, 4096, MLOCK_ONFAULT) = 0');
      assert.equal(line('mlock2', [ADDR, 4096n, 0n], 0n), 'mlock2(0x7f8c89880000, 4096, 0)         = 0');
    });
  });

  describe('processes and signals', function () {
    it('personality: the persona by name, its result with the old one', function () {
      assert.equal(line('personality', [0xffffffffn], 0n), 'personality(0xffffffff)                 = 0 (PER_LINUX)');
      assert.equal(line('personality', [0x40000n], 0n), 'personality(PER_LINUX|ADDR_NO_RANDOMIZE) = 0 (PER_LINUX)');
      assert.equal(line('personality', [0x8n], 0n), 'personality(PER_LINUX32)                = 0 (PER_LINUX)');
      assert.equal(line('personality', [0x400008n], 8n), 'personality(PER_LINUX32|READ_IMPLIES_EXEC) = 0x8 (PER_LINUX32)');
    });

    it('getcpu, priorities, setfsuid, io permissions, settimeofday', function () {
      const m = new FakeMemory().map(0x7ffd0000n, new Uint8Array(4)).map(0x7ffd0010n, new Uint8Array(4));
      assert.equal(line('getcpu', [0x7ffd0000n, 0x7ffd0010n, 0n], 0n, m), 'getcpu([0], [0], NULL)                  = 0');
      assert.equal(line('getpriority', [0n, 0n], 20n), 'getpriority(PRIO_PROCESS, 0)            = 20');
      assert.equal(line('getpriority', [7n, 1n], EINVAL), 'getpriority(0x7 /* PRIO_??? */, 1)      = -1 EINVAL (Invalid argument)');
      assert.equal(line('setpriority', [1n, 0n, 5n], 0n), 'setpriority(PRIO_PGRP, 0, 5)            = 0');
      assert.equal(line('setfsuid', [1000n], 0n), 'setfsuid(1000)                          = 0');
      assert.equal(line('setfsgid', [0xffffffffn], 0n), 'setfsgid(-1)                            = 0');
      assert.equal(line('iopl', [0n], ERR(38)), 'iopl(0)                                 = -1 ENOSYS (Function not implemented)');
      assert.equal(line('ioperm', [0x80n, 1n, 1n], ERR(38)), 'ioperm(0x80, 0x1, 1)                    = -1 ENOSYS (Function not implemented)');
      const tv = new FakeMemory().map(0x2000n, bytes(16, (dv) => {
        dv.setBigInt64(0, 1n, true);
        dv.setBigInt64(8, 2n, true);
      }));
      assert.equal(line('settimeofday', [0x2000n, 0n], EINVAL, tv), 'settimeofday({tv_sec=1, tv_usec=2}, NULL) = -1 EINVAL (Invalid argument)');
    });

    it('syslog prints its action with a comment and only the arguments that action uses', function () {
      const m = new FakeMemory().map(0x7ffd504ad2f0n, new TextEncoder().encode('<5>[   '));
      const buf = 0x7ffd504ad2f0n;
      const expected = [
        'syslog(0 /* SYSLOG_ACTION_CLOSE */)     = 0',
        'syslog(1 /* SYSLOG_ACTION_OPEN */)      = 0',
        'syslog(2 /* SYSLOG_ACTION_READ */, "<5>[   ", 7) = 7',
        'syslog(5 /* SYSLOG_ACTION_CLEAR */)     = 0',
        'syslog(6 /* SYSLOG_ACTION_CONSOLE_OFF */) = 0',
        'syslog(7 /* SYSLOG_ACTION_CONSOLE_ON */) = 0',
        'syslog(8 /* SYSLOG_ACTION_CONSOLE_LEVEL */, 0x7ffd504ad2f0, 7 /* LOGLEVEL_DEBUG */) = 0',
        'syslog(9 /* SYSLOG_ACTION_SIZE_UNREAD */) = 31589',
        'syslog(10 /* SYSLOG_ACTION_SIZE_BUFFER */) = 131072',
      ];
      const results = [0n, 0n, 7n, 0n, 0n, 0n, 0n, 31589n, 131072n];
      [0n, 1n, 2n, 5n, 6n, 7n, 8n, 9n, 10n].forEach((action, i) => assert.equal(line('syslog', [action, buf, 7n], results[i], m), expected[i]));
      assert.equal(line('syslog', [3n, buf, 7n], EPERM, m), 'syslog(3 /* SYSLOG_ACTION_READ_ALL */, 0x7ffd504ad2f0, 7) = -1 EPERM (Operation not permitted)');
    });

    it('rt_tgsigqueueinfo and rt_sigqueueinfo print the siginfo by its code', function () {
      const info = (code: number, value: bigint) => siginfo(10, code, 5, 6, value);
      const m = new FakeMemory().map(0x1000n, info(-1, 42n)).map(0x2000n, info(0, 42n)).map(0x3000n, info(-6, 42n)).map(0x4000n, info(-60, 42n)).map(0x5000n, info(-1, 0n));
      const call = (addr: bigint) => line('rt_tgsigqueueinfo', [999998n, 999999n, 10n, addr], ESRCH, m);
      const tail = ') = -1 ESRCH (No such process)';
      assert.equal(call(0x1000n), `rt_tgsigqueueinfo(999998, 999999, SIGUSR1, {si_signo=SIGUSR1, si_code=SI_QUEUE, si_pid=5, si_uid=6, si_int=42, si_ptr=0x2a}${tail}`);
      assert.equal(call(0x2000n), `rt_tgsigqueueinfo(999998, 999999, SIGUSR1, {si_signo=SIGUSR1, si_code=SI_USER, si_pid=5, si_uid=6}${tail}`);
      assert.equal(call(0x3000n), `rt_tgsigqueueinfo(999998, 999999, SIGUSR1, {si_signo=SIGUSR1, si_code=SI_TKILL, si_pid=5, si_uid=6}${tail}`);
      assert.equal(call(0x4000n), `rt_tgsigqueueinfo(999998, 999999, SIGUSR1, {si_signo=SIGUSR1, si_code=SI_ASYNCNL, si_pid=5, si_uid=6, si_int=42, si_ptr=0x2a}${tail}`);
      assert.equal(call(0x5000n), `rt_tgsigqueueinfo(999998, 999999, SIGUSR1, {si_signo=SIGUSR1, si_code=SI_QUEUE, si_pid=5, si_uid=6}${tail}`);
    });

    it('execveat: argv, envp count and AT flags', function () {
      const m = new FakeMemory()
        .string(0x1000n, '/nonexist')
        .string(0x1100n, 'a')
        .string(0x1200n, '')
        .string(0x1300n, 'X=1')
        .words(0x2000n, [0x1000n, 0x1100n, 0n])
        .words(0x7fffdce107b0n, [0x1300n, 0n]);
      assert.equal(
        line('execveat', [-100n, 0x1000n, 0x2000n, 0x7fffdce107b0n, 0x1100n], ENOENT, m),
        'execveat(AT_FDCWD, "/nonexist", ["/nonexist", "a"], 0x7fffdce107b0 /* 1 var */, AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH) = -1 ENOENT (No such file or directory)',
      );
      assert.equal(
        line('execveat', [4n, 0x1200n, 0x2000n, 0x7fffdce107b0n, 0n], ENOENT, m),
        'execveat(4, "", ["/nonexist", "a"], 0x7fffdce107b0 /* 1 var */, 0) = -1 ENOENT (No such file or directory)',
      );
    });

    it('waitid: the id type, the siginfo it filled, options by name', function () {
      const child = (code: number, status: number) => siginfo(17, code, 20661, 0, BigInt(status));
      const SI = 0x7fffdce107e0n;
      const m = new FakeMemory().map(SI, child(1, 3)).map(0x2000n, child(2, 9)).map(0x3000n, new Uint8Array(128));
      const exited = '{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=20661, si_uid=0, si_status=3, si_utime=0, si_stime=0}';
      assert.equal(line('waitid', [1n, 20661n, SI, 0x1000004n, 0n], 0n, m), `waitid(P_PID, 20661, ${exited}, WEXITED|WNOWAIT, NULL) = 0`);
      assert.equal(line('waitid', [0n, 0n, SI, 7n, 0n], 0n, m), `waitid(P_ALL, 0, ${exited}, WNOHANG|WSTOPPED|WEXITED, NULL) = 0`);
      assert.equal(
        line('waitid', [1n, 20661n, 0x2000n, 4n, 0n], 0n, m),
        'waitid(P_PID, 20661, {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=20661, si_uid=0, si_status=SIGKILL, si_utime=0, si_stime=0}, WEXITED, NULL) = 0',
      );
      assert.equal(line('waitid', [1n, 21933n, 0x3000n, 5n, 0n], 0n, m), 'waitid(P_PID, 21933, {}, WNOHANG|WEXITED, NULL) = 0');
      assert.equal(line('waitid', [2n, 0n, SI, 4n, 0n], ECHILD, m), 'waitid(P_PGID, 0, 0x7fffdce107e0, WEXITED, NULL) = -1 ECHILD (No child processes)');
      assert.equal(line('waitid', [7n, 0n, 0n, 0n, 0n], EINVAL), 'waitid(0x7 /* P_??? */, 0, NULL, 0, NULL) = -1 EINVAL (Invalid argument)');
      assert.equal(line('waitid', [3n, 4n, 0n, 0n, 0n], EINVAL), 'waitid(P_PIDFD, 4, NULL, 0, NULL)       = -1 EINVAL (Invalid argument)');
      const args = [1n, 21933n, 0x2000n, 4n, 0n];
      const kinds = argKinds('waitid', args);
      assert.equal(formatUnfinished('waitid', kinds, args, m, { prefix: '[pid 21931] ' }), '[pid 21931] waitid(P_PID, 21933,  <unfinished ...>');
      assert.equal(
        formatResumed('waitid', kinds, args, 0n, m),
        '<... waitid resumed>{si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=20661, si_uid=0, si_status=SIGKILL, si_utime=0, si_stime=0}, WEXITED, NULL) = 0',
      );
    });
  });

  describe('poll and file times', function () {
    const pollfd = (entries: readonly (readonly [number, number, number])[]) =>
      bytes(8 * entries.length, (dv) => entries.forEach(([fd, events, revents], i) => {
        dv.setInt32(8 * i, fd, true);
        dv.setUint16(8 * i + 4, events, true);
        dv.setUint16(8 * i + 6, revents, true);
      }));

    it('poll and ppoll print the pollfd array, then what came back or Timeout', function () {
      const ts = (sec: bigint, nsec: bigint) => words64([sec, nsec]);
      const m = new FakeMemory()
        .map(0x1000n, pollfd([[3, 3, 1], [4, 4, 4], [99, 1, 0x20]]))
        .map(0x2000n, pollfd([[4, 1, 0]]))
        .map(0x3000n, ts(0n, 999998627n));
      const three = '[{fd=3, events=POLLIN|POLLPRI}, {fd=4, events=POLLOUT}, {fd=99, events=POLLIN}], 3';
      const back = '[{fd=3, revents=POLLIN}, {fd=4, revents=POLLOUT}, {fd=99, revents=POLLNVAL}]';
      assert.equal(line('poll', [0x1000n, 3n, 0n], 3n, m), `poll(${three}, 0) = 3 (${back})`);
      assert.equal(line('poll', [0x2000n, 1n, 0n], 0n, m), 'poll([{fd=4, events=POLLIN}], 1, 0)     = 0 (Timeout)');
      // The kernel has written the time left into the timeout before strace reads it on exit.
      assert.equal(
        line('ppoll', [0x1000n, 3n, 0x3000n, 0n, 8n], 3n, m),
        `ppoll(${three}, {tv_sec=0, tv_nsec=999998627}, NULL, 8) = 3 (${back}, left {tv_sec=0, tv_nsec=999998627})`,
      );
      assert.equal(
        line('ppoll', [0x1000n, 2n, 0n, 0n, 8n], 2n, m),
        'ppoll([{fd=3, events=POLLIN|POLLPRI}, {fd=4, events=POLLOUT}], 2, NULL, NULL, 8) = 2 ([{fd=3, revents=POLLIN}, {fd=4, revents=POLLOUT}])',
      );
      assert.equal(line('poll', [8n, 1n, -1n], EFAULT, m), 'poll(0x8, 1, -1)                        = -1 EFAULT (Bad address)');
      const args = [0x2000n, 1n, -1n];
      assert.equal(formatUnfinished('poll', argKinds('poll', args), args, m), 'poll([{fd=4, events=POLLIN}], 1, -1 <unfinished ...>');
    });

    it('utimensat, utimes and utime print dated times (glibc sends all three as utimensat)', function () {
      const pair = (values: readonly bigint[]) => bytes(32, (dv) => values.forEach((v, i) => dv.setBigInt64(8 * i, v, true)));
      const m = new FakeMemory()
        .string(PATH, '/tmp/tbl/uf')
        .map(0x2000n, pair([1n, 2n, 0n, 0x3fffffffn]))
        .map(0x3000n, pair([5n, 0n, 6n, 0n]))
        .map(0x4000n, pair([0n, 0x3ffffffen, 0n, 0x3fffffffn]));
      assert.equal(
        line('utimensat', [-100n, PATH, 0x2000n, 0n], 0n, m),
        'utimensat(AT_FDCWD, "/tmp/tbl/uf", [{tv_sec=1, tv_nsec=2} /* 1970-01-01T00:00:01.000000002+0000 */, UTIME_NOW], 0) = 0',
      );
      assert.equal(
        line('utimensat', [-100n, PATH, 0x3000n, 0n], 0n, m),
        'utimensat(AT_FDCWD, "/tmp/tbl/uf", [{tv_sec=5, tv_nsec=0} /* 1970-01-01T00:00:05+0000 */, {tv_sec=6, tv_nsec=0} /* 1970-01-01T00:00:06+0000 */], 0) = 0',
      );
      assert.equal(line('utimensat', [5n, 0n, 0x4000n, 0n], 0n, m), 'utimensat(5, NULL, [UTIME_OMIT, UTIME_NOW], 0) = 0');
      // utimes and utime issued directly: strace's forms for those system calls.
      assert.equal(
        line('utimes', [PATH, 0x3000n], 0n, m),
        'utimes("/tmp/tbl/uf", [{tv_sec=5, tv_usec=0} /* 1970-01-01T00:00:05+0000 */, {tv_sec=6, tv_usec=0} /* 1970-01-01T00:00:06+0000 */]) = 0',
      );
      assert.equal(
        line('utime', [PATH, 0x3000n], 0n, m),
        'utime("/tmp/tbl/uf", {actime=5 /* 1970-01-01T00:00:05+0000 */, modtime=0 /* 1970-01-01T00:00:00+0000 */}) = 0',
      );
    });
  });

  describe('eventfd and epoll', function () {
    const event = (events: number, data: bigint) =>
      bytes(12, (dv) => {
        dv.setUint32(0, events, true);
        dv.setBigUint64(4, data, true);
      });

    it('eventfd, eventfd2 and epoll_create1 flags', function () {
      assert.equal(line('eventfd', [3n], 7n), 'eventfd(3)                              = 7');
      assert.equal(line('eventfd2', [0n, 0x80801n], 8n), 'eventfd2(0, EFD_SEMAPHORE|EFD_CLOEXEC|EFD_NONBLOCK) = 8');
      assert.equal(line('eventfd2', [1n, 0n], 3n), 'eventfd2(1, 0)                          = 3');
      assert.equal(line('eventfd2', [0n, 2n], EINVAL), 'eventfd2(0, 0x2 /* EFD_??? */)          = -1 EINVAL (Invalid argument)');
      assert.equal(line('epoll_create', [10n], 9n), 'epoll_create(10)                        = 9');
      assert.equal(line('epoll_create1', [0x80000n], 11n), 'epoll_create1(EPOLL_CLOEXEC)            = 11');
      assert.equal(line('epoll_create1', [0n], 4n), 'epoll_create1(0)                        = 4');
    });

    it('epoll_ctl prints the operation and struct epoll_event', function () {
      const m = new FakeMemory().map(0x2000n, event(0x80002001, 0x1234n)).map(0x3000n, event(4, 8n)).map(0x4000n, event(1, 0x100000003n));
      assert.equal(line('epoll_ctl', [11n, 1n, 7n, 0x2000n], 0n, m), 'epoll_ctl(11, EPOLL_CTL_ADD, 7, {events=EPOLLIN|EPOLLRDHUP|EPOLLET, data={u32=4660, u64=4660}}) = 0');
      assert.equal(line('epoll_ctl', [11n, 3n, 7n, 0x3000n], 0n, m), 'epoll_ctl(11, EPOLL_CTL_MOD, 7, {events=EPOLLOUT, data={u32=8, u64=8}}) = 0');
      assert.equal(line('epoll_ctl', [11n, 2n, 7n, 0n], 0n, m), 'epoll_ctl(11, EPOLL_CTL_DEL, 7, NULL)   = 0');
      assert.equal(
        line('epoll_ctl', [4n, 7n, 3n, 0x4000n], EINVAL, m),
        'epoll_ctl(4, 0x7 /* EPOLL_CTL_??? */, 3, {events=EPOLLIN, data={u32=3, u64=4294967299}}) = -1 EINVAL (Invalid argument)',
      );
      assert.equal(line('epoll_ctl', [4n, 1n, 3n, 8n], EFAULT, m), 'epoll_ctl(4, EPOLL_CTL_ADD, 3, 0x8)     = -1 EFAULT (Bad address)');
    });

    it('epoll_wait, epoll_pwait and epoll_pwait2 print the events they returned and the signal mask', function () {
      const sigmask = bytes(8, (dv) => dv.setBigUint64(0, (1n << 1n) | (1n << 11n) | (1n << 35n), true));
      const ts = bytes(16, (dv) => dv.setBigInt64(8, 1000n, true));
      const m = new FakeMemory().map(0x2000n, event(1, 0x100000003n)).map(0x3000n, sigmask).map(0x4000n, ts);
      const ready = '[{events=EPOLLIN, data={u32=3, u64=4294967299}}]';
      assert.equal(line('epoll_pwait2', [4n, 0x2000n, 4n, 0n, 0x3000n, 8n], 1n, m), `epoll_pwait2(4, ${ready}, 4, NULL, [INT USR2 RT_4], 8) = 1`);
      assert.equal(line('epoll_pwait', [4n, 0x2000n, 4n, 0n, 0x3000n, 8n], 1n, m), `epoll_pwait(4, ${ready}, 4, 0, [INT USR2 RT_4], 8) = 1`);
      assert.equal(line('epoll_wait', [4n, 0x2000n, 4n, 0n], 1n, m), `epoll_wait(4, ${ready}, 4, 0) = 1`);
      assert.equal(line('epoll_pwait2', [11n, 0x2000n, 4n, 0x4000n, 0n, 8n], 0n, m), 'epoll_pwait2(11, [], 4, {tv_sec=0, tv_nsec=1000}, NULL, 8) = 0');
      assert.equal(line('epoll_wait', [99n, 0x2000n, 4n, -1n], EBADF, none), 'epoll_wait(99, 0x2000, 4, -1)           = -1 EBADF (Bad file descriptor)');
    });
  });
});
