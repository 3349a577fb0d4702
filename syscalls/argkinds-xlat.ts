// Argument kinds printed from a table of names (kernel-shim/abi/xlat*.ts): flags as an OR of
// names, values as one name, and a few (syslog) as the number with its name in a comment.
import { UFFD_FLAGS } from '../kernel-shim/abi/uffd.js';
import * as F from '../kernel-shim/abi/xlat.js';
import * as E from '../kernel-shim/abi/xlat-events.js';
import * as M from '../kernel-shim/abi/xlat-memory.js';
import * as P from '../kernel-shim/abi/xlat-process.js';
import * as S from '../kernel-shim/abi/xlat-signal.js';
import * as N from './strace-socket-xlat.js';
import * as I from './strace-ipc.js';
import * as T from './strace-xlat.js';

export interface XlatKindInfo {
  readonly table: F.Xlat;
  /** flags: OR of names; value: one name; commented: decimal then the name, 10 /* NAME *\/. */
  readonly style: 'flags' | 'value' | 'commented';
  /** The comment after an unknown value, e.g. "SEEK_???"; null prints the bare hex. */
  readonly unknown: string | null;
}

export const XLAT_KINDS = {
  prot: { table: M.PROT_FLAGS, style: 'flags', unknown: 'PROT_???' },
  at_flags: { table: F.AT_FLAGS, style: 'flags', unknown: 'AT_???' },
  faccessat_flags: { table: F.FACCESSAT_FLAGS, style: 'flags', unknown: 'AT_???' },
  access_mode: { table: F.ACCESS_MODES, style: 'flags', unknown: '?_OK' },
  /** O_* bits without an access mode (pipe2, dup3). */
  o_flags: { table: F.OPEN_FLAGS, style: 'flags', unknown: 'O_???' },
  fd_flags: { table: F.FD_FLAGS, style: 'flags', unknown: 'FD_???' },
  getrandom_flags: { table: P.GETRANDOM_FLAGS, style: 'flags', unknown: 'GRND_???' },
  memfd_flags: { table: F.MFD_FLAGS, style: 'flags', unknown: 'MFD_???' },
  wait_options: { table: P.WAIT_OPTIONS, style: 'flags', unknown: 'W???' },
  mremap_flags: { table: M.MREMAP_FLAGS, style: 'flags', unknown: 'MREMAP_???' },
  timer_flags: { table: P.TIMER_FLAGS, style: 'flags', unknown: 'TIMER_???' },
  close_range_flags: { table: F.CLOSE_RANGE_FLAGS, style: 'flags', unknown: 'CLOSE_RANGE_???' },
  rename_flags: { table: F.RENAME_FLAGS, style: 'flags', unknown: 'RENAME_???' },
  sync_file_range_flags: { table: F.SYNC_FILE_RANGE_FLAGS, style: 'flags', unknown: 'SYNC_FILE_RANGE_???' },
  flock_op: { table: F.FLOCK_OPS, style: 'flags', unknown: 'LOCK_???' },
  rwf_flags: { table: F.RWF_FLAGS, style: 'flags', unknown: 'RWF_???' },
  statx_mask: { table: F.STATX_MASK, style: 'flags', unknown: 'STATX_???' },
  msync_flags: { table: M.MSYNC_FLAGS, style: 'flags', unknown: 'MS_???' },
  mlockall_flags: { table: M.MLOCKALL_FLAGS, style: 'flags', unknown: 'MCL_???' },
  mlock2_flags: { table: M.MLOCK2_FLAGS, style: 'flags', unknown: 'MLOCK_???' },
  xattr_flags: { table: F.XATTR_FLAGS, style: 'flags', unknown: 'XATTR_???' },
  efd_flags: { table: E.EFD_FLAGS, style: 'flags', unknown: 'EFD_???' },
  epoll_create_flags: { table: E.EPOLL_CREATE_FLAGS, style: 'flags', unknown: 'EPOLL_???' },
  whence: { table: F.WHENCE, style: 'value', unknown: 'SEEK_???' },
  arch_prctl_code: { table: P.ARCH_PRCTL_CODES, style: 'value', unknown: 'ARCH_???' },
  futex_op: { table: P.FUTEX_OPS, style: 'value', unknown: 'FUTEX_???' },
  futex_bitset: { table: P.FUTEX_BITSET, style: 'value', unknown: null },
  clock_id: { table: P.CLOCK_IDS, style: 'value', unknown: 'CLOCK_???' },
  prctl_option: { table: P.PRCTL_OPTIONS, style: 'value', unknown: 'PR_???' },
  dumpable: { table: P.SUID_DUMP, style: 'value', unknown: 'SUID_DUMP_???' },
  sigprocmask_how: { table: S.SIGPROCMASK_HOW, style: 'value', unknown: 'SIG_???' },
  fcntl_cmd: { table: F.FCNTL_CMDS, style: 'value', unknown: 'F_???' },
  rlimit_resource: { table: P.RLIMIT_RESOURCES, style: 'value', unknown: 'RLIMIT_???' },
  rusage_who: { table: P.RUSAGE_WHO, style: 'value', unknown: 'RUSAGE_???' },
  madvise_advice: { table: M.MADVISE_ADVICE, style: 'value', unknown: 'MADV_???' },
  itimer_which: { table: P.ITIMER_WHICH, style: 'value', unknown: 'ITIMER_???' },
  fadvise_advice: { table: F.FADVISE_ADVICE, style: 'value', unknown: 'POSIX_FADV_???' },
  waitid_type: { table: P.WAITID_TYPES, style: 'value', unknown: 'P_???' },
  priority_which: { table: P.PRIORITY_WHICH, style: 'value', unknown: 'PRIO_???' },
  epoll_ctl_op: { table: E.EPOLL_CTL_OPS, style: 'value', unknown: 'EPOLL_CTL_???' },
  syslog_action: { table: P.SYSLOG_ACTIONS, style: 'commented', unknown: 'SYSLOG_ACTION_???' },
  log_level: { table: P.LOG_LEVELS, style: 'commented', unknown: 'LOGLEVEL_???' },
  uffd_flags: { table: UFFD_FLAGS, style: 'flags', unknown: 'UFFD_???' },
  timerfd_create_flags: { table: T.TFD_CREATE_FLAGS, style: 'flags', unknown: 'TFD_???' },
  timerfd_settime_flags: { table: T.TFD_SETTIME_FLAGS, style: 'flags', unknown: 'TFD_???' },
  sfd_flags: { table: T.SFD_FLAGS, style: 'flags', unknown: 'SFD_???' },
  pidfd_flags: { table: T.PIDFD_FLAGS, style: 'flags', unknown: 'PIDFD_???' },
  inotify_init_flags: { table: T.INOTIFY_INIT_FLAGS, style: 'flags', unknown: 'IN_???' },
  inotify_mask: { table: T.INOTIFY_MASK, style: 'flags', unknown: 'IN_???' },
  splice_flags: { table: T.SPLICE_FLAGS, style: 'flags', unknown: 'SPLICE_F_???' },
  sched_policy: { table: T.SCHED_POLICIES, style: 'value', unknown: 'SCHED_???' },
  membarrier_cmd: { table: T.MEMBARRIER_CMDS, style: 'value', unknown: 'MEMBARRIER_CMD_???' },
  kcmp_type: { table: T.KCMP_TYPES, style: 'value', unknown: 'KCMP_???' },
  ptrace_request: { table: T.PTRACE_REQUESTS, style: 'value', unknown: 'PTRACE_???' },
  trampfd_type: { table: T.TRAMPFD_TYPES, style: 'value', unknown: 'TRAMPFD_???' },
  fallocate_mode: { table: T.FALLOC_MODES, style: 'flags', unknown: 'FALLOC_FL_???' },
  address_family: { table: N.ADDRESS_FAMILIES, style: 'value', unknown: 'AF_???' },
  socket_flags: { table: N.SOCKET_FLAGS, style: 'flags', unknown: 'SOCK_???' },
  msg_flags: { table: N.MSG_FLAGS, style: 'flags', unknown: null },
  shutdown_how: { table: N.SHUTDOWN_HOW, style: 'value', unknown: 'SHUT_???' },
  sockopt_level: { table: N.SOCKOPT_LEVELS, style: 'value', unknown: 'SOL_???' },
  shmctl_cmd: { table: I.SHMCTL_CMDS, style: 'value', unknown: 'SHM_???' },
  semctl_cmd: { table: I.SEMCTL_CMDS, style: 'value', unknown: 'SEM_???' },
  msgctl_cmd: { table: I.MSGCTL_CMDS, style: 'value', unknown: 'MSG_???' },
  shmat_flags: { table: I.SHMAT_FLAGS, style: 'flags', unknown: 'SHM_???' },
  ipc_msg_flags: { table: I.IPC_MSG_FLAGS, style: 'flags', unknown: 'MSG_???' },
} as const satisfies Record<string, XlatKindInfo>;

/** Kinds printed from a table of names. */
export type XlatKind = keyof typeof XLAT_KINDS;

export function isXlatKind(kind: string): kind is XlatKind {
  return Object.hasOwn(XLAT_KINDS, kind);
}
