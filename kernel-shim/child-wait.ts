// wait4/waitid (do_wait): which child has something to report to its parent (an exit, a
// stop, a continue), sleeping on the parent's childEvents until one has, and reaping an
// exited child once its report was taken, which removes it from the process table.
import { Errno } from './errno.js';
import type { Kernel } from './kernel.js';
import { exitReport } from './lifecycle.js';
import type { Process } from './process.js';
import { jobReportState } from './signal/jobctl.js';
import type { Task } from './task.js';
import { type Block, block, isBlock } from './wait.js';

export const WNOHANG = 1, WUNTRACED = 2, WEXITED = 4, WCONTINUED = 8, WNOWAIT = 0x01000000, WNOTHREAD = 0x20000000,
  WALL = 0x40000000, WCLONE = 0x80000000 | 0;

/** Which children a wait selects, as wait4's pid says it: -1 any, > 0 that pid, 0 the caller's group, < -1 group -pid. */
function matches(parent: Process, child: Process, pid: number): boolean {
  if (pid === -1) return true;
  if (pid > 0) return child.pid === pid;
  if (pid === 0) return child.pgid === parent.pgid;
  return child.pgid === -pid;
}

/** The first child with something to report under `options`: exit (WEXITED), stop (WUNTRACED), continue (WCONTINUED). */
function reportable(candidates: Process[], options: number): Process | undefined {
  return candidates.find((c) => {
    if (c.exited) return !c.reaped && (options & WEXITED) !== 0;
    const r = c.jobReport;
    return r !== undefined && (r.kind === 'stopped' ? (options & WUNTRACED) !== 0 : (options & WCONTINUED) !== 0);
  });
}

/**
 * The child `t`'s wait selects (pid as for wait4) that has something to report; -ECHILD when
 * no child matches; with WNOHANG 0 when none is ready, else a Block until one may be.
 */
export function waitableChild(t: Task, pid: number, options: number): Process | number | Block {
  const parent = t.process;
  const candidates = parent.children.filter((c) => matches(parent, c, pid));
  if (candidates.length === 0) return -Errno.ECHILD;
  const child = reportable(candidates, options);
  if (child !== undefined) return child;
  return options & WNOHANG ? 0 : block([parent.childEvents]);
}

/** The report was delivered: an exited child is reaped (leaves the table), a stop or continue is consumed. */
export function takeReport(k: Kernel, parent: Process, child: Process): void {
  if (!child.exited) {
    child.jobReport = undefined;
    return;
  }
  child.reaped = true;
  parent.children.splice(parent.children.indexOf(child), 1);
  k.processes.delete(child.pid);
}

/** Status word as wait4 reports it: exit, death by signal, stop (sig << 8 | 0x7f), continue (0xffff). */
export function statusWord(p: Process): number {
  const s = p.exitStatus;
  if (s === undefined) return p.jobReport?.kind === 'stopped' ? (p.jobReport.signo << 8) | 0x7f : 0xffff;
  return s.signal === undefined ? (s.code & 0xff) << 8 : s.signal | (s.core ? 0x80 : 0);
}

/** si_code and si_status of what a reportable child reports: its exit, stop or continue. */
export function childState(c: Process): { code: number; status: number } {
  return c.exitStatus !== undefined ? exitReport(c.exitStatus) : jobReportState(c.jobReport!);
}

const P_ALL = 0, P_PID = 1, P_PGID = 2;
const WAIT4_OPTIONS = WNOHANG | WUNTRACED | WCONTINUED | WNOTHREAD | WALL | WCLONE;

/**
 * wait4(pid, options): `publish` stores the child's status word for the caller (false:
 * EFAULT; the child is reaped all the same, as Linux copies out after do_wait); the child's
 * pid, 0 (WNOHANG), a Block or -errno.
 */
export function wait4(k: Kernel, t: Task, pid: number, options: number, publish: (status: number) => boolean): number | Block {
  if (options & ~WAIT4_OPTIONS) return -Errno.EINVAL;
  const child = waitableChild(t, pid, options | WEXITED);
  if (typeof child === 'number' || isBlock(child)) return child;
  const status = statusWord(child);
  takeReport(k, t.process, child);
  return publish(status) ? child.pid : -Errno.EFAULT;
}

/** What waitid reports of a child (siginfo's CLD_* fields). */
export interface ChildReport {
  pid: number;
  uid: number;
  code: number;
  status: number;
}

/**
 * waitid(idtype, id, options): `publish` stores the report (null: none, under WNOHANG) for
 * the caller (false: EFAULT, after reaping as wait4); WNOWAIT leaves the child reportable. 0, a
 * Block or -errno.
 */
export function waitid(k: Kernel, t: Task, idtype: number, id: number, options: number, publish: (report: ChildReport | null) => boolean): number | Block {
  if (options & ~(WAIT4_OPTIONS | WEXITED | WNOWAIT)) return -Errno.EINVAL;
  if (!(options & (WEXITED | WUNTRACED | WCONTINUED))) return -Errno.EINVAL;
  let pid: number;
  if (idtype === P_ALL) pid = -1;
  else if (idtype === P_PID) pid = id;
  else if (idtype === P_PGID) pid = id === 0 ? 0 : -id;
  else return -Errno.EINVAL;
  const child = waitableChild(t, pid, options);
  if (child === 0) return publish(null) ? 0 : -Errno.EFAULT;
  if (typeof child === 'number' || isBlock(child)) return child;
  const report = { pid: child.pid, uid: child.uid, ...childState(child) };
  if (!(options & WNOWAIT)) takeReport(k, t.process, child);
  return publish(report) ? 0 : -Errno.EFAULT;
}
