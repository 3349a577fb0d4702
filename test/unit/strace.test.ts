// strace formatting. Every expected line below was printed by strace 6.1 for the same arguments
// (test programs issuing raw syscalls on Debian 12), except where a comment says otherwise.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DT, encodeDirents64 } from '../../kernel-shim/abi/dirent.js';
import { strerror } from '../../kernel-shim/abi/strerror.js';
import type { ArgSpec } from '../../syscalls/argkinds.js';
import { syscallName } from '../../syscalls/numbers.js';
import { formatEnter, formatExit, formatResumed, formatSyscall, formatUnfinished, quoteBytes } from '../../syscalls/strace.js';
import { argKinds } from '../../syscalls/strace-signature.js';
import { BUF, EBADF, EFAULT, EINVAL, ENOENT, ERR, FakeMemory, line, none } from './strace-memory.js';

describe('strace formatting', function () {
  describe('lines from the brief', function () {
    it('openat with a path and open flags', function () {
      const mem = new FakeMemory().string(0x1000n, '/etc/passwd');
      assert.equal(
        line('openat', [-100n, 0x1000n, 0x80000n], 3n, mem),
        'openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3',
      );
    });

    it('read shows 32 bytes of what was read, then ...', function () {
      const text = 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n';
      const mem = new FakeMemory().map(BUF, new TextEncoder().encode(text.repeat(20)));
      assert.equal(line('read', [3n, BUF, 4096n], 1234n, mem), 'read(3, "root:x:0:0:root:/root:/bin/bash\\n"..., 4096) = 1234');
    });

    it('errors print -1, the errno name and glibc strerror text; short lines are padded to column 40', function () {
      const mem = new FakeMemory().string(0x1000n, '/nope');
      assert.equal(line('open', [0x1000n, 0n], ENOENT, mem), 'open("/nope", O_RDONLY)                 = -1 ENOENT (No such file or directory)');
      assert.equal(
        formatSyscall('open', argKinds('open', [0x1000n, 0n]), [0x1000n, 0n], ENOENT, mem, { column: 0 }),
        'open("/nope", O_RDONLY) = -1 ENOENT (No such file or directory)',
      );
    });

    it('mmap prints its result in hex', function () {
      assert.equal(
        line('mmap', [0n, 8192n, 3n, 0x22n, -1n, 0n], 0x7f6154441000n),
        'mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f6154441000',
      );
      assert.equal(line('brk', [0n], 0x560590034000n), 'brk(NULL)                               = 0x560590034000');
    });

    it('exit_group never returns', function () {
      assert.equal(line('exit_group', [0n], null), 'exit_group(0)                           = ?');
      assert.equal(line('exit', [0n], 0n), 'exit(0)                                 = ?');
    });
  });

  describe('buffers and strings', function () {
    const bytes = Uint8Array.from([
      34, 92, 10, 9, 13, 12, 11, 0, 49, 0, 97, 127, 255, 55, 27, 105, 112, 119, 126, 133, 140, 147, 154, 161, 168, 175, 182,
      189, 196, 203, 210, 217, 224, 231, 238, 245, 252, 3, 10, 17, 24, 31, 38, 45, 52, 59, 66, 73, 80, 87, 94, 101, 108, 115,
      122, 129, 136, 143, 150, 157, 164, 171, 178, 185,
    ]);
    const mem = new FakeMemory().map(0x5000n, bytes);
    const quoted = '"\\"\\\\\\n\\t\\r\\f\\v\\0001\\0a\\177\\3777\\33ipw~\\205\\214\\223\\232\\241\\250\\257\\266\\275\\304\\313\\322\\331"';

    it('escapes like strace: \\" \\\\ \\n \\t \\r \\f \\v and short octal unless a digit follows', function () {
      assert.equal(line('write', [99n, 0x5000n, 64n], EBADF, mem), `write(99, ${quoted}..., 64) = -1 EBADF (Bad file descriptor)`);
      assert.equal(line('write', [99n, 0x5000n, 32n], EBADF, mem), `write(99, ${quoted}, 32) = -1 EBADF (Bad file descriptor)`);
      assert.equal(line('write', [99n, 0x5000n, 33n], EBADF, mem), `write(99, ${quoted}..., 33) = -1 EBADF (Bad file descriptor)`);
    });

    it('empty, NULL and unreadable buffers', function () {
      assert.equal(line('write', [99n, 0x5000n, 0n], EBADF, mem), 'write(99, "", 0)                        = -1 EBADF (Bad file descriptor)');
      assert.equal(line('write', [99n, 0n, 10n], EBADF), 'write(99, NULL, 10)                     = -1 EBADF (Bad file descriptor)');
      assert.equal(line('write', [99n, 0x1000n, 10n], EBADF), 'write(99, 0x1000, 10)                   = -1 EBADF (Bad file descriptor)');
    });

    it('an output buffer is shown only when the call succeeded', function () {
      assert.equal(line('read', [99n, BUF, 10n], EBADF), 'read(99, 0x7ffd20e1faa0, 10)            = -1 EBADF (Bad file descriptor)');
      assert.equal(line('read', [3n, 0x5000n, 4096n], 0n, mem), 'read(3, "", 4096)                       = 0');
    });

    it('buffer length from another argument', function () {
      const kinds: ArgSpec[] = [{ kind: 'buf_in', len: 2 }, 'hex', 'uint'];
      assert.equal(formatSyscall('custom', kinds, [0x5000n, 0n, 3n], 0n, mem, { column: 0 }), 'custom("\\"\\\\\\n", 0, 3) = 0');
    });

    it('paths keep UTF-8 bytes as octal and are never truncated', function () {
      const long = `/${'d'.repeat(40)}`;
      const m = new FakeMemory().string(0x1000n, '/é\u0001\n"').string(0x2000n, long);
      assert.equal(
        line('openat', [-100n, 0x1000n, 0n], ENOENT, m),
        'openat(AT_FDCWD, "/\\303\\251\\1\\n\\"", O_RDONLY) = -1 ENOENT (No such file or directory)',
      );
      assert.equal(line('unlink', [0x2000n], 0n, m), `unlink("${long}") = 0`);
      assert.equal(line('unlink', [0x9000n], EFAULT, m), 'unlink(0x9000)                          = -1 EFAULT (Bad address)');
    });

    it('strings written by the call', function () {
      const m = new FakeMemory().string(BUF, '/tmp/st').string(0x3000n, '/tmp/st/t1');
      assert.equal(line('getcwd', [BUF, 4096n], 8n, m), 'getcwd("/tmp/st", 4096)                 = 8');
      assert.equal(
        line('getcwd', [0x7ffee1010950n, 1n], ERR(34)),
        'getcwd(0x7ffee1010950, 1)               = -1 ERANGE (Numerical result out of range)',
      );
      const p = new FakeMemory().string(0x1000n, '/proc/self/exe').string(0x3000n, '/tmp/st/t1');
      assert.equal(line('readlink', [0x1000n, 0x3000n, 256n], 10n, p), 'readlink("/proc/self/exe", "/tmp/st/t1", 256) = 10');
    });

    it('getrandom shows its bytes in hex', function () {
      const m = new FakeMemory().map(0x1000n, Uint8Array.from([0x79, 0x36, 0x44, 0x63, 0x17, 0x6d, 0x71, 0xed]));
      assert.equal(line('getrandom', [0x1000n, 8n, 1n], 8n, m), 'getrandom("\\x79\\x36\\x44\\x63\\x17\\x6d\\x71\\xed", 8, GRND_NONBLOCK) = 8');
      assert.equal(
        line('getrandom', [0n, 8n, 7n], EINVAL),
        'getrandom(NULL, 8, GRND_NONBLOCK|GRND_RANDOM|GRND_INSECURE) = -1 EINVAL (Invalid argument)',
      );
      assert.equal(line('getrandom', [0n, 8n, 0n], EFAULT), 'getrandom(NULL, 8, 0)                   = -1 EFAULT (Bad address)');
    });

    it('quoteBytes', function () {
      assert.equal(quoteBytes(Uint8Array.from([0, 0x30])), '"\\0000"');
      assert.equal(quoteBytes(Uint8Array.from([0, 0x38])), '"\\08"');
      assert.equal(quoteBytes(Uint8Array.from([0x1b])), '"\\33"');
    });
  });

  describe('argv and envp', function () {
    const mem = new FakeMemory().string(0x1000n, '/nonexist').string(0x1100n, 'a'.repeat(43)).string(0x1200n, '\n"é').string(0x1300n, 'x');
    const argv39 = [0x1000n, 0x1100n, 0x1200n, ...Array<bigint>(36).fill(0x1300n), 0n];
    mem.words(0x2000n, argv39).words(0x3000n, [0x1300n, 0n]).words(0x3100n, [0n]);
    const xs = (n: number) => Array<string>(n).fill('"x"').join(', ');

    it('argv: 32 strings at most, each cut at 32 bytes; envp: a count', function () {
      assert.equal(
        line('execve', [0x1000n, 0x2000n, 0x3000n], ENOENT, mem),
        `execve("/nonexist", ["/nonexist", "${'a'.repeat(32)}"..., "\\n\\"\\303\\251", ${xs(29)}, ...], 0x3000 /* 1 var */) = -1 ENOENT (No such file or directory)`,
      );
    });

    it('exactly 32 strings print without ...', function () {
      const m = new FakeMemory().string(0x1000n, '/nonexist').string(0x1300n, 'x');
      m.words(0x2000n, [...Array<bigint>(32).fill(0x1300n), 0n]).words(0x4000n, [...Array<bigint>(33).fill(0x1300n), 0n]);
      assert.equal(line('execve', [0x1000n, 0x2000n, 0n], ENOENT, m), `execve("/nonexist", [${xs(32)}], NULL) = -1 ENOENT (No such file or directory)`);
      assert.equal(
        line('execve', [0x1000n, 0x4000n, 0n], ENOENT, m),
        `execve("/nonexist", [${xs(32)}, ...], NULL) = -1 ENOENT (No such file or directory)`,
      );
    });

    it('empty and unreadable arrays', function () {
      assert.equal(line('execve', [0x1000n, 0x3100n, 1n], ENOENT, mem), 'execve("/nonexist", [], 0x1)            = -1 ENOENT (No such file or directory)');
      assert.equal(line('execve', [0x1000n, 8n, 0n], ENOENT, mem), 'execve("/nonexist", 0x8, NULL)          = -1 ENOENT (No such file or directory)');
      assert.equal(line('execve', [0x1000n, 0x3000n, 0x3100n], 0n, mem), 'execve("/nonexist", ["x"], 0x3100 /* 0 vars */) = 0');
    });

    it('an array running into unreadable memory (format from strace source)', function () {
      const m = new FakeMemory().string(0x1000n, '/bin/sh').string(0x1300n, 'x').words(0x2000n, [0x1300n, 0x1300n]);
      assert.equal(line('execve', [0x1000n, 0x2000n, 0x2000n], 0n, m), 'execve("/bin/sh", ["x", "x", ... /* 0x2010 */], 0x2000 /* 2 vars */) = 0');
    });
  });

  describe('open and file calls', function () {
    const mem = new FakeMemory().string(0x1000n, 'rel').string(0x1100n, '/tmp').string(0x1200n, '/tmp/st/y').string(0x1300n, '/nonexist');

    it('flags in strace order, access mode first, mode only with O_CREAT or O_TMPFILE', function () {
      assert.equal(
        line('openat', [3n, 0x1000n, 0x131d82n], ERR(20), mem),
        'openat(3, "rel", O_RDWR|O_EXCL|O_NOCTTY|O_APPEND|O_NONBLOCK|O_SYNC|O_NOFOLLOW|O_DIRECTORY) = -1 ENOTDIR (Not a directory)',
      );
      assert.equal(line('openat', [-100n, 0x1100n, 0x410002n, 0o600n], 4n, mem), 'openat(AT_FDCWD, "/tmp", O_RDWR|O_TMPFILE, 0600) = 4');
      assert.equal(
        line('openat', [-100n, 0x1100n, 0x20247000n, 0o600n], 5n, mem),
        'openat(AT_FDCWD, "/tmp", O_RDONLY|O_DSYNC|O_DIRECT|O_NOATIME|O_PATH|FASYNC|0x20000000) = 5',
      );
      assert.equal(line('open', [0x1200n, 0x40n, 0n], 6n, mem), 'open("/tmp/st/y", O_RDONLY|O_CREAT, 000) = 6');
      assert.equal(line('open', [0x1200n, 3n], 7n, mem), 'open("/tmp/st/y", O_ACCMODE)            = 7');
      assert.equal(line('openat', [0xffffff9cn, 0x1300n, 0x20000040n, 0o755n], 3n, mem), 'openat(AT_FDCWD, "/nonexist", O_RDONLY|O_CREAT|0x20000000, 0755) = 3');
    });

    it('fd arguments are C ints', function () {
      assert.equal(line('close', [0xffffffff00000005n], 0n), 'close(5)                                = 0');
      assert.equal(line('close', [-1n], EBADF), 'close(-1)                               = -1 EBADF (Bad file descriptor)');
    });

    it('lseek offsets and whence', function () {
      assert.equal(line('lseek', [99n, -5n, 2n], EBADF), 'lseek(99, -5, SEEK_END)                 = -1 EBADF (Bad file descriptor)');
      assert.equal(line('lseek', [99n, 5n, 3n], EBADF), 'lseek(99, 5, SEEK_DATA)                 = -1 EBADF (Bad file descriptor)');
      assert.equal(line('lseek', [99n, 5n, 7n], EBADF), 'lseek(99, 5, 0x7 /* SEEK_??? */)        = -1 EBADF (Bad file descriptor)');
    });

    it('modes in octal; umask returns octal', function () {
      assert.equal(line('umask', [0o22n], 0o22n), 'umask(022)                              = 022');
      assert.equal(line('umask', [0n], 0o22n), 'umask(000)                              = 022');
      assert.equal(line('fchmodat', [-100n, 0x1300n, 0o4755n, 0n], ENOENT, mem), 'fchmodat(AT_FDCWD, "/nonexist", 04755)  = -1 ENOENT (No such file or directory)');
      assert.equal(line('mkdirat', [-100n, 0x1300n, 0o777n], ENOENT, mem), 'mkdirat(AT_FDCWD, "/nonexist", 0777)    = -1 ENOENT (No such file or directory)');
    });

    it('at flags and access modes', function () {
      const m = new FakeMemory().string(0x1000n, '').string(0x1300n, '/nonexist');
      assert.equal(
        line('newfstatat', [1n, 0x1000n, 0n, 0x9100n], EFAULT, m),
        'newfstatat(1, "", NULL, AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH|AT_RECURSIVE) = -1 EFAULT (Bad address)',
      );
      assert.equal(line('newfstatat', [1n, 0x1000n, 0n, 0x40000n], EINVAL, m), 'newfstatat(1, "", NULL, 0x40000 /* AT_??? */) = -1 EINVAL (Invalid argument)');
      assert.equal(line('newfstatat', [1n, 0x1000n, 0n, 0n], ENOENT, m), 'newfstatat(1, "", NULL, 0)              = -1 ENOENT (No such file or directory)');
      assert.equal(line('newfstatat', [1n, 0x1000n, BUF, 0x1000n], 0n, m), 'newfstatat(1, "", 0x7ffd20e1faa0, AT_EMPTY_PATH) = 0'); // strace decodes the struct
      assert.equal(line('unlinkat', [-100n, 0x1300n, 0x200n], ENOENT, m), 'unlinkat(AT_FDCWD, "/nonexist", AT_REMOVEDIR) = -1 ENOENT (No such file or directory)');
      assert.equal(line('access', [0x1300n, 0n], ENOENT, m), 'access("/nonexist", F_OK)               = -1 ENOENT (No such file or directory)');
      assert.equal(line('access', [0x1300n, 7n], 0n, m), 'access("/nonexist", R_OK|W_OK|X_OK)     = 0');
      assert.equal(line('faccessat', [-100n, 0x1300n, 0x40n], EINVAL, m), 'faccessat(AT_FDCWD, "/nonexist", 0x40 /* ?_OK */) = -1 EINVAL (Invalid argument)');
      assert.equal(line('faccessat2', [-100n, 0x1300n, 4n, 0x200n], ENOENT, m), 'faccessat2(AT_FDCWD, "/nonexist", R_OK, AT_EACCESS) = -1 ENOENT (No such file or directory)');
      assert.equal(line('utimensat', [-100n, 0x1300n, 0n, 0x100n], ENOENT, m), 'utimensat(AT_FDCWD, "/nonexist", NULL, AT_SYMLINK_NOFOLLOW) = -1 ENOENT (No such file or directory)');
      assert.equal(line('chown', [0x1300n, -1n, 0xffffffffn], ENOENT, m), 'chown("/nonexist", -1, -1)              = -1 ENOENT (No such file or directory)');
    });

    it('getdents64 counts the records it returned', function () {
      const bytes = new Uint8Array(4096);
      const { bytes: used } = encodeDirents64(new DataView(bytes.buffer), 0, bytes.length, [
        { ino: 1n, type: DT.DIR, name: '.' },
        { ino: 2n, type: DT.DIR, name: '..' },
        { ino: 3n, type: DT.REG, name: 'file' },
      ]);
      const m = new FakeMemory().map(0x7ffee1010950n, bytes);
      assert.equal(line('getdents64', [3n, 0x7ffee1010950n, 4096n], BigInt(used), m), 'getdents64(3, 0x7ffee1010950 /* 3 entries */, 4096) = 72');
      assert.equal(line('getdents64', [3n, 0x7ffee1010950n, 4096n], 0n, m), 'getdents64(3, 0x7ffee1010950 /* 0 entries */, 4096) = 0');
      assert.equal(line('getdents64', [3n, 0x7ffca9b7aa20n, 1n], EINVAL), 'getdents64(3, 0x7ffca9b7aa20, 1)        = -1 EINVAL (Invalid argument)');
    });

    it('dup3, pipe2, sendfile', function () {
      assert.equal(line('dup3', [99n, 100n, 0x80000n], EBADF), 'dup3(99, 100, O_CLOEXEC)                = -1 EBADF (Bad file descriptor)');
      assert.equal(line('dup3', [99n, 100n, 0n], EBADF), 'dup3(99, 100, 0)                        = -1 EBADF (Bad file descriptor)');
      assert.equal(line('sendfile', [1n, 0n, 0n, 0x1000000n], EINVAL), 'sendfile(1, 0, NULL, 16777216)          = -1 EINVAL (Invalid argument)');
    });
  });

  describe('results', function () {
    it('kernel-internal restart codes print "?" and strace\'s explanation', function () {
      assert.equal(line('read', [0n, 0x7ffc3788bdc0n, 10n], ERR(512)), 'read(0, 0x7ffc3788bdc0, 10)             = ? ERESTARTSYS (To be restarted if SA_RESTART is set)');
      assert.equal(line('pause', [], ERR(514)), 'pause()                                 = ? ERESTARTNOHAND (To be restarted if no handler)');
      assert.equal(line('fork', [], ERR(513)), 'fork()                                  = ? ERESTARTNOINTR (To be restarted)');
      const mem = new FakeMemory().map(0x1000n, Uint8Array.from([3, 0, 0, 0, 0, 0, 0, 0, 0xe8, 3, 0, 0, 0, 0, 0, 0]));
      assert.equal(line('nanosleep', [0x1000n, 0n], ERR(516), mem), 'nanosleep({tv_sec=3, tv_nsec=1000}, NULL) = ? ERESTART_RESTARTBLOCK (Interrupted by signal)');
      // Not a restart code: strace names it but glibc has no text (format from strace's syscall.c).
      assert.equal(line('ioctl', [1n, 0x5401n, 0n], ERR(515)), 'ioctl(1, TCGETS, NULL)                  = -1 ENOIOCTLCMD (Unknown error 515)');
    });

    it('numbers without an errno name (format from strace\'s syscall.c)', function () {
      assert.equal(line('close', [3n], ERR(41)), 'close(3)                                = -1 41 (Unknown error 41)');
    });

    it('unknown syscalls print six hex arguments', function () {
      assert.equal(syscallName(500), 'syscall_0x1f4');
      assert.equal(
        line(syscallName(500), [1n, 2n, 3n, 4n, 5n, 6n], ERR(38)),
        'syscall_0x1f4(0x1, 0x2, 0x3, 0x4, 0x5, 0x6) = -1 ENOSYS (Function not implemented)',
      );
    });
  });

  describe('calls split at a blocking point', function () {
    // From `strace -f` of a thread blocked in read(2) on a pipe while another thread writes to it.
    const mem = new FakeMemory().map(BUF, new TextEncoder().encode('abc\n'));
    const readArgs = [3n, BUF, 1024n];
    const read = argKinds('read', readArgs);
    const writeArgs = [4n, BUF, 4n];
    const write = argKinds('write', writeArgs);

    it('enter stops before the first argument the call fills in', function () {
      assert.equal(formatEnter('read', read, readArgs, mem), 'read(3, ');
      assert.equal(formatExit('read', read, readArgs, 4n, mem), '"abc\\n", 1024) = 4');
      assert.equal(formatEnter('read', read, readArgs, mem) + formatExit('read', read, readArgs, 4n, mem), 'read(3, "abc\\n", 1024) = 4');
    });

    it('unfinished and resumed lines, with the pid prefix counting toward the column', function () {
      const a = { prefix: '[pid 11688] ' };
      const b = { prefix: '[pid 11689] ' };
      assert.equal(formatUnfinished('read', read, readArgs, mem, a), '[pid 11688] read(3,  <unfinished ...>');
      assert.equal(formatUnfinished('write', write, writeArgs, mem, b), '[pid 11689] write(4, "abc\\n", 4 <unfinished ...>');
      assert.equal(formatResumed('read', read, readArgs, 4n, mem, a), '[pid 11688] <... read resumed>"abc\\n", 1024) = 4');
      assert.equal(formatResumed('write', write, writeArgs, 4n, mem, b), '[pid 11689] <... write resumed>)        = 4');
      assert.equal(formatSyscall('exit', argKinds('exit', [0n]), [0n], null, none, b), '[pid 11689] exit(0)                     = ?');
    });

    it('calls without output arguments print them all on entry', function () {
      const args = [0x7fcda193b990n, 265n, 11689n, 0n, 0n, 0xffffffffn];
      const kinds = argKinds('futex', args);
      const a = { prefix: '[pid 11688] ' };
      assert.equal(
        formatUnfinished('futex', kinds, args, none, a),
        '[pid 11688] futex(0x7fcda193b990, FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME, 11689, NULL, FUTEX_BITSET_MATCH_ANY <unfinished ...>',
      );
      assert.equal(formatResumed('futex', kinds, args, 0n, none, a), '[pid 11688] <... futex resumed>)        = 0');
    });

    it('an output argument first', function () {
      const cwd = new FakeMemory().string(BUF, '/');
      assert.equal(formatUnfinished('getcwd', argKinds('getcwd', [BUF, 4096n]), [BUF, 4096n], cwd), 'getcwd( <unfinished ...>');
    });
  });

  describe('strerror', function () {
    it('matches the host glibc for every number up to 140', function () {
      const dir = mkdtempSync(join(tmpdir(), 'ushim-strerror-'));
      try {
        const src = join(dir, 'strerror.c');
        writeFileSync(
          src,
          '#include <stdio.h>\n#include <string.h>\nint main(void) { for (int i = 0; i <= 140; i++) printf("%s\\n", strerror(i)); return 0; }\n',
        );
        execFileSync('gcc', ['-o', join(dir, 'strerror'), src]);
        const host = execFileSync(join(dir, 'strerror'), { encoding: 'utf8' }).trimEnd().split('\n');
        host.forEach((text, errno) => assert.equal(strerror(errno), text, `errno ${errno}`));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
