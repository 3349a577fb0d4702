// Which system calls the fixtures make. With USHIM_SYSCALL_LOG naming a file (npm test sets
// it), every ushim run of a fixture appends its --stats counters there, and the check at the
// end of the suite (syscall-coverage.test.ts) lists the syscall table's full and partial
// entries that no fixture made: the support matrix claims only what a fixture exercises.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The log file, or undefined when the suite does not collect. */
export function syscallLogFile(): string | undefined {
  const file = process.env.USHIM_SYSCALL_LOG?.trim();
  return file === undefined || file === '' ? undefined : path.resolve(file);
}

/**
 * The log, created if missing and writable by everyone (privileged-calls.test.ts runs fixtures
 * as uid 65534, through a bind mount that needs the file to exist); `truncate` empties it.
 */
export function openSyscallLog(truncate: boolean): string | undefined {
  const file = syscallLogFile();
  if (file === undefined) return undefined;
  fs.writeFileSync(file, '', { flag: truncate ? 'w' : 'a' });
  fs.chmodSync(file, 0o666);
  return file;
}

/** The ushim flags that log a run's calls, when the suite collects them. */
export function syscallLogArgs(): string[] {
  const file = syscallLogFile();
  return file === undefined ? [] : [`--stats=${file}`];
}

/** Calls and counts summed over every run in a log (the "syscalls N: name count, ..." lines of --stats). */
export function syscallsInLog(text: string): Map<string, number> {
  const seen = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^ {2}syscalls \d+: (.*)$/.exec(line);
    if (m === null) continue;
    for (const entry of m[1].split(', ')) {
      const [name, count] = entry.split(' ');
      if (name !== '') seen.set(name, (seen.get(name) ?? 0) + Number(count));
    }
  }
  return seen;
}
