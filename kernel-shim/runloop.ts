// The run loop: runs the current task on its engine and handles whatever stopped it
// (exit, faults, CPU exceptions), until the process exits.
import { Access } from '../emu/cpu/engine.js';
import type { Kernel } from './kernel.js';
import { exitProcess } from './lifecycle.js';
import type { ExitStatus, Process } from './process.js';
import { SIGFPE, SIGILL, SIGSEGV, SIGTRAP, defaultAction } from './signal/numbers.js';

/** Translated code of freed executable frames is dropped once this many frames wait for reuse. */
const QUARANTINE_LIMIT = 4096;

/** The signal a CPU exception raises (x86 vector -> Linux signal). */
function signalForException(intno: number): number {
  switch (intno) {
    case 0: return SIGFPE; // #DE divide error
    case 1: case 3: return SIGTRAP; // #DB, #BP
    case 6: return SIGILL; // #UD
    case 16: case 19: return SIGFPE; // x87 / SIMD floating point
    default: return SIGSEGV; // #GP, #SS, #NP and the rest
  }
}

export interface FatalSignal {
  signal: number;
  addr?: number;
  access?: Access;
}

function killedBy(sig: number): ExitStatus {
  return { code: 128 + sig, signal: sig, core: defaultAction(sig) === 'core' };
}

export function runToExit(kernel: Kernel, proc: Process, onFatal?: (f: FatalSignal) => void): ExitStatus {
  const engine = proc.engine;
  kernel.current = proc.mainTask;
  while (!proc.exited) {
    const reason = engine.run();
    if (proc.exited) break;
    if (kernel.frames.quarantined > QUARANTINE_LIMIT) {
      engine.flushCode();
      kernel.frames.releaseQuarantine();
    }
    let fatal: FatalSignal | undefined;
    switch (reason.kind) {
      case 'requested':
        continue;
      case 'fault':
        fatal = { signal: SIGSEGV, addr: reason.addr, access: reason.access };
        break;
      case 'exception':
        fatal = { signal: signalForException(reason.intno) };
        break;
      case 'invalid-instruction':
        fatal = { signal: SIGILL };
        break;
      case 'halted':
        // hlt is privileged: user mode gets #GP.
        fatal = { signal: SIGSEGV };
        break;
    }
    onFatal?.(fatal);
    exitProcess(proc, killedBy(fatal.signal));
  }
  return proc.exitStatus!;
}
