// How long each run of the engine may last, and what Unicorn must translate for it. A run
// is bounded by a count of instructions (deterministic slices, single steps: Unicorn's count
// hook, about 10x slower code) or by time (the preemption timer's asynchronous stop). Timed
// runs need Unicorn's mid-block exit checks gone (cpu/exit-checks.ts) and no code hook
// present (with one, Unicorn leaves pc unsynchronized at a block-start exit, trusting the
// hooks to have done it), so with the debugger's, tracing's or range hooks installed, or
// where the library's layout is unknown, slices are counted instead.
import { noExitRequestOffset, setExitChecks } from './exit-checks.js';
import { PreemptTimer } from './preempt-timer.js';
import { libraryPath } from './unicorn.js';

/** A slice in instructions where it cannot be timed (about a millisecond's worth of counted code). */
const COUNTED_INSTRUCTIONS_PER_MS = 500_000;

export interface RunBounds {
  /** The instruction count for uc_emu_start (0: none). */
  readonly limit: number;
  /** Whether the timer's ticks end the run: a stop nothing else explains is one. */
  readonly timed: boolean;
}

export class RunModes {
  /** Made for the first run that could be timed: deterministic engines (the API's default) never make one. */
  private timer: PreemptTimer | undefined;
  /** Where uc_struct.no_exit_request is; null: unknown, slices are counted. */
  private readonly noExitRequest = noExitRequestOffset(libraryPath());
  /** Whether code translated now checks for exit requests mid-block (Unicorn's default). */
  private exitChecks = true;
  /** Hooks beyond the engine's own (debugger, tracing, range hooks). */
  extraHooks = 0;
  /** A counted run installed Unicorn's count hook, which lingers through the next run. */
  private countHookLingers = false;
  /** Whether a guest run may have translated code since this class last flushed it. */
  private codeTranslated = false;

  constructor(
    private readonly handle: bigint,
    private readonly flushCode: () => void,
    /** Runs nothing but drops what a counted run left (stub-page.ts emptyRun). */
    private readonly emptyRun: () => void,
  ) {
  }

  /** Whether a hook added now would run in untimed code translated without exit checks. */
  get translatingWithoutChecks(): boolean {
    return !this.exitChecks;
  }

  /** Sets up a run limited to `count` instructions or, when count is 0, to about `sliceMs` (0: unbounded). */
  begin(count: number, sliceMs: number): RunBounds {
    if (count === 0 && sliceMs > 0) this.timer ??= new PreemptTimer(this.handle, libraryPath());
    const timed = count === 0 && sliceMs > 0 && this.noExitRequest !== null && this.extraHooks === 0 && this.timer?.available === true;
    const limit = count > 0 || timed || sliceMs === 0 ? count : Math.ceil(sliceMs * COUNTED_INSTRUCTIONS_PER_MS);
    this.useExitChecks(limit > 0 || this.extraHooks > 0);
    if (timed && this.countHookLingers) this.emptyRun();
    this.countHookLingers = limit > 0 || (this.countHookLingers && !timed);
    // No tick may cut a counted run short (a single step would execute nothing).
    this.timer?.tickEvery(timed ? sliceMs : 0);
    this.codeTranslated = true;
    return { limit, timed };
  }

  /**
   * Stops taking effect mid-block are needed by counted runs (the count hook stops before an
   * instruction) and by other hooks; asynchronous stops need them gone. A change applies to
   * code translated afterwards, so all translations are dropped: none before the first run,
   * which spares a short guest a whole flush (the first costs milliseconds).
   */
  private useExitChecks(on: boolean): void {
    if (on === this.exitChecks || this.noExitRequest === null) return;
    setExitChecks(this.handle, this.noExitRequest, on);
    this.exitChecks = on;
    if (this.codeTranslated) this.flushCode();
    this.codeTranslated = false;
  }

  /** Ends the timer; true if it ever existed (its late ticks may still stop the engine). */
  close(): boolean {
    this.timer?.close();
    return this.timer?.available === true;
  }
}
