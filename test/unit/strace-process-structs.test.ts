// strace formatting of process and signal structures: sigactions, signal masks, wait statuses,
// utsname, ids, pipes, resource limits, signal stacks, interval timers, CPU sets, groups, time.
// Every expected line was printed by strace 6.1 on Debian 12 for the same arguments and memory,
// except where a comment says otherwise.
import { strict as assert } from 'node:assert';
import { formatUnfinished } from '../../syscalls/strace.js';
import { argKinds } from '../../syscalls/strace-signature.js';
import { EFAULT, ERR, FakeMemory, bytes, line, words64 } from './strace-memory.js';

const EPERM = ERR(1);

describe('strace formatting: process and signal structures', function () {
  const sigact = (handler: bigint, flags: bigint, restorer: bigint, mask: bigint) =>
    bytes(32, (dv) => [handler, flags, restorer, mask].forEach((v, i) => dv.setBigUint64(8 * i, v, true)));
  const sigmask = (mask: bigint) => bytes(8, (dv) => dv.setBigUint64(0, mask, true));
  const TERM = 1n << 14n;
  const CHLD = 1n << 16n;

  it('rt_sigaction prints both struct sigactions; the restorer only with SA_RESTORER', function () {
    const m = new FakeMemory()
      .map(0x1000n, sigact(0x55718be8b249n, 0x14000004n, 0x7f835b843050n, TERM))
      .map(0x2000n, sigact(0n, 0n, 0n, 0n))
      .map(0x3000n, sigact(1n, 0x4000000n, 0x7f835b843050n, 0n));
    assert.equal(
      line('rt_sigaction', [10n, 0x1000n, 0x2000n, 8n], 0n, m),
      'rt_sigaction(SIGUSR1, {sa_handler=0x55718be8b249, sa_mask=[TERM], sa_flags=SA_RESTORER|SA_RESTART|SA_SIGINFO, sa_restorer=0x7f835b843050}, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0',
    );
    assert.equal(
      line('rt_sigaction', [12n, 0x3000n, 0n, 8n], 0n, m),
      'rt_sigaction(SIGUSR2, {sa_handler=SIG_IGN, sa_mask=[], sa_flags=SA_RESTORER, sa_restorer=0x7f835b843050}, NULL, 8) = 0',
    );
    assert.equal(
      line('rt_sigaction', [10n, 0n, 0x1000n, 8n], 0n, m),
      'rt_sigaction(SIGUSR1, NULL, {sa_handler=0x55718be8b249, sa_mask=[TERM], sa_flags=SA_RESTORER|SA_RESTART|SA_SIGINFO, sa_restorer=0x7f835b843050}, 8) = 0',
    );
  });

  it('signal masks: members by name, or ~[...] the ones missing when most are set', function () {
    const glibcFill = ((1n << 64n) - 1n) & ~(3n << 31n);
    const m = new FakeMemory().map(0x1000n, sigmask(CHLD)).map(0x2000n, sigmask(0n)).map(0x3000n, sigmask(glibcFill)).map(0x4000n, sigmask(1n << 11n));
    assert.equal(line('rt_sigprocmask', [0n, 0x1000n, 0x2000n, 8n], 0n, m), 'rt_sigprocmask(SIG_BLOCK, [CHLD], [], 8) = 0');
    assert.equal(line('rt_sigprocmask', [2n, 0x3000n, 0x1000n, 8n], 0n, m), 'rt_sigprocmask(SIG_SETMASK, ~[RTMIN RT_1], [CHLD], 8) = 0');
    assert.equal(line('rt_sigprocmask', [2n, 0x1000n, 0n, 8n], 0n, m), 'rt_sigprocmask(SIG_SETMASK, [CHLD], NULL, 8) = 0');
    assert.equal(line('rt_sigpending', [0x2000n, 8n], 0n, m), 'rt_sigpending([], 8)                    = 0');
    assert.equal(
      line('rt_sigtimedwait', [0x4000n, 0x7ffc6d8bda40n, 0n, 8n], ERR(11), m),
      'rt_sigtimedwait([USR2], 0x7ffc6d8bda40, NULL, 8) = -1 EAGAIN (Resource temporarily unavailable)',
    );
  });

  it('wait4 prints the status through the W* macros; uname, getresuid, pipe2, gettimeofday', function () {
    const status = (v: number) => bytes(4, (dv) => dv.setInt32(0, v, true));
    const m = new FakeMemory().map(0x1000n, status(3 << 8)).map(0x2000n, status(15)).map(0x3000n, status(6 | 0x80)).map(0x4000n, status(0x137f)).map(0x5000n, status(0xffff));
    const wait = (addr: bigint) => line('wait4', [26308n, addr, 0n, 0n], 26308n, m);
    assert.equal(wait(0x1000n), 'wait4(26308, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 26308');
    assert.equal(wait(0x2000n), 'wait4(26308, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGTERM}], 0, NULL) = 26308');
    assert.equal(wait(0x3000n), 'wait4(26308, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGABRT && WCOREDUMP(s)}], 0, NULL) = 26308');
    // Stopped and continued statuses: the forms of strace's printstatus().
    assert.equal(wait(0x4000n), 'wait4(26308, [{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}], 0, NULL) = 26308');
    assert.equal(wait(0x5000n), 'wait4(26308, [{WIFCONTINUED(s)}], 0, NULL) = 26308');
    assert.equal(line('wait4', [-1n, 0x1000n, 1n, 0n], 0n, m), 'wait4(-1, 0x1000, WNOHANG, NULL)        = 0');
    const args = [26308n, 0x1000n, 0n, 0n];
    assert.equal(formatUnfinished('wait4', argKinds('wait4', args), args, m), 'wait4(26308,  <unfinished ...>');

    const uts = new Uint8Array(390);
    uts.set(new TextEncoder().encode('Linux'), 0);
    uts.set(new TextEncoder().encode('vm'), 65);
    const ids = new FakeMemory().map(0x1000n, uts).map(0x2000n, new Uint8Array(12)).map(0x3000n, bytes(8, (dv) => {
      dv.setInt32(0, 3, true);
      dv.setInt32(4, 4, true);
    }));
    assert.equal(line('uname', [0x1000n], 0n, ids), 'uname({sysname="Linux", nodename="vm", ...}) = 0');
    assert.equal(line('getresuid', [0x2000n, 0x2004n, 0x2008n], 0n, ids), 'getresuid([0], [0], [0])                = 0');
    assert.equal(line('pipe2', [0x3000n, 0n], 0n, ids), 'pipe2([3, 4], 0)                        = 0');
    assert.equal(line('pipe2', [0x3000n, 0x80000n], 0n, ids), 'pipe2([3, 4], O_CLOEXEC)                = 0');
    assert.equal(line('pipe2', [8n, 0n], EFAULT, ids), 'pipe2(0x8, 0)                           = -1 EFAULT (Bad address)');
    const tv = new FakeMemory().map(0x1000n, bytes(16, (dv) => {
      dv.setBigInt64(0, 1733540000n, true);
      dv.setBigInt64(8, 123n, true);
    }));
    // gettimeofday runs in the vDSO natively; this is strace's form for the system call.
    assert.equal(line('gettimeofday', [0x1000n, 0n], 0n, tv), 'gettimeofday({tv_sec=1733540000, tv_usec=123}, NULL) = 0');
  });

  it('resource limits, alternate signal stacks, interval timers', function () {
    const pair = (a: bigint, b: bigint) => words64([a, b]);
    const m = new FakeMemory()
      .map(0x1000n, pair(8192n * 1024n, (1n << 64n) - 1n))
      .map(0x2000n, pair(20000n, 20000n))
      .map(0x3000n, pair(1000n, (1n << 64n) - 1n));
    assert.equal(line('prlimit64', [0n, 3n, 0n, 0x1000n], 0n, m), 'prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0');
    assert.equal(line('getrlimit', [7n, 0x2000n], 0n, m), 'getrlimit(RLIMIT_NOFILE, {rlim_cur=20000, rlim_max=20000}) = 0');
    assert.equal(line('setrlimit', [4n, 0x3000n], 0n, m), 'setrlimit(RLIMIT_CORE, {rlim_cur=1000, rlim_max=RLIM64_INFINITY}) = 0');
    assert.equal(
      line('prlimit64', [0n, 7n, 0x3000n, 0x7ffc4f8fdb60n], EPERM, m),
      'prlimit64(0, RLIMIT_NOFILE, {rlim_cur=1000, rlim_max=RLIM64_INFINITY}, 0x7ffc4f8fdb60) = -1 EPERM (Operation not permitted)',
    );
    const stack = (sp: bigint, flags: number, size: bigint) =>
      bytes(24, (dv) => {
        dv.setBigUint64(0, sp, true);
        dv.setUint32(8, flags, true);
        dv.setBigUint64(16, size, true);
      });
    const st = new FakeMemory().map(0x1000n, stack(0x5639328d32a0n, 0, 65536n)).map(0x2000n, stack(0n, 2, 0n)).map(0x3000n, stack(0x5639328d32a0n, 2, 65536n));
    assert.equal(
      line('sigaltstack', [0x1000n, 0x2000n], 0n, st),
      'sigaltstack({ss_sp=0x5639328d32a0, ss_flags=0, ss_size=65536}, {ss_sp=NULL, ss_flags=SS_DISABLE, ss_size=0}) = 0',
    );
    assert.equal(line('sigaltstack', [0x3000n, 0n], 0n, st), 'sigaltstack({ss_sp=0x5639328d32a0, ss_flags=SS_DISABLE, ss_size=65536}, NULL) = 0');
    const timer = (values: readonly bigint[]) => bytes(32, (dv) => values.forEach((v, i) => dv.setBigInt64(8 * i, v, true)));
    const it = new FakeMemory().map(0x1000n, timer([0n, 5000n, 1n, 0n])).map(0x2000n, timer([0n, 0n, 0n, 0n])).map(0x3000n, timer([0n, 5000n, 0n, 999916n]));
    assert.equal(
      line('setitimer', [0n, 0x1000n, 0x2000n], 0n, it),
      'setitimer(ITIMER_REAL, {it_interval={tv_sec=0, tv_usec=5000}, it_value={tv_sec=1, tv_usec=0}}, {it_interval={tv_sec=0, tv_usec=0}, it_value={tv_sec=0, tv_usec=0}}) = 0',
    );
    assert.equal(line('getitimer', [0n, 0x3000n], 0n, it), 'getitimer(ITIMER_REAL, {it_interval={tv_sec=0, tv_usec=5000}, it_value={tv_sec=0, tv_usec=999916}}) = 0');
  });

  it('CPU sets, group lists and time', function () {
    const cpus = new Uint8Array(128);
    cpus[0] = 0b1101;
    const m = new FakeMemory().map(0x1000n, Uint8Array.of(3)).map(0x2000n, cpus).map(0x3000n, bytes(8, (dv) => dv.setUint32(4, 4, true)));
    assert.equal(line('sched_getaffinity', [0n, 128n, 0x1000n], 1n, m), 'sched_getaffinity(0, 128, [0 1])        = 1');
    assert.equal(line('sched_setaffinity', [0n, 128n, 0x2000n], 0n, m), 'sched_setaffinity(0, 128, [0 2 3])      = 0');
    assert.equal(line('getgroups', [32n, 0x3000n], 0n, m), 'getgroups(32, [])                       = 0');
    assert.equal(line('getgroups', [0n, 0n], 0n, m), 'getgroups(0, NULL)                      = 0');
    assert.equal(line('setgroups', [2n, 0x3000n], 0n, m), 'setgroups(2, [0, 4])                    = 0');
    const t = new FakeMemory().map(0x1000n, bytes(8, (dv) => dv.setBigInt64(0, 1796622395n, true)));
    assert.equal(line('time', [0x1000n], 1796622395n, t), 'time([1796622395 /* 2026-12-07T05:46:35+0000 */]) = 1796622395 (2026-12-07T05:46:35+0000)');
    assert.equal(line('time', [0n], 1796622395n, t), 'time(NULL)                              = 1796622395 (2026-12-07T05:46:35+0000)');
  });
});
