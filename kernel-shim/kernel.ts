// The kernel: owns guest RAM, the clock and randomness, the file system view and the process
// table, and runs tasks on their engines until the first process exits.
import { registerFamilies } from './net/families.js';
import { type NetMode, Network } from './net/network.js';
import type { CpuFactory, CpuPort, SyscallFrame } from './cpu-port.js';
import type { PhysicalMemory } from '../host/physmem.js';
import { Clock, RandomSource } from './clock.js';
import type { MappedFile } from './mm/areas.js';
import type { MmStats } from './mm/addrspace.js';
import { FrameAllocator } from './mm/frames.js';
import { HugePool } from './mm/hugetlb-pool.js';
import { reserveGuestRam } from './mm/guest-ram.js';
import { guestFill } from './oom.js';
import type { SharedObject } from './mm/shared.js';
import { MMAP_MIN_ADDR } from './mm/constants.js';
import { InodeNumbers } from './fs/inodes.js';
import { hostSupplementaryGroups } from './credentials.js';
import { RecentExecutables } from './executable.js';
import type { OpenFile } from './fs/file.js';
import { releaseFile } from './fs/fdtable.js';
import { Vfs } from './fs/vfs.js';
import { KernelProcInfo } from './procinfo.js';
import type { Process } from './process.js';
import type { Task } from './task.js';
import { Futexes } from './futex.js';
import { FifoRegistry } from './fs/fifo-open.js';
import { FileLocks } from './fs/locks.js';
import { PartialWrites } from './fs/blocking-io.js';
import { Scheduler } from './sched.js';
import { UffdState } from './uffd/state.js';
import { TrampfdState } from './trampfd/state.js';
import { MqueueNamespace } from './mqueue/namespace.js';
import { AioContexts } from './aio/contexts.js';
import { type Block, WaitQueue } from './wait.js';
import { KernelTimers } from './timers/armed.js';
import { PosixTimers } from './timers/posix.js';
import { IpcNamespace } from './ipc/ipc-namespace.js';

export interface SyscallDispatcher {
  /** Returns the value for rax, or null when the handler set the registers itself. */
  dispatch(task: Task, frame: SyscallFrame): number | bigint | null;
}

export interface KernelOptions {
  root: string;
  /** Makes the CPU every task runs on (the front end's choice of engine: cpu/engine.ts). */
  createCpu: CpuFactory;
  /** The host's vm.mmap_min_addr (default Linux's, 64 KiB). */
  mmapMinAddr?: number;
  /** qemu-user's -L DIR: absolute paths are looked up under DIR first (kernel-shim/fs/vfs.ts). */
  libraryPrefix?: string;
  deterministic: boolean;
  /** Every time slice in ms (absent: 4 while tasks share the CPU, 20 otherwise); unused when deterministic. */
  timeSliceMs?: number;
  /** Bytes of guest RAM to reserve (host memory is committed only when touched). */
  physicalMemory?: number;
  /** vm.nr_hugepages at start: 2 MiB pages set aside from guest RAM (mm/hugetlb-pool.ts). */
  hugePages?: number;
  /** Diagnostics for the user (one line each), e.g. unimplemented syscalls. */
  warn?: (line: string) => void;
  /** W^X policy (kernel-shim/mm/wx.ts): 'off' (Linux, default) or 'strict' (PaX MPROTECT style). */
  wx?: 'off' | 'strict';
  /** 'off': the trampfd syscalls (kernel-shim/trampfd/) are -ENOSYS, to test fallbacks. */
  trampfd?: 'on' | 'off';
  /** Syscall 440 is trampfd v1 or v2 (as in the RFC patches) instead of process_madvise. */
  trampfd440?: 'v1' | 'v2';
  /**
   * Whether the host process group the first process inherited is orphaned (its parent
   * lives outside ushim); absent: it is not, as for a job a shell started.
   */
  hostGroupOrphaned?: () => boolean;
  /**
   * Stops the host process until it is continued (the CLI: SIGSTOP to itself), for when only
   * stopped guest tasks remain; absent (an embedding program): that is a deadlock.
   */
  stopHost?: () => void;
  /**
   * Host signals reach the guest (the CLI forwards them): when every task is blocked with
   * nothing inside ushim to wake it, the guest waits for one as it would on Linux, instead
   * of being killed as deadlocked. Served between runFor calls that have a time budget.
   */
  hostSignalsWake?: boolean;
  /** --net: 'host' (default, as qemu-user) or 'none' (an empty network namespace's view). */
  net?: NetMode;
}

export interface KernelStats {
  mm: MmStats;
  /** Calls per syscall number (index), counted on the hot path without a Map lookup. */
  syscalls: Float64Array;
  unimplemented: Map<string, number>;
}

export class Kernel {
  readonly memory: PhysicalMemory;
  readonly frames: FrameAllocator;
  /** The huge page pool (vm.nr_hugepages) that MAP_HUGETLB and MFD_HUGETLB take pages from. */
  readonly hugePages: HugePool;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly stats: KernelStats = { mm: { pgfault: 0, spfAttempt: 0, spfAbort: 0 }, syscalls: new Float64Array(1024), unimplemented: new Map() };
  readonly processes = new Map<number, Process>();
  dispatcher: SyscallDispatcher = { dispatch: () => -38 };
  /** A debugger's view of signal delivery (emu/debug/); undefined unless debugging. */
  signalInterceptor: import('./signal/deliver.js').SignalInterceptor | undefined;
  /** Called when a signal's default action is about to kill the task's process (crash reports). */
  onFatalSignal: ((task: Task, info: import('./abi/siginfo.js').Siginfo) => void) | undefined;
  /** The task whose engine is running (or last ran). */
  current: Task | undefined;
  readonly futexes = new Futexes();
  /** FIFOs the guest holds open and readers parked opening one (fs/fifo-open.ts). */
  readonly fifos = new FifoRegistry();
  /** Record locks (fcntl F_SETLK, F_OFD_SETLK) and the queue lock waiters sleep on (fs/locks.ts). */
  readonly locks = new FileLocks();
  /** Blocking writes to host streams parked part-way (fs/blocking-io.ts). */
  readonly partialWrites = new PartialWrites();
  /** userfaultfd: counters, event chains, the syscall a tracked page parked (kernel-shim/uffd/). */
  readonly uffd = new UffdState();
  readonly scheduler = new Scheduler(this);
  readonly trampfd = new TrampfdState();
  /** Inode numbers of pipes (pipefs) and memfds (the internal shmem mount). */
  readonly pipeInodes = new InodeNumbers(0x1000n);
  readonly memfdInodes = new InodeNumbers(1000n);
  readonly executables = new RecentExecutables();
  /** Files mmap'ed: a mapping keeps its file open after the fd is closed, as Linux's vm_file does. */
  readonly mappedFiles = new Map<OpenFile, MappedFile>();
  /** Armed timerfd and POSIX timers, POSIX timers by process, signal arrivals (signalfd). */
  readonly timers = new KernelTimers(() => this.clock, () => this.scheduler.timerArmed());
  readonly posixTimers = new PosixTimers(this);
  readonly signalArrivals = new WaitQueue();
  /** POSIX message queues by name, shared by every guest process (mqueue/). */
  readonly mqueues = new MqueueNamespace();
  /** Native AIO contexts by address space (aio/). */
  readonly aio = new AioContexts();
  /** System V shared memory, semaphores and message queues: the guest's one IPC namespace (ipc/). */
  readonly ipc = new IpcNamespace();
  /** The next pid/tid to hand out (public for snapshots: emu/api/snapshot.ts). */
  nextPid: number;
  readonly warn: (line: string) => void;
  readonly bootTimeNs: bigint;
  readonly vfs: Vfs;
  readonly net: Network;

  constructor(readonly options: KernelOptions) {
    this.memory = reserveGuestRam(options.physicalMemory);
    this.frames = new FrameAllocator(this.memory);
    this.hugePages = new HugePool(this.frames);
    this.hugePages.resize(options.hugePages ?? 0);
    this.clock = new Clock(options.deterministic);
    this.random = new RandomSource(options.deterministic);
    this.nextPid = options.deterministic ? 1000 : process.pid;
    this.warn = options.warn ?? ((line) => process.stderr.write(`ushim: ${line}\n`));
    this.net = new Network(options.net ?? 'host');
    registerFamilies(this.net);
    this.bootTimeNs = this.clock.now(0) ?? 0n;
    this.vfs = new Vfs({
      root: options.root,
      prefix: options.libraryPrefix,
      proc: new KernelProcInfo(this),
      randomBytes: (n) => this.random.bytes(n),
      timeNs: this.bootTimeNs,
    });
  }

  /** The host process's supplementary groups, which the first process inherits (read once). */
  get hostGroups(): readonly number[] {
    this.groups ??= hostSupplementaryGroups();
    return this.groups;
  }

  private groups: readonly number[] | undefined;

  /** The page cache of a host file (kernel-shim/mm/pagecache.ts). */
  sharedObjectFor(file: MappedFile): SharedObject {
    return this.vfs.pageCache.objectFor(this.frames, file);
  }

  wake(task: Task, result?: number): void {
    this.scheduler.wake(task, result);
  }

  park(task: Task, block: Block): void {
    this.scheduler.park(task, block);
  }

  retire(task: Task): void {
    this.scheduler.retire(task);
  }

  /** The lowest address a process of this user may map: root bypasses vm.mmap_min_addr (CAP_SYS_RAWIO). */
  mmapMinAddrFor(uid: number): number {
    return uid === 0 ? 0 : this.options.mmapMinAddr ?? MMAP_MIN_ADDR;
  }

  allocatePid(): number {
    return this.nextPid++;
  }

  /**
   * Ends the kernel for good (the API's Emulator.close()): the engine, its hook callbacks and
   * guest RAM go back to the host. Nothing of the guest may be touched afterwards.
   */
  close(): void {
    this.engine?.close();
    this.engine = undefined;
    this.vfs.pageCache.clear();
    this.executables.close();
    // A guest stopped mid-run still holds descriptions (host fds among them).
    for (const proc of this.processes.values()) if (!proc.exited) proc.fds.closeAll();
    this.fifos.releaseAll();
    for (const file of this.mappedFiles.keys()) releaseFile(file);
    this.mappedFiles.clear();
    this.memory.free();
    this.vfs.close();
  }

  /**
   * The one CPU every task runs on (made by options.createCpu). Switching between address spaces costs a context switch
   * and a TLB flush, and translations of shared frames (busybox's code after fork and exec)
   * are reused (design.md). It is made on first use, outside any hook: engines made inside
   * a hook misbehave when run (koffi).
   */
  get cpu(): CpuPort {
    this.engine ??= this.createEngine();
    return this.engine;
  }

  private engine: CpuPort | undefined;

  private createEngine(): CpuPort {
    // Host writes into frames that held code drop their translations (FrameAllocator.hostWrote).
    this.frames.onCodeWrite = (paddr) => this.engine?.invalidatePhysical(paddr);
    const engine = this.options.createCpu(this.memory, {
      tlbFill: (vaddr, access) => guestFill(this, this.current!, vaddr, access),
      syscall: (frame) => this.dispatcher.dispatch(this.current!, frame),
      interrupt: () => {},
    });
    // Deterministic runs are short (counted) slices already; ending them by the clock would
    // make scheduling depend on host speed.
    engine.yieldLongRuns = !this.options.deterministic;
    return engine;
  }
}
