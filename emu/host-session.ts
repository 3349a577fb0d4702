// The process group and session ushim itself belongs to, which the first guest process
// inherits as a natively started program would. Inside a PID namespace whose session leader
// lives outside it (containers, CI), Linux reports the session as 0, and so must the guest.
import { readFileSync } from 'node:fs';

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
