// Signal names and signal-related constants, as strace 6.1 prints them.
import type { Xlat } from './xlat.js';

export const SIGPROCMASK_HOW: Xlat = [
  ['SIG_BLOCK', 0],
  ['SIG_UNBLOCK', 1],
  ['SIG_SETMASK', 2],
];

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
export const CLD_CODES: Xlat = [
  ['CLD_EXITED', 1],
  ['CLD_KILLED', 2],
  ['CLD_DUMPED', 3],
  ['CLD_TRAPPED', 4],
  ['CLD_STOPPED', 5],
  ['CLD_CONTINUED', 6],
];
