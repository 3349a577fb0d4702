// The scheduler: a run queue of tasks over the engines of their processes. It runs one task
// at a time until it blocks, exits, faults or uses up its slice; parks blocked tasks on wait
// queues with deadlines; and when nothing can run, sleeps the host until the next deadline or
// host fd event.
import { Access, type StopReason } from './cpu-port.js';
import { sliceLength } from './sched-policy.js';
import { disassemble } from '../host/capstone.js';
import { CLOCK_MONOTONIC } from './clock.js';
import type { Kernel } from './kernel.js';
import { killProcess } from './lifecycle.js';
import type { Process } from './process.js';
import { deliverSignal, forceSignal, hasDeliverable, rseqInterrupted } from './signal/deliver.js';
import { fireRealTimers, nextRealTimer } from './signal/itimer.js';
import { SIGBUS, SIGFPE, SIGILL, SIGSEGV, SIGTRAP } from './signal/numbers.js';
import type { Task } from './task.js';
import type { Block } from './wait.js';
import { pollHostFds } from '../host/poll.js';
import { uffdTaskResumes, uffdUserFault } from './uffd/fault.js';
import { fetchFaultAddress, handleV1Fetch } from './trampfd/v1.js';
import { raisePageFault } from './mm/page-fault.js';
import { groupContinue } from './signal/jobctl.js';

/** Translated code of freed executable frames is dropped once this many frames wait for reuse. */
const QUARANTINE_LIMIT = 4096;
/** Instructions per slice in deterministic mode, and the virtual time a full slice takes. */
const DETERMINISTIC_SLICE = 200_000;
const DETERMINISTIC_SLICE_NS = 200_000n;
/** The time slice when several tasks share the CPU, in ms (scaled by nice values). */
const SLICE_MS = 4;
/**
 * The longest run without contention: a guest spinning alone still lets Node's event loop
 * serve host signals, the gdb stub and timers this often.
 */
const LONE_SLICE_MS = 20;
/** How often, at most, busy slices check the host fds of parked tasks (ms). */
const HOST_POLL_INTERVAL_MS = 1;
/** How long an idle guest waiting for a host signal sleeps before Node serves its signals. */
const HOST_SIGNAL_WAIT_MS = 20;
const SI_KERNEL = 0x80;
/** Instructions that raise #GP in user mode. */
const PRIVILEGED = new Set(['hlt', 'cli', 'sti', 'in', 'out', 'insb', 'insd', 'outsb', 'outsd', 'lgdt', 'lidt', 'lldt', 'ltr', 'invlpg', 'wrmsr', 'rdmsr', 'clts', 'wbinvd', 'invd', 'iretq', 'sysret', 'sysretq']);

/** What a debugger (emu/debug/) sees of the run loop. Absent unless debugging. */
export interface SchedulerDebugHooks {
  /** `task` is about to run (registers loaded, signals delivered); false: not now (requeued). */
  beforeRun(task: Task): boolean;
  /** The engine stopped; true when the stop was the debugger's (breakpoint, step...). */
  afterRun(task: Task, reason: StopReason): boolean;
  /**
   * Whether the debugger may interrupt the guest at any time (gdb's 0x03): runs are then
   * counted slices, so that Node's event loop gets a turn even while the guest spins.
   */
  interruptible(): boolean;
}

export class Scheduler {
  private readonly runQueue: Task[] = [];
  private readonly blocked = new Set<Task>();
  /** Runnable tasks of processes in a group stop, set aside until SIGCONT (signal/jobctl.ts). */
  private readonly stopped = new Set<Task>();
  /** The task whose registers the CPU currently holds. */
  private loaded: Task | undefined;
  current: Task | undefined;
  debugger: SchedulerDebugHooks | undefined;
  /** The current run has the long slice of a task without contention (runSlice). */
  private loneRun = false;
  /** performance.now() after which busy slices next ask the host about parked tasks' fds. */
  private nextHostPoll = 0;
  /** Makes runFor return after the current slice (a debugger stopped the machine). */
  yieldRequested = false;

  constructor(private readonly k: Kernel) {}

  add(task: Task): void {
    task.state = 'runnable';
    this.runQueue.push(task);
    // Woken by the running task, which runs with the long slice: it yields at once.
    if (this.loneRun && this.current !== undefined && this.current !== task) this.k.cpu.requestStop();
  }

  /** A blocked task that time or the host can wake (a deadline, host I/O), or an interval timer. */
  private timedSleeper(): boolean {
    for (const t of this.blocked) {
      if (t.wait?.deadline !== undefined || t.wait?.hostFds !== undefined || t.wait?.hostWritableFds !== undefined) return true;
    }
    for (const p of this.k.processes.values()) if (p.realTimer !== undefined && !p.exited) return true;
    return this.k.timers.armed.size > 0;
  }

  /** A timer was armed: a long run ends, so that slices get short and the timer fires on time. */
  timerArmed(): void {
    if (this.loneRun && this.current !== undefined) this.k.cpu.requestStop();
  }

  /** Parks the current task on `block` (called from the syscall hook). */
  park(task: Task, block: Block): void {
    task.state = 'blocked';
    task.wait = block;
    task.wakeResult = undefined;
    for (const q of block.queues) q.add(task);
    this.blocked.add(task);
  }

  wake(task: Task, result?: number): void {
    if (task.state !== 'blocked') return;
    for (const q of task.wait!.queues) q.remove(task);
    this.blocked.delete(task);
    task.wakeResult = result;
    this.add(task);
  }

  /** SIGCONT: the stopped tasks of `proc` run again. */
  resumeStopped(proc: Process): void {
    for (const t of this.stopped) {
      if (t.process !== proc) continue;
      this.stopped.delete(t);
      if (t.state === 'runnable') this.runQueue.push(t);
    }
  }

  /** sched_yield: the running task's slice ends; it goes to the back of the run queue. */
  yieldSlice(): void {
    this.k.cpu.requestStop();
  }

  /** Removes an exited task from scheduling. */
  retire(task: Task): void {
    this.stopped.delete(task);
    if (task.state === 'blocked') {
      for (const q of task.wait!.queues) q.remove(task);
      this.blocked.delete(task);
    }
    task.state = 'exited';
    task.wait = null;
    const i = this.runQueue.indexOf(task);
    if (i >= 0) this.runQueue.splice(i, 1);
    if (this.current === task) this.k.cpu.requestStop();
    if (this.loaded === task) this.loaded = undefined;
    task.context?.free();
    task.context = null;
  }

  /** Makes `task`'s registers the engine's, saving whichever task was loaded there. */
  load(task: Task): void {
    const engine = this.k.cpu;
    const previous = this.loaded;
    if (previous === task) return;
    if (previous !== undefined && previous.state !== 'exited') {
      if (previous.context === null) previous.context = engine.newContext();
      else engine.saveContext(previous.context);
    }
    if (task.context !== null) engine.restoreContext(task.context);
    // Another address space: the TLB holds the previous one's translations.
    if (previous?.process.mm !== task.process.mm) engine.flushTlb();
    this.loaded = task;
  }

  /**
   * Runs slices until every process has exited (true), or until performance.now() passes
   * untilMs (false), so that a caller can let Node's event loop serve host signals and
   * sockets between calls.
   */
  runFor(first: Process, untilMs: number): boolean {
    for (;;) {
      this.fireTimers();
      this.pollHostBetweenSlices();
      const task = this.runQueue.shift();
      if (task === undefined) {
        if (this.blocked.size === 0 && this.stopped.size === 0) return true;
        const budgetMs = untilMs - performance.now();
        if (budgetMs <= 0) return false;
        // Virtual time jumps straight to the next deadline; only host sleeps are cut short.
        const maxNs = this.k.options.deterministic ? 2n ** 62n : BigInt(Math.ceil(Math.min(budgetMs, 2 ** 31))) * 1_000_000n;
        if (this.blocked.size === 0 || !this.idle(maxNs)) {
          if (this.stopped.size > 0 && this.k.options.stopHost !== undefined) {
            this.stopHost(this.k.options.stopHost);
            continue;
          }
          if (this.k.options.hostSignalsWake === true && untilMs !== Infinity && this.blocked.size > 0) {
            this.k.clock.waitOutside(Math.min(budgetMs, HOST_SIGNAL_WAIT_MS));
            return false;
          }
          this.k.warn('deadlock: every task is blocked with nothing that could wake it');
          for (const p of this.k.processes.values()) killProcess(p, 9);
          return true;
        }
        continue;
      }
      if (task.state !== 'runnable') continue;
      this.runSlice(task);
      if (first.exited && this.liveProcesses() === 0) return true;
      if (performance.now() >= untilMs || this.yieldRequested) {
        this.yieldRequested = false;
        return false;
      }
    }
  }

  /** The runnable tasks in the order they will run (snapshots: emu/api/snapshot.ts). */
  get queued(): readonly Task[] {
    return this.runQueue;
  }

  /** Runs one slice of `task` now, if it is runnable (a debugger's single step). */
  runTask(task: Task): boolean {
    const i = this.runQueue.indexOf(task);
    if (i < 0 || task.state !== 'runnable') return false;
    this.runQueue.splice(i, 1);
    this.runSlice(task);
    return true;
  }

  private liveProcesses(): number {
    let n = 0;
    for (const p of this.k.processes.values()) if (!p.exited) n++;
    return n;
  }

  private runSlice(task: Task): void {
    const engine = this.k.cpu;
    const switched = this.loaded !== task;
    this.load(task);
    // Back on the CPU after another task ran: a restartable sequence it was in aborts.
    if (switched && task.rseq !== undefined && task.wait === null) {
      const rip = engine.readRegister('rip');
      const resume = rseqInterrupted(this.k, task, rip);
      if (resume !== rip) engine.writeRegister('rip', resume);
    }
    this.current = task;
    this.k.current = task;
    uffdTaskResumes(task); // userfaultfd: a task woken from a page fault is not in a syscall
    if (task.wait === null && hasDeliverable(task)) deliverSignal(this.k, task, undefined, false);
    if (task.state !== 'runnable') return;
    if (task.process.stopped) {
      this.current = undefined;
      this.stopped.add(task);
      return;
    }
    const dbg = this.debugger;
    if (dbg !== undefined && !dbg.beforeRun(task)) {
      this.current = undefined;
      this.runQueue.push(task);
      return;
    }
    let reason;
    let preempted = false;
    if (this.k.options.deterministic) {
      reason = engine.run(DETERMINISTIC_SLICE);
      preempted = reason.kind === 'halted';
      if (preempted) this.k.clock.sleep(DETERMINISTIC_SLICE_NS);
    } else {
      // Time slices end by a timer thread's stop (cpu/preempt-timer.ts): short while another
      // task could want the CPU (one is runnable, or a sleeper has a deadline or waits for
      // host I/O, or a debugger may interrupt), long otherwise; a task that this one wakes
      // during a long run ends the run (add).
      const contended = this.runQueue.length > 0 || this.timedSleeper() || dbg?.interruptible() === true;
      this.loneRun = !contended;
      const fixed = this.k.options.timeSliceMs;
      reason = engine.run(0, fixed ?? (contended ? sliceLength(task.sched, SLICE_MS) : LONE_SLICE_MS));
      this.loneRun = false;
    }
    this.current = undefined;
    if (this.k.frames.quarantined > QUARANTINE_LIMIT) {
      this.k.cpu.flushCode();
      this.k.frames.releaseQuarantine();
    }
    if (dbg !== undefined && dbg.afterRun(task, reason)) {
      if (task.state === 'runnable') this.runQueue.push(task);
      return;
    }
    if (task.state !== 'runnable') return;
    switch (reason.kind) {
      case 'fault': {
        // userfaultfd: a tracked fault queues its message and parks the task (or raises SIGBUS).
        if (uffdUserFault(this.k, task, reason.addr, reason.access)) break;
        // Instruction fetches report the exact target, not the page the TLB missed on; and a
        // trampfd v1 invocation is carried out here instead of a SIGSEGV (kernel-shim/trampfd/v1.ts).
        if (reason.access === Access.Fetch && handleV1Fetch(this.k, task, reason.addr)) break;
        raisePageFault(this.k, task, reason.addr, reason.access, reason.access === Access.Fetch ? fetchFaultAddress(task, reason.addr) : undefined);
        break;
      }
      case 'exception':
        forceSignal(this.k, task, exceptionSignal(reason.intno, engine.readRegister('rip')), { trapno: reason.intno, err: 0, cr2: 0n });
        break;
      case 'invalid-instruction':
        forceSignal(this.k, task, { signo: SIGILL, errno: 0, code: 2, layout: 'fault', addr: engine.readRegister('rip'), addrLsb: 0 }, { trapno: 6, err: 0, cr2: 0n });
        break;
      case 'halted':
        if (!preempted) this.unexplainedStop(task);
        break;
      case 'requested':
        break;
    }
    if (task.state === 'runnable') this.runQueue.push(task);
  }

  /**
   * The engine stopped without a hook explaining why: QEMU raised an exception it could not
   * deliver (no IDT) — an undefined or privileged instruction. Linux reports these as SIGILL
   * (#UD) and SIGSEGV (#GP) at the instruction itself.
   */
  private unexplainedStop(task: Task): void {
    const rip = this.k.cpu.readRegister('rip');
    const code = task.process.mm.read(Number(rip), 15) ?? task.process.mm.read(Number(rip), 1);
    if (code === null) return;
    const insn = disassemble(code, rip, 1)[0];
    const mnemonic = insn?.text.split(' ')[0] ?? '(bad)';
    if (PRIVILEGED.has(mnemonic)) {
      generalProtection(this.k, task);
    } else if (insn === undefined || mnemonic.startsWith('ud')) {
      forceSignal(this.k, task, { signo: SIGILL, errno: 0, code: 2, layout: 'fault', addr: rip, addrLsb: 0 }, { trapno: 6, err: 0, cr2: 0n });
    }
  }

  /** Wakes tasks whose deadline passed and fires interval timers. */
  private fireTimers(): void {
    const now = this.k.clock.now(CLOCK_MONOTONIC)!;
    this.k.timers.fireDue(now);
    for (const t of [...this.blocked]) {
      if (t.wait?.deadline !== undefined && t.wait.deadline <= now) this.wake(t, t.wait.onTimeout === 'retry' ? undefined : t.wait.onTimeout);
    }
    fireRealTimers(this.k, now);
  }

  /**
   * Every task that is not stopped waits for something only a stopped one could do: ushim
   * stops itself, as qemu-user does, so that the shell that started it sees a stopped job;
   * its SIGCONT continues the guest's stopped processes.
   */
  private stopHost(stop: () => void): void {
    stop();
    for (const p of this.k.processes.values()) if (p.stopped) groupContinue(this.k, p);
  }

  /** Nothing is runnable: sleep until a deadline, a timer or a host fd, at most maxNs. False on deadlock. */
  private idle(maxNs: bigint): boolean {
    const now = this.k.clock.now(CLOCK_MONOTONIC)!;
    let next = this.k.timers.nextExpiry();
    for (const t of this.blocked) {
      if (t.wait?.deadline !== undefined && (next === undefined || t.wait.deadline < next)) next = t.wait.deadline;
    }
    const timer = nextRealTimer(this.k);
    if (timer !== undefined && (next === undefined || timer < next)) next = timer;
    const hostWaits = this.hostWaits();
    if (next === undefined && hostWaits === undefined) return false;
    let waitNs = next === undefined ? maxNs : next > now ? next - now : 0n;
    if (waitNs > maxNs) waitNs = maxNs;
    // Virtual time moves on by the wait when no host fd ended it (a deterministic sleep is instant).
    if (hostWaits === undefined || (!this.wakeHostReady(hostWaits, waitNs) && this.k.options.deterministic)) this.k.clock.sleep(waitNs);
    return true;
  }

  /** The host fds blocked tasks wait on, for input and for output; undefined when none does. */
  private hostWaits(): { fds: number[]; writableFds: number[] } | undefined {
    const fds: number[] = [];
    const writableFds: number[] = [];
    for (const t of this.blocked) {
      if (t.wait?.hostFds !== undefined) fds.push(...t.wait.hostFds);
      if (t.wait?.hostWritableFds !== undefined) writableFds.push(...t.wait.hostWritableFds);
    }
    return fds.length === 0 && writableFds.length === 0 ? undefined : { fds, writableFds };
  }

  /** Waits at most waitNs for any of the host fds, and wakes the tasks waiting on those ready; whether any was. */
  private wakeHostReady(waits: { fds: number[]; writableFds: number[] }, waitNs: bigint): boolean {
    const ready = pollHostFds(waits.fds, waitNs, waits.writableFds);
    if (ready.length === 0) return false;
    const waitsOnReady = (fds: readonly number[] | undefined): boolean => fds?.some((fd) => ready.includes(fd)) === true;
    for (const t of [...this.blocked]) if (waitsOnReady(t.wait?.hostFds) || waitsOnReady(t.wait?.hostWritableFds)) this.wake(t);
    return true;
  }

  /**
   * Between slices of busy tasks: tasks parked on host I/O (a socket, a pipe) wake when it
   * is ready, not only once every task is idle. Asked of the host at most every
   * HOST_POLL_INTERVAL_MS; not in deterministic mode, whose runs must not depend on host timing.
   */
  private pollHostBetweenSlices(): void {
    if (this.blocked.size === 0 || this.k.options.deterministic) return;
    const now = performance.now();
    if (now < this.nextHostPoll) return;
    this.nextHostPoll = now + HOST_POLL_INTERVAL_MS;
    const waits = this.hostWaits();
    if (waits !== undefined) this.wakeHostReady(waits, 0n);
  }
}

/** A #GP in user mode (a privileged instruction): SIGSEGV with SI_KERNEL, as Linux sends it. */
function generalProtection(k: Kernel, task: Task): void {
  forceSignal(k, task, { signo: SIGSEGV, errno: 0, code: SI_KERNEL, layout: 'fault', addr: 0n, addrLsb: 0 }, { trapno: 13, err: 0, cr2: 0n });
}

function exceptionSignal(intno: number, rip: bigint): import('./abi/siginfo.js').Siginfo {
  switch (intno) {
    case 0: return { signo: SIGFPE, errno: 0, code: 1, layout: 'fault', addr: rip, addrLsb: 0 };
    case 1: return { signo: SIGTRAP, errno: 0, code: 2, layout: 'fault', addr: rip, addrLsb: 0 };
    case 3: return { signo: SIGTRAP, errno: 0, code: SI_KERNEL, layout: 'fault', addr: 0n, addrLsb: 0 };
    case 6: return { signo: SIGILL, errno: 0, code: 2, layout: 'fault', addr: rip, addrLsb: 0 };
    case 16: case 19: return { signo: SIGFPE, errno: 0, code: 7, layout: 'fault', addr: rip, addrLsb: 0 };
    case 17: return { signo: SIGBUS, errno: 0, code: 1, layout: 'fault', addr: 0n, addrLsb: 0 };
    default: return { signo: SIGSEGV, errno: 0, code: SI_KERNEL, layout: 'fault', addr: 0n, addrLsb: 0 };
  }
}
