// Instrumentation hooks on one engine: per-instruction code hooks, per-block hooks and memory
// access hooks, each bounded to an address range, for --trace (emu/debug/trace.ts) and the
// programmable API (emu/index.ts). Nothing here exists unless asked for: an engine without
// instrumentation has no extra Unicorn hook and runs exactly as fast as before.
//
// Unicorn facts these rely on (2.1.1, measured; see also debug-hooks.ts):
// - Whether an instruction calls a code or block hook is decided when it is translated, and
//   only for addresses inside the hook's [begin, end] (inclusive; begin > end means every
//   address). Code translated before a hook was added does not call it, and code translated
//   while a deleted hook existed may still call it: after adding or removing code or block
//   hooks, drop translations (engine.flushCode(), never from inside a hook). Callbacks of
//   removed hooks check that they are still alive and never get unregistered while the
//   engine exists (calling an unregistered koffi trampoline crashes the process).
// - A block hook runs each time a translated block is entered, with the block's start and
//   size in bytes; a bounded one only for blocks that start inside the range.
// - Memory hooks see physical addresses (virtual TLB mode) and are matched on the first byte
//   of the access; accesses through TLB entries made before the hook existed bypass it, so
//   flush the TLB after adding memory hooks. HOOK_MEM_READ_AFTER reports the value read,
//   HOOK_MEM_WRITE the value about to be written.
// - Exceptions in callbacks stop the run and are rethrown by engine.run() (failFromHook).
import type { TypeObject } from 'koffi';
import type { CpuEngine } from './engine.js';
import { CodeCallback, koffi, uc_hook_type } from './unicorn.js';

/** Called before an instruction (code hook) or on entering a translated block (block hook). */
export type CodeHookFn = (address: number, size: number) => void;
/** Called for a guest load (after it, with the value read) or store (before it, with the value). */
export type MemoryHookFn = (write: boolean, paddr: number, size: number, value: bigint) => void;

const MemCallback = koffi.proto('void uc_cb_hookmem_instr_t(void *uc, int type, uint64_t address, int size, int64_t value, void *user)');
const UC_MEM_WRITE = 17;

function u64(x: number | bigint): number {
  if (typeof x === 'bigint') return Number(BigInt.asUintN(64, x));
  return x < 0 ? x + 2 ** 64 : x;
}

interface Installed {
  handle: bigint;
  alive: { value: boolean };
}

export class InstrumentHooks {
  private readonly installed = new Map<number, Installed>();
  /** koffi trampolines of every hook ever added; released only by close(), after the engine's. */
  private readonly callbacks: unknown[] = [];
  private nextId = 1;

  constructor(readonly engine: CpuEngine) {}

  /** fn(address, size) before every instruction in [begin, end]; flushCode() afterwards. */
  addCode(begin: number, end: number, fn: CodeHookFn): number {
    return this.add(uc_hook_type.HOOK_CODE, CodeCallback, begin, end, (alive) => (_uc: unknown, address: number | bigint, size: number) => {
      if (alive.value) fn(u64(address), size);
    });
  }

  /** fn(address, size) each time a translated block starting in [begin, end] runs; flushCode() afterwards. */
  addBlock(begin: number, end: number, fn: CodeHookFn): number {
    return this.add(uc_hook_type.HOOK_BLOCK, CodeCallback, begin, end, (alive) => (_uc: unknown, address: number | bigint, size: number) => {
      if (alive.value) fn(u64(address), size);
    });
  }

  /**
   * fn for loads ('read', after the access, with the value) or stores ('write', before it)
   * whose first byte is in the physical range [begin, end]; flushTlb() afterwards.
   */
  addMemory(kind: 'read' | 'write', begin: number, end: number, fn: MemoryHookFn): number {
    const type = kind === 'read' ? uc_hook_type.HOOK_MEM_READ_AFTER : uc_hook_type.HOOK_MEM_WRITE;
    return this.add(type, MemCallback, begin, end, (alive) => (_uc: unknown, t: number, address: number | bigint, size: number, value: number | bigint) => {
      if (alive.value) fn(t === UC_MEM_WRITE, u64(address), size, BigInt.asUintN(64, BigInt(value)));
    });
  }

  /** Removes a hook (never from inside a hook); flushCode() afterwards for code and block hooks. */
  remove(id: number): void {
    const h = this.installed.get(id);
    if (h === undefined) return;
    this.installed.delete(id);
    h.alive.value = false;
    this.engine.deleteExtraHook(h.handle);
  }

  /** Removes every hook. */
  removeAll(): void {
    for (const id of [...this.installed.keys()]) this.remove(id);
  }

  get size(): number {
    return this.installed.size;
  }

  /** Releases the callbacks; only after the engine was closed (uc_close). */
  close(): void {
    this.installed.clear();
    for (const cb of this.callbacks) koffi.unregister(cb as bigint);
    this.callbacks.length = 0;
  }

  private add(type: number, proto: TypeObject, begin: number, end: number, make: (alive: { value: boolean }) => (...args: never[]) => void): number {
    const alive = { value: true };
    const fn = make(alive);
    const engine = this.engine;
    const guarded = (...args: never[]): void => {
      try {
        fn(...args);
      } catch (e) {
        engine.failFromHook(e);
      }
    };
    const cb = koffi.register(guarded, koffi.pointer(proto));
    this.callbacks.push(cb);
    const id = this.nextId++;
    this.installed.set(id, { handle: engine.addExtraHook(type, cb, begin, end), alive });
    return id;
  }
}

/**
 * Recognises a code hook call that repeats one for an instruction that never ran. A stop
 * requested while a code hook runs (by another hook, a breakpoint's) ends the run before
 * that instruction executes (Unicorn checks for a stop after each code
 * hook); the instruction runs first thing in its task's next run, and its hooks are called
 * again. Such a call is the first of a run, starts that run, and is at the address of the
 * task's last hooked instruction in an earlier run. (Unicorn's own instruction counting,
 * deterministic mode's slices, runs before any other hook, so it causes no repeats. The one
 * false match: a one-instruction loop stopped exactly there loses one iteration.)
 */
export class ReplayFilter<Key extends object> {
  private readonly last = new WeakMap<Key, { address: number; run: number }>();
  private run = -1;

  constructor(private readonly engine: CpuEngine) {}

  /** Call on every hook call: true when this one repeats a call for the same execution. */
  repeated(key: Key, address: number): boolean {
    const run = this.engine.runCount;
    const first = run !== this.run;
    this.run = run;
    const last = this.last.get(key);
    const repeat = first && last !== undefined && last.run !== run && last.address === address && address === this.engine.runStart;
    if (last === undefined) this.last.set(key, { address, run });
    else {
      last.address = address;
      last.run = run;
    }
    return repeat;
  }
}
