// gdb's remote protocol numbers signals its own way (gdbsupport/signals.def), not the
// host's. The stub translates between those and Linux x86-64 numbers, as gdbserver does
// with gdb_signal_from_host / gdb_signal_to_host.

export const GDB_SIGNAL_UNKNOWN = 143;

// Linux number -> gdb number for 1..31.
const LINUX_TO_GDB: readonly number[] = [
  0,
  1, // SIGHUP
  2, // SIGINT
  3, // SIGQUIT
  4, // SIGILL
  5, // SIGTRAP
  6, // SIGABRT
  10, // SIGBUS
  8, // SIGFPE
  9, // SIGKILL
  30, // SIGUSR1
  11, // SIGSEGV
  31, // SIGUSR2
  13, // SIGPIPE
  14, // SIGALRM
  15, // SIGTERM
  GDB_SIGNAL_UNKNOWN, // SIGSTKFLT: gdb has no such signal
  20, // SIGCHLD
  19, // SIGCONT
  17, // SIGSTOP
  18, // SIGTSTP
  21, // SIGTTIN
  22, // SIGTTOU
  16, // SIGURG
  24, // SIGXCPU
  25, // SIGXFSZ
  26, // SIGVTALRM
  27, // SIGPROF
  28, // SIGWINCH
  23, // SIGIO
  32, // SIGPWR
  12, // SIGSYS
];

const GDB_TO_LINUX = new Map<number, number>();
LINUX_TO_GDB.forEach((g, l) => {
  if (l > 0 && g !== GDB_SIGNAL_UNKNOWN) GDB_TO_LINUX.set(g, l);
});

/** gdb's number for a Linux signal (0 stays 0). */
export function gdbSignalFromLinux(sig: number): number {
  if (sig >= 0 && sig < LINUX_TO_GDB.length) return LINUX_TO_GDB[sig];
  if (sig === 32) return 77; // GDB_SIGNAL_REALTIME_32
  if (sig >= 33 && sig <= 63) return sig + 12; // GDB_SIGNAL_REALTIME_33 = 45
  if (sig === 64) return 78; // GDB_SIGNAL_REALTIME_64
  return GDB_SIGNAL_UNKNOWN;
}

/** The Linux signal for a gdb signal number; 0 for 0 and for signals Linux lacks. */
export function linuxSignalFromGdb(sig: number): number {
  if (sig === 0) return 0;
  const l = GDB_TO_LINUX.get(sig);
  if (l !== undefined) return l;
  if (sig === 77) return 32;
  if (sig >= 45 && sig <= 75) return sig - 12;
  if (sig === 78) return 64;
  return 0;
}
