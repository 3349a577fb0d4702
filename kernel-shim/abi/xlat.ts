// Symbolic names of x86-64 syscall constants, listed in the order strace 6.1 prints them:
// a flags table is matched first to last, so an entry that covers several bits (O_SYNC,
// O_TMPFILE) must precede the entries it contains.

/** [name, value] pairs; values are unsigned 32-bit unless noted. */
export type Xlat = readonly (readonly [string, number])[];

export const OPEN_ACCESS_MODES: Xlat = [
  ['O_RDONLY', 0],
  ['O_WRONLY', 1],
  ['O_RDWR', 2],
  ['O_ACCMODE', 3],
];

export const OPEN_FLAGS: Xlat = [
  ['O_CREAT', 0x40],
  ['O_EXCL', 0x80],
  ['O_NOCTTY', 0x100],
  ['O_TRUNC', 0x200],
  ['O_APPEND', 0x400],
  ['O_NONBLOCK', 0x800],
  ['O_SYNC', 0x101000],
  ['__O_SYNC', 0x100000],
  ['O_DSYNC', 0x1000],
  ['O_DIRECT', 0x4000],
  ['O_LARGEFILE', 0x8000],
  ['O_NOFOLLOW', 0x20000],
  ['O_NOATIME', 0x40000],
  ['O_CLOEXEC', 0x80000],
  ['O_PATH', 0x200000],
  ['O_TMPFILE', 0x410000],
  ['__O_TMPFILE', 0x400000],
  ['O_DIRECTORY', 0x10000],
  ['FASYNC', 0x2000],
];

/** The mapping type, flags & 0xf. */
export const MMAP_TYPES: Xlat = [
  ['MAP_SHARED', 0x1],
  ['MAP_PRIVATE', 0x2],
  ['MAP_SHARED_VALIDATE', 0x3],
  ['MAP_FILE', 0],
];

export const MMAP_FLAGS: Xlat = [
  ['MAP_FIXED', 0x10],
  ['MAP_ANONYMOUS', 0x20],
  ['MAP_32BIT', 0x40],
  ['MAP_NORESERVE', 0x4000],
  ['MAP_POPULATE', 0x8000],
  ['MAP_NONBLOCK', 0x10000],
  ['MAP_GROWSDOWN', 0x100],
  ['MAP_DENYWRITE', 0x800],
  ['MAP_EXECUTABLE', 0x1000],
  ['MAP_LOCKED', 0x2000],
  ['MAP_STACK', 0x20000],
  ['MAP_HUGETLB', 0x40000],
  ['MAP_SYNC', 0x80000],
  ['MAP_FIXED_NOREPLACE', 0x100000],
];
/** Bits 26-31 of the mmap flags hold log2 of the huge page size. */
export const MAP_HUGE_SHIFT = 26;
export const MAP_HUGE_MASK = 0x3f;

export const PROT_FLAGS: Xlat = [
  ['PROT_NONE', 0],
  ['PROT_READ', 0x1],
  ['PROT_WRITE', 0x2],
  ['PROT_EXEC', 0x4],
  ['PROT_SEM', 0x8],
  ['PROT_GROWSDOWN', 0x01000000],
  ['PROT_GROWSUP', 0x02000000],
];

/** Bits above the exit signal (CSIGNAL = 0xff) of clone's flags. */
export const CLONE_FLAGS: Xlat = [
  ['CLONE_VM', 0x100],
  ['CLONE_FS', 0x200],
  ['CLONE_FILES', 0x400],
  ['CLONE_SIGHAND', 0x800],
  ['CLONE_PIDFD', 0x1000],
  ['CLONE_PTRACE', 0x2000],
  ['CLONE_VFORK', 0x4000],
  ['CLONE_PARENT', 0x8000],
  ['CLONE_THREAD', 0x10000],
  ['CLONE_NEWNS', 0x20000],
  ['CLONE_SYSVSEM', 0x40000],
  ['CLONE_SETTLS', 0x80000],
  ['CLONE_PARENT_SETTID', 0x100000],
  ['CLONE_CHILD_CLEARTID', 0x200000],
  ['CLONE_UNTRACED', 0x800000],
  ['CLONE_CHILD_SETTID', 0x1000000],
  ['CLONE_NEWCGROUP', 0x2000000],
  ['CLONE_NEWUTS', 0x4000000],
  ['CLONE_NEWIPC', 0x8000000],
  ['CLONE_NEWUSER', 0x10000000],
  ['CLONE_NEWPID', 0x20000000],
  ['CLONE_NEWNET', 0x40000000],
  ['CLONE_IO', 0x80000000],
];

export const AT_FLAGS: Xlat = [
  ['AT_SYMLINK_NOFOLLOW', 0x100],
  ['AT_REMOVEDIR', 0x200],
  ['AT_SYMLINK_FOLLOW', 0x400],
  ['AT_NO_AUTOMOUNT', 0x800],
  ['AT_EMPTY_PATH', 0x1000],
  ['AT_RECURSIVE', 0x8000],
];

/** faccessat2 reuses 0x200 as AT_EACCESS. */
export const FACCESSAT_FLAGS: Xlat = [
  ['AT_SYMLINK_NOFOLLOW', 0x100],
  ['AT_EACCESS', 0x200],
  ['AT_EMPTY_PATH', 0x1000],
];

export const ACCESS_MODES: Xlat = [
  ['F_OK', 0],
  ['R_OK', 4],
  ['W_OK', 2],
  ['X_OK', 1],
];

export const WHENCE: Xlat = [
  ['SEEK_SET', 0],
  ['SEEK_CUR', 1],
  ['SEEK_END', 2],
  ['SEEK_DATA', 3],
  ['SEEK_HOLE', 4],
];

export const ARCH_PRCTL_CODES: Xlat = [
  ['ARCH_SET_GS', 0x1001],
  ['ARCH_SET_FS', 0x1002],
  ['ARCH_GET_FS', 0x1003],
  ['ARCH_GET_GS', 0x1004],
  ['ARCH_GET_CPUID', 0x1011],
  ['ARCH_SET_CPUID', 0x1012],
  ['ARCH_GET_XCOMP_SUPP', 0x1021],
  ['ARCH_GET_XCOMP_PERM', 0x1022],
  ['ARCH_REQ_XCOMP_PERM', 0x1023],
  ['ARCH_GET_XCOMP_GUEST_PERM', 0x1024],
  ['ARCH_REQ_XCOMP_GUEST_PERM', 0x1025],
  ['ARCH_MAP_VDSO_X32', 0x2001],
  ['ARCH_MAP_VDSO_32', 0x2002],
  ['ARCH_MAP_VDSO_64', 0x2003],
];

const FUTEX_PRIVATE = 128;
const FUTEX_CLOCK_REALTIME = 256;
const FUTEX_CMDS: Xlat = [
  ['FUTEX_WAIT', 0],
  ['FUTEX_WAKE', 1],
  ['FUTEX_FD', 2],
  ['FUTEX_REQUEUE', 3],
  ['FUTEX_CMP_REQUEUE', 4],
  ['FUTEX_WAKE_OP', 5],
  ['FUTEX_LOCK_PI', 6],
  ['FUTEX_UNLOCK_PI', 7],
  ['FUTEX_TRYLOCK_PI', 8],
  ['FUTEX_WAIT_BITSET', 9],
  ['FUTEX_WAKE_BITSET', 10],
  ['FUTEX_WAIT_REQUEUE_PI', 11],
  ['FUTEX_CMP_REQUEUE_PI', 12],
  ['FUTEX_LOCK_PI2', 13],
];
/** Whole futex op words strace names: each command, its _PRIVATE form, and the waits with CLOCK_REALTIME. */
export const FUTEX_OPS: Xlat = [
  ...FUTEX_CMDS,
  ...FUTEX_CMDS.map(([name, v]): [string, number] =>
    name === 'FUTEX_FD' ? ['FUTEX_FD|FUTEX_PRIVATE_FLAG', v | FUTEX_PRIVATE] : [`${name}_PRIVATE`, v | FUTEX_PRIVATE],
  ),
  ...(
    [
      ['FUTEX_WAIT', 0],
      ['FUTEX_WAIT_BITSET', 9],
      ['FUTEX_WAIT_REQUEUE_PI', 11],
    ] as const
  ).flatMap(([name, v]): [string, number][] => [
    [`${name}|FUTEX_CLOCK_REALTIME`, v | FUTEX_CLOCK_REALTIME],
    [`${name}_PRIVATE|FUTEX_CLOCK_REALTIME`, v | FUTEX_CLOCK_REALTIME | FUTEX_PRIVATE],
  ]),
];
export const FUTEX_BITSET: Xlat = [['FUTEX_BITSET_MATCH_ANY', 0xffffffff]];

export const CLOCK_IDS: Xlat = [
  ['CLOCK_REALTIME', 0],
  ['CLOCK_MONOTONIC', 1],
  ['CLOCK_PROCESS_CPUTIME_ID', 2],
  ['CLOCK_THREAD_CPUTIME_ID', 3],
  ['CLOCK_MONOTONIC_RAW', 4],
  ['CLOCK_REALTIME_COARSE', 5],
  ['CLOCK_MONOTONIC_COARSE', 6],
  ['CLOCK_BOOTTIME', 7],
  ['CLOCK_REALTIME_ALARM', 8],
  ['CLOCK_BOOTTIME_ALARM', 9],
  ['CLOCK_SGI_CYCLE', 10],
  ['CLOCK_TAI', 11],
];

export const TIMER_FLAGS: Xlat = [['TIMER_ABSTIME', 1]];

export const PRCTL_OPTIONS: Xlat = [
  ['PR_SET_PDEATHSIG', 1],
  ['PR_GET_PDEATHSIG', 2],
  ['PR_GET_DUMPABLE', 3],
  ['PR_SET_DUMPABLE', 4],
  ['PR_GET_UNALIGN', 5],
  ['PR_SET_UNALIGN', 6],
  ['PR_GET_KEEPCAPS', 7],
  ['PR_SET_KEEPCAPS', 8],
  ['PR_GET_FPEMU', 9],
  ['PR_SET_FPEMU', 10],
  ['PR_GET_FPEXC', 11],
  ['PR_SET_FPEXC', 12],
  ['PR_GET_TIMING', 13],
  ['PR_SET_TIMING', 14],
  ['PR_SET_NAME', 15],
  ['PR_GET_NAME', 16],
  ['PR_GET_ENDIAN', 19],
  ['PR_SET_ENDIAN', 20],
  ['PR_GET_SECCOMP', 21],
  ['PR_SET_SECCOMP', 22],
  ['PR_CAPBSET_READ', 23],
  ['PR_CAPBSET_DROP', 24],
  ['PR_GET_TSC', 25],
  ['PR_SET_TSC', 26],
  ['PR_GET_SECUREBITS', 27],
  ['PR_SET_SECUREBITS', 28],
  ['PR_SET_TIMERSLACK', 29],
  ['PR_GET_TIMERSLACK', 30],
  ['PR_TASK_PERF_EVENTS_DISABLE', 31],
  ['PR_TASK_PERF_EVENTS_ENABLE', 32],
  ['PR_MCE_KILL', 33],
  ['PR_MCE_KILL_GET', 34],
  ['PR_SET_MM', 35],
  ['PR_SET_CHILD_SUBREAPER', 36],
  ['PR_GET_CHILD_SUBREAPER', 37],
  ['PR_SET_NO_NEW_PRIVS', 38],
  ['PR_GET_NO_NEW_PRIVS', 39],
  ['PR_GET_TID_ADDRESS', 40],
  ['PR_SET_THP_DISABLE', 41],
  ['PR_GET_THP_DISABLE', 42],
  ['PR_MPX_ENABLE_MANAGEMENT', 43],
  ['PR_MPX_DISABLE_MANAGEMENT', 44],
  ['PR_SET_FP_MODE', 45],
  ['PR_GET_FP_MODE', 46],
  ['PR_CAP_AMBIENT', 47],
  ['PR_SVE_SET_VL', 50],
  ['PR_SVE_GET_VL', 51],
  ['PR_GET_SPECULATION_CTRL', 52],
  ['PR_SET_SPECULATION_CTRL', 53],
  ['PR_PAC_RESET_KEYS', 54],
  ['PR_SET_TAGGED_ADDR_CTRL', 55],
  ['PR_GET_TAGGED_ADDR_CTRL', 56],
  ['PR_SET_IO_FLUSHER', 57],
  ['PR_GET_IO_FLUSHER', 58],
  ['PR_SET_SYSCALL_USER_DISPATCH', 59],
  ['PR_PAC_SET_ENABLED_KEYS', 60],
  ['PR_PAC_GET_ENABLED_KEYS', 61],
  ['PR_SCHED_CORE', 62],
  ['PR_SME_SET_VL', 63],
  ['PR_SME_GET_VL', 64],
  ['PR_SET_MDWE', 65],
  ['PR_GET_MDWE', 66],
  ['PR_SET_VMA', 0x53564d41],
];

export const SUID_DUMP: Xlat = [
  ['SUID_DUMP_DISABLE', 0],
  ['SUID_DUMP_USER', 1],
  ['SUID_DUMP_ROOT', 2],
];

export const SIGPROCMASK_HOW: Xlat = [
  ['SIG_BLOCK', 0],
  ['SIG_UNBLOCK', 1],
  ['SIG_SETMASK', 2],
];

export const FCNTL_CMDS: Xlat = [
  ['F_DUPFD', 0],
  ['F_GETFD', 1],
  ['F_SETFD', 2],
  ['F_GETFL', 3],
  ['F_SETFL', 4],
  ['F_GETLK', 5],
  ['F_SETLK', 6],
  ['F_SETLKW', 7],
  ['F_SETOWN', 8],
  ['F_GETOWN', 9],
  ['F_SETSIG', 10],
  ['F_GETSIG', 11],
  ['F_SETOWN_EX', 15],
  ['F_GETOWN_EX', 16],
  ['F_GETOWNER_UIDS', 17],
  ['F_OFD_GETLK', 36],
  ['F_OFD_SETLK', 37],
  ['F_OFD_SETLKW', 38],
  ['F_SETLEASE', 1024],
  ['F_GETLEASE', 1025],
  ['F_NOTIFY', 1026],
  ['F_CANCELLK', 1029],
  ['F_DUPFD_CLOEXEC', 1030],
  ['F_SETPIPE_SZ', 1031],
  ['F_GETPIPE_SZ', 1032],
  ['F_ADD_SEALS', 1033],
  ['F_GET_SEALS', 1034],
  ['F_GET_RW_HINT', 1035],
  ['F_SET_RW_HINT', 1036],
  ['F_GET_FILE_RW_HINT', 1037],
  ['F_SET_FILE_RW_HINT', 1038],
];

export const FD_FLAGS: Xlat = [['FD_CLOEXEC', 1]];

export const RLIMIT_RESOURCES: Xlat = [
  ['RLIMIT_CPU', 0],
  ['RLIMIT_FSIZE', 1],
  ['RLIMIT_DATA', 2],
  ['RLIMIT_STACK', 3],
  ['RLIMIT_CORE', 4],
  ['RLIMIT_RSS', 5],
  ['RLIMIT_NPROC', 6],
  ['RLIMIT_NOFILE', 7],
  ['RLIMIT_MEMLOCK', 8],
  ['RLIMIT_AS', 9],
  ['RLIMIT_LOCKS', 10],
  ['RLIMIT_SIGPENDING', 11],
  ['RLIMIT_MSGQUEUE', 12],
  ['RLIMIT_NICE', 13],
  ['RLIMIT_RTPRIO', 14],
  ['RLIMIT_RTTIME', 15],
];

export const RUSAGE_WHO: Xlat = [
  ['RUSAGE_SELF', 0],
  ['RUSAGE_CHILDREN', 0xffffffff],
  ['RUSAGE_THREAD', 1],
];

export const MADVISE_ADVICE: Xlat = [
  ['MADV_NORMAL', 0],
  ['MADV_RANDOM', 1],
  ['MADV_SEQUENTIAL', 2],
  ['MADV_WILLNEED', 3],
  ['MADV_DONTNEED', 4],
  ['MADV_FREE', 8],
  ['MADV_REMOVE', 9],
  ['MADV_DONTFORK', 10],
  ['MADV_DOFORK', 11],
  ['MADV_MERGEABLE', 12],
  ['MADV_UNMERGEABLE', 13],
  ['MADV_HUGEPAGE', 14],
  ['MADV_NOHUGEPAGE', 15],
  ['MADV_DONTDUMP', 16],
  ['MADV_DODUMP', 17],
  ['MADV_WIPEONFORK', 18],
  ['MADV_KEEPONFORK', 19],
  ['MADV_COLD', 20],
  ['MADV_PAGEOUT', 21],
  ['MADV_POPULATE_READ', 22],
  ['MADV_POPULATE_WRITE', 23],
  ['MADV_DONTNEED_LOCKED', 24],
  ['MADV_COLLAPSE', 25],
  ['MADV_HWPOISON', 100],
  ['MADV_SOFT_OFFLINE', 101],
];

export const MREMAP_FLAGS: Xlat = [
  ['MREMAP_MAYMOVE', 1],
  ['MREMAP_FIXED', 2],
  ['MREMAP_DONTUNMAP', 4],
];

export const GETRANDOM_FLAGS: Xlat = [
  ['GRND_NONBLOCK', 1],
  ['GRND_RANDOM', 2],
  ['GRND_INSECURE', 4],
];

export const MFD_FLAGS: Xlat = [
  ['MFD_CLOEXEC', 0x1],
  ['MFD_ALLOW_SEALING', 0x2],
  ['MFD_HUGETLB', 0x4],
  ['MFD_NOEXEC_SEAL', 0x8],
  ['MFD_EXEC', 0x10],
];

export const WAIT_OPTIONS: Xlat = [
  ['WNOHANG', 0x1],
  ['WSTOPPED', 0x2],
  ['WEXITED', 0x4],
  ['WCONTINUED', 0x8],
  ['WNOWAIT', 0x1000000],
  ['__WNOTHREAD', 0x20000000],
  ['__WALL', 0x40000000],
  ['__WCLONE', 0x80000000],
];

export const ITIMER_WHICH: Xlat = [
  ['ITIMER_REAL', 0],
  ['ITIMER_VIRTUAL', 1],
  ['ITIMER_PROF', 2],
];

/** Signal names by number; 32..64 are the real-time signals. */
const SIGNAL_NAMES: readonly string[] = [
  '',
  'SIGHUP',
  'SIGINT',
  'SIGQUIT',
  'SIGILL',
  'SIGTRAP',
  'SIGABRT',
  'SIGBUS',
  'SIGFPE',
  'SIGKILL',
  'SIGUSR1',
  'SIGSEGV',
  'SIGUSR2',
  'SIGPIPE',
  'SIGALRM',
  'SIGTERM',
  'SIGSTKFLT',
  'SIGCHLD',
  'SIGCONT',
  'SIGSTOP',
  'SIGTSTP',
  'SIGTTIN',
  'SIGTTOU',
  'SIGURG',
  'SIGXCPU',
  'SIGXFSZ',
  'SIGVTALRM',
  'SIGPROF',
  'SIGWINCH',
  'SIGIO',
  'SIGPWR',
  'SIGSYS',
];
const SIGRTMIN = 32;
const SIGRTMAX = 64;

/** strace's name for a signal number: SIGSEGV, SIGRTMIN, SIGRT_2 (= 34), or the number itself. */
export function signalName(sig: number): string {
  if (sig > 0 && sig < SIGRTMIN) return SIGNAL_NAMES[sig];
  if (sig === SIGRTMIN) return 'SIGRTMIN';
  if (sig > SIGRTMIN && sig <= SIGRTMAX) return `SIGRT_${sig - SIGRTMIN}`;
  return String(sig);
}

/** How strace shows an ioctl's third argument. */
export type IoctlArg = 'none' | 'int' | 'ptr' | 'hex';

/**
 * Terminal and file ioctls by request number. Several numbers are shared with OSS sound
 * ioctls, which strace names too ("SNDCTL_TMR_START or TCSETS").
 */
export const IOCTLS: ReadonlyMap<number, readonly [string, IoctlArg]> = new Map([
  [0x5401, ['TCGETS', 'ptr']],
  [0x5402, ['SNDCTL_TMR_START or TCSETS', 'ptr']],
  [0x5403, ['SNDCTL_TMR_STOP or TCSETSW', 'ptr']],
  [0x5404, ['SNDCTL_TMR_CONTINUE or TCSETSF', 'ptr']],
  [0x5405, ['TCGETA', 'ptr']],
  [0x5406, ['TCSETA', 'ptr']],
  [0x5407, ['TCSETAW', 'ptr']],
  [0x5408, ['TCSETAF', 'ptr']],
  [0x5409, ['TCSBRK', 'int']],
  [0x540a, ['TCXONC', 'hex']],
  [0x540b, ['TCFLSH', 'hex']],
  [0x540c, ['TIOCEXCL', 'none']],
  [0x540d, ['TIOCNXCL', 'none']],
  [0x540e, ['TIOCSCTTY', 'int']],
  [0x540f, ['TIOCGPGRP', 'ptr']],
  [0x5410, ['TIOCSPGRP', 'ptr']],
  [0x5411, ['TIOCOUTQ', 'ptr']],
  [0x5412, ['TIOCSTI', 'ptr']],
  [0x5413, ['TIOCGWINSZ', 'ptr']],
  [0x5414, ['TIOCSWINSZ', 'ptr']],
  [0x5415, ['TIOCMGET', 'ptr']],
  [0x5416, ['TIOCMBIS', 'ptr']],
  [0x5417, ['TIOCMBIC', 'ptr']],
  [0x5418, ['TIOCMSET', 'ptr']],
  [0x5419, ['TIOCGSOFTCAR', 'ptr']],
  [0x541a, ['TIOCSSOFTCAR', 'ptr']],
  [0x541b, ['FIONREAD', 'ptr']],
  [0x541c, ['TIOCLINUX', 'hex']],
  [0x541d, ['TIOCCONS', 'none']],
  [0x541e, ['TIOCGSERIAL', 'hex']],
  [0x541f, ['TIOCSSERIAL', 'none']],
  [0x5420, ['TIOCPKT', 'ptr']],
  [0x5421, ['FIONBIO', 'ptr']],
  [0x5422, ['TIOCNOTTY', 'none']],
  [0x5423, ['TIOCSETD', 'ptr']],
  [0x5424, ['TIOCGETD', 'ptr']],
  [0x5425, ['TCSBRKP', 'int']],
  [0x5427, ['TIOCSBRK', 'none']],
  [0x5428, ['TIOCCBRK', 'none']],
  [0x5429, ['TIOCGSID', 'ptr']],
  [0x542e, ['TIOCGRS485', 'hex']],
  [0x542f, ['TIOCSRS485', 'hex']],
  [0x5432, ['TCGETX', 'hex']],
  [0x5433, ['TCSETX', 'hex']],
  [0x5434, ['TCSETXF', 'hex']],
  [0x5435, ['TCSETXW', 'hex']],
  [0x5437, ['TIOCVHANGUP', 'none']],
  [0x5441, ['TIOCGPTPEER', 'hex']],
  [0x5450, ['FIONCLEX', 'none']],
  [0x5451, ['FIOCLEX', 'none']],
  [0x5452, ['FIOASYNC', 'ptr']],
  [0x5453, ['TIOCSERCONFIG', 'hex']],
  [0x5454, ['TIOCSERGWILD', 'hex']],
  [0x5455, ['TIOCSERSWILD', 'hex']],
  [0x5456, ['TIOCGLCKTRMIOS', 'ptr']],
  [0x5457, ['TIOCSLCKTRMIOS', 'ptr']],
  [0x5458, ['TIOCSERGSTRUCT', 'hex']],
  [0x5459, ['TIOCSERGETLSR', 'hex']],
  [0x545a, ['TIOCSERGETMULTI', 'hex']],
  [0x545b, ['TIOCSERSETMULTI', 'hex']],
  [0x545c, ['TIOCMIWAIT', 'hex']],
  [0x545d, ['TIOCGICOUNT', 'hex']],
  [0x5460, ['FIOQSIZE', 'hex']],
  [0x80045430, ['TIOCGPTN', 'hex']],
  [0x40045431, ['TIOCSPTLCK', 'hex']],
  [0x80045432, ['TIOCGDEV', 'hex']],
  [0x40045436, ['TIOCSIG', 'hex']],
  [0x80045438, ['TIOCGPKT', 'hex']],
  [0x80045439, ['TIOCGPTLCK', 'hex']],
]);
