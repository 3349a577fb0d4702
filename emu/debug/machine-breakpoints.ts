// Breakpoints and watchpoints in the debugged process, kept as engine code and memory hooks
// (cpu/debug-hooks.ts): nothing is ever written into guest code. Watchpoints watch physical
// frames, so the watched ranges are re-resolved whenever a page may have moved (copy-on-write,
// mremap) and the hooks re-added when one did.
import { PAGE_SIZE } from '../../kernel-shim/mm/constants.js';
import { debuggerWatchFrame } from '../../kernel-shim/mm/debugger-access.js';
import type { Process } from '../../kernel-shim/process.js';
import type { CpuEngine } from '../../cpu/engine.js';
import { EngineDebugHooks, type PhysicalWatch } from '../../cpu/debug-hooks.js';
import type { BreakpointType, WatchType } from './target.js';

interface Watch {
  type: WatchType;
  addr: number;
  len: number;
}

export class MachineBreakpoints {
  private engineHooks: EngineDebugHooks | null = null;
  private readonly breakpoints = new Set<number>();
  private watches: Watch[] = [];
  private watchLayout = '';

  /**
   * `tracing`: whether gdb controls the process now (nothing is inserted otherwise);
   * `enterProcess`: makes the engine resolve the process's addresses (false if it has no live task).
   */
  constructor(
    private readonly engine: CpuEngine,
    private readonly proc: Process,
    private readonly tracing: () => boolean,
    private readonly enterProcess: () => boolean,
  ) {}

  /** The engine hooks, once anything needed them (a breakpoint, a watchpoint or a step). */
  get hooks(): EngineDebugHooks | null {
    return this.engineHooks;
  }

  /** True while any watchpoint is set. */
  get watching(): boolean {
    return this.watches.length > 0;
  }

  ensureHooks(): EngineDebugHooks {
    if (this.engineHooks === null || this.engineHooks.engine !== this.engine) {
      this.engineHooks?.close();
      this.engineHooks = new EngineDebugHooks(this.engine);
    }
    return this.engineHooks;
  }

  insertBreakpoint(_type: BreakpointType, address: bigint, _kind: number): boolean {
    if (!this.tracing() || address >= 2n ** 47n) return false;
    const a = Number(address);
    if (!this.enterProcess()) return false;
    this.ensureHooks().insertBreakpoint(a);
    this.breakpoints.add(a);
    return true;
  }

  removeBreakpoint(_type: BreakpointType, address: bigint, _kind: number): boolean {
    const a = Number(address);
    if (!this.breakpoints.delete(a)) return false;
    if (this.engineHooks !== null && this.enterProcess()) this.engineHooks.removeBreakpoint(a);
    return true;
  }

  insertWatchpoint(type: WatchType, address: bigint, length: number): boolean {
    if (!this.tracing() || length <= 0 || address + BigInt(length) > 2n ** 47n) return false;
    const watch = { type, addr: Number(address), len: length };
    const pieces = this.physicalPieces(watch);
    if (pieces === null) return false;
    this.watches.push(watch);
    this.rearmWatches(true);
    return true;
  }

  removeWatchpoint(type: WatchType, address: bigint, length: number): boolean {
    const i = this.watches.findIndex((w) => w.type === type && w.addr === Number(address) && w.len === length);
    if (i < 0) return false;
    this.watches.splice(i, 1);
    this.rearmWatches(true);
    return true;
  }

  /**
   * The physical pieces behind a watched range. Writable pages get their own frame first
   * (breaking copy-on-write now, so that the guest's first store does not move the page).
   */
  private physicalPieces(w: Watch): PhysicalWatch[] | null {
    const mm = this.proc.mm;
    const out: PhysicalWatch[] = [];
    let at = w.addr;
    const end = w.addr + w.len;
    while (at < end) {
      const page = at - (at % PAGE_SIZE);
      const n = Math.min(end - at, page + PAGE_SIZE - at);
      const frame = debuggerWatchFrame(mm, page);
      if (frame < 0) return null;
      const phys = frame + (at - page);
      out.push({ kind: w.type, start: phys, end: phys + n, vaddr: at });
      at += n;
    }
    return out;
  }

  /** Re-resolves the watched ranges; hooks are re-added when a page moved to another frame. */
  rearmWatches(force = false): void {
    if (!this.tracing() || this.proc.exited) return;
    const pieces: PhysicalWatch[] = [];
    for (const w of this.watches) pieces.push(...(this.physicalPieces(w) ?? []));
    const layout = pieces.map((p) => `${p.kind}:${p.start}:${p.end}`).join(',');
    if (!force && layout === this.watchLayout) return;
    this.watchLayout = layout;
    if (pieces.length === 0 && this.engineHooks === null) return;
    this.ensureHooks().setWatches(pieces);
  }

  /** After exec: the old image's breakpoints and watchpoints are gone, as with a real kernel. */
  forget(): void {
    if (this.engineHooks !== null) {
      for (const a of this.breakpoints) this.engineHooks.removeBreakpoint(a);
      this.engineHooks.setWatches([]);
    }
    this.breakpoints.clear();
    this.watches = [];
    this.watchLayout = '';
  }

  /** Detach, kill or exit: every breakpoint, watchpoint and engine hook goes. */
  remove(): void {
    this.breakpoints.clear();
    this.watches = [];
    if (this.engineHooks !== null) {
      this.enterProcess();
      this.engineHooks.close();
      this.engineHooks = null;
    }
  }
}
