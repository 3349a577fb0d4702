// strace formatting of memory, process, signal, fcntl/ioctl and clock calls. Every expected line
// was printed by strace 6.1 for the same arguments (test programs issuing raw syscalls on
// Debian 12), except where a comment says otherwise.
import { strict as assert } from 'node:assert';
import { EBADF, EFAULT, EINVAL, ERR, FakeMemory, line, none } from './strace-memory.js';

describe('strace formatting', function () {
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
});
