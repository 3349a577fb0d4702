// How strace shows a system call's arguments and result: one ArgSpec per printed argument.
// Each syscall's table entry (SyscallDef.args / .result) holds its specs; calls whose printed
// arguments depend on their values (open's mode, fcntl, ioctl, futex, prctl, clone, ...) hold
// a function of the raw arguments instead (argkinds-by-value.ts).
import type { XlatKind } from './argkinds-xlat.js';

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
  /** struct timeval the call reads: {tv_sec=1, tv_usec=2}. */
  | 'timeval'
  /** Two struct timevals (utimes-style), each with its date as a comment. */
  | 'timeval_pair'
  /** utimensat's two timespecs, each dated, or UTIME_NOW / UTIME_OMIT. */
  | 'timespec_pair'
  /** utime's struct utimbuf: {actime=5 /* date *\/, modtime=6 /* date *\/}. */
  | 'utimbuf'
  /** poll's struct pollfd array, [{fd=3, events=POLLIN}]; the count is argument `len` (default: the next). */
  | 'pollfds'
  /** getdents/getdents64's buffer: its address and how many entries the call stored. */
  | 'dirents_out'
  /** argv: ["a", "b"], at most 32 elements then "...". */
  | 'string_array'
  /** envp as strace abbreviates it: the address and a comment counting the variables. */
  | 'envp'
  /** A permission mode in octal, 0644. */
  | 'mode'
  /** A mode with its file type: S_IFIFO|0644 (mknod). */
  | 'file_mode'
  /** A device number: makedev(0x1, 0x3). */
  | 'dev'
  /** open flags: the access mode, then the other O_* bits. */
  | 'open_flags'
  /** struct open_how (openat2): {flags=O_RDONLY, mode=0644, resolve=RESOLVE_BENEATH}. */
  | 'open_how'
  /** mmap flags: the mapping type, the MAP_* bits, the huge page size. */
  | 'mmap_flags'
  /** clone flags: CLONE_* bits and the exit signal in the low byte. */
  | 'clone_flags'
  /** statx flags: the AT_STATX_* sync type, then the AT_* bits. */
  | 'statx_flags'
  /** struct statx the call fills, printed after it returns as strace abbreviates it. */
  | 'statx_out'
  /** personality(2)'s persona: PER_LINUX|ADDR_NO_RANDOMIZE, or 0xffffffff (query). */
  | 'personality'
  /** A signal number: SIGINT, SIGRTMIN, SIGRT_2, or decimal when out of range. */
  | 'signal'
  /** A signal set the call reads, [INT USR2]; its size in bytes is argument `len`. */
  | 'sigset'
  /** A signal set the call fills, printed after it returns; its size is argument `len`. */
  | 'sigset_out'
  /** struct sigaction the call reads: {sa_handler=SIG_IGN, sa_mask=[], sa_flags=SA_RESTORER, sa_restorer=0x...}. */
  | 'sigaction'
  /** struct sigaction the call fills, printed after it returns. */
  | 'sigaction_out'
  /** A wait status the call stores, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}]; the address when it returned 0. */
  | 'wait_status_out'
  /** struct utsname the call fills: {sysname="Linux", nodename="host", ...}. */
  | 'utsname_out'
  /** The two descriptors pipe stores: [3, 4]. */
  | 'fd_pair_out'
  /** struct timeval the call fills, printed after it returns. */
  | 'timeval_out'
  /** sigaltstack's stack_t the call reads: {ss_sp=0x..., ss_flags=0, ss_size=8192}. */
  | 'stack_t'
  /** stack_t the call fills, printed after it returns. */
  | 'stack_t_out'
  /** struct rlimit the call reads: {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}. */
  | 'rlimit'
  /** struct rlimit the call fills, printed after it returns. */
  | 'rlimit_out'
  /** struct itimerval the call reads. */
  | 'itimerval'
  /** struct itimerval the call fills, printed after it returns. */
  | 'itimerval_out'
  /** A CPU set the call reads, [0 2 3]; its size in bytes is argument `len`. */
  | 'cpu_set'
  /** A CPU set the call fills, as many bytes as it returned; printed after it returns. */
  | 'cpu_set_out'
  /** Group ids the call reads, [0, 4]; their count is argument `len`. */
  | 'gid_array'
  /** Group ids the call stores, as many as it returned; printed after it returns. */
  | 'gid_array_out'
  /** A time_t the call stores, with its date: [1796622395 /* 2026-12-07T05:46:35+0000 *\/]. */
  | 'time_out'
  /** A siginfo_t the call reads: {si_signo=SIGUSR1, si_code=SI_QUEUE, ...}. */
  | 'siginfo'
  /** A siginfo_t the call fills (waitid), printed after it returns. */
  | 'siginfo_out'
  /** An iovec array the call reads from; the count is argument `len` (default: the next one). */
  | 'iovec_in'
  /** An iovec array the call fills, shown with what it stored; printed after it returns. */
  | 'iovec_out'
  /** A loff_t the call reads and updates, [0], or NULL. */
  | 'loff_ptr'
  /** An unsigned int the call stores (getcpu), [0], printed after it returns. */
  | 'uint_ptr_out'
  /** mincore's vector: one byte per page of argument 1's length, printed after it returns. */
  | 'mincore_out'
  /** struct epoll_event the call reads: {events=EPOLLIN, data={u32=3, u64=3}}. */
  | 'epoll_event'
  /** The epoll_events the call stored, as many as it returned; printed after it returns. */
  | 'epoll_events_out'
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
  /** buf_in, iovec_*, sigset: which raw argument holds the length or count; defaults to the next one. */
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
  | 'dumpable'
  /** personality: the previous persona in hex with its name, 0x8 (PER_LINUX32). */
  | 'personality'
  /** poll: the count, then "Timeout" or the descriptors with events, 1 ([{fd=3, revents=POLLIN}]). */
  | 'poll'
  /** ppoll: as poll, with the time left when a timeout was given. */
  | 'ppoll'
  /** time: the seconds and their date, 1796622395 (2026-12-07T05:46:35+0000). */
  | 'time';

/** A table entry's argument kinds: fixed, or chosen from the raw arguments. */
export type ArgSignature = readonly ArgSpec[] | ((args: readonly bigint[]) => readonly ArgSpec[]);

/** A table entry's result kind: fixed, or chosen from the raw arguments (fcntl, prctl). */
export type ResultSignature = ResultKind | ((args: readonly bigint[]) => ResultKind);

const OUTPUT_KINDS: ReadonlySet<ArgKind> = new Set<ArgKind>([
  'buf_out',
  'buf_out_hex',
  'path_out',
  'timespec_out',
  'dirents_out',
  'uffdio',
  'statx_out',
  'siginfo_out',
  'iovec_out',
  'uint_ptr_out',
  'mincore_out',
  'epoll_events_out',
  'sigset_out',
  'sigaction_out',
  'wait_status_out',
  'utsname_out',
  'fd_pair_out',
  'timeval_out',
  'stack_t_out',
  'rlimit_out',
  'itimerval_out',
  'cpu_set_out',
  'gid_array_out',
  'time_out',
]);

/** Kinds printed only once the call has returned; everything before them prints on entry. */
export function isOutputKind(kind: ArgKind): boolean {
  return OUTPUT_KINDS.has(kind);
}

export function specKind(spec: ArgSpec): ArgKind {
  return typeof spec === 'string' ? spec : spec.kind;
}

/** What strace prints for calls it has no decoder for: six raw arguments. */
export const UNKNOWN_CALL: readonly ArgSpec[] = ['hex', 'hex', 'hex', 'hex', 'hex', 'hex'];
