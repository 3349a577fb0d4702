// Argument kinds that depend on the arguments' values, as strace decides them: open's mode
// only with O_CREAT, fcntl/ioctl/futex/prctl/arch_prctl by command, clone by flags, mknod's
// device only for device files, syslog by action. Each is the `args` of its table entry.
import { FCNTL_CMDS } from '../kernel-shim/abi/xlat.js';
import { IOCTLS } from '../kernel-shim/abi/xlat-ioctl.js';
import { SYSLOG_ACTIONS } from '../kernel-shim/abi/xlat-process.js';
import type { ArgSpec, ResultKind } from './argkinds.js';
import { isUffdIoctl } from './strace-uffd.js';
import { lookup } from './strace-values.js';

const low32 = (v: bigint | undefined) => Number(BigInt.asUintN(32, v ?? 0n));

const O_CREAT = 0x40n;
const O_TMPFILE_BIT = 0x400000n;

function openKinds(prefix: readonly ArgSpec[], flags: bigint): readonly ArgSpec[] {
  const withMode = (flags & (O_CREAT | O_TMPFILE_BIT)) !== 0n;
  return withMode ? [...prefix, 'open_flags', 'mode'] : [...prefix, 'open_flags'];
}

/** fcntl's third argument by command name; null: the command takes none. Unlisted: hex. */
const FCNTL_THIRD: Readonly<Record<string, ArgSpec | null>> = {
  F_GETFD: null,
  F_GETFL: null,
  F_GETOWN: null,
  F_GETSIG: null,
  F_GETLEASE: null,
  F_GETPIPE_SZ: null,
  F_GET_SEALS: null,
  F_DUPFD: 'int',
  F_DUPFD_CLOEXEC: 'int',
  F_SETOWN: 'int',
  F_SETPIPE_SZ: 'int',
  F_SETFD: 'fd_flags',
  F_SETFL: 'open_flags',
  F_SETSIG: 'signal',
  F_GETLK: 'flock_report_out',
  F_OFD_GETLK: 'flock_report_out',
  F_SETLK: 'flock',
  F_SETLKW: 'flock',
  F_OFD_SETLK: 'flock',
  F_OFD_SETLKW: 'flock',
  F_SETOWN_EX: 'f_owner_ex',
  F_GETOWN_EX: 'f_owner_ex_out',
};

function fcntlKinds(cmd: number): readonly ArgSpec[] {
  const name = lookup(FCNTL_CMDS, BigInt(cmd));
  const third = name !== undefined && Object.hasOwn(FCNTL_THIRD, name) ? FCNTL_THIRD[name] : 'hex';
  return third === null ? ['fd', 'fcntl_cmd'] : ['fd', 'fcntl_cmd', third];
}

/** The terminal ioctls whose structures strace decodes, by request number. */
const TTY_IOCTL_ARGS: ReadonlyMap<number, ArgSpec> = new Map<number, ArgSpec>([
  [0x5401, 'termios_out'], // TCGETS
  [0x5402, 'termios'], // TCSETS
  [0x5403, 'termios'], // TCSETSW
  [0x5404, 'termios'], // TCSETSF
  [0x5413, 'winsize_out'], // TIOCGWINSZ
  [0x5414, 'winsize'], // TIOCSWINSZ
  [0x540f, 'int_box_out'], // TIOCGPGRP
  [0x5410, 'int_box'], // TIOCSPGRP
  [0x5411, 'int_box_out'], // TIOCOUTQ
  [0x541b, 'int_box_out'], // FIONREAD
  [0x5421, 'int_box'], // FIONBIO
  [0x5429, 'int_box_out'], // TIOCGSID
  [0x5452, 'int_box'], // FIOASYNC
]);

function ioctlKinds(cmd: number): readonly ArgSpec[] {
  if (isUffdIoctl(cmd)) return ['fd', 'ioctl_cmd', 'uffdio'];
  const tty = TTY_IOCTL_ARGS.get(cmd);
  if (tty !== undefined) return ['fd', 'ioctl_cmd', tty];
  switch (IOCTLS.get(cmd)?.[1] ?? 'hex') {
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
      return ['prctl_option', 'signal_box_out'];
    case 40: // PR_GET_TID_ADDRESS
      return ['prctl_option', 'ptr_box_out'];
    case 5: // PR_GET_UNALIGN
    case 9: // PR_GET_FPEMU
    case 11: // PR_GET_FPEXC
    case 19: // PR_GET_ENDIAN
    case 25: // PR_GET_TSC
    case 37: // PR_GET_CHILD_SUBREAPER
      return ['prctl_option', 'uint_ptr_out'];
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
      return ['arch_prctl_code', 'ptr_box_out'];
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


/** mq_open's mode and attributes are printed only with O_CREAT, as strace does. */
export const mqOpenArgs = (args: readonly bigint[]): readonly ArgSpec[] =>
  ((args[1] ?? 0n) & O_CREAT ? ['path', 'open_flags', 'mode', 'mq_attr'] : ['path', 'open_flags']);
export const openArgs = (args: readonly bigint[]) => openKinds(['path'], args[1] ?? 0n);
export const openatArgs = (args: readonly bigint[]) => openKinds(['fd', 'path'], args[2] ?? 0n);
export const fcntlArgs = (args: readonly bigint[]) => fcntlKinds(low32(args[1]));
export const ioctlArgs = (args: readonly bigint[]) => ioctlKinds(low32(args[1]));
export const futexArgs = (args: readonly bigint[]) => futexKinds(low32(args[1]));
export const prctlArgs = (args: readonly bigint[]) => prctlKinds(low32(args[0]), args[1] ?? 0n);
export const archPrctlArgs = (args: readonly bigint[]) => archPrctlKinds(low32(args[0]));
export const cloneArgs = (args: readonly bigint[]) => cloneKinds(args[0] ?? 0n);

export function mremapArgs(args: readonly bigint[]): readonly ArgSpec[] {
  return ((args[3] ?? 0n) & MREMAP_MAYMOVE_FIXED) === MREMAP_MAYMOVE_FIXED
    ? ['ptr', 'uint', 'uint', 'mremap_flags', 'ptr']
    : ['ptr', 'uint', 'uint', 'mremap_flags'];
}

const S_IFMT = 0o170000;
const S_IFCHR = 0o20000;
const S_IFBLK = 0o60000;

/** The device number is printed only for character and block devices. */
function mknodKinds(prefix: readonly ArgSpec[], mode: number): readonly ArgSpec[] {
  const type = mode & S_IFMT;
  return type === S_IFCHR || type === S_IFBLK ? [...prefix, 'file_mode', 'dev'] : [...prefix, 'file_mode'];
}

export const mknodArgs = (args: readonly bigint[]) => mknodKinds(['path'], low32(args[1]));
export const mknodatArgs = (args: readonly bigint[]) => mknodKinds(['fd', 'path'], low32(args[2]));

/** syslog's arguments after the action, by action name. Unlisted: the buffer's address and length. */
const SYSLOG_REST: Readonly<Record<string, readonly ArgSpec[]>> = {
  SYSLOG_ACTION_READ: ['buf_out', 'int'],
  SYSLOG_ACTION_READ_ALL: ['buf_out', 'int'],
  SYSLOG_ACTION_READ_CLEAR: ['buf_out', 'int'],
  SYSLOG_ACTION_CONSOLE_LEVEL: ['ptr', 'log_level'],
  SYSLOG_ACTION_CLOSE: [],
  SYSLOG_ACTION_OPEN: [],
  SYSLOG_ACTION_CLEAR: [],
  SYSLOG_ACTION_CONSOLE_OFF: [],
  SYSLOG_ACTION_CONSOLE_ON: [],
  SYSLOG_ACTION_SIZE_UNREAD: [],
  SYSLOG_ACTION_SIZE_BUFFER: [],
};

export function syslogArgs(args: readonly bigint[]): readonly ArgSpec[] {
  const name = lookup(SYSLOG_ACTIONS, BigInt(low32(args[0])));
  const rest: readonly ArgSpec[] = name !== undefined && Object.hasOwn(SYSLOG_REST, name) ? SYSLOG_REST[name] : ['ptr', 'int'];
  return ['syslog_action', ...rest];
}

const KCMP_FILE = 0;
const KCMP_EPOLL_TFD = 7;

/** kcmp's two indexes are printed only for the types that use them. */
export function kcmpArgs(args: readonly bigint[]): readonly ArgSpec[] {
  const head: readonly ArgSpec[] = ['int', 'int', 'kcmp_type'];
  const type = low32(args[2]);
  if (type === KCMP_FILE) return [...head, 'fd', 'fd'];
  if (type === KCMP_EPOLL_TFD) return [...head, 'fd', 'kcmp_epoll_slot'];
  return type < KCMP_EPOLL_TFD ? head : [...head, 'hex', 'hex'];
}

/** ptrace: TRACEME has no other argument, ATTACH/INTERRUPT/KILL only the pid. */
export function ptraceArgs(args: readonly bigint[]): readonly ArgSpec[] {
  switch (low32(args[0])) {
    case 0: // PTRACE_TRACEME
      return ['ptrace_request'];
    case 8: // PTRACE_KILL
    case 16: // PTRACE_ATTACH
    case 0x4207: // PTRACE_INTERRUPT
      return ['ptrace_request', 'int'];
    default:
      return ['ptrace_request', 'int', 'ptr', 'ptr'];
  }
}

/** membarrier MEMBARRIER_CMD_QUERY returns the supported commands. */
export function membarrierResult(args: readonly bigint[]): ResultKind {
  return low32(args[0]) === 0 ? 'membarrier_query' : 'dec';
}

/** fcntl F_GETFL and F_GETFD results are flags. */
export function fcntlResult(args: readonly bigint[]): ResultKind {
  const cmd = low32(args[1]);
  return cmd === 3 ? 'fcntl_getfl' : cmd === 1 ? 'fcntl_getfd' : 'dec';
}

/** prctl PR_GET_DUMPABLE's result is a SUID_DUMP_* value. */
export function prctlResult(args: readonly bigint[]): ResultKind {
  return low32(args[0]) === 3 ? 'dumpable' : 'dec';
}
