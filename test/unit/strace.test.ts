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
import { argKinds } from '../../syscalls/strace-signature.js';
import { syscallName } from '../../syscalls/numbers.js';
import {
  formatEnter,
  formatExit,
  formatResumed,
  formatSyscall,
  formatUnfinished,
  type GuestReader,
  quoteBytes,
} from '../../syscalls/strace.js';

/** Guest memory made of mapped byte ranges; anything else is unreadable. */
class FakeMemory implements GuestReader {
  private readonly regions: { addr: bigint; bytes: Uint8Array }[] = [];

  map(addr: bigint, bytes: Uint8Array): this {
    this.regions.push({ addr, bytes });
    return this;
  }

  string(addr: bigint, s: string): this {
    return this.map(addr, new Uint8Array([...new TextEncoder().encode(s), 0]));
  }

  words(addr: bigint, words: readonly bigint[]): this {
    const bytes = new Uint8Array(8 * words.length);
    words.forEach((w, i) => new DataView(bytes.buffer).setBigUint64(8 * i, w, true));
    return this.map(addr, bytes);
  }

  readBytes(addr: bigint, len: number): Uint8Array | null {
    const r = this.regions.find((r) => addr >= r.addr && addr + BigInt(len) <= r.addr + BigInt(r.bytes.length));
    return r ? r.bytes.slice(Number(addr - r.addr), Number(addr - r.addr) + len) : null;
  }

  readCString(addr: bigint, max: number): string | null {
    const r = this.regions.find((r) => addr >= r.addr && addr < r.addr + BigInt(r.bytes.length));
    if (!r) return null;
    const rest = r.bytes.subarray(Number(addr - r.addr));
    const nul = rest.indexOf(0);
    const end = Math.min(nul < 0 ? rest.length : nul, max);
    return new TextDecoder().decode(rest.subarray(0, end));
  }
}

const none = new FakeMemory();
const BUF = 0x7ffd20e1faa0n;
const ERR = (e: number) => BigInt(-e);
const ENOENT = ERR(2);
const EBADF = ERR(9);
const EFAULT = ERR(14);
const EINVAL = ERR(22);

/** The line strace prints for `name` with these raw arguments. */
function line(name: string, args: readonly bigint[], result: bigint | null, mem: GuestReader = none): string {
  return formatSyscall(name, argKinds(name, args), args, result, mem);
}

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

  describe('memory calls', function () {
    it('mmap flags: type, flags, huge page size, unknown bits', function () {
      const flags = 0x1n | 0x10n | 0x100n | 0x2000n | 0x4000n | 0x8000n | 0x10000n | 0x20000n | 0x40000n | 0x40n | 0x1000n;
      assert.equal(
        line('mmap', [0n, 4096n, 0n, flags, -1n, 0x3000n], EBADF),
        'mmap(NULL, 4096, PROT_NONE, MAP_SHARED|MAP_FIXED|MAP_32BIT|MAP_NORESERVE|MAP_POPULATE|MAP_NONBLOCK|MAP_GROWSDOWN|MAP_EXECUTABLE|MAP_LOCKED|MAP_STACK|MAP_HUGETLB, -1, 0x3000) = -1 EBADF (Bad file descriptor)',
      );
      assert.equal(
        line('mmap', [0n, 4096n, 0x17n, 0x180003n, -1n, 0n], EBADF),
        'mmap(NULL, 4096, PROT_READ|PROT_WRITE|PROT_EXEC|0x10, MAP_SHARED_VALIDATE|MAP_SYNC|MAP_FIXED_NOREPLACE, -1, 0) = -1 EBADF (Bad file descriptor)',
      );
      assert.equal(
        line('mmap', [0n, 4096n, 0x1000008n, 0x80000000n, -1n, 0n], EBADF),
        'mmap(NULL, 4096, PROT_SEM|PROT_GROWSDOWN, MAP_FILE|32<<MAP_HUGE_SHIFT, -1, 0) = -1 EBADF (Bad file descriptor)',
      );
      assert.equal(
        line('mmap', [0n, 4096n, 0x2000000n, 0xfn, -1n, 0n], EBADF),
        'mmap(NULL, 4096, PROT_GROWSUP, 0xf /* MAP_??? */, -1, 0) = -1 EBADF (Bad file descriptor)',
      );
      assert.equal(
        line('mmap', [0n, 4096n, 1n, 0x22n | (21n << 26n), -1n, 0n], 0x7fe394d40000n),
        'mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|21<<MAP_HUGE_SHIFT, -1, 0) = 0x7fe394d40000',
      );
    });

    it('mprotect, madvise, mremap', function () {
      assert.equal(line('mprotect', [0x1000n, 4096n, 1n], ERR(12)), 'mprotect(0x1000, 4096, PROT_READ)       = -1 ENOMEM (Cannot allocate memory)');
      assert.equal(line('mprotect', [0x1000n, 4096n, 0x10n], EINVAL), 'mprotect(0x1000, 4096, 0x10 /* PROT_??? */) = -1 EINVAL (Invalid argument)');
      assert.equal(line('madvise', [0x7fff978da9e0n, 4096n, 4n], EINVAL), 'madvise(0x7fff978da9e0, 4096, MADV_DONTNEED) = -1 EINVAL (Invalid argument)');
      assert.equal(line('madvise', [0n, 0n, 25n], 0n), 'madvise(NULL, 0, MADV_COLLAPSE)         = 0');
      assert.equal(line('madvise', [0x1000n, 4096n, 99n], EINVAL), 'madvise(0x1000, 4096, 0x63 /* MADV_??? */) = -1 EINVAL (Invalid argument)');
      assert.equal(line('mremap', [0x7f06aa5bc000n, 4096n, 8192n, 1n, 0n], 0x7f06aa5ba000n), 'mremap(0x7f06aa5bc000, 4096, 8192, MREMAP_MAYMOVE) = 0x7f06aa5ba000');
      assert.equal(
        line('mremap', [0x7f06aa5bc000n, 4096n, 8192n, 3n, 0x10000n], EFAULT),
        'mremap(0x7f06aa5bc000, 4096, 8192, MREMAP_MAYMOVE|MREMAP_FIXED, 0x10000) = -1 EFAULT (Bad address)',
      );
      assert.equal(line('mremap', [0x7f06aa5bc000n, 4096n, 8192n, 0n, 0n], EFAULT), 'mremap(0x7f06aa5bc000, 4096, 8192, 0)   = -1 EFAULT (Bad address)');
    });
  });

  describe('signals, processes, threads', function () {
    it('signal names, real-time signals and out-of-range numbers', function () {
      const kill = (sig: bigint) => line('kill', [999999n, sig], ERR(3));
      assert.equal(kill(2n), 'kill(999999, SIGINT)                    = -1 ESRCH (No such process)');
      assert.equal(kill(0n), 'kill(999999, 0)                         = -1 ESRCH (No such process)');
      assert.equal(kill(34n), 'kill(999999, SIGRT_2)                   = -1 ESRCH (No such process)');
      assert.equal(kill(64n), 'kill(999999, SIGRT_32)                  = -1 ESRCH (No such process)');
      assert.equal(kill(65n), 'kill(999999, 65)                        = -1 ESRCH (No such process)');
      assert.equal(kill(32n), 'kill(999999, SIGRTMIN)                  = -1 ESRCH (No such process)');
      assert.equal(kill(-1n), 'kill(999999, -1)                        = -1 ESRCH (No such process)');
      assert.equal(line('tgkill', [999999n, 999999n, 6n], ERR(3)), 'tgkill(999999, 999999, SIGABRT)         = -1 ESRCH (No such process)');
      assert.equal(line('tkill', [999999n, 32n], ERR(3)), 'tkill(999999, SIGRTMIN)                 = -1 ESRCH (No such process)');
    });

    it('rt_sigprocmask how', function () {
      assert.equal(line('rt_sigprocmask', [0n, 0n, 0n, 8n], 0n), 'rt_sigprocmask(SIG_BLOCK, NULL, NULL, 8) = 0');
      assert.equal(line('rt_sigprocmask', [1n, 0n, 0n, 8n], 0n), 'rt_sigprocmask(SIG_UNBLOCK, NULL, NULL, 8) = 0');
      assert.equal(line('rt_sigprocmask', [7n, 0n, 0n, 8n], 0n), 'rt_sigprocmask(0x7 /* SIG_??? */, NULL, NULL, 8) = 0');
    });

    it('clone names its arguments and prints only the pointers its flags use', function () {
      const threadFlags = 0x8000000000n | 0x100n | 0x200n | 0x400n | 0x800n | 0x10000n | 0x40000n | 0x80000n | 0x100000n | 0x200000n;
      assert.equal(
        line('clone', [threadFlags, 0x1000n, 0x2000n, 0x3000n, 0x4000n], 7117n),
        'clone(child_stack=0x1000, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID|0x8000000000, parent_tid=0x2000, tls=0x4000, child_tidptr=0x3000) = 7117',
      );
      assert.equal(
        line('clone', [0x1200000n | 0x10000000n | 17n, 0n, 0n, 0x7fff978da9dcn, 0n], 7118n),
        'clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|CLONE_NEWUSER|SIGCHLD, child_tidptr=0x7fff978da9dc) = 7118',
      );
      assert.equal(line('clone', [0x7fn, 0n, 0n, 0n, 0n], null), 'clone(child_stack=NULL, flags=127)      = ?');
    });

    it('wait4 options, rusage who, itimers, rlimits', function () {
      assert.equal(line('wait4', [-1n, 0x7fff978da9e0n, 1n, 0n], ERR(10)), 'wait4(-1, 0x7fff978da9e0, WNOHANG, NULL) = -1 ECHILD (No child processes)');
      assert.equal(line('wait4', [-1n, 0n, 0x4000000bn, 0n], ERR(10)), 'wait4(-1, NULL, WNOHANG|WSTOPPED|WCONTINUED|__WALL, NULL) = -1 ECHILD (No child processes)');
      assert.equal(line('wait4', [-1n, 0n, 0x100n, 0n], EINVAL), 'wait4(-1, NULL, 0x100 /* W??? */, NULL) = -1 EINVAL (Invalid argument)');
      assert.equal(line('getrusage', [-1n, 0n], EFAULT), 'getrusage(RUSAGE_CHILDREN, NULL)        = -1 EFAULT (Bad address)');
      assert.equal(line('getrusage', [5n, 0x7ffee1010950n], EINVAL), 'getrusage(0x5 /* RUSAGE_??? */, 0x7ffee1010950) = -1 EINVAL (Invalid argument)');
      assert.equal(line('setitimer', [2n, 0n, 0n], 0n), 'setitimer(ITIMER_PROF, NULL, NULL)      = 0');
      assert.equal(line('setitimer', [5n, 0n, 0n], EINVAL), 'setitimer(0x5 /* ITIMER_??? */, NULL, NULL) = -1 EINVAL (Invalid argument)');
      assert.equal(line('prlimit64', [0n, 7n, 0n, 0n], 0n), 'prlimit64(0, RLIMIT_NOFILE, NULL, NULL) = 0');
      assert.equal(line('prlimit64', [0n, 99n, 0n, 0n], EINVAL), 'prlimit64(0, 0x63 /* RLIMIT_??? */, NULL, NULL) = -1 EINVAL (Invalid argument)');
    });

    it('glibc start-up calls', function () {
      assert.equal(line('arch_prctl', [0x1002n, 0x7f079bd22740n], 0n), 'arch_prctl(ARCH_SET_FS, 0x7f079bd22740) = 0');
      assert.equal(line('arch_prctl', [0x1001n, 0n], 0n), 'arch_prctl(ARCH_SET_GS, 0)              = 0');
      assert.equal(line('arch_prctl', [0x1011n, 0n], 1n), 'arch_prctl(ARCH_GET_CPUID)              = 1');
      assert.equal(line('arch_prctl', [0x1021n, 0n], EFAULT), 'arch_prctl(ARCH_GET_XCOMP_SUPP, NULL)   = -1 EFAULT (Bad address)');
      assert.equal(line('arch_prctl', [0x1099n, 0x7fff978da9e0n], EINVAL), 'arch_prctl(0x1099 /* ARCH_??? */, 0x7fff978da9e0) = -1 EINVAL (Invalid argument)');
      assert.equal(line('set_tid_address', [0x7f079bd22a10n], 7116n), 'set_tid_address(0x7f079bd22a10)         = 7116');
      assert.equal(line('set_robust_list', [0x7f079bd22a20n, 24n], 0n), 'set_robust_list(0x7f079bd22a20, 24)     = 0');
      assert.equal(line('rseq', [0x7f079bd23060n, 0x20n, 0n, 0x53053053n], 0n), 'rseq(0x7f079bd23060, 0x20, 0, 0x53053053) = 0');
      assert.equal(line('getpid', [], 7116n), 'getpid()                                = 7116');
    });

    it('prctl decodes by option', function () {
      const mem = new FakeMemory().string(0x1000n, 'foo').string(0x2000n, '0123456789abcdefghij');
      assert.equal(line('prctl', [15n, 0x1000n, 0n, 0n, 0n], 0n, mem), 'prctl(PR_SET_NAME, "foo")               = 0');
      assert.equal(line('prctl', [15n, 0x2000n, 0n, 0n, 0n], 0n, mem), 'prctl(PR_SET_NAME, "0123456789abcde"...) = 0');
      assert.equal(line('prctl', [16n, 0x1000n, 0n, 0n, 0n], 0n, mem), 'prctl(PR_GET_NAME, "foo")               = 0');
      assert.equal(line('prctl', [1n, 9n, 0n, 0n, 0n], 0n), 'prctl(PR_SET_PDEATHSIG, SIGKILL)        = 0');
      assert.equal(line('prctl', [1n, 200n, 0n, 0n, 0n], EINVAL), 'prctl(PR_SET_PDEATHSIG, 200)            = -1 EINVAL (Invalid argument)');
      assert.equal(line('prctl', [2n, 0n, 0n, 0n, 0n], EFAULT), 'prctl(PR_GET_PDEATHSIG, NULL)           = -1 EFAULT (Bad address)');
      assert.equal(line('prctl', [3n, 0n, 0n, 0n, 0n], 1n), 'prctl(PR_GET_DUMPABLE)                  = 1 (SUID_DUMP_USER)');
      assert.equal(line('prctl', [4n, 1n, 0n, 0n, 0n], 0n), 'prctl(PR_SET_DUMPABLE, SUID_DUMP_USER)  = 0');
      assert.equal(line('prctl', [38n, 1n, 0n, 0n, 0n], 0n), 'prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)  = 0');
      assert.equal(line('prctl', [9999n, 1n, 2n, 3n, 4n], EINVAL), 'prctl(0x270f /* PR_??? */, 0x1, 0x2, 0x3, 0x4) = -1 EINVAL (Invalid argument)');
    });

    it('futex arguments depend on the operation', function () {
      const f = 0x7fff978da9dcn;
      assert.equal(line('futex', [f, 129n, 1n, 0n, 0n, 0n], 0n), 'futex(0x7fff978da9dc, FUTEX_WAKE_PRIVATE, 1) = 0');
      assert.equal(line('futex', [f, 128n, 1n, 0n, 0n, 0n], ERR(11)), 'futex(0x7fff978da9dc, FUTEX_WAIT_PRIVATE, 1, NULL) = -1 EAGAIN (Resource temporarily unavailable)');
      assert.equal(
        line('futex', [f, 265n, 1n, 0n, 0n, 0xffffffffn], ERR(11)),
        'futex(0x7fff978da9dc, FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME, 1, NULL, FUTEX_BITSET_MATCH_ANY) = -1 EAGAIN (Resource temporarily unavailable)',
      );
      assert.equal(line('futex', [f, 1n, 1n, 0n, 0n, 0n], 0n), 'futex(0x7fff978da9dc, FUTEX_WAKE, 1)    = 0');
      assert.equal(line('futex', [f, 132n, 1n, 2n, f, 0n], 0n), 'futex(0x7fff978da9dc, FUTEX_CMP_REQUEUE_PRIVATE, 1, 2, 0x7fff978da9dc, 0) = 0');
      assert.equal(line('futex', [f, 99n, 1n, 2n, f, 0n], ERR(38)), 'futex(0x7fff978da9dc, 0x63 /* FUTEX_??? */, 1, 0x2, 0x7fff978da9dc, 0) = -1 ENOSYS (Function not implemented)');
      assert.equal(line('futex', [0n, 0x181n, 1n, 0n, 0n, 0n], ERR(38)), 'futex(NULL, 0x181 /* FUTEX_??? */, 1)   = -1 ENOSYS (Function not implemented)');
      assert.equal(line('futex', [0n, 10n, 1n, 0n, 0n, 5n], EFAULT), 'futex(NULL, FUTEX_WAKE_BITSET, 1, 0x5)  = -1 EFAULT (Bad address)');
      assert.equal(line('futex', [0n, 13n, 1n, 0n, 0n, 5n], EFAULT), 'futex(NULL, FUTEX_LOCK_PI2, NULL)       = -1 EFAULT (Bad address)');
      assert.equal(line('futex', [0n, 7n, 1n, 0n, 0n, 5n], EFAULT), 'futex(NULL, FUTEX_UNLOCK_PI)            = -1 EFAULT (Bad address)');
      assert.equal(line('futex', [0n, 3n, 1n, 2n, 0n, 5n], EFAULT), 'futex(NULL, FUTEX_REQUEUE, 1, 2, NULL)  = -1 EFAULT (Bad address)');
    });

    it('execve success', function () {
      const mem = new FakeMemory().string(0x1000n, '/bin/true').string(0x1100n, 'true').words(0x2000n, [0x1100n, 0n]);
      assert.equal(line('execve', [0x1000n, 0x2000n, 0x2000n], 0n, mem), 'execve("/bin/true", ["true"], 0x2000 /* 1 var */) = 0');
    });
  });

  describe('fcntl and ioctl', function () {
    it('fcntl arguments and results by command', function () {
      const e = EBADF;
      const cases: [bigint[], bigint, string][] = [
        [[99n, 1n], e, 'fcntl(99, F_GETFD)                      = -1 EBADF (Bad file descriptor)'],
        [[99n, 2n, 1n], e, 'fcntl(99, F_SETFD, FD_CLOEXEC)          = -1 EBADF (Bad file descriptor)'],
        [[99n, 2n, 0n], e, 'fcntl(99, F_SETFD, 0)                   = -1 EBADF (Bad file descriptor)'],
        [[99n, 2n, 3n], e, 'fcntl(99, F_SETFD, FD_CLOEXEC|0x2)      = -1 EBADF (Bad file descriptor)'],
        [[99n, 3n], e, 'fcntl(99, F_GETFL)                      = -1 EBADF (Bad file descriptor)'],
        [[99n, 4n, 0x802n], e, 'fcntl(99, F_SETFL, O_RDWR|O_NONBLOCK)   = -1 EBADF (Bad file descriptor)'],
        [[0n, 4n, 0n], 0n, 'fcntl(0, F_SETFL, O_RDONLY)             = 0'],
        [[99n, 1030n, 10n], e, 'fcntl(99, F_DUPFD_CLOEXEC, 10)          = -1 EBADF (Bad file descriptor)'],
        [[99n, 0n, 10n], e, 'fcntl(99, F_DUPFD, 10)                  = -1 EBADF (Bad file descriptor)'],
        [[99n, 12345n, 1n], e, 'fcntl(99, 0x3039 /* F_??? */, 0x1)      = -1 EBADF (Bad file descriptor)'],
        [[99n, 9n], e, 'fcntl(99, F_GETOWN)                     = -1 EBADF (Bad file descriptor)'],
        [[99n, 8n, 5n], e, 'fcntl(99, F_SETOWN, 5)                  = -1 EBADF (Bad file descriptor)'],
        [[99n, 1031n, 4096n], e, 'fcntl(99, F_SETPIPE_SZ, 4096)           = -1 EBADF (Bad file descriptor)'],
        [[99n, 1032n], e, 'fcntl(99, F_GETPIPE_SZ)                 = -1 EBADF (Bad file descriptor)'],
        [[99n, 10n, 10n], e, 'fcntl(99, F_SETSIG, SIGUSR1)            = -1 EBADF (Bad file descriptor)'],
        [[0n, 3n], 0x8000n, 'fcntl(0, F_GETFL)                       = 0x8000 (flags O_RDONLY|O_LARGEFILE)'],
        [[0n, 1n], 0n, 'fcntl(0, F_GETFD)                       = 0'],
      ];
      for (const [args, result, expected] of cases) assert.equal(line('fcntl', args, result), expected);
      // F_GETFD with the flag set (strace's fcntl.c: RVAL_HEX with "flags FD_CLOEXEC")
      assert.equal(line('fcntl', [3n, 1n], 1n), 'fcntl(3, F_GETFD)                       = 0x1 (flags FD_CLOEXEC)');
    });

    it('ioctl names, their argument forms, and _IOC for unknown requests', function () {
      const cases: [bigint, bigint, string][] = [
        [0x5401n, 0x7ffe5af7acf0n, 'ioctl(99, TCGETS, 0x7ffe5af7acf0)       = -1 EBADF (Bad file descriptor)'],
        [0x5401n, 0n, 'ioctl(99, TCGETS, NULL)                 = -1 EBADF (Bad file descriptor)'],
        [0xffffffff00005401n, 0n, 'ioctl(99, TCGETS, NULL)                 = -1 EBADF (Bad file descriptor)'],
        [0x5403n, 0n, 'ioctl(99, SNDCTL_TMR_STOP or TCSETSW, NULL) = -1 EBADF (Bad file descriptor)'],
        [0x5413n, 0n, 'ioctl(99, TIOCGWINSZ, NULL)             = -1 EBADF (Bad file descriptor)'],
        [0x5451n, 0n, 'ioctl(99, FIOCLEX)                      = -1 EBADF (Bad file descriptor)'],
        [0x540en, 0n, 'ioctl(99, TIOCSCTTY, 0)                 = -1 EBADF (Bad file descriptor)'],
        [0x5409n, 16n, 'ioctl(99, TCSBRK, 16)                   = -1 EBADF (Bad file descriptor)'],
        [0x541cn, 16n, 'ioctl(99, TIOCLINUX, 0x10)              = -1 EBADF (Bad file descriptor)'],
        [0x80045430n, 16n, 'ioctl(99, TIOCGPTN, 0x10)               = -1 EBADF (Bad file descriptor)'],
        [0x5426n, 0n, 'ioctl(99, _IOC(_IOC_NONE, 0x54, 0x26, 0), 0) = -1 EBADF (Bad file descriptor)'],
        [0x12345678n, 0x10n, 'ioctl(99, _IOC(_IOC_NONE, 0x56, 0x78, 0x1234), 0x10) = -1 EBADF (Bad file descriptor)'],
        [0x80045499n, 0n, 'ioctl(99, _IOC(_IOC_READ, 0x54, 0x99, 0x4), 0) = -1 EBADF (Bad file descriptor)'],
        [0x40085499n, 0n, 'ioctl(99, _IOC(_IOC_WRITE, 0x54, 0x99, 0x8), 0) = -1 EBADF (Bad file descriptor)'],
        [0xc0005499n, 0n, 'ioctl(99, _IOC(_IOC_READ|_IOC_WRITE, 0x54, 0x99, 0), 0) = -1 EBADF (Bad file descriptor)'],
      ];
      for (const [cmd, arg, expected] of cases) assert.equal(line('ioctl', [99n, cmd, arg], EBADF), expected);
    });
  });

  describe('clocks and sleeping', function () {
    const ts = (sec: bigint, nsec: bigint) => {
      const b = new Uint8Array(16);
      new DataView(b.buffer).setBigInt64(0, sec, true);
      new DataView(b.buffer).setBigInt64(8, nsec, true);
      return b;
    };

    it('timespecs read on entry, written on exit', function () {
      const mem = new FakeMemory().map(0x1000n, ts(280n, 104527636n)).map(0x2000n, ts(0n, 1008724n)).map(0x3000n, ts(0n, 1000n));
      assert.equal(line('clock_gettime', [1n, 0x1000n], 0n, mem), 'clock_gettime(CLOCK_MONOTONIC, {tv_sec=280, tv_nsec=104527636}) = 0');
      assert.equal(line('clock_gettime', [77n, 0x7fff978da9c0n], EINVAL), 'clock_gettime(0x4d /* CLOCK_??? */, 0x7fff978da9c0) = -1 EINVAL (Invalid argument)');
      assert.equal(line('clock_gettime', [-6n, 0x2000n], 0n, mem), 'clock_gettime(0xfffffffa /* CLOCK_??? */, {tv_sec=0, tv_nsec=1008724}) = 0');
      assert.equal(line('clock_gettime', [11n, 0n], EFAULT), 'clock_gettime(CLOCK_TAI, NULL)          = -1 EFAULT (Bad address)');
      assert.equal(line('clock_getres', [1n, 0n], 0n), 'clock_getres(CLOCK_MONOTONIC, NULL)     = 0');
      assert.equal(
        line('clock_nanosleep', [1n, 1n, 0x2000n, 0n], 0n, mem),
        'clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, {tv_sec=0, tv_nsec=1008724}, NULL) = 0',
      );
      assert.equal(line('clock_nanosleep', [1n, 0n, 0n, 0n], EFAULT), 'clock_nanosleep(CLOCK_MONOTONIC, 0, NULL, NULL) = -1 EFAULT (Bad address)');
      assert.equal(line('nanosleep', [0x3000n, 0n], 0n, mem), 'nanosleep({tv_sec=0, tv_nsec=1000}, NULL) = 0');
      assert.equal(line('nanosleep', [0x1000n, 0n], EFAULT, none), 'nanosleep(0x1000, NULL)                 = -1 EFAULT (Bad address)');
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
