// How strace shows a system call's arguments and result: one ArgSpec per printed argument.
// Each syscall's table entry (SyscallDef.args / .result) holds its specs; calls whose printed
// arguments depend on their values (open's mode, fcntl, ioctl, futex, prctl, clone, ...) hold
// a function of the raw arguments instead (argkinds-by-value.ts).
import type { XlatKind } from './argkinds-xlat.js';
import type { SocketArgKind } from './strace-socket.js';

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
  /** An address: NULL or 0x hex. Only where strace too prints the address (the pointee is no structure it decodes). */
  | 'ptr'
  /** An unsigned long the call stores, printed after it returns: [24]. */
  | 'ulong_ptr_out'
  /** nanosleep's remaining time: decoded only when the call was interrupted to be restarted. */
  | 'timespec_rem_out'
  /** A select fd_set, [0 3]; its size comes from nfds, argument 0. */
  | 'fd_set'
  /** clone3's struct clone_args; its size is argument `len`. */
  | 'clone_args'
  /** After clone_args, what a successful clone3 stored: " => {pidfd=[3], parent_tid=[42]}" (strace's changed-value form). */
  | 'clone_stored_out'
  /** capset's cap_user_data_t; its version is in the header at argument 0. */
  | 'cap_data'
  /** capget's cap_user_data_t, printed after it returns. */
  | 'cap_data_out'
  /** process_vm_*'s remote iovecs: [{iov_base=0x..., iov_len=8}], addresses only; the count is argument `len`. */
  | 'iovec_addrs'
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
  /** personality(2)'s persona: PER_LINUX|ADDR_NO_RANDOMIZE, or 0xffffffff (query). */
  | 'personality'
  /** A signal number: SIGINT, SIGRTMIN, SIGRT_2, or decimal when out of range. */
  | 'signal'
  /** A signal set the call reads, [INT USR2]; its size in bytes is argument `len`. */
  | 'sigset'
  /** A signal set the call fills, printed after it returns; its size is argument `len`. */
  | 'sigset_out'
  /** A wait status the call stores, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}]; the address when it returned 0. */
  | 'wait_status_out'
  /** A CPU set the call reads, [0 2 3]; its size in bytes is argument `len`. */
  | 'cpu_set'
  /** A CPU set the call fills, as many bytes as it returned; printed after it returns. */
  | 'cpu_set_out'
  /** Group ids the call reads, [0, 4]; their count is argument `len`. */
  | 'gid_array'
  /** Group ids the call stores, as many as it returned; printed after it returns. */
  | 'gid_array_out'
  /** An iovec array the call reads from; the count is argument `len` (default: the next one). */
  | 'iovec_in'
  /** An iovec array the call fills, shown with what it stored; printed after it returns. */
  | 'iovec_out'
  /** A loff_t the call reads and updates, [0], or NULL. */
  | 'loff_ptr'
  /** A loff_t the call reads and updates, printed as it was on entry (splice): [0], or NULL. */
  | 'loff_in'
  /** An unsigned int the call stores (getcpu), [0], printed after it returns. */
  | 'uint_ptr_out'
  /** mincore's vector: one byte per page of argument 1's length, printed after it returns. */
  | 'mincore_out'
  /** The epoll_events the call stored, as many as it returned; printed after it returns. */
  | 'epoll_events_out'
  /** An ioctl request: its name, or _IOC(dir, type, nr, size). */
  | 'ioctl_cmd'
  /** A userfaultfd ioctl's struct, decoded after the call (syscalls/strace-uffd.ts). */
  | 'uffdio'
  /** io_submit's iocb pointers, each iocb decoded; the count is argument `len` (default: the next). */
  | 'iocb_array'
  /** The io_events io_getevents stored, as many as it returned; printed after it returns. */
  | 'io_events_out'
  /** A System V IPC key: IPC_PRIVATE or hex. */
  | 'ipc_key'
  /** shmget/semget/msgget flags: IPC_CREAT|IPC_EXCL|0600. */
  | 'ipc_get_flags'
  /** semop's struct sembuf array; the count is the next argument. */
  | 'sembufs'
  /** msgsnd's struct msgbuf; the text's length is the next argument. */
  | 'msgbuf'
  /** msgrcv's struct msgbuf, printed after it returns; the buffer's size is the next argument. */
  | 'msgbuf_out'
  | SocketArgKind
  | StructKind
  | XlatKind;

/** Structures the call reads, each printed by one decoder (syscalls/strace-args.ts). */
export type StructInKind =
  /** IPC_SET's struct: {shm_perm={uid=0, gid=0, mode=0640}} (msqid_ds_set adds msg_qbytes) */
  | 'shmid_ds_set'
  | 'semid_ds_set'
  | 'msqid_ds_set'
  /** {tv_sec=1, tv_nsec=0} */
  | 'timespec'
  /** {tv_sec=1, tv_usec=2} */
  | 'timeval'
  /** Two struct timevals (utimes-style), each with its date as a comment. */
  | 'timeval_pair'
  /** utimensat's two timespecs, each dated, or UTIME_NOW / UTIME_OMIT. */
  | 'timespec_pair'
  /** utime's struct utimbuf: {actime=5 /* date *\/, modtime=6 /* date *\/}. */
  | 'utimbuf'
  /** {tz_minuteswest=0, tz_dsttime=0} */
  | 'timezone'
  /** {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=1, tv_nsec=0}} */
  | 'itimerspec'
  /** timer_create's {sigev_value={sival_int=5, sival_ptr=0x5}, sigev_signo=SIGALRM, sigev_notify=SIGEV_SIGNAL} */
  | 'sigevent'
  /** {sa_handler=SIG_IGN, sa_mask=[], sa_flags=SA_RESTORER, sa_restorer=0x...} */
  | 'sigaction'
  /** sigaltstack's {ss_sp=0x..., ss_flags=0, ss_size=8192} */
  | 'stack_t'
  /** {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY} */
  | 'rlimit'
  /** {it_interval={tv_sec=0, tv_usec=0}, it_value={tv_sec=1, tv_usec=0}} */
  | 'itimerval'
  /** {si_signo=SIGUSR1, si_code=SI_QUEUE, ...} */
  | 'siginfo'
  /** {events=EPOLLIN, data={u32=3, u64=3}} */
  | 'epoll_event'
  /** struct sched_param: [10] */
  | 'sched_param'
  /** {size=48, sched_policy=SCHED_OTHER, sched_flags=0, ...} */
  | 'sched_attr'
  /** capget/capset's {version=_LINUX_CAPABILITY_VERSION_3, pid=0} */
  | 'cap_header'
  /** pselect6's {sigmask=[USR1], sigsetsize=8} */
  | 'pselect_sigmask'
  /** fcntl's struct flock: {l_type=F_WRLCK, l_whence=SEEK_SET, l_start=0, l_len=0} */
  | 'flock'
  /** fcntl F_SETOWN_EX's {type=F_OWNER_PID, pid=42} */
  | 'f_owner_ex'
  /** kcmp KCMP_EPOLL_TFD's {efd=3, tfd=4, toff=0} */
  | 'kcmp_epoll_slot'
  /** trampfd_create's (ushim extension) {flags=0, reserved=0} */
  | 'trampfd_user'
  /** TCSETS's struct termios: {c_iflag=ICRNL|IXON, c_oflag=..., c_cflag=B38400|CS8|CREAD, c_lflag=..., ...} */
  | 'termios'
  /** TIOCSWINSZ's {ws_row=24, ws_col=80, ws_xpixel=0, ws_ypixel=0} */
  | 'winsize'
  /** An int an ioctl reads: [1] (FIONBIO, TIOCSPGRP) */
  | 'int_box'
  /** {mq_flags=0, mq_maxmsg=10, mq_msgsize=8192, mq_curmsgs=0} */
  | 'mq_attr'
  /** io_cancel's {aio_data=0x64, aio_lio_opcode=IOCB_CMD_POLL, aio_fildes=3, ...} */
  | 'iocb'
  /** io_pgetevents' {sigmask=[ALRM], sigsetsize=8} */
  | 'aio_sigset';

/** Structures the call fills: "<name>_out" prints <name>'s decoder once the call succeeded. */
export type StructOutName =
  /** System V IPC (syscalls/strace-ipc-structs.ts): {shm_perm={uid=0, gid=0, mode=0600, key=0, cuid=0, cgid=0}, shm_segsz=4096, ...} */
  | 'shmid_ds'
  | 'semid_ds'
  | 'msqid_ds'
  /** IPC_INFO and *_INFO: {shmmax=..., shmmin=1, ...}, {used_ids=1, shm_tot=1, ...} */
  | 'shminfo'
  | 'shm_info'
  | 'seminfo'
  | 'msginfo'
  | 'timespec'
  | 'timeval'
  | 'timezone'
  | 'itimerspec'
  | 'sigaction'
  | 'stack_t'
  | 'rlimit'
  | 'itimerval'
  | 'siginfo'
  | 'sched_param'
  | 'sched_attr'
  | 'f_owner_ex'
  /** F_GETLK's struct flock, with l_pid */
  | 'flock_report'
  /** trampfd's (ushim extension) {ntrampolines=102, code_size=40, code_offset=4096, reserved=0} */
  | 'trampfd_info'
  /** {stx_mask=..., stx_attributes=..., stx_mode=S_IFREG|0644, stx_size=12, ...} */
  | 'statx'
  /** {st_mode=S_IFREG|0644, st_size=12, ...}, or st_rdev=makedev(0x1, 0x3) for device files */
  | 'stat'
  /** {f_type=EXT2_SUPER_MAGIC, f_bsize=4096, ..., f_flags=ST_VALID|ST_RELATIME} */
  | 'statfs'
  /** {uptime=1, loads=[0, 0, 0], totalram=..., mem_unit=1} */
  | 'sysinfo'
  /** {tms_utime=2 /* 0.02 s *\/, tms_stime=0, tms_cutime=0, tms_cstime=0} */
  | 'tms'
  /** {ru_utime={tv_sec=0, tv_usec=4666}, ru_stime={tv_sec=0, tv_usec=0}, ...} */
  | 'rusage'
  /** {sysname="Linux", nodename="host", ...} */
  | 'utsname'
  /** The two descriptors pipe stores: [3, 4]. */
  | 'fd_pair'
  /** A time_t with its date: [1796622395 /* 2026-12-07T05:46:35+0000 *\/]. */
  | 'time'
  /** An address the call stores: [0x7f...] (get_robust_list). */
  | 'ptr_box'
  /** A signal number the call stores: [SIGKILL] (PR_GET_PDEATHSIG). */
  | 'signal_box'
  | 'termios'
  | 'winsize'
  | 'int_box'
  | 'mq_attr'
  /** io_cancel's {data=0x64, obj=0x..., res=0, res2=0} */
  | 'io_event';

export type StructKind = StructInKind | `${StructOutName}_out`;

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
  | 'time'
  /** select: the count, then "Timeout" or the ready descriptors and the time left, 1 (in [3], left {tv_sec=0, tv_usec=9}). */
  | 'select'
  /** pselect6: as select, with the time left as a timespec. */
  | 'pselect6'
  /** sched_getscheduler: the policy by name, 0 (SCHED_OTHER). */
  | 'sched_policy'
  /** membarrier MEMBARRIER_CMD_QUERY: the supported commands, 0x3 (MEMBARRIER_CMD_GLOBAL|...). */
  | 'membarrier_query';

/** A table entry's argument kinds: fixed, or chosen from the raw arguments. */
export type ArgSignature = readonly ArgSpec[] | ((args: readonly bigint[]) => readonly ArgSpec[]);

/** A table entry's result kind: fixed, or chosen from the raw arguments (fcntl, prctl). */
export type ResultSignature = ResultKind | ((args: readonly bigint[]) => ResultKind);

/** Output kinds whose names do not end in "_out". */
const OTHER_OUTPUT_KINDS: ReadonlySet<ArgKind> = new Set<ArgKind>(['buf_out_hex', 'uffdio', 'socklen_inout']);

/** Kinds printed only once the call has returned; everything before them prints on entry. */
export function isOutputKind(kind: ArgKind): boolean {
  return kind.endsWith('_out') || OTHER_OUTPUT_KINDS.has(kind);
}

export function specKind(spec: ArgSpec): ArgKind {
  return typeof spec === 'string' ? spec : spec.kind;
}

/** What strace prints for calls it has no decoder for: six raw arguments. */
export const UNKNOWN_CALL: readonly ArgSpec[] = ['hex', 'hex', 'hex', 'hex', 'hex', 'hex'];
