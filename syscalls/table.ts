// The syscall table: every number of ../shared/spec/syscall_64.tbl (via numbers.ts) with its
// name, and for implemented calls the handler, argument kinds, support level and notes.
// The README's support matrix is generated from this table.
import { SYSCALL_NAMES } from './numbers.js';
import type { SyscallDef } from './types.js';
import { fsSyscalls } from './fs.js';
import { rwSyscalls } from './rw.js';
import { statSyscalls } from './stat.js';
import { mmSyscalls } from './mm.js';
import { processSyscalls } from './process.js';
import { timeSyscalls } from './time.js';
import { infoSyscalls } from './info.js';
import { signalSyscalls } from './signal.js';
import { lifecycleSyscalls } from './lifecycle.js';
import { futexSyscalls } from './futex.js';
import { pollSyscalls } from './poll.js';

export interface SyscallTable {
  /** Indexed by syscall number; undefined where nothing is implemented. */
  readonly byNumber: readonly (SyscallDef | undefined)[];
  nameOf(nr: number): string;
}

export const ALL_DEFINITIONS: readonly SyscallDef[] = [
  ...fsSyscalls, ...rwSyscalls, ...statSyscalls, ...mmSyscalls, ...processSyscalls, ...timeSyscalls, ...infoSyscalls,
  ...signalSyscalls, ...lifecycleSyscalls, ...futexSyscalls, ...pollSyscalls,
];

export function buildTable(defs: readonly SyscallDef[] = ALL_DEFINITIONS): SyscallTable {
  const numberOf = new Map<string, number>();
  SYSCALL_NAMES.forEach((name, nr) => {
    if (name !== undefined) numberOf.set(name, nr);
  });
  const byNumber: (SyscallDef | undefined)[] = new Array(SYSCALL_NAMES.length).fill(undefined);
  for (const def of defs) {
    const nr = numberOf.get(def.name);
    if (nr === undefined) throw new Error(`syscall table: '${def.name}' is not in syscall_64.tbl`);
    if (byNumber[nr] !== undefined) throw new Error(`syscall table: '${def.name}' is defined twice`);
    byNumber[nr] = def;
  }
  return {
    byNumber,
    nameOf: (nr) => SYSCALL_NAMES[nr] ?? `syscall_${nr}`,
  };
}
