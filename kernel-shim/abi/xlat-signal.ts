// Signal names and signal-related constants, as strace 6.1 prints them.
import { type Xlat, bitsFrom, numberedFrom } from './xlat.js';

export const SIGPROCMASK_HOW: Xlat = numberedFrom(0, ['SIG_BLOCK', 'SIG_UNBLOCK', 'SIG_SETMASK']);

/** Signal names by number; 32..64 are the real-time signals. */
const SIGNAL_NAMES: readonly string[] = [
  '',
  'SIGHUP',
  'SIGINT',
  'SIGQUIT',
  'SIGILL',
  'SIGTRAP',
  'SIGABRT',
  'SIGBUS',
  'SIGFPE',
  'SIGKILL',
  'SIGUSR1',
  'SIGSEGV',
  'SIGUSR2',
  'SIGPIPE',
  'SIGALRM',
  'SIGTERM',
  'SIGSTKFLT',
  'SIGCHLD',
  'SIGCONT',
  'SIGSTOP',
  'SIGTSTP',
  'SIGTTIN',
  'SIGTTOU',
  'SIGURG',
  'SIGXCPU',
  'SIGXFSZ',
  'SIGVTALRM',
  'SIGPROF',
  'SIGWINCH',
  'SIGIO',
  'SIGPWR',
  'SIGSYS',
];

const SIGRTMIN = 32;

const SIGRTMAX = 64;

/** strace's name for a signal number: SIGSEGV, SIGRTMIN, SIGRT_2 (= 34), or the number itself. */
export function signalName(sig: number): string {
  if (sig > 0 && sig < SIGRTMIN) return SIGNAL_NAMES[sig];
  if (sig === SIGRTMIN) return 'SIGRTMIN';
  if (sig > SIGRTMIN && sig <= SIGRTMAX) return `SIGRT_${sig - SIGRTMIN}`;
  return String(sig);
}

/** siginfo si_code values every signal can carry (values are signed). */
export const SI_CODES: Xlat = [
  ['SI_USER', 0],
  ['SI_KERNEL', 0x80],
  ['SI_QUEUE', -1],
  ['SI_TIMER', -2],
  ['SI_MESGQ', -3],
  ['SI_ASYNCIO', -4],
  ['SI_SIGIO', -5],
  ['SI_TKILL', -6],
  ['SI_DETHREAD', -7],
  ['SI_ASYNCNL', -60],
];

/** SIGCHLD's own si_code values. */
export const CLD_CODES: Xlat = numberedFrom(1, [
  'CLD_EXITED', 'CLD_KILLED', 'CLD_DUMPED', 'CLD_TRAPPED', 'CLD_STOPPED', 'CLD_CONTINUED',
]);

/** sigaction's sa_flags, in strace's order. */
export const SA_FLAGS: Xlat = [
  ...bitsFrom(0x04000000, ['SA_RESTORER', 'SA_ONSTACK', 'SA_RESTART']),
  ['SA_NODEFER', 0x40000000],
  ['SA_RESETHAND', 0x80000000],
  ['SA_SIGINFO', 0x4],
  ['SA_NOCLDSTOP', 0x1],
  ['SA_NOCLDWAIT', 0x2],
  ['SA_UNSUPPORTED', 0x400],
  ['SA_EXPOSE_TAGBITS', 0x800],
];

/** sa_handler values that are not addresses. */
export const SIG_HANDLERS: Xlat = [['SIG_DFL', 0], ['SIG_IGN', 1]];

/** stack_t's ss_flags (sigaltstack). */
export const SS_FLAGS: Xlat = [
  ['SS_ONSTACK', 0x1],
  ['SS_DISABLE', 0x2],
  ['SS_AUTODISARM', 0x80000000],
];
