// How strace shows each system call's arguments and result: one ArgSpec per printed argument.
// Calls whose printed arguments depend on their values (open's mode, fcntl, ioctl, futex,
// prctl, clone, ...) are decided by argKinds() from the raw arguments.
import * as X from '../kernel-shim/abi/xlat.js';
import { UFFD_FLAGS } from '../kernel-shim/abi/uffd.js';
import { isUffdIoctl } from './strace-uffd.js';

/** Kinds printed from a table of names (see XLAT_KINDS). */
export type XlatKind = keyof typeof XLAT_KINDS;

export type ArgKind =
  /** C int: the low 32 bits, signed decimal. */
  | 'int'
  /** Unsigned decimal of all 64 bits (size_t, unsigned long; unsigned int arguments arrive zero-extended). */
  | 'uint'
  /** long, off_t: signed 64-bit decimal. */
  | 'long'
  /** 0 or 0x-prefixed hex of all 64 bits. */
  | 'hex'
  /** A file descriptor (int); -100 prints as AT_FDCWD. */
  | 'fd'
  /** A path read from guest memory, quoted, never truncated. */
  | 'path'
  /** A string the call writes (getcwd, PR_GET_NAME), printed after it returns. */
  | 'path_out'
  /** A NUL-terminated string truncated after `max` (default 32) bytes with "...". */
  | 'string'
  /** Bytes the call reads; the length is argument `len` (default: the next argument). */
  | 'buf_in'
  /** Bytes the call writes, as many as it returned; printed after it returns. */
  | 'buf_out'
  /** buf_out with every byte as \xNN (getrandom). */
  | 'buf_out_hex'
  /** An address: NULL or 0x hex. */
  | 'ptr'
  /** A structure the call reads or writes, shown by address only. */
  | 'struct_ptr'
  /** struct timespec the call reads: {tv_sec=1, tv_nsec=0}. */
  | 'timespec'
  /** struct timespec the call writes, printed after it returns. */
  | 'timespec_out'
  /** getdents64's buffer: its address and how many entries the call stored. */
  | 'dirents_out'
  /** argv: ["a", "b"], at most 32 elements then "...". */
  | 'string_array'
  /** envp as strace abbreviates it: the address and a comment counting the variables. */
  | 'envp'
  /** A permission mode in octal, 0644. */
  | 'mode'
  /** open flags: the access mode, then the other O_* bits. */
  | 'open_flags'
  /** mmap flags: the mapping type, the MAP_* bits, the huge page size. */
  | 'mmap_flags'
  /** clone flags: CLONE_* bits and the exit signal in the low byte. */
  | 'clone_flags'
  /** A signal number: SIGINT, SIGRTMIN, SIGRT_2, or decimal when out of range. */
  | 'signal'
  /** An ioctl request: its name, or _IOC(dir, type, nr, size). */
  | 'ioctl_cmd'
  /** A userfaultfd ioctl's struct, decoded after the call (syscalls/strace-uffd.ts). */
  | 'uffdio'
  | XlatKind;

export interface ArgSpecObject {
  readonly kind: ArgKind;
  /** Which raw argument this prints; defaults to the spec's position. */
  readonly arg?: number;
  /** Printed as label=value (clone). */
  readonly label?: string;
  /** buf_in: which raw argument holds the length; defaults to the one after the buffer. */
  readonly len?: number;
  /** string: how many bytes are shown before "...". */
  readonly max?: number;
}

export type ArgSpec = ArgKind | ArgSpecObject;

/** How a successful result is printed. */
export type ResultKind =
  | 'dec'
  | 'hex'
  | 'octal'
  /** fcntl F_GETFL: 0x8002 (flags O_RDWR|O_LARGEFILE). */
  | 'fcntl_getfl'
  /** fcntl F_GETFD: 0x1 (flags FD_CLOEXEC), or 0. */
  | 'fcntl_getfd'
  /** prctl PR_GET_DUMPABLE: 1 (SUID_DUMP_USER). */
  | 'dumpable';

export interface XlatKindInfo {
  readonly table: X.Xlat;
  /** flags: OR of names; value: one name. */
  readonly style: 'flags' | 'value';
  /** The comment after an unknown value, e.g. "SEEK_???"; null prints the bare hex. */
  readonly unknown: string | null;
}

export const XLAT_KINDS = {
  prot: { table: X.PROT_FLAGS, style: 'flags', unknown: 'PROT_???' },
  at_flags: { table: X.AT_FLAGS, style: 'flags', unknown: 'AT_???' },
  faccessat_flags: { table: X.FACCESSAT_FLAGS, style: 'flags', unknown: 'AT_???' },
  access_mode: { table: X.ACCESS_MODES, style: 'flags', unknown: '?_OK' },
  /** O_* bits without an access mode (pipe2, dup3). */
  o_flags: { table: X.OPEN_FLAGS, style: 'flags', unknown: 'O_???' },
  fd_flags: { table: X.FD_FLAGS, style: 'flags', unknown: 'FD_???' },
  getrandom_flags: { table: X.GETRANDOM_FLAGS, style: 'flags', unknown: 'GRND_???' },
  memfd_flags: { table: X.MFD_FLAGS, style: 'flags', unknown: 'MFD_???' },
  wait_options: { table: X.WAIT_OPTIONS, style: 'flags', unknown: 'W???' },
  mremap_flags: { table: X.MREMAP_FLAGS, style: 'flags', unknown: 'MREMAP_???' },
  timer_flags: { table: X.TIMER_FLAGS, style: 'flags', unknown: 'TIMER_???' },
  whence: { table: X.WHENCE, style: 'value', unknown: 'SEEK_???' },
  arch_prctl_code: { table: X.ARCH_PRCTL_CODES, style: 'value', unknown: 'ARCH_???' },
  futex_op: { table: X.FUTEX_OPS, style: 'value', unknown: 'FUTEX_???' },
  futex_bitset: { table: X.FUTEX_BITSET, style: 'value', unknown: null },
  clock_id: { table: X.CLOCK_IDS, style: 'value', unknown: 'CLOCK_???' },
  prctl_option: { table: X.PRCTL_OPTIONS, style: 'value', unknown: 'PR_???' },
  dumpable: { table: X.SUID_DUMP, style: 'value', unknown: 'SUID_DUMP_???' },
  sigprocmask_how: { table: X.SIGPROCMASK_HOW, style: 'value', unknown: 'SIG_???' },
  fcntl_cmd: { table: X.FCNTL_CMDS, style: 'value', unknown: 'F_???' },
  rlimit_resource: { table: X.RLIMIT_RESOURCES, style: 'value', unknown: 'RLIMIT_???' },
  rusage_who: { table: X.RUSAGE_WHO, style: 'value', unknown: 'RUSAGE_???' },
  madvise_advice: { table: X.MADVISE_ADVICE, style: 'value', unknown: 'MADV_???' },
  itimer_which: { table: X.ITIMER_WHICH, style: 'value', unknown: 'ITIMER_???' },
  uffd_flags: { table: UFFD_FLAGS, style: 'flags', unknown: 'UFFD_???' },
} as const satisfies Record<string, XlatKindInfo>;

export function isXlatKind(kind: ArgKind): kind is XlatKind {
  return Object.hasOwn(XLAT_KINDS, kind);
}

/** Kinds printed only once the call has returned; everything before them prints on entry. */
export function isOutputKind(kind: ArgKind): boolean {
  return (
    kind === 'buf_out' ||
    kind === 'buf_out_hex' ||
    kind === 'path_out' ||
    kind === 'timespec_out' ||
    kind === 'dirents_out' ||
    kind === 'uffdio'
  );
}

export function specKind(spec: ArgSpec): ArgKind {
  return typeof spec === 'string' ? spec : spec.kind;
}

const SIGNATURES: Readonly<Record<string, readonly ArgSpec[]>> = {
  read: ['fd', 'buf_out', 'uint'],
  userfaultfd: ['uffd_flags'],
  write: ['fd', 'buf_in', 'uint'],
  close: ['fd'],
  stat: ['path', 'struct_ptr'],
  fstat: ['fd', 'struct_ptr'],
  lstat: ['path', 'struct_ptr'],
  poll: ['struct_ptr', 'uint', 'int'],
  lseek: ['fd', 'long', 'whence'],
  mmap: ['ptr', 'uint', 'prot', 'mmap_flags', 'fd', 'hex'],
  mprotect: ['ptr', 'uint', 'prot'],
  // ushim's own numbers (extra-numbers.ts): the trampfd RFCs
  trampfd_create: ['int', 'struct_ptr', 'uint'],
  trampfd: ['struct_ptr'],
  munmap: ['ptr', 'uint'],
  brk: ['ptr'],
  rt_sigaction: ['signal', 'struct_ptr', 'struct_ptr', 'uint'],
  rt_sigprocmask: ['sigprocmask_how', 'struct_ptr', 'struct_ptr', 'uint'],
  rt_sigreturn: [],
  pread64: ['fd', 'buf_out', 'uint', 'long'],
  pwrite64: ['fd', 'buf_in', 'uint', 'long'],
  readv: ['fd', 'struct_ptr', 'uint'],
  writev: ['fd', 'struct_ptr', 'uint'],
  access: ['path', 'access_mode'],
  pipe: ['struct_ptr'],
  select: ['int', 'struct_ptr', 'struct_ptr', 'struct_ptr', 'struct_ptr'],
  sched_yield: [],
  madvise: ['ptr', 'uint', 'madvise_advice'],
  dup: ['fd'],
  dup2: ['fd', 'fd'],
  pause: [],
  nanosleep: ['timespec', 'struct_ptr'],
  getitimer: ['itimer_which', 'struct_ptr'],
  alarm: ['uint'],
  setitimer: ['itimer_which', 'struct_ptr', 'struct_ptr'],
  getpid: [],
  sendfile: ['fd', 'fd', 'struct_ptr', 'uint'],
  fork: [],
  vfork: [],
  execve: ['path', 'string_array', 'envp'],
  exit: ['int'],
  wait4: ['int', 'struct_ptr', 'wait_options', 'struct_ptr'],
  kill: ['int', 'signal'],
  uname: ['struct_ptr'],
  fsync: ['fd'],
  fdatasync: ['fd'],
  truncate: ['path', 'long'],
  ftruncate: ['fd', 'long'],
  getcwd: ['path_out', 'uint'],
  chdir: ['path'],
  fchdir: ['fd'],
  rename: ['path', 'path'],
  mkdir: ['path', 'mode'],
  rmdir: ['path'],
  creat: ['path', 'mode'],
  link: ['path', 'path'],
  unlink: ['path'],
  symlink: ['path', 'path'],
  readlink: ['path', 'buf_out', 'uint'],
  chmod: ['path', 'mode'],
  fchmod: ['fd', 'mode'],
  chown: ['path', 'int', 'int'],
  fchown: ['fd', 'int', 'int'],
  lchown: ['path', 'int', 'int'],
  umask: ['mode'],
  gettimeofday: ['struct_ptr', 'struct_ptr'],
  getrlimit: ['rlimit_resource', 'struct_ptr'],
  getrusage: ['rusage_who', 'struct_ptr'],
  sysinfo: ['struct_ptr'],
  times: ['struct_ptr'],
  getuid: [],
  getgid: [],
  setuid: ['int'],
  setgid: ['int'],
  geteuid: [],
  getegid: [],
  setpgid: ['int', 'int'],
  getppid: [],
  getpgrp: [],
  setsid: [],
  setreuid: ['int', 'int'],
  setregid: ['int', 'int'],
  getgroups: ['int', 'struct_ptr'],
  setgroups: ['int', 'struct_ptr'],
  setresuid: ['int', 'int', 'int'],
  getresuid: ['struct_ptr', 'struct_ptr', 'struct_ptr'],
  setresgid: ['int', 'int', 'int'],
  getresgid: ['struct_ptr', 'struct_ptr', 'struct_ptr'],
  getpgid: ['int'],
  getsid: ['int'],
  rt_sigpending: ['struct_ptr', 'uint'],
  rt_sigtimedwait: ['struct_ptr', 'struct_ptr', 'timespec', 'uint'],
  rt_sigqueueinfo: ['int', 'signal', 'struct_ptr'],
  rt_sigsuspend: ['struct_ptr', 'uint'],
  sigaltstack: ['struct_ptr', 'struct_ptr'],
  utime: ['path', 'struct_ptr'],
  statfs: ['path', 'struct_ptr'],
  fstatfs: ['fd', 'struct_ptr'],
  setrlimit: ['rlimit_resource', 'struct_ptr'],
  sync: [],
  gettid: [],
  time: ['struct_ptr'],
  sched_setaffinity: ['int', 'uint', 'struct_ptr'],
  sched_getaffinity: ['int', 'uint', 'struct_ptr'],
  getdents64: ['fd', 'dirents_out', 'uint'],
  set_tid_address: ['ptr'],
  restart_syscall: [],
  clock_settime: ['clock_id', 'timespec'],
  clock_gettime: ['clock_id', 'timespec_out'],
  clock_getres: ['clock_id', 'timespec_out'],
  clock_nanosleep: ['clock_id', 'timer_flags', 'timespec', 'struct_ptr'],
  exit_group: ['int'],
  epoll_wait: ['fd', 'struct_ptr', 'int', 'int'],
  tgkill: ['int', 'int', 'signal'],
  tkill: ['int', 'signal'],
  utimes: ['path', 'struct_ptr'],
  mkdirat: ['fd', 'path', 'mode'],
  fchownat: ['fd', 'path', 'int', 'int', 'at_flags'],
  newfstatat: ['fd', 'path', 'struct_ptr', 'at_flags'],
  unlinkat: ['fd', 'path', 'at_flags'],
  renameat: ['fd', 'path', 'fd', 'path'],
  linkat: ['fd', 'path', 'fd', 'path', 'at_flags'],
  symlinkat: ['path', 'fd', 'path'],
  readlinkat: ['fd', 'path', 'buf_out', 'uint'],
  fchmodat: ['fd', 'path', 'mode'],
  faccessat: ['fd', 'path', 'access_mode'],
  pselect6: ['int', 'struct_ptr', 'struct_ptr', 'struct_ptr', 'timespec', 'struct_ptr'],
  ppoll: ['struct_ptr', 'uint', 'timespec', 'struct_ptr', 'uint'],
  set_robust_list: ['ptr', 'uint'],
  get_robust_list: ['int', 'struct_ptr', 'struct_ptr'],
  utimensat: ['fd', 'path', 'struct_ptr', 'at_flags'],
  epoll_pwait: ['fd', 'struct_ptr', 'int', 'int', 'struct_ptr', 'uint'],
  dup3: ['fd', 'fd', 'o_flags'],
  pipe2: ['struct_ptr', 'o_flags'],
  prlimit64: ['int', 'rlimit_resource', 'struct_ptr', 'struct_ptr'],
  getrandom: ['buf_out_hex', 'uint', 'getrandom_flags'],
  rseq: ['ptr', 'hex', 'hex', 'hex'],
  clone3: ['struct_ptr', 'uint'],
  faccessat2: ['fd', 'path', 'access_mode', 'faccessat_flags'],
  memfd_create: ['string', 'memfd_flags'],
};

/** What strace prints for calls it has no decoder for: six raw arguments. */
const UNKNOWN_CALL: readonly ArgSpec[] = ['hex', 'hex', 'hex', 'hex', 'hex', 'hex'];

const O_CREAT = 0x40n;
const O_TMPFILE_BIT = 0x400000n;

function openKinds(prefix: readonly ArgSpec[], flags: bigint): readonly ArgSpec[] {
  const withMode = (flags & (O_CREAT | O_TMPFILE_BIT)) !== 0n;
  return withMode ? [...prefix, 'open_flags', 'mode'] : [...prefix, 'open_flags'];
}

function fcntlKinds(cmd: number): readonly ArgSpec[] {
  switch (cmd) {
    case 1: // F_GETFD
    case 3: // F_GETFL
    case 9: // F_GETOWN
    case 11: // F_GETSIG
    case 1025: // F_GETLEASE
    case 1032: // F_GETPIPE_SZ
    case 1034: // F_GET_SEALS
      return ['fd', 'fcntl_cmd'];
    case 0: // F_DUPFD
    case 1030: // F_DUPFD_CLOEXEC
    case 8: // F_SETOWN
    case 1031: // F_SETPIPE_SZ
      return ['fd', 'fcntl_cmd', 'int'];
    case 2: // F_SETFD
      return ['fd', 'fcntl_cmd', 'fd_flags'];
    case 4: // F_SETFL
      return ['fd', 'fcntl_cmd', 'open_flags'];
    case 10: // F_SETSIG
      return ['fd', 'fcntl_cmd', 'signal'];
    case 5: // F_GETLK
    case 6: // F_SETLK
    case 7: // F_SETLKW
    case 15: // F_SETOWN_EX
    case 16: // F_GETOWN_EX
    case 36: // F_OFD_GETLK
    case 37: // F_OFD_SETLK
    case 38: // F_OFD_SETLKW
      return ['fd', 'fcntl_cmd', 'struct_ptr'];
    default:
      return ['fd', 'fcntl_cmd', 'hex'];
  }
}

function ioctlKinds(cmd: number): readonly ArgSpec[] {
  if (isUffdIoctl(cmd)) return ['fd', 'ioctl_cmd', 'uffdio'];
  switch (X.IOCTLS.get(cmd)?.[1] ?? 'hex') {
    case 'none':
      return ['fd', 'ioctl_cmd'];
    case 'int':
      return ['fd', 'ioctl_cmd', 'int'];
    case 'ptr':
      return ['fd', 'ioctl_cmd', 'ptr'];
    case 'hex':
      return ['fd', 'ioctl_cmd', 'hex'];
  }
}

const FUTEX_TIMEOUT: ArgSpec = { kind: 'timespec', arg: 3 };
const FUTEX_VAL2: ArgSpec = { kind: 'uint', arg: 3 };
const FUTEX_BITSET_ARG: ArgSpec = { kind: 'futex_bitset', arg: 5 };

function futexKinds(op: number): readonly ArgSpec[] {
  const head: readonly ArgSpec[] = ['ptr', 'futex_op'];
  switch (op & 127) {
    case 0: // FUTEX_WAIT
      return [...head, 'uint', FUTEX_TIMEOUT];
    case 6: // FUTEX_LOCK_PI
    case 13: // FUTEX_LOCK_PI2
      return [...head, { kind: 'timespec', arg: 3 }];
    case 9: // FUTEX_WAIT_BITSET
      return [...head, 'uint', FUTEX_TIMEOUT, FUTEX_BITSET_ARG];
    case 10: // FUTEX_WAKE_BITSET
      return [...head, 'uint', FUTEX_BITSET_ARG];
    case 3: // FUTEX_REQUEUE
      return [...head, 'uint', FUTEX_VAL2, 'ptr'];
    case 4: // FUTEX_CMP_REQUEUE
    case 12: // FUTEX_CMP_REQUEUE_PI
      return [...head, 'uint', FUTEX_VAL2, 'ptr', 'uint'];
    case 5: // FUTEX_WAKE_OP: strace decodes val3's FUTEX_OP_* fields; shown raw here
      return [...head, 'uint', FUTEX_VAL2, 'ptr', 'hex'];
    case 11: // FUTEX_WAIT_REQUEUE_PI
      return [...head, 'uint', FUTEX_TIMEOUT, 'ptr'];
    case 1: // FUTEX_WAKE
    case 2: // FUTEX_FD
      return [...head, 'uint'];
    case 7: // FUTEX_UNLOCK_PI
    case 8: // FUTEX_TRYLOCK_PI
      return head;
    default:
      return [...head, 'uint', 'ptr', 'ptr', { kind: 'hex', arg: 5 }];
  }
}

function prctlKinds(option: number, arg2: bigint): readonly ArgSpec[] {
  switch (option) {
    case 3: // PR_GET_DUMPABLE
    case 7: // PR_GET_KEEPCAPS
    case 13: // PR_GET_TIMING
    case 21: // PR_GET_SECCOMP
    case 30: // PR_GET_TIMERSLACK
    case 31: // PR_TASK_PERF_EVENTS_DISABLE
    case 32: // PR_TASK_PERF_EVENTS_ENABLE
      return ['prctl_option'];
    case 1: // PR_SET_PDEATHSIG
      return ['prctl_option', arg2 > 128n ? 'uint' : 'signal'];
    case 4: // PR_SET_DUMPABLE
      return ['prctl_option', 'dumpable'];
    case 15: // PR_SET_NAME: the comm is at most 15 bytes
      return ['prctl_option', { kind: 'string', max: 15 }];
    case 16: // PR_GET_NAME
      return ['prctl_option', 'path_out'];
    case 2: // PR_GET_PDEATHSIG
    case 5: // PR_GET_UNALIGN
    case 9: // PR_GET_FPEMU
    case 11: // PR_GET_FPEXC
    case 19: // PR_GET_ENDIAN
    case 25: // PR_GET_TSC
    case 37: // PR_GET_CHILD_SUBREAPER
    case 40: // PR_GET_TID_ADDRESS
      return ['prctl_option', 'ptr'];
    case 8: // PR_SET_KEEPCAPS
    case 10: // PR_SET_FPEMU
    case 12: // PR_SET_FPEXC
    case 14: // PR_SET_TIMING
    case 20: // PR_SET_ENDIAN
    case 36: // PR_SET_CHILD_SUBREAPER
      return ['prctl_option', 'uint'];
    case 29: // PR_SET_TIMERSLACK
      return ['prctl_option', 'long'];
    case 38: // PR_SET_NO_NEW_PRIVS
    case 41: // PR_SET_THP_DISABLE
    case 57: // PR_SET_IO_FLUSHER
      return ['prctl_option', 'uint', 'hex', 'hex', 'hex'];
    default:
      return ['prctl_option', 'hex', 'hex', 'hex', 'hex'];
  }
}

function archPrctlKinds(code: number): readonly ArgSpec[] {
  switch (code) {
    case 0x1011: // ARCH_GET_CPUID
      return ['arch_prctl_code'];
    case 0x1003: // ARCH_GET_FS
    case 0x1004: // ARCH_GET_GS
    case 0x1021: // ARCH_GET_XCOMP_SUPP
    case 0x1022: // ARCH_GET_XCOMP_PERM
    case 0x1024: // ARCH_GET_XCOMP_GUEST_PERM
      return ['arch_prctl_code', 'ptr'];
    default:
      return ['arch_prctl_code', 'hex'];
  }
}

const CLONE_PIDFD = 0x1000n;
const CLONE_SETTLS = 0x80000n;
const CLONE_PARENT_SETTID = 0x100000n;
const CLONE_CHILD_CLEARTID = 0x200000n;
const CLONE_CHILD_SETTID = 0x1000000n;

/** x86-64 clone(flags, stack, parent_tid, child_tid, tls), printed in strace's named order. */
function cloneKinds(flags: bigint): readonly ArgSpec[] {
  const specs: ArgSpec[] = [
    { kind: 'ptr', arg: 1, label: 'child_stack' },
    { kind: 'clone_flags', arg: 0, label: 'flags' },
  ];
  if (flags & (CLONE_PARENT_SETTID | CLONE_PIDFD)) specs.push({ kind: 'ptr', arg: 2, label: 'parent_tid' });
  if (flags & CLONE_SETTLS) specs.push({ kind: 'ptr', arg: 4, label: 'tls' });
  if (flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) specs.push({ kind: 'ptr', arg: 3, label: 'child_tidptr' });
  return specs;
}

const MREMAP_MAYMOVE_FIXED = 3n;

const low32 = (v: bigint | undefined) => Number(BigInt.asUintN(32, v ?? 0n));

/** The argument specs strace would use for this call with these raw arguments. */
export function argKinds(name: string, args: readonly bigint[]): readonly ArgSpec[] {
  switch (name) {
    case 'open':
      return openKinds(['path'], args[1] ?? 0n);
    case 'openat':
      return openKinds(['fd', 'path'], args[2] ?? 0n);
    case 'fcntl':
      return fcntlKinds(low32(args[1]));
    case 'ioctl':
      return ioctlKinds(low32(args[1]));
    case 'futex':
      return futexKinds(low32(args[1]));
    case 'prctl':
      return prctlKinds(low32(args[0]), args[1] ?? 0n);
    case 'arch_prctl':
      return archPrctlKinds(low32(args[0]));
    case 'clone':
      return cloneKinds(args[0] ?? 0n);
    case 'mremap':
      return ((args[3] ?? 0n) & MREMAP_MAYMOVE_FIXED) === MREMAP_MAYMOVE_FIXED
        ? ['ptr', 'uint', 'uint', 'mremap_flags', 'ptr']
        : ['ptr', 'uint', 'uint', 'mremap_flags'];
    default:
      return SIGNATURES[name] ?? UNKNOWN_CALL;
  }
}

/** How strace prints the result of a successful call. */
export function resultKind(name: string, args: readonly bigint[]): ResultKind {
  switch (name) {
    case 'mmap':
    case 'mremap':
    case 'brk':
    case 'shmat':
      return 'hex';
    case 'umask':
      return 'octal';
    case 'fcntl': {
      const cmd = low32(args[1]);
      return cmd === 3 ? 'fcntl_getfl' : cmd === 1 ? 'fcntl_getfd' : 'dec';
    }
    case 'prctl':
      return low32(args[0]) === 3 ? 'dumpable' : 'dec';
    default:
      return 'dec';
  }
}
