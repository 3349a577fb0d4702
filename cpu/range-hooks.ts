// Code hooks bounded to address ranges, for instrumentation that must not cost anything
// elsewhere (trampfd v2 invocation counting under --stats/--strace). Unicorn decides at
// translation time whether an instruction calls a code hook, so a range hook costs nothing
// outside its range; inside, one host call per instruction (~165 ns).
//
// One koffi callback serves every range of a RangeHooks (registering a callback from inside a
// hook, where mmap runs, does not work with koffi); it finds the range by address. Hooks are
// never deleted: a deleted hook can still be called from translations made while it existed
// (see debug-hooks.ts), so callbacks check that their range still means what it meant.
import type { CpuEngine } from './engine.js';
import { CodeCallback, koffi, uc_hook_type } from './unicorn.js';

export type CodeHookFn = (address: number) => void;

interface Range {
  begin: number;
  end: number;
  fn: CodeHookFn;
  onError: (e: unknown) => void;
}

function u64(x: number | bigint): number {
  if (typeof x === 'bigint') return Number(BigInt.asUintN(64, x));
  return x < 0 ? x + 2 ** 64 : x;
}

export class RangeHooks {
  private readonly ranges: Range[] = [];
  private callback: unknown;

  /** Registers the shared callback: make it outside any hook (engine creation time). */
  constructor() {
    this.callback = koffi.register((_uc: unknown, address: number | bigint) => this.dispatch(u64(address)), koffi.pointer(CodeCallback));
  }

  private dispatch(a: number): void {
    for (const r of this.ranges) {
      if (a < r.begin || a > r.end) continue;
      try {
        r.fn(a);
      } catch (e) {
        r.onError(e);
      }
    }
  }

  /** Calls fn(address) before every instruction in [begin, end] (inclusive), on fresh code. */
  add(engine: CpuEngine, begin: number, end: number, fn: CodeHookFn, onError: (e: unknown) => void): void {
    this.ranges.push({ begin, end, fn, onError });
    // Translations made before the hook existed would not call it: callers hook fresh pages
    // (new frames, which have no translations yet).
    engine.addExtraHook(uc_hook_type.HOOK_CODE, this.callback, begin, end);
  }

  /** Unregisters the callback once the engine it served is closed. */
  close(): void {
    if (this.callback === undefined) return;
    koffi.unregister(this.callback as bigint);
    this.callback = undefined;
    this.ranges.length = 0;
  }
}
