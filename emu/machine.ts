// A machine: one kernel with the syscall table installed, the first process loaded from a
// program file, and the run loop. The CLI and the public API both drive this.
import { CpuEngine } from '../cpu/engine.js';
import { readFileSync } from 'node:fs';
import { Kernel, type KernelOptions } from '../kernel-shim/kernel.js';
import { loadImage } from '../kernel-shim/execve.js';
import { FsContext } from '../kernel-shim/fs/fscontext.js';
import { readHostLink } from '../kernel-shim/fs/hostat.js';
import { stringBytes, textByteString } from '../kernel-shim/abi/bytes.js';
import { O_DIRECTORY, O_PATH } from '../kernel-shim/fs/constants.js';
import { FdTable } from '../kernel-shim/fs/fdtable.js';
import { openStdio } from '../kernel-shim/fs/inherited-fds.js';
import type { OpenFile } from '../kernel-shim/fs/file.js';
import { replaceImage } from '../kernel-shim/lifecycle.js';
import { AddressSpace } from '../kernel-shim/mm/addrspace.js';
import { Process, type ExitStatus } from '../kernel-shim/process.js';
import { Dispatcher, type SyscallTracer } from '../syscalls/dispatch.js';
import { signalProcess } from '../kernel-shim/signal/deliver.js';
import { ALL_DEFINITIONS, buildTable } from '../syscalls/table.js';
import { tableSetup } from '../syscalls/trampfd.js';
import { serviceHostFaults } from '../kernel-shim/uffd/host-service.js';
import { hostGroupOrphaned } from './host-session.js';
import { type InheritedState, ownInheritedState } from './host-context.js';

export interface MachineOptions extends Omit<KernelOptions, 'createCpu'> {
  /** Guest working directory (default: the host's, when inside the root, else /). */
  cwd?: string;
}

/** What to run; every string is a byte string (kernel-shim/abi/bytes.ts), as the guest sees it. */
export interface LoadRequest {
  program: string;
  argv: string[];
  env: string[];
  /** Descriptions for the guest's first fds (default: ushim's own inherited fds; the API's capture). */
  stdio?: (OpenFile | undefined)[];
  /** What the program inherits from its starter (default: what ushim's own process inherited). */
  inherited?: InheritedState;
}

/** How long the guest runs before Node's event loop gets a turn. */
const EVENT_LOOP_PERIOD_MS = 20;

/** ushim's working directory as a byte string; process.cwd() decodes it as UTF-8, losing bytes that are not. */
function hostCwd(): string {
  try {
    return readHostLink('/proc/self/cwd');
  } catch {
    return textByteString(process.cwd());
  }
}

function guestCwd(root: string): string {
  const host = hostCwd();
  if (root === '/') return host;
  const prefix = root.endsWith('/') ? root : root + '/';
  return host.startsWith(prefix) ? '/' + host.slice(prefix.length) : '/';
}

/** The host's vm.mmap_min_addr, which a natively run program is held to. */
function hostMmapMinAddr(): number | undefined {
  try {
    return Number(readFileSync('/proc/sys/vm/mmap_min_addr', 'latin1').trim());
  } catch {
    return undefined;
  }
}

export class Machine {
  readonly kernel: Kernel;
  readonly dispatcher: Dispatcher;
  /** Syscall names as this machine's table has them (ushim's own numbers, --trampfd-440). */
  readonly syscallName: (nr: number) => string;
  process: Process | undefined;

  constructor(readonly options: MachineOptions) {
    this.kernel = new Kernel({
      mmapMinAddr: hostMmapMinAddr(),
      ...options,
      createCpu: (ram, events) => (this.cpu = new CpuEngine(ram, events)),
      hostGroupOrphaned: options.deterministic ? undefined : hostGroupOrphaned,
    });
    // --trampfd=off / --trampfd-440 choose what the trampfd numbers do (syscalls/trampfd.ts).
    const { defs, aliases } = tableSetup(ALL_DEFINITIONS, options);
    const table = buildTable(defs, aliases);
    this.syscallName = table.nameOf;
    this.dispatcher = new Dispatcher(this.kernel, table);
    this.kernel.dispatcher = this.dispatcher;
  }

  /** The kernel's CPU as the Unicorn engine it is (debugger and instrumentation hooks). */
  get engine(): CpuEngine {
    void this.kernel.cpu;
    return this.cpu!;
  }

  private cpu: CpuEngine | undefined;

  set tracer(tracer: SyscallTracer | undefined) {
    this.dispatcher.tracer = tracer;
  }

  /** Creates the first process running `program`; throws LoadError with a one-line message. */
  load(req: LoadRequest): Process {
    const k = this.kernel;
    const cwd = this.options.cwd ?? guestCwd(this.options.root);
    const uid = process.getuid?.() ?? 0;
    const gid = process.getgid?.() ?? 0;
    const result = loadImage(k, {
      path: req.program,
      cwd,
      argv: req.argv.map(stringBytes),
      envp: req.env.map(stringBytes),
      uid,
      gid,
    });
    const fds = new FdTable();
    (req.stdio ?? openStdio(k.vfs.pageCache)).forEach((file, fd) => {
      if (file !== undefined) fds.install(file, false, fd);
    });
    const pid = k.allocatePid();
    const fsContext = new FsContext(k.vfs, cwd);
    // The working directory is held from the start: a rename carries it along, as on Linux.
    const cwdDir = k.vfs.open(cwd, O_PATH | O_DIRECTORY, 0, '/');
    if (typeof cwdDir !== 'number') fsContext.chdir(cwd, cwdDir);
    const from = req.inherited ?? ownInheritedState();
    const proc = new Process(k, pid, from.ppid, new AddressSpace(k.frames, k.stats.mm), fds, fsContext, uid, gid, k.clock.uptime());
    const session = this.options.deterministic ? undefined : from.session;
    if (session !== undefined) {
      proc.pgid = session.pgid;
      proc.sid = session.sid;
    }
    const inherited = from.inheritance;
    if (inherited !== undefined) {
      proc.fs.umask = inherited.umask;
      inherited.limits.forEach((limit, resource) => (proc.rlimits[resource] = limit));
      proc.sighand.ignoreInherited(inherited.ignoredSignals);
    }
    k.processes.set(pid, proc);
    replaceImage(proc, result);
    k.scheduler.add(proc.mainTask);
    this.process = proc;
    return proc;
  }

  /** Runs every process to completion; the result is the first process's exit status. */
  run(): ExitStatus {
    if (this.process === undefined) throw new Error('Machine.run before load');
    this.kernel.scheduler.runFor(this.process, Infinity);
    return this.process.exitStatus ?? { code: 0 };
  }

  /**
   * run(), yielding to Node's event loop every few milliseconds so that host signals (and
   * anything else asynchronous) are served while the guest runs.
   */
  async runAsync(): Promise<ExitStatus> {
    const first = this.process;
    if (first === undefined) throw new Error('Machine.runAsync before load');
    while (!this.kernel.scheduler.runFor(first, performance.now() + EVENT_LOOP_PERIOD_MS)) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    return first.exitStatus ?? { code: 0 };
  }

  /**
   * Serves the missing pages of a guest range from JS, on the same path as userfaultfd: the
   * first touch of each page in [start, start+length) (by the guest or by a syscall) maps a
   * page holding what supply(pageAddr) returns (zero-filled past its end); pages already
   * present are left alone. Applies to `proc`'s current address space (default: the first
   * process, so call it after load()). close() ends the service; `faults` counts pages served.
   */
  serviceFaults(start: number, length: number, supply: (pageAddr: number) => Uint8Array, proc = this.process): { readonly faults: number; close(): void } {
    if (proc === undefined) throw new Error('Machine.serviceFaults before load');
    return serviceHostFaults(this.kernel, proc.mm, start, length, supply);
  }

  /** A signal sent to ushim (Ctrl-C in its terminal) goes to the guest's foreground process group. */
  hostSignal(sig: number): void {
    const first = this.process;
    if (first === undefined) return;
    for (const p of this.kernel.processes.values()) {
      if (!p.exited && p.pgid === first.pgid) {
        signalProcess(this.kernel, p, { signo: sig, errno: 0, code: 0x80, layout: 'kill', pid: 0, uid: 0 });
      }
    }
  }
}
