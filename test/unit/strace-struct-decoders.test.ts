// strace formatting of the structures decoded for issue 9 item 2: stat, statfs, sysinfo, tms,
// rusage, select's fd sets, clone3's clone_args, timezone, itimerspec, sigevent, sched_param,
// sched_attr, capabilities, flock, get_robust_list, process_vm iovecs. The expected lines follow
// what strace 6.1 printed on Debian 12 for the same calls (fixtures and a probe program run
// under `strace -f`); output structures appear only after a successful call, and a pointer
// that cannot be read prints as its address.
import { strict as assert } from 'node:assert';
import { formatSyscall, formatUnfinished, type GuestReader } from '../../syscalls/strace.js';
import { argKinds } from '../../syscalls/strace-signature.js';
import { bytes, EFAULT, EINVAL, ENOENT, ERR, FakeMemory } from './strace-memory.js';

/** The line without strace's result column padding. */
function bare(name: string, args: readonly bigint[], result: bigint | null, mem: GuestReader): string {
  return formatSyscall(name, argKinds(name, args), args, result, mem, { column: 0 });
}

const u64s = (size: number, fields: Record<number, bigint>) =>
  bytes(size, (dv) => Object.entries(fields).forEach(([off, v]) => dv.setBigUint64(Number(off), v, true)));

describe('strace formatting: structures strace decodes (issue 9)', function () {
  it('stat family: the mode, then st_size, or st_rdev for device files', function () {
    const stat = (mode: number, size: bigint, rdev: bigint) => u64s(144, { 24: BigInt(mode), 40: rdev, 48: size });
    const m = new FakeMemory().string(0x500n, 'file').map(0x1000n, stat(0o100640, 12n, 0n)).map(0x2000n, stat(0o20666, 0n, 0x103n));
    assert.equal(
      bare('newfstatat', [-100n, 0x500n, 0x1000n, 0n], 0n, m),
      'newfstatat(AT_FDCWD, "file", {st_mode=S_IFREG|0640, st_size=12, ...}, 0) = 0',
    );
    assert.equal(
      bare('newfstatat', [1n, 0x600n, 0x2000n, 0x1000n], 0n, m.string(0x600n, '')),
      'newfstatat(1, "", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}, AT_EMPTY_PATH) = 0',
    );
    assert.equal(bare('fstat', [3n, 0x1000n], 0n, m), 'fstat(3, {st_mode=S_IFREG|0640, st_size=12, ...}) = 0');
    assert.equal(bare('stat', [0x500n, 0x10n], ENOENT, m), 'stat("file", 0x10) = -1 ENOENT (No such file or directory)');
    assert.equal(bare('lstat', [0x500n, 0x9000n], 0n, m), 'lstat("file", 0x9000) = 0');
  });

  it('statfs: every field, f_fsid as hex, f_flags only when ST_VALID is set', function () {
    const fs = (flags: bigint) =>
      bytes(120, (dv) => {
        [0xef53n, 4096n, 66053021n, 60198504n, 20743211n, 16777216n, 16351193n].forEach((v, i) => dv.setBigUint64(8 * i, v, true));
        dv.setUint32(56, 0x5dc4447, true);
        dv.setUint32(60, 0x9a05de4b, true);
        dv.setBigUint64(64, 255n, true);
        dv.setBigUint64(72, 4096n, true);
        dv.setBigUint64(80, flags, true);
      });
    const m = new FakeMemory().string(0x500n, '.').map(0x1000n, fs(0x1020n)).map(0x2000n, fs(0n));
    const common =
      'f_type=EXT2_SUPER_MAGIC, f_bsize=4096, f_blocks=66053021, f_bfree=60198504, f_bavail=20743211, f_files=16777216, f_ffree=16351193, f_fsid={val=[0x5dc4447, 0x9a05de4b]}, f_namelen=255, f_frsize=4096';
    assert.equal(bare('statfs', [0x500n, 0x1000n], 0n, m), `statfs(".", {${common}, f_flags=ST_VALID|ST_RELATIME}) = 0`);
    assert.equal(bare('fstatfs', [3n, 0x2000n], 0n, m), `fstatfs(3, {${common}}) = 0`);
    assert.equal(bare('fstatfs', [3n, 0x2000n], ERR(9), m), 'fstatfs(3, 0x2000) = -1 EBADF (Bad file descriptor)');
  });

  it('sysinfo, times (clock ticks with seconds) and getrusage (abbreviated)', function () {
    const si = bytes(112, (dv) => {
      [26973n, 335904n, 168832n, 69920n, 25276157952n, 23834456064n, 10395648n, 14077952n, 0n, 0n].forEach((v, i) => dv.setBigUint64(8 * i, v, true));
      dv.setUint16(80, 196, true);
      dv.setUint32(104, 1, true);
    });
    const tms = u64s(32, { 0: 2n, 8: 0n, 16: 150n, 24: 0n });
    const ru = u64s(144, { 0: 0n, 8: 4666n, 16: 0n, 24: 0n });
    const m = new FakeMemory().map(0x1000n, si).map(0x2000n, tms).map(0x3000n, ru);
    assert.equal(
      bare('sysinfo', [0x1000n], 0n, m),
      'sysinfo({uptime=26973, loads=[335904, 168832, 69920], totalram=25276157952, freeram=23834456064, sharedram=10395648, bufferram=14077952, totalswap=0, freeswap=0, procs=196, totalhigh=0, freehigh=0, mem_unit=1}) = 0',
    );
    assert.equal(bare('sysinfo', [0n], EFAULT, m), 'sysinfo(NULL) = -1 EFAULT (Bad address)');
    assert.equal(
      bare('times', [0x2000n], 1720653886n, m),
      'times({tms_utime=2 /* 0.02 s */, tms_stime=0, tms_cutime=150 /* 1.50 s */, tms_cstime=0}) = 1720653886',
    );
    assert.equal(
      bare('getrusage', [0n, 0x3000n], 0n, m),
      'getrusage(RUSAGE_SELF, {ru_utime={tv_sec=0, tv_usec=4666}, ru_stime={tv_sec=0, tv_usec=0}, ...}) = 0',
    );
    const status = bytes(4, () => undefined);
    m.map(0x4000n, status);
    assert.equal(
      bare('wait4', [-1n, 0x4000n, 0n, 0x3000n], 30792n, m),
      'wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, {ru_utime={tv_sec=0, tv_usec=4666}, ru_stime={tv_sec=0, tv_usec=0}, ...}) = 30792',
    );
    assert.equal(bare('wait4', [-1n, 0x4000n, 0n, 0x3000n], ERR(10), m), 'wait4(-1, 0x4000, 0, 0x3000) = -1 ECHILD (No child processes)');
  });

  it('select: the sets as descriptor numbers; the result names the ready ones and the time left', function () {
    const set = (...fds: number[]) => u64s(8, { 0: fds.reduce((a, fd) => a | (1n << BigInt(fd)), 0n) });
    const tv = u64s(16, { 0: 0n, 8: 999996n });
    const m = new FakeMemory().map(0x1000n, set(0, 5)).map(0x2000n, set(6)).map(0x3000n, tv).map(0x4000n, set(5));
    assert.equal(
      bare('select', [7n, 0x1000n, 0x2000n, 0n, 0x3000n], 3n, m),
      'select(7, [0 5], [6], NULL, {tv_sec=0, tv_usec=999996}) = 3 (in [0 5], out [6], left {tv_sec=0, tv_usec=999996})',
    );
    assert.equal(bare('select', [7n, 0x4000n, 0n, 0n, 0n], 1n, m), 'select(7, [5], NULL, NULL, NULL) = 1 (in [5])');
    assert.equal(bare('select', [7n, 0x4000n, 0n, 0n, 0x3000n], 0n, m), 'select(7, [5], NULL, NULL, {tv_sec=0, tv_usec=999996}) = 0 (Timeout)');
    assert.equal(bare('select', [7n, 0x9000n, 0n, 0n, 0n], EFAULT, m), 'select(7, 0x9000, NULL, NULL, NULL) = -1 EFAULT (Bad address)');
    const ts = u64s(16, { 0: 0n, 8: 12000000n });
    m.map(0x5000n, ts).map(0x6000n, set(7)).map(0x7000n, u64s(8, { 0: 1n << 9n })).map(0x8000n, u64s(16, { 0: 0x7000n, 8: 8n }));
    assert.equal(
      bare('pselect6', [8n, 0x6000n, 0n, 0n, 0x5000n, 0n], 0n, m),
      'pselect6(8, [7], NULL, NULL, {tv_sec=0, tv_nsec=12000000}, NULL) = 0 (Timeout)',
    );
    assert.equal(
      bare('pselect6', [8n, 0x6000n, 0n, 0n, 0n, 0x8000n], 1n, m),
      'pselect6(8, [7], NULL, NULL, NULL, {sigmask=[USR1], sigsetsize=8}) = 1 (in [7])',
    );
  });

  it('clone3: struct clone_args on entry, what the parent got stored after " => "', function () {
    const THREAD = 0x3d0f00n;
    const args = (flags: bigint, sig: bigint) =>
      u64s(88, { 0: flags, 8: 0x7ffeef7acb58n, 16: 0x7fed9f93b990n, 24: 0x7fed9f93b990n, 32: sig, 40: 0x7fed9f13b000n, 48: 0x8002c0n, 56: 0x7fed9f93b6c0n });
    const tid = bytes(4, (dv) => dv.setInt32(0, 24397, true));
    const m = new FakeMemory().map(0x1000n, args(THREAD, 0n)).map(0x7fed9f93b990n, tid);
    const head =
      'clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7fed9f93b990, parent_tid=0x7fed9f93b990, exit_signal=0, stack=0x7fed9f13b000, stack_size=0x8002c0, tls=0x7fed9f93b6c0}';
    assert.equal(bare('clone3', [0x1000n, 88n], 24397n, m), `${head} => {parent_tid=[24397]}, 88) = 24397`);
    assert.equal(formatUnfinished('clone3', argKinds('clone3', [0x1000n, 88n]), [0x1000n, 88n], m), `${head} <unfinished ...>`);
    assert.equal(bare('clone3', [0x1000n, 88n], ERR(11), m), `${head}, 88) = -1 EAGAIN (Resource temporarily unavailable)`);
    const pidfd = bytes(8, (dv) => {
      dv.setInt32(0, 8, true);
      dv.setInt32(4, 30792, true);
    });
    const fork = u64s(88, { 0: 0x101000n, 8: 0x7ffeef7acb58n, 24: 0x7ffeef7acb5cn, 32: 17n });
    m.map(0x2000n, fork).map(0x7ffeef7acb58n, pidfd);
    assert.equal(
      bare('clone3', [0x2000n, 88n], 30792n, m),
      'clone3({flags=CLONE_PIDFD|CLONE_PARENT_SETTID, pidfd=0x7ffeef7acb58, parent_tid=0x7ffeef7acb5c, exit_signal=SIGCHLD, stack=NULL, stack_size=0} => {pidfd=[8], parent_tid=[30792]}, 88) = 30792',
    );
    assert.equal(bare('clone3', [0x2000n, 32n], EINVAL, m), 'clone3(0x2000, 32) = -1 EINVAL (Invalid argument)');
  });

  it('timezone, itimerspec, sigevent and the timer flags', function () {
    const its = (value: bigint) => u64s(32, { 16: value });
    const ev = bytes(32, (dv) => {
      dv.setBigUint64(0, 5n, true);
      dv.setInt32(8, 14, true);
    });
    const m = new FakeMemory()
      .map(0x1000n, u64s(16, { 0: 1796646887n, 8: 984291n }))
      .map(0x2000n, bytes(8, () => undefined))
      .map(0x3000n, its(1n))
      .map(0x4000n, its(0n))
      .map(0x5000n, ev)
      .map(0x6000n, bytes(4, () => undefined));
    assert.equal(
      bare('gettimeofday', [0x1000n, 0x2000n], 0n, m),
      'gettimeofday({tv_sec=1796646887, tv_usec=984291}, {tz_minuteswest=0, tz_dsttime=0}) = 0',
    );
    assert.equal(
      bare('timerfd_settime', [7n, 4n, 0x3000n, 0n], EINVAL, m),
      'timerfd_settime(7, 0x4 /* TFD_??? */, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=1, tv_nsec=0}}, NULL) = -1 EINVAL (Invalid argument)',
    );
    assert.equal(
      bare('timerfd_gettime', [7n, 0x4000n], 0n, m),
      'timerfd_gettime(7, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=0, tv_nsec=0}}) = 0',
    );
    assert.equal(bare('timerfd_create', [1n, 0x80800n], 3n, m), 'timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC|TFD_NONBLOCK) = 3');
    assert.equal(
      bare('timer_create', [1n, 0x5000n, 0x6000n], 0n, m),
      'timer_create(CLOCK_MONOTONIC, {sigev_value={sival_int=5, sival_ptr=0x5}, sigev_signo=SIGALRM, sigev_notify=SIGEV_SIGNAL}, [0]) = 0',
    );
    assert.equal(
      bare('timer_settime', [0n, 1n, 0x3000n, 0x4000n], 0n, m),
      'timer_settime(0, TIMER_ABSTIME, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=1, tv_nsec=0}}, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=0, tv_nsec=0}}) = 0',
    );
    assert.equal(bare('timer_gettime', [12345n, 0x7ffd99576880n], EINVAL, m), 'timer_gettime(12345, 0x7ffd99576880) = -1 EINVAL (Invalid argument)');
  });

  it('nanosleep shows the time left only when interrupted to be restarted', function () {
    const m = new FakeMemory().map(0x1000n, u64s(16, { 8: 1000n })).map(0x2000n, u64s(16, { 8: 500n }));
    assert.equal(bare('nanosleep', [0x1000n, 0x2000n], 0n, m), 'nanosleep({tv_sec=0, tv_nsec=1000}, 0x2000) = 0');
    assert.equal(
      bare('nanosleep', [0x1000n, 0x2000n], ERR(516), m),
      'nanosleep({tv_sec=0, tv_nsec=1000}, {tv_sec=0, tv_nsec=500}) = ? ERESTART_RESTARTBLOCK (Interrupted by signal)',
    );
    assert.equal(
      bare('clock_nanosleep', [0n, 0n, 0x1000n, 0x2000n], 0n, m),
      'clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=0, tv_nsec=1000}, 0x2000) = 0',
    );
  });

  it('scheduling: policies by name, sched_param as [n], struct sched_attr', function () {
    const attr = bytes(48, (dv) => {
      dv.setUint32(0, 48, true);
      dv.setBigUint64(24, 1400000n, true);
    });
    const m = new FakeMemory().map(0x1000n, bytes(4, (dv) => dv.setInt32(0, 10, true))).map(0x2000n, attr);
    assert.equal(bare('sched_setscheduler', [0n, 1n, 0x1000n], ERR(1), m), 'sched_setscheduler(0, SCHED_FIFO, [10]) = -1 EPERM (Operation not permitted)');
    assert.equal(bare('sched_setscheduler', [0n, 0x40000003n, 0x1000n], 0n, m), 'sched_setscheduler(0, 0x40000003 /* SCHED_??? */, [10]) = 0');
    assert.equal(bare('sched_getparam', [0n, 0x1000n], 0n, m), 'sched_getparam(0, [10]) = 0');
    assert.equal(bare('sched_getscheduler', [0n], 2n, m), 'sched_getscheduler(0) = 2 (SCHED_RR)');
    assert.equal(bare('sched_getscheduler', [0n], 0x40000003n, m), 'sched_getscheduler(0) = 1073741827');
    assert.equal(bare('sched_get_priority_max', [0n], 0n, m), 'sched_get_priority_max(SCHED_OTHER) = 0');
    assert.equal(
      bare('sched_getattr', [0n, 0x2000n, 48n, 0n], 0n, m),
      'sched_getattr(0, {size=48, sched_policy=SCHED_OTHER, sched_flags=0, sched_nice=0, sched_priority=0, sched_runtime=1400000, sched_deadline=0, sched_period=0}, 48, 0) = 0',
    );
  });

  it('capget/capset: the header by version name, capability sets as 1<<CAP_* bits', function () {
    const header = bytes(8, (dv) => dv.setUint32(0, 0x20080522, true));
    const data = bytes(24, (dv) => {
      dv.setUint32(0, (1 << 0) | (1 << 5), true);
      dv.setUint32(4, 1 << 21, true);
      dv.setUint32(16, 1 << (40 - 32), true);
    });
    const m = new FakeMemory().map(0x1000n, header).map(0x2000n, data);
    assert.equal(
      bare('capget', [0x1000n, 0x2000n], 0n, m),
      'capget({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_CHOWN|1<<CAP_KILL, permitted=1<<CAP_SYS_ADMIN|1<<CAP_CHECKPOINT_RESTORE, inheritable=0}) = 0',
    );
    assert.equal(bare('capget', [0x1000n, 0x2000n], ERR(1), m), 'capget({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, 0x2000) = -1 EPERM (Operation not permitted)');
  });

  it('fcntl locks and owners, get_robust_list, prctl/arch_prctl stored values, process_vm iovecs', function () {
    const lock = bytes(32, (dv) => dv.setUint16(0, 1, true));
    const unlocked = bytes(32, (dv) => dv.setUint16(0, 2, true));
    const m = new FakeMemory()
      .map(0x1000n, lock)
      .map(0x2000n, unlocked)
      .map(0x3000n, bytes(8, () => undefined))
      .map(0x4000n, u64s(8, { 0: 0x7f4187b28a20n }))
      .map(0x5000n, u64s(8, { 0: 24n }))
      .map(0x6000n, bytes(4, (dv) => dv.setInt32(0, 9, true)))
      .map(0x7000n, new TextEncoder().encode('abcdefg\0'))
      .map(0x8000n, u64s(16, { 0: 0x7000n, 8: 8n }))
      .map(0x9000n, u64s(16, { 0: 0x7ffdadc4d8b0n, 8: 8n }));
    assert.equal(bare('fcntl', [3n, 6n, 0x1000n], 0n, m), 'fcntl(3, F_SETLK, {l_type=F_WRLCK, l_whence=SEEK_SET, l_start=0, l_len=0}) = 0');
    assert.equal(bare('fcntl', [3n, 5n, 0x2000n], 0n, m), 'fcntl(3, F_GETLK, {l_type=F_UNLCK, l_whence=SEEK_SET, l_start=0, l_len=0, l_pid=0}) = 0');
    assert.equal(bare('fcntl', [3n, 16n, 0x3000n], 0n, m), 'fcntl(3, F_GETOWN_EX, {type=F_OWNER_TID, pid=0}) = 0');
    assert.equal(bare('get_robust_list', [0n, 0x4000n, 0x5000n], 0n, m), 'get_robust_list(0, [0x7f4187b28a20], [24]) = 0');
    assert.equal(bare('prctl', [2n, 0x6000n], 0n, m), 'prctl(PR_GET_PDEATHSIG, [SIGKILL]) = 0');
    assert.equal(bare('prctl', [40n, 0x4000n], 0n, m), 'prctl(PR_GET_TID_ADDRESS, [0x7f4187b28a20]) = 0');
    assert.equal(bare('prctl', [19n, 0x7ffc4177db58n], EINVAL, m), 'prctl(PR_GET_ENDIAN, 0x7ffc4177db58) = -1 EINVAL (Invalid argument)');
    assert.equal(bare('arch_prctl', [0x1003n, 0x4000n], 0n, m), 'arch_prctl(ARCH_GET_FS, [0x7f4187b28a20]) = 0');
    assert.equal(
      bare('process_vm_readv', [30571n, 0x8000n, 1n, 0x9000n, 1n, 0n], 8n, m),
      'process_vm_readv(30571, [{iov_base="abcdefg\\0", iov_len=8}], 1, [{iov_base=0x7ffdadc4d8b0, iov_len=8}], 1, 0) = 8',
    );
  });

  it('kcmp, ptrace, membarrier, pidfd_open, signalfd4, fallocate: values by name, the arguments each one uses', function () {
    const m = new FakeMemory().map(0x1000n, u64s(8, { 0: 1n << 9n }));
    assert.equal(bare('kcmp', [30571n, 30571n, 0n, 1n, 2n], 0n, m), 'kcmp(30571, 30571, KCMP_FILE, 1, 2) = 0');
    assert.equal(bare('kcmp', [30571n, 30571n, 1n, 1n, 2n], 0n, m), 'kcmp(30571, 30571, KCMP_VM) = 0');
    assert.equal(bare('ptrace', [0n, 0n, 0n, 0n], ERR(1), m), 'ptrace(PTRACE_TRACEME) = -1 EPERM (Operation not permitted)');
    assert.equal(bare('ptrace', [2n, 1n, 0x1000n, 0n], ERR(3), m), 'ptrace(PTRACE_PEEKDATA, 1, 0x1000, NULL) = -1 ESRCH (No such process)');
    assert.equal(
      bare('membarrier', [0n, 0n], 0x3ffn, m),
      'membarrier(MEMBARRIER_CMD_QUERY, 0) = 0x3ff (MEMBARRIER_CMD_GLOBAL|MEMBARRIER_CMD_GLOBAL_EXPEDITED|MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED|MEMBARRIER_CMD_PRIVATE_EXPEDITED|MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED|MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE|MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE|MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ|MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ|0x200)',
    );
    assert.equal(bare('pidfd_open', [30571n, 0x800n], 7n, m), 'pidfd_open(30571, PIDFD_NONBLOCK) = 7');
    assert.equal(bare('fallocate', [3n, 3n, 0n, 4096n], 0n, m), 'fallocate(3, FALLOC_FL_KEEP_SIZE|FALLOC_FL_PUNCH_HOLE, 0, 4096) = 0');
    assert.equal(bare('fallocate', [3n, 0n, 0n, 4096n], 0n, m), 'fallocate(3, 0, 0, 4096) = 0');
    assert.equal(bare('signalfd4', [-1n, 0x1000n, 8n, 0x80800n], 4n, m), 'signalfd4(-1, [USR1], 8, SFD_CLOEXEC|SFD_NONBLOCK) = 4');
  });

  it('terminal ioctls: struct termios by its mode words, struct winsize, stored ints', function () {
    const tios = bytes(60, (dv) => {
      dv.setUint32(0, 0o2400, true);
      dv.setUint32(4, 0o5, true);
      dv.setUint32(8, 0o277, true);
      dv.setUint32(12, 0o105073, true);
    });
    const m = new FakeMemory()
      .map(0x1000n, tios)
      .map(0x2000n, bytes(8, (dv) => {
        dv.setUint16(0, 24, true);
        dv.setUint16(2, 80, true);
      }))
      .map(0x3000n, bytes(4, (dv) => dv.setInt32(0, 7, true)));
    assert.equal(
      bare('ioctl', [0n, 0x5401n, 0x1000n], 0n, m),
      'ioctl(0, TCGETS, {c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE, ...}) = 0',
    );
    assert.equal(bare('ioctl', [1n, 0x5401n, 0x1000n], ERR(25), m), 'ioctl(1, TCGETS, 0x1000) = -1 ENOTTY (Inappropriate ioctl for device)');
    assert.equal(bare('ioctl', [1n, 0x5413n, 0x2000n], 0n, m), 'ioctl(1, TIOCGWINSZ, {ws_row=24, ws_col=80, ws_xpixel=0, ws_ypixel=0}) = 0');
    assert.equal(bare('ioctl', [3n, 0x541bn, 0x3000n], 0n, m), 'ioctl(3, FIONREAD, [7]) = 0');
  });
});
