// Code hooks bounded to address ranges, for instrumentation that must not cost anything
// elsewhere (trampfd v2 invocation counting under --stats/--strace). Unicorn decides at
// translation time whether an instruction calls a code hook, so a range hook costs nothing
// outside its range; inside, one host call per instruction (~165 ns).
//
// One koffi callback serves every range (registering a callback from inside a hook, where
// mmap runs, does not work with koffi); it finds the range by address. Hooks are never
// deleted: a deleted hook can still be called from translations made while it existed (see
// debug-hooks.ts), so callbacks check that their range still means what it meant.
import type { CpuEngine } from './engine.js';
import { CodeCallback, check, koffi, uc, uc_hook_type } from './unicorn.js';

export type CodeHookFn = (address: number) => void;

interface Range {
  begin: number;
  end: number;
  fn: CodeHookFn;
  onError: (e: unknown) => void;
}

const ranges: Range[] = [];

function u64(x: number | bigint): number {
  if (typeof x === 'bigint') return Number(BigInt.asUintN(64, x));
  return x < 0 ? x + 2 ** 64 : x;
}

function dispatch(_uc: unknown, address: number | bigint): void {
  const a = u64(address);
  for (const r of ranges) {
    if (a < r.begin || a > r.end) continue;
    try {
      r.fn(a);
    } catch (e) {
      r.onError(e);
    }
  }
}

let callback: unknown;

/** Registers the shared callback; call outside any hook (engine creation time). */
export function prepareRangeHooks(): void {
  callback ??= koffi.register(dispatch, koffi.pointer(CodeCallback));
}

/** Calls fn(address) before every instruction in [begin, end] (inclusive), on fresh code. */
export function addCodeRangeHook(engine: CpuEngine, begin: number, end: number, fn: CodeHookFn, onError: (e: unknown) => void): void {
  prepareRangeHooks();
  ranges.push({ begin, end, fn, onError });
  const out: [bigint] = [0n];
  // Translations made before the hook existed would not call it: callers hook fresh pages
  // (new frames, which have no translations yet).
  check(uc.hookAdd(engine.handle, out, uc_hook_type.HOOK_CODE, callback, null, BigInt(begin), BigInt(end)), 'uc_hook_add');
}
