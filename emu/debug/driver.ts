// Runs the machine under a debugger. uc_emu_start blocks the JS thread while gdb talks over a
// socket, so the machine runs in short bursts of scheduler turns with the event loop served
// in between (socket data, Ctrl-C); a stop parks the loop until gdb resumes. Only used with
// --gdb / --gdb-on-crash: the undebugged path (Machine.runAsync) has none of this.
import type { ExitStatus } from '../../kernel-shim/process.js';
import type { Machine } from '../machine.js';
import type { MachineTarget } from './machine-target.js';

/** Milliseconds the guest runs between event-loop turns while gdb is attached, and otherwise. */
const TRACED_BURST_MS = 5;
const FREE_BURST_MS = 20;

export async function runDebugged(machine: Machine, target: MachineTarget): Promise<ExitStatus> {
  const k = machine.kernel;
  const first = machine.process;
  if (first === undefined) throw new Error('runDebugged before load');
  const sched = k.scheduler;
  const allExited = (): boolean => [...k.processes.values()].every((p) => p.exited);
  for (;;) {
    if (target.stopped) {
      await target.waitForResume();
      continue;
    }
    let done: boolean;
    const step = target.runnableStepTask;
    if (step !== null) {
      sched.runTask(step);
      done = first.exited && allExited();
    } else {
      done = sched.runFor(first, performance.now() + (target.tracing ? TRACED_BURST_MS : FREE_BURST_MS));
    }
    target.afterTurn();
    if (done && !target.stopped) break;
    if (!target.stopped) await new Promise((resolve) => setImmediate(resolve));
  }
  return first.exitStatus ?? { code: 0 };
}
