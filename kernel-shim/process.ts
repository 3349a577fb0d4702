// A process: the thread group (Linux's signal_struct and the group leader's identity): pid,
// tasks, children, exit status, process-wide pending signals, rlimits, timers, session and job
// control, credentials. The parts clone can share between processes are objects of their own
// that the process holds by reference: the memory (mm), the fd table (fds), the place in the
// file system (fs: root, cwd, umask) and the signal handler table (sighand).
import type { JobReport } from './signal/jobctl.js';
import type { FdTable } from './fs/fdtable.js';
import type { FsContext } from './fs/fscontext.js';
import type { Vfs } from './fs/vfs.js';
import type { AddressSpace } from './mm/addrspace.js';
import type { Kernel } from './kernel.js';
import { SignalHandlers } from './signal/handlers.js';
import { PendingSignals } from './signal/pending.js';
import { Task } from './task.js';
import { WaitQueue } from './wait.js';

export interface ExitStatus {
  code: number;
  /** Set when the process was killed by a signal. */
  signal?: number;
  core?: boolean;
}

export const RLIMIT_CPU = 0, RLIMIT_FSIZE = 1, RLIMIT_DATA = 2, RLIMIT_STACK = 3, RLIMIT_CORE = 4, RLIMIT_RSS = 5,
  RLIMIT_NPROC = 6, RLIMIT_NOFILE = 7, RLIMIT_MEMLOCK = 8, RLIMIT_AS = 9, RLIMIT_LOCKS = 10, RLIMIT_SIGPENDING = 11,
  RLIMIT_MSGQUEUE = 12, RLIMIT_NICE = 13, RLIMIT_RTPRIO = 14, RLIMIT_RTTIME = 15, RLIM_NLIMITS = 16;
export const RLIM_INFINITY = 0xffffffffffffffffn;

function defaultLimits(): { cur: bigint; max: bigint }[] {
  const limits = Array.from({ length: RLIM_NLIMITS }, () => ({ cur: RLIM_INFINITY, max: RLIM_INFINITY }));
  limits[RLIMIT_STACK] = { cur: 8n << 20n, max: RLIM_INFINITY };
  limits[RLIMIT_CORE] = { cur: 0n, max: RLIM_INFINITY };
  limits[RLIMIT_NOFILE] = { cur: 1024n, max: 1048576n };
  limits[RLIMIT_NPROC] = { cur: 63704n, max: 63704n };
  limits[RLIMIT_MEMLOCK] = { cur: 8n << 20n, max: 8n << 20n };
  limits[RLIMIT_SIGPENDING] = { cur: 63704n, max: 63704n };
  limits[RLIMIT_MSGQUEUE] = { cur: 819200n, max: 819200n };
  limits[RLIMIT_NICE] = { cur: 0n, max: 0n };
  limits[RLIMIT_RTPRIO] = { cur: 0n, max: 0n };
  return limits;
}

/** What exec recorded about the running image, for /proc/<pid>/ and the auxiliary vector. */
export interface ImageInfo {
  exeGuestPath: string;
  exeHostPath: string;
  cmdline: Uint8Array;
  environ: Uint8Array;
  auxv: Uint8Array;
  entry: number;
}

export class Process {
  readonly tasks: Task[] = [];
  /** The signal dispositions: this process's own table, or one CLONE_SIGHAND shares. */
  sighand = new SignalHandlers();
  readonly rlimits = defaultLimits();
  /** Supplementary groups (getgroups), inherited from the host process at start. */
  groups: readonly number[];
  comm = '';
  image: ImageInfo | undefined;
  exitStatus: ExitStatus | undefined;
  /** Exited and waited for: gone from the process table. */
  reaped = false;
  /** Process-directed pending signals (kill); thread-directed ones are on each Task. */
  readonly pending = new PendingSignals();
  readonly children: Process[] = [];
  /** Woken when a child changes state (wait4/waitid sleep here). */
  readonly childEvents = new WaitQueue();
  /** Signal sent to the parent when this process exits (SIGCHLD unless clone said otherwise). */
  exitSignal = 17;
  /** A vfork parent sleeps here until this child execs or exits. */
  readonly vforkDone = new WaitQueue();
  vforkParent: Task | undefined;
  /** ITIMER_REAL / alarm: absolute CLOCK_MONOTONIC deadline and interval in ns. */
  realTimer: { deadline: bigint; interval: bigint } | undefined;
  pgid: number;
  sid: number;
  /** PR_SET_CHILD_SUBREAPER: orphaned descendants are reparented here instead of to init. */
  childSubreaper = false;
  /** PR_SET_PDEATHSIG: the signal this process gets when its parent dies (0: none). */
  parentDeathSignal = 0;
  /** In a group stop (SIGSTOP and friends) until SIGCONT. */
  stopped = false;
  /** A stop or continue the parent has not collected with WUNTRACED/WCONTINUED yet. */
  jobReport: JobReport | undefined;
  readonly startTimeNs: bigint;

  constructor(
    readonly kernel: Kernel,
    readonly pid: number,
    public ppid: number,
    public mm: AddressSpace,
    public fds: FdTable,
    public fs: FsContext,
    readonly uid: number,
    readonly gid: number,
    startTimeNs: bigint,
  ) {
    this.pgid = pid;
    this.sid = pid;
    this.groups = kernel.hostGroups;
    this.startTimeNs = startTimeNs;
    fds.onClose ??= (table, file) => {
      kernel.locks.closed(table, file);
      kernel.mqueues.closed(table, file);
    };
    this.tasks.push(new Task(pid, this, kernel));
  }

  /** The file system namespace as this process sees it (from its root). */
  get vfs(): Vfs {
    return this.fs.vfs;
  }

  get mainTask(): Task {
    return this.tasks[0];
  }

  get liveTasks(): Task[] {
    return this.tasks.filter((t) => t.state !== 'exited');
  }

  get parent(): Process | undefined {
    return this.kernel.processes.get(this.ppid);
  }

  get exited(): boolean {
    return this.exitStatus !== undefined;
  }
}
