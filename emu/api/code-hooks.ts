// The programmable API's breakpoints and code hooks, kept as a table and installed as
// Unicorn code hooks over disjoint address segments.
import type { InstrumentHooks } from '../../cpu/trace-hooks.js';
import type { CodeEvent } from './types.js';

export interface CodeHookEntry {
  start: number;
  /** Inclusive. */
  end: number;
  fn: ((e: CodeEvent) => void) | null;
  /** A breakpoint (stops) rather than a callback. */
  breakpoint: boolean;
}

export class CodeHookTable {
  /** By id (ids order the callbacks at one address). */
  readonly entries = new Map<number, CodeHookEntry>();
  private readonly breakpoints = new Map<number, number>();
  private segmentIds: number[] = [];
  private dirty = false;
  private nextId = 1;

  addBreakpoint(address: number): void {
    if (this.breakpoints.has(address)) return;
    const id = this.add(address, address, null, true);
    this.breakpoints.set(address, id);
  }

  removeBreakpoint(address: number): boolean {
    const id = this.breakpoints.get(address);
    if (id === undefined) return false;
    this.breakpoints.delete(address);
    this.remove(id);
    return true;
  }

  /** A callback before each instruction in [start, end]; returns its id. */
  add(start: number, end: number, fn: ((e: CodeEvent) => void) | null, breakpoint = false): number {
    const id = this.nextId++;
    this.entries.set(id, { start, end, fn, breakpoint });
    this.dirty = true;
    return id;
  }

  remove(id: number): void {
    if (this.entries.delete(id)) this.dirty = true;
  }

  /**
   * Rebuilds the Unicorn code hooks as disjoint segments, so that each instruction calls
   * at most one (its callbacks then run once per execution, and skipping them once when
   * resuming from a stop before an instruction is exact). True when it did: translations
   * made without (or with removed) hooks must then go.
   */
  apply(hooks: InstrumentHooks, onCode: (address: number, size: number) => void): boolean {
    if (!this.dirty) return false;
    this.dirty = false;
    for (const id of this.segmentIds) hooks.remove(id);
    this.segmentIds = [];
    const entries = [...this.entries.values()];
    const cuts = [...new Set(entries.flatMap((e) => [e.start, e.end + 1]))].sort((a, b) => a - b);
    for (let i = 0; i + 1 < cuts.length; i++) {
      const lo = cuts[i];
      const hi = cuts[i + 1] - 1;
      const covering = entries.filter((e) => e.start <= lo && hi <= e.end);
      if (covering.length === 0) continue;
      // Consecutive segments with the same covering hooks could merge; few hooks make few segments.
      this.segmentIds.push(hooks.addCode(lo, hi, onCode));
    }
    return true;
  }
}
