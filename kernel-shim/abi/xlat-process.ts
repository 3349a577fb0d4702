// Symbolic names of process, thread and time constants (clone, prctl, futex, wait, rlimits,
// clocks, ...), in strace 6.1's order (see xlat.ts).
import type { Xlat } from './xlat.js';

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

export const GETRANDOM_FLAGS: Xlat = [
  ['GRND_NONBLOCK', 1],
  ['GRND_RANDOM', 2],
  ['GRND_INSECURE', 4],
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

/** waitid's idtype. */
export const WAITID_TYPES: Xlat = [
  ['P_ALL', 0],
  ['P_PID', 1],
  ['P_PGID', 2],
  ['P_PIDFD', 3],
];

/** getpriority/setpriority's which. */
export const PRIORITY_WHICH: Xlat = [
  ['PRIO_PROCESS', 0],
  ['PRIO_PGRP', 1],
  ['PRIO_USER', 2],
];

/** The execution domain, personality & PER_MASK. */
export const PERSONALITY_TYPES: Xlat = [
  ['PER_LINUX', 0x0],
  ['PER_SVR4', 0x1],
  ['PER_SVR3', 0x2],
  ['PER_SCOSVR3', 0x3],
  ['PER_WYSEV386', 0x4],
  ['PER_ISCR4', 0x5],
  ['PER_BSD', 0x6],
  ['PER_XENIX', 0x7],
  ['PER_LINUX32', 0x8],
  ['PER_IRIX32', 0x9],
  ['PER_IRIXN32', 0xa],
  ['PER_IRIX64', 0xb],
  ['PER_RISCOS', 0xc],
  ['PER_SOLARIS', 0xd],
  ['PER_UW7', 0xe],
  ['PER_OSF4', 0xf],
  ['PER_HPUX', 0x10],
];
export const PER_MASK = 0xff;

export const PERSONALITY_FLAGS: Xlat = [
  ['UNAME26', 0x20000],
  ['ADDR_NO_RANDOMIZE', 0x40000],
  ['FDPIC_FUNCPTRS', 0x80000],
  ['MMAP_PAGE_ZERO', 0x100000],
  ['ADDR_COMPAT_LAYOUT', 0x200000],
  ['READ_IMPLIES_EXEC', 0x400000],
  ['ADDR_LIMIT_32BIT', 0x800000],
  ['SHORT_INODE', 0x1000000],
  ['WHOLE_SECONDS', 0x2000000],
  ['STICKY_TIMEOUTS', 0x4000000],
  ['ADDR_LIMIT_3GB', 0x8000000],
];

export const SYSLOG_ACTIONS: Xlat = [
  ['SYSLOG_ACTION_CLOSE', 0],
  ['SYSLOG_ACTION_OPEN', 1],
  ['SYSLOG_ACTION_READ', 2],
  ['SYSLOG_ACTION_READ_ALL', 3],
  ['SYSLOG_ACTION_READ_CLEAR', 4],
  ['SYSLOG_ACTION_CLEAR', 5],
  ['SYSLOG_ACTION_CONSOLE_OFF', 6],
  ['SYSLOG_ACTION_CONSOLE_ON', 7],
  ['SYSLOG_ACTION_CONSOLE_LEVEL', 8],
  ['SYSLOG_ACTION_SIZE_UNREAD', 9],
  ['SYSLOG_ACTION_SIZE_BUFFER', 10],
];

export const LOG_LEVELS: Xlat = [
  ['LOGLEVEL_EMERG', 0],
  ['LOGLEVEL_ALERT', 1],
  ['LOGLEVEL_CRIT', 2],
  ['LOGLEVEL_ERR', 3],
  ['LOGLEVEL_WARNING', 4],
  ['LOGLEVEL_NOTICE', 5],
  ['LOGLEVEL_INFO', 6],
  ['LOGLEVEL_DEBUG', 7],
];
