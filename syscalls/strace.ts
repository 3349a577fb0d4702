// Formats system calls the way strace 6.1 prints them by default (-s 32, -a 40, no -v):
//   openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3
// A call that blocks can be printed in two halves, "read(0, " on entry and
// "\"abc\\n\", 1024) = 4" on exit, with strace's <unfinished ...> / <... read resumed> forms.
import { strerror } from '../kernel-shim/abi/strerror.js';
import { FD_FLAGS } from '../kernel-shim/abi/xlat.js';
import { SUID_DUMP } from '../kernel-shim/abi/xlat-process.js';
import { errnoName } from '../kernel-shim/errno.js';
import { type ArgSpec, isOutputKind, specKind } from './argkinds.js';
import { SYSCALLS } from './numbers.js';
import { errnoOf, formatArg, isValueChange, personality } from './strace-args.js';
import { resultKind } from './strace-signature.js';
import { schedPolicy } from './strace-sched-structs.js';
import { selectOutcome } from './strace-select.js';
import * as St from './strace-structs.js';
import * as Tm from './strace-time-structs.js';
import { flags, type GuestReader, hex, lookup, octal, openFlags } from './strace-values.js';
import { MEMBARRIER_CMDS } from './strace-xlat.js';

export { type GuestReader, quoteBytes } from './strace-values.js';

export interface StraceOptions {
  /** Column the " = result" is padded to (strace -a); default 40. 0 disables padding. */
  column?: number;
  /** Text before the call on the same line, e.g. "[pid 42] "; counts toward the column. */
  prefix?: string;
}

const DEFAULT_COLUMN = 40;

const NORETURN = new Set(SYSCALLS.filter((s) => s.noreturn).map((s) => s.name));

/** Kernel-internal restart codes: strace prints "= ? NAME (explanation)" instead of -1. */
const RESTART_ERRORS: ReadonlyMap<number, string> = new Map([
  [512, 'ERESTARTSYS (To be restarted if SA_RESTART is set)'],
  [513, 'ERESTARTNOINTR (To be restarted)'],
  [514, 'ERESTARTNOHAND (To be restarted if no handler)'],
  [516, 'ERESTART_RESTARTBLOCK (Interrupted by signal)'],
]);

/** The whole line: name(args) = result. result null means the call did not return ("= ?"). */
export function formatSyscall(
  name: string,
  kinds: readonly ArgSpec[],
  args: readonly bigint[],
  result: bigint | null,
  mem: GuestReader,
  opts: StraceOptions = {},
): string {
  const head = `${opts.prefix ?? ''}${formatEnter(name, kinds, args, mem)}${exitArgs(kinds, args, result, mem)})`;
  return align(head, formatResult(name, args, result, mem), opts.column);
}

/** The part printed when the call starts: "read(0, " (arguments up to the first one the call fills in). */
export function formatEnter(name: string, kinds: readonly ArgSpec[], args: readonly bigint[], mem: GuestReader): string {
  const split = splitIndex(kinds);
  const before = kinds.slice(0, split).map((spec, i) => formatArg(spec, i, args, null, mem));
  const sep = split > 0 && split < kinds.length && !isValueChange(kinds[split]) ? ', ' : '';
  return `${name}(${before.join(', ')}${sep}`;
}

/** The rest, once the call returned: "\"abc\\n\", 1024) = 4". formatEnter + formatExit is the unpadded line. */
export function formatExit(
  name: string,
  kinds: readonly ArgSpec[],
  args: readonly bigint[],
  result: bigint | null,
  mem: GuestReader,
): string {
  return `${exitArgs(kinds, args, result, mem)}) = ${formatResult(name, args, result, mem)}`;
}

/** "read(0,  <unfinished ...>": the entry half when another line will come in between. */
export function formatUnfinished(
  name: string,
  kinds: readonly ArgSpec[],
  args: readonly bigint[],
  mem: GuestReader,
  opts: StraceOptions = {},
): string {
  return `${opts.prefix ?? ''}${formatEnter(name, kinds, args, mem)} <unfinished ...>`;
}

/** "<... read resumed>\"abc\\n\", 1024) = 4": the exit half of an unfinished call. */
export function formatResumed(
  name: string,
  kinds: readonly ArgSpec[],
  args: readonly bigint[],
  result: bigint | null,
  mem: GuestReader,
  opts: StraceOptions = {},
): string {
  const head = `${opts.prefix ?? ''}<... ${name} resumed>${exitArgs(kinds, args, result, mem)})`;
  return align(head, formatResult(name, args, result, mem), opts.column);
}

function align(head: string, resultText: string, column = DEFAULT_COLUMN): string {
  return `${`${head} `.padEnd(column)}= ${resultText}`;
}

function splitIndex(kinds: readonly ArgSpec[]): number {
  const i = kinds.findIndex((spec) => isOutputKind(specKind(spec)));
  return i < 0 ? kinds.length : i;
}

function exitArgs(kinds: readonly ArgSpec[], args: readonly bigint[], result: bigint | null, mem: GuestReader): string {
  const split = splitIndex(kinds);
  return kinds
    .slice(split)
    .map((spec, j) => `${j === 0 || isValueChange(spec) ? '' : ', '}${formatArg(spec, split + j, args, result, mem)}`)
    .join('');
}

function formatResult(name: string, args: readonly bigint[], result: bigint | null, mem: GuestReader): string {
  if (result === null || NORETURN.has(name)) return '?';
  const errno = errnoOf(result);
  if (errno !== null) {
    const restart = RESTART_ERRORS.get(errno);
    if (restart) return `? ${restart}`;
    const errName = errnoName(errno);
    return `-1 ${errName === `E${errno}` ? errno : errName} (${strerror(errno)})`;
  }
  const kind = resultKind(name, args);
  switch (kind) {
    case 'dec':
      return String(BigInt.asIntN(64, result));
    case 'hex':
      return hex(result);
    case 'octal':
      return octal(BigInt.asUintN(32, result));
    case 'fcntl_getfl':
      return `${hex(result)} (flags ${openFlags(result)})`;
    case 'fcntl_getfd':
      return result === 0n ? '0' : `${hex(result)} (flags ${flags(result, FD_FLAGS, null)})`;
    case 'dumpable': {
      const dumpable = lookup(SUID_DUMP, result);
      return dumpable ? `${result} (${dumpable})` : String(result);
    }
    case 'personality':
      return `${hex(result)} (${personality(result)})`;
    case 'poll':
      return `${result} (${Tm.pollOutcome(result, args[0] ?? 0n, BigInt.asUintN(32, args[1] ?? 0n), null, mem)})`;
    case 'ppoll':
      return `${result} (${Tm.pollOutcome(result, args[0] ?? 0n, BigInt.asUintN(32, args[1] ?? 0n), args[2] ?? 0n, mem)})`;
    case 'time':
      return `${BigInt.asIntN(64, result)} (${St.isoDate(BigInt.asIntN(64, result))})`;
    case 'select':
    case 'pselect6':
      return `${result} (${selectOutcome(result, args, kind === 'pselect6', mem)})`;
    case 'sched_policy': {
      const policy = schedPolicy(result);
      return policy.includes('???') ? String(result) : `${result} (${policy})`;
    }
    case 'membarrier_query':
      return result === 0n ? '0' : `${hex(result)} (${flags(result, MEMBARRIER_CMDS, null)})`;
  }
}
