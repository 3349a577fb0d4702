// The process group and session ushim itself belongs to, which the first guest process
// inherits as a natively started program would. Inside a PID namespace whose session leader
// lives outside it (containers, CI), Linux reports the session as 0, and so must the guest.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const PROBE_TIMEOUT_MS = 100;

export interface HostSession {
  pgid: number;
  sid: number;
}

/** Fields 5 and 6 of /proc/self/stat; undefined where /proc cannot be read. */
export function hostSession(): HostSession | undefined {
  let stat: string;
  try {
    stat = readFileSync('/proc/self/stat', 'latin1');
  } catch {
    return undefined;
  }
  // comm may contain spaces and parentheses: the fields after it start past the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const pgid = Number(fields[2]);
  const sid = Number(fields[3]);
  return Number.isInteger(pgid) && Number.isInteger(sid) ? { pgid, sid } : undefined;
}

/**
 * Whether ushim's host process group is orphaned as Linux defines it (no member has a parent
 * in another group of the same session): a job a shell started is not, one a daemon or a
 * test runner started in a session of its own may be, and then SIGTSTP, SIGTTIN and SIGTTOU
 * do not stop it. The group's parents may live outside a PID namespace, where /proc cannot
 * see them, so the kernel is asked: a child in the group sends itself SIGTSTP. It exits at
 * once if the signal was discarded, and stays stopped (killed after a short wait) otherwise.
 */
export function hostGroupOrphaned(): boolean {
  const probe = spawnSync('/bin/sh', ['-c', 'kill -TSTP $$'], { stdio: 'ignore', timeout: PROBE_TIMEOUT_MS, killSignal: 'SIGKILL' });
  return probe.status === 0;
}
