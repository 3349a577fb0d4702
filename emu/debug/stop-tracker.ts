// Run control of the debugged process: decides when it stops, records why, and parks the
// driver until gdb resumes it.
//
// The machine runs in the async driver (driver.ts), one scheduler turn at a time; the
// tracker watches those turns through the scheduler's debug hooks (sched.ts
// SchedulerDebugHooks), the kernel's signal interceptor (a signal-delivery stop before any
// signal acts) and a wrapper around the syscall dispatcher (exec events), and turns what it
// saw into one StopEvent after each turn (afterTurn). Breakpoint and watchpoint hits come
// from the engine hooks MachineBreakpoints keeps.
//
// Two modes: 'start' (--gdb: stopped before the first instruction, everything attached) and
// 'crash' (--gdb-on-crash: only a signal interceptor that waits for a fatal signal; then the
// tracker attaches and stops at the faulting instruction).
import type { Siginfo } from '../../kernel-shim/abi/siginfo.js';
import type { Kernel, SyscallDispatcher } from '../../kernel-shim/kernel.js';
import { killProcess } from '../../kernel-shim/lifecycle.js';
import type { Process } from '../../kernel-shim/process.js';
import type { SchedulerDebugHooks } from '../../kernel-shim/sched.js';
import { type SyscallReturn, deliverSignal, hasDeliverable } from '../../kernel-shim/signal/deliver.js';
import { SIGCHLD, defaultAction } from '../../kernel-shim/signal/numbers.js';
import type { Task } from '../../kernel-shim/task.js';
import type { CpuEngine } from '../../cpu/engine.js';
import type { StopReason } from '../../kernel-shim/cpu-port.js';
import { MachineBreakpoints } from './machine-breakpoints.js';
import { SIGINT, SIGKILL, type ResumeAction, type StopEvent, type StopListener } from './target.js';

type Mode = 'traced' | 'crash' | 'detached' | 'gone';

interface SignalStop {
  info: Siginfo;
  /** The syscall the task was returning from when the signal came (restart semantics). */
  ret: SyscallReturn | undefined;
  reported: boolean;
}

export interface TaskDebugState {
  signalStop?: SignalStop;
  /** rip of a reported breakpoint stop: the first hit there on resuming is the same one. */
  bpAt?: number;
  /** What gdb wrote to orig_rax (it writes -1 before calling functions in the inferior). */
  origRax?: bigint;
}

export interface StopTrackerOptions {
  /** 'start': stopped before the first instruction; 'crash': wait for a fatal signal. */
  mode: 'start' | 'crash';
  /** Crash mode: called once, at the fatal signal's stop (start a gdb server then). */
  onCrash?: (event: StopEvent) => void;
}

const SIG_DFL = 0n, SIG_IGN = 1n;
const SA_RESTORER = 0x04000000n;
const SI_USER = 0;

export class StopTracker {
  /** True while the machine is parked for gdb (the driver waits in waitForResume). */
  stopped: boolean;
  /** Breakpoints and watchpoints, and the engine hooks that find their hits and steps. */
  readonly code: MachineBreakpoints;
  private mode: Mode;
  private listener: StopListener | null = null;
  private pending: StopEvent | null = null;
  private readonly taskStates = new WeakMap<Task, TaskDebugState>();
  private stepTask: Task | null = null;
  private readonly held = new Set<Task>();
  private interruptRequested = false;
  private lastTask: Task | undefined;
  private pass: { task: Task; signo: number } | null = null;
  private execEvent: StopEvent | null = null;
  private inner: SyscallDispatcher | null = null;
  private waiters: (() => void)[] = [];
  private crashReported = false;
  private readonly sched: SchedulerDebugHooks = {
    beforeRun: (task) => this.beforeRun(task),
    afterRun: (task, reason) => this.afterRun(task, reason),
    // gdb's 0x03 can come at any time while it traces the guest (crash mode waits for a crash).
    interruptible: () => this.mode === 'traced',
  };

  constructor(
    private readonly k: Kernel,
    private readonly engine: CpuEngine,
    private readonly proc: Process,
    private readonly options: StopTrackerOptions,
  ) {
    this.code = new MachineBreakpoints(engine, proc, () => this.mode === 'traced', () => this.enterProcess());
    if (options.mode === 'start') {
      this.mode = 'traced';
      this.attach();
      this.stopped = true;
    } else {
      this.mode = 'crash';
      this.stopped = false;
      k.signalInterceptor = (task, info, ret, inHook) => this.intercept(task, info, ret, inHook);
    }
  }

  /** True while gdb controls the process (stops are reported). */
  get tracing(): boolean {
    return this.mode === 'traced';
  }

  /** True once the process exited or gdb killed it. */
  get gone(): boolean {
    return this.mode === 'gone';
  }

  setStopListener(listener: StopListener | null): void {
    this.listener = listener;
  }

  // ---- attaching and detaching --------------------------------------------------------

  private attach(): void {
    this.mode = 'traced';
    this.k.scheduler.debugger = this.sched;
    this.k.signalInterceptor = (task, info, ret, inHook) => this.intercept(task, info, ret, inHook);
    if (this.inner === null) {
      this.inner = this.k.dispatcher;
      const inner = this.inner;
      this.k.dispatcher = {
        dispatch: (task, frame) => {
          const before = task.process.image;
          const result = inner.dispatch(task, frame);
          if (this.mode === 'traced' && task.process === this.proc && this.proc.image !== before && this.proc.image !== undefined) {
            this.execEvent = { reason: 'exec', tid: task.tid, path: this.proc.image.exeGuestPath };
            this.engine.requestStop();
            this.k.scheduler.yieldRequested = true;
          }
          return result;
        },
      };
    }
  }

  /** Everything the debugger added goes; the machine runs exactly as undebugged. */
  private uninstall(): void {
    this.stepTask = null;
    this.held.clear();
    this.code.remove();
    if (this.k.scheduler.debugger === this.sched) this.k.scheduler.debugger = undefined;
    this.k.signalInterceptor = undefined;
    if (this.inner !== null) {
      this.k.dispatcher = this.inner;
      this.inner = null;
    }
  }

  // ---- the driver's side --------------------------------------------------------------

  /** Resolves when gdb resumes (or kills, or detaches). */
  waitForResume(): Promise<void> {
    if (!this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private wakeDriver(): void {
    this.stopped = false;
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** The task a pending single step is for, if it can run now. */
  get runnableStepTask(): Task | null {
    const t = this.stepTask;
    return t !== null && t.state === 'runnable' && this.mode === 'traced' ? t : null;
  }

  /** After each scheduler turn (outside any hook): turns what happened into a stop report. */
  afterTurn(): void {
    if (this.mode === 'gone' || this.mode === 'detached') return;
    const proc = this.proc;
    if (proc.exited) {
      const status = proc.exitStatus!;
      const event: StopEvent =
        status.signal !== undefined ? { reason: 'killed', signal: status.signal } : { reason: 'exited', status: status.code & 0xff };
      const wasTraced = this.mode === 'traced';
      this.mode = 'gone';
      this.uninstall();
      this.pending = null;
      if (wasTraced) this.publish(event);
      return;
    }
    if (this.mode === 'crash') return;
    // A fault the scheduler just turned into a signal: stop at the faulting instruction
    // before any other thread runs.
    const last = this.k.current;
    if (this.pending === null && last !== undefined && last.process === proc && last.state === 'runnable' && last.wait === null && hasDeliverable(last)) {
      this.enterTask(last);
      deliverSignal(this.k, last, undefined, false);
    }
    if (this.pending === null) {
      for (const t of proc.liveTasks) if (this.reportPendingSignalStop(t)) break;
    }
    if (this.pending === null && this.interruptRequested) {
      const t = this.lastTask !== undefined && this.lastTask.state !== 'exited' ? this.lastTask : proc.liveTasks[0];
      if (t !== undefined) this.setPending({ reason: 'signal', tid: t.tid, signal: SIGINT });
    }
    if (this.code.watching && this.pending === null) this.code.rearmWatches();
    if (this.pending !== null) {
      const event = this.pending;
      this.pending = null;
      this.interruptRequested = false;
      this.stepTask = null;
      this.stopped = true;
      this.publish(event);
    }
  }

  private publish(event: StopEvent): void {
    if (this.options.mode === 'crash' && !this.crashReported && event.reason !== 'exited' && event.reason !== 'killed') {
      this.crashReported = true;
      this.options.onCrash?.(event);
    }
    this.listener?.(event);
  }

  private setPending(event: StopEvent): void {
    if (this.pending === null) this.pending = event;
    this.k.scheduler.yieldRequested = true;
  }

  /** Reports the signal stop of `task` that is not reported yet; false when it has none. */
  private reportPendingSignalStop(task: Task): boolean {
    const stop = this.taskStates.get(task)?.signalStop;
    if (stop === undefined || stop.reported) return false;
    this.reportSignalStop(task, stop);
    return true;
  }

  private reportSignalStop(task: Task, stop: SignalStop): void {
    stop.reported = true;
    if (task === this.stepTask) this.stepTask = null;
    this.setPending({ reason: 'signal', tid: task.tid, signal: stop.info.signo });
  }

  // ---- scheduler hooks ----------------------------------------------------------------

  private beforeRun(task: Task): boolean {
    if (this.mode !== 'traced') return true;
    if (this.pending !== null) return false;
    const hooks = this.code.hooks;
    if (task.process !== this.proc) {
      if (hooks !== null) {
        hooks.active = false;
        hooks.setStepping(false);
      }
      return true;
    }
    if (this.reportPendingSignalStop(task)) return false;
    if (this.held.has(task)) return false;
    const st = this.taskStates.get(task);
    this.lastTask = task;
    if (hooks !== null) {
      hooks.active = true;
      const stepping = task === this.stepTask;
      hooks.setStepping(stepping);
      const rip = Number(task.kernel.cpu.readRegister('rip'));
      hooks.ignoreOnce = st?.bpAt === rip ? rip : -1;
      hooks.beginRun();
    }
    if (st !== undefined) st.bpAt = undefined;
    return true;
  }

  private afterRun(task: Task, reason: StopReason): boolean {
    if (this.mode !== 'traced' || task.process !== this.proc) return false;
    const hit = this.code.hooks?.takeHit() ?? null;
    if (hit !== null) {
      if (hit.kind === 'breakpoint') {
        this.debugState(task).bpAt = hit.address;
        this.setPending({ reason: 'breakpoint', tid: task.tid, type: 'software' });
      } else {
        this.setPending({ reason: 'watchpoint', tid: task.tid, type: hit.watch, address: BigInt(hit.address) });
      }
      return true;
    }
    if (this.execEvent !== null) {
      const event = this.execEvent;
      this.execEvent = null;
      this.code.forget();
      this.setPending(event);
      return true;
    }
    if (this.reportPendingSignalStop(task)) return true;
    if (task === this.stepTask) {
      // The scheduler turns these into signals; the step stops at the faulting instruction.
      if (reason.kind === 'fault' || reason.kind === 'exception' || reason.kind === 'invalid-instruction') return false;
      if (task.state === 'exited') return true;
      if (task.state === 'runnable' && task.wait === null) this.setPending({ reason: 'step', tid: task.tid });
      // Parked in a syscall: the step ends when the call returns.
      return true;
    }
    return false;
  }

  // ---- signals ------------------------------------------------------------------------

  private intercept(task: Task, info: Siginfo, ret: SyscallReturn | undefined, inHook: boolean): boolean {
    if (task.process !== this.proc) return false;
    const pass = this.pass;
    if (pass !== null && pass.task === task && pass.signo === info.signo) {
      this.pass = null;
      return false;
    }
    if (this.mode === 'crash') {
      if (!this.isFatal(info)) return false;
      this.attach();
    } else if (this.mode !== 'traced') {
      return false;
    }
    const engine = task.kernel.cpu;
    if (ret !== undefined) {
      // As after a syscall under ptrace: rax holds the result (maybe -ERESTARTSYS), rip is
      // past the `syscall`.
      engine.writeRegisters({ rax: BigInt.asUintN(64, BigInt(ret.result)), rip: ret.returnRip });
    }
    if (inHook) engine.requestStop();
    this.debugState(task).signalStop = { info, ret, reported: false };
    this.k.scheduler.yieldRequested = true;
    return true;
  }

  private isFatal(info: Siginfo): boolean {
    const action = this.proc.sighand.actions[info.signo];
    if (action.handler === SIG_DFL) {
      const what = defaultAction(info.signo);
      return (what === 'terminate' || what === 'core') && info.signo !== SIGCHLD;
    }
    return action.handler !== SIG_IGN && !(action.flags & SA_RESTORER);
  }

  /** Ends a signal-delivery stop: deliver `signo` (0: discard) and finish the interrupted syscall. */
  private finishSignalStop(task: Task, signo: number): void {
    const st = this.taskStates.get(task);
    const stop = st?.signalStop;
    if (stop === undefined && signo === 0) return;
    if (st !== undefined) st.signalStop = undefined;
    if (task.state === 'exited') return;
    this.enterTask(task);
    if (signo !== 0) {
      const info: Siginfo =
        stop !== undefined && stop.info.signo === signo
          ? stop.info
          : { signo, errno: 0, code: SI_USER, layout: 'kill', pid: 0, uid: this.proc.uid };
      task.pending.add(info);
      this.pass = { task, signo };
    }
    const delivered = deliverSignal(this.k, task, stop?.ret, false);
    if (this.pass?.task === task) this.pass = null;
    if (!delivered && stop?.ret !== undefined && task.savedMask !== null) {
      task.signalMask = task.savedMask;
      task.savedMask = null;
    }
  }

  // ---- gdb's resume, interrupt, kill and detach ---------------------------------------

  resume(actions: readonly ResumeAction[]): void {
    if (!this.stopped || this.mode !== 'traced') return;
    this.held.clear();
    const mentioned = new Set<number>();
    let step: Task | null = null;
    for (const a of actions) {
      const task = this.taskById(a.tid);
      if (task === undefined) continue;
      mentioned.add(a.tid);
      if (a.step && step === null) step = task;
    }
    for (const t of this.proc.liveTasks) if (!mentioned.has(t.tid)) this.held.add(t);
    // A step runs one instruction of that thread alone (the driver runs it directly); the
    // others only run if it blocks in a syscall.
    if (step !== null) this.code.ensureHooks();
    this.stepTask = step;
    for (const a of actions) {
      const task = this.taskById(a.tid);
      if (task !== undefined) this.finishSignalStop(task, a.signal);
    }
    this.wakeDriver();
  }

  interrupt(): void {
    if (this.mode === 'traced' && !this.stopped) {
      this.interruptRequested = true;
      this.k.scheduler.yieldRequested = true;
    }
  }

  kill(): void {
    if (this.mode === 'gone') return;
    this.mode = 'gone';
    this.uninstall();
    // The session is over: everything the guest started goes too, and ushim exits.
    for (const p of this.k.processes.values()) if (!p.exited) killProcess(p, SIGKILL);
    this.wakeDriver();
  }

  detach(): void {
    if (this.mode !== 'traced') return;
    const stops = this.proc.liveTasks.filter((t) => this.taskStates.get(t)?.signalStop !== undefined);
    this.mode = 'detached';
    this.uninstall();
    // A signal gdb held back is discarded, as PTRACE_DETACH with signal 0 does; an
    // interrupted syscall finishes or restarts.
    for (const t of stops) this.finishSignalStop(t, 0);
    this.wakeDriver();
  }

  // ---- tasks --------------------------------------------------------------------------

  /** A live thread of the process, unless it is gone. */
  taskById(tid: number): Task | undefined {
    if (this.mode === 'gone') return undefined;
    return this.proc.tasks.find((t) => t.tid === tid && t.state !== 'exited');
  }

  /** What the debugger keeps for `task`, if anything yet. */
  stateOf(task: Task): TaskDebugState | undefined {
    return this.taskStates.get(task);
  }

  /** What the debugger keeps for `task`, created on first use. */
  debugState(task: Task): TaskDebugState {
    let st = this.taskStates.get(task);
    if (st === undefined) {
      st = {};
      this.taskStates.set(task, st);
    }
    return st;
  }

  /** Loads `task` into the engine (registers, TLB) as the kernel's current task. */
  enterTask(task: Task): void {
    this.k.scheduler.load(task);
    this.k.current = task;
  }

  /** Makes the engine's TLB resolve this process's addresses; false if it has no live task. */
  enterProcess(): boolean {
    const t = this.lastTask !== undefined && this.lastTask.state !== 'exited' ? this.lastTask : this.proc.liveTasks[0];
    if (t === undefined) return false;
    this.enterTask(t);
    return true;
  }
}
