// Job control: the stop and continue default actions. A stop signal stops every thread of
// the process (a group stop) until SIGCONT; the parent learns of both through wait4/waitid
// (WUNTRACED, WCONTINUED) and SIGCHLD with CLD_STOPPED/CLD_CONTINUED unless SA_NOCLDSTOP.
import type { Kernel } from '../kernel.js';
import type { Process } from '../process.js';
import { signalProcess } from './deliver.js';
import { SIGCHLD, SIGCONT, SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU } from './numbers.js';

const CLD_STOPPED = 5, CLD_CONTINUED = 6;
const SA_NOCLDSTOP = 1n;
export const STOP_SIGNALS: readonly number[] = [SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU];

/** What a stopped or continued child has not yet reported to a waiting parent. */
export type JobReport = { kind: 'stopped'; signo: number } | { kind: 'continued' };

/** A stop signal took its default action: the threads stop when the scheduler next picks them. */
export function groupStop(k: Kernel, proc: Process, sig: number): void {
  if (proc.stopped || proc.exited) return;
  proc.stopped = true;
  proc.jobReport = { kind: 'stopped', signo: sig };
  tellParent(k, proc, proc.jobReport);
}

/**
 * SIGCONT was sent (whatever its disposition): pending stop signals are dropped and a
 * stopped process runs again.
 */
export function groupContinue(k: Kernel, proc: Process): void {
  for (const sig of STOP_SIGNALS) {
    proc.pending.discard(sig);
    for (const t of proc.tasks) t.pending.discard(sig);
  }
  if (!proc.stopped) return;
  proc.stopped = false;
  proc.jobReport = { kind: 'continued' };
  k.scheduler.resumeStopped(proc);
  tellParent(k, proc, proc.jobReport);
}

/** A stop signal was sent: a pending SIGCONT goes, as Linux's prepare_signal does. */
export function stopSignalSent(proc: Process): void {
  proc.pending.discard(SIGCONT);
  for (const t of proc.tasks) t.pending.discard(SIGCONT);
}

/**
 * An orphaned process group (no member's parent is in another group of the same session)
 * has no shell to continue it: stop signals other than SIGSTOP leave it running. A guest
 * process whose parent is outside ushim (the first one) asks the host about its group.
 */
export function orphanedGroup(k: Kernel, pgid: number): boolean {
  let hostParent = false;
  for (const p of k.processes.values()) {
    if (p.exited || p.pgid !== pgid) continue;
    const parent = p.parent;
    if (parent === undefined) hostParent ||= p.ppid !== 1;
    else if (!parent.exited && parent.pgid !== pgid && parent.sid === p.sid) return false;
  }
  return !hostParent || (k.options.hostGroupOrphaned?.() ?? false);
}

/** si_code and si_status of a stopped or continued child, as SIGCHLD and waitid report it. */
export function jobReportState(report: JobReport): { code: number; status: number } {
  return report.kind === 'stopped' ? { code: CLD_STOPPED, status: report.signo } : { code: CLD_CONTINUED, status: SIGCONT };
}

function tellParent(k: Kernel, proc: Process, report: JobReport): void {
  const parent = proc.parent;
  if (parent === undefined || parent.exited) return;
  if (!(parent.sighand.actions[SIGCHLD].flags & SA_NOCLDSTOP)) {
    signalProcess(k, parent, { signo: SIGCHLD, errno: 0, ...jobReportState(report), layout: 'chld', pid: proc.pid, uid: proc.uid, utime: 0n, stime: 0n });
  }
  parent.childEvents.wakeAll();
}
