// Thread ids as gdb writes them: "tid", or "pPID.TID" with the multiprocess extensions; each
// part a hex number, -1 (all) or 0 (any).
import { hex, parseIdPart } from './packet-args.js';

export interface ThreadId {
  pid: number | 'all' | 'any';
  tid: number | 'all' | 'any';
}

export function parseThreadId(s: string): ThreadId | null {
  if (s.startsWith('p')) {
    const dot = s.indexOf('.');
    const pid = parseIdPart(dot < 0 ? s.slice(1) : s.slice(1, dot));
    const tid = dot < 0 ? 'all' : parseIdPart(s.slice(dot + 1));
    if (pid === null || tid === null) return null;
    return { pid, tid };
  }
  const tid = parseIdPart(s);
  return tid === null ? null : { pid: 'any', tid };
}

export function formatThreadId(tid: number, pid: number, multiprocess: boolean): string {
  return multiprocess ? `p${hex(pid)}.${hex(tid)}` : hex(tid);
}

/** Whether the id names the debugged process (or any or all processes). */
export function matchesProcess(id: ThreadId, pid: number): boolean {
  return typeof id.pid !== 'number' || id.pid === pid;
}
