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
import { trampfdSyscalls } from './trampfd.js';
import { uffdSyscalls } from './uffd.js';
import { xattrSyscalls } from './xattr.js';
import { schedSyscalls } from './sched.js';
import { capabilitySyscalls } from './capability.js';
import { ipcSyscalls } from './ipc.js';
import { kcmpSyscalls } from './kcmp.js';
import { namespaceSyscalls } from './namespaces.js';
import { pidfdSyscalls } from './pidfd.js';
import { processVmSyscalls } from './process-vm.js';
import { timerSyscalls } from './timers.js';
import { fileSpaceSyscalls } from './file-space.js';
import { netSyscalls } from './net.js';
import { inotifySyscalls } from './inotify.js';
import { mqueueSyscalls } from './mqueue.js';
import { aioSyscalls } from './aio.js';
import { numaSyscalls } from './numa.js';
import { privilegedSyscalls } from './privileged.js';
import { EXTRA_SYSCALLS, extraSyscallName } from './extra-numbers.js';

export interface SyscallTable {
  /** Indexed by syscall number; undefined where nothing is implemented. */
  readonly byNumber: readonly (SyscallDef | undefined)[];
  nameOf(nr: number): string;
}

export const ALL_DEFINITIONS: readonly SyscallDef[] = [
  ...fsSyscalls, ...rwSyscalls, ...statSyscalls, ...mmSyscalls, ...processSyscalls, ...timeSyscalls, ...infoSyscalls,
  ...signalSyscalls, ...lifecycleSyscalls, ...futexSyscalls, ...pollSyscalls, ...trampfdSyscalls, ...uffdSyscalls, ...xattrSyscalls,
  ...schedSyscalls, ...capabilitySyscalls, ...kcmpSyscalls, ...namespaceSyscalls, ...pidfdSyscalls,
  ...processVmSyscalls,
  ...timerSyscalls,
  ...fileSpaceSyscalls,
  ...netSyscalls,
  ...inotifySyscalls,
  ...mqueueSyscalls,
  ...aioSyscalls,
  ...ipcSyscalls,
  ...numaSyscalls,
  ...privilegedSyscalls,
];

/**
 * defs go to their numbers in syscall_64.tbl, or to ushim's own numbers (extra-numbers.ts).
 * aliases (number -> name) make an upstream number call another definition instead
 * (--trampfd-440: the trampfd RFCs' 440 instead of process_madvise).
 */
export function buildTable(defs: readonly SyscallDef[] = ALL_DEFINITIONS, aliases: ReadonlyMap<number, string> = new Map()): SyscallTable {
  const numberOf = new Map<string, number>();
  SYSCALL_NAMES.forEach((name, nr) => {
    if (name !== undefined) numberOf.set(name, nr);
  });
  for (const extra of EXTRA_SYSCALLS) numberOf.set(extra.name, extra.nr);
  const size = Math.max(SYSCALL_NAMES.length, ...EXTRA_SYSCALLS.map((e) => e.nr + 1));
  const byNumber = new Array<SyscallDef | undefined>(size).fill(undefined);
  for (const def of defs) {
    const nr = numberOf.get(def.name);
    if (nr === undefined) throw new Error(`syscall table: '${def.name}' is not in syscall_64.tbl`);
    if (byNumber[nr] !== undefined) throw new Error(`syscall table: '${def.name}' is defined twice`);
    byNumber[nr] = def;
  }
  for (const [nr, name] of aliases) byNumber[nr] = defs.find((d) => d.name === name);
  return {
    byNumber,
    nameOf: (nr) => aliases.get(nr) ?? extraSyscallName(nr) ?? SYSCALL_NAMES[nr] ?? `syscall_${nr}`,
  };
}
