// What a program inherits through execve from the process that starts it, read from ushim's
// own process so that the first guest process starts as a natively run program would: the
// umask, the resource limits and the ignored signals. Node resets every signal disposition
// before any JavaScript runs, so bin/ushim, run directly, reads them first as a shell script
// and passes them in USHIM_HOST_SIGIGN (absent: none are known). Node also raises the soft
// RLIMIT_NOFILE to the hard one when they differ.
import { readFileSync } from 'node:fs';

/** The RLIMIT_* values, in their numbering (the rows of /proc/self/limits are in that order). */
export interface HostLimits {
  cur: bigint;
  max: bigint;
}

export interface HostInheritance {
  umask: number;
  limits: HostLimits[];
  /** Bit N-1 set: signal N was ignored when ushim started (SigIgn of /proc/<pid>/status). */
  ignoredSignals: bigint;
}

/** The variable bin/ushim passes the ignored signals in; the guest's environment never has it. */
export const IGNORED_SIGNALS_VARIABLE = 'USHIM_HOST_SIGIGN';

function ignoredSignals(): bigint {
  const mask = process.env[IGNORED_SIGNALS_VARIABLE];
  return mask !== undefined && /^[0-9a-fA-F]{1,16}$/.test(mask) ? BigInt(`0x${mask}`) : 0n;
}

const RLIM_INFINITY = 0xffffffffffffffffn;

function limitValue(text: string): bigint {
  return text === 'unlimited' ? RLIM_INFINITY : BigInt(text);
}

/** undefined where /proc cannot be read (the kernel's defaults then stand). */
export function hostInheritance(): HostInheritance | undefined {
  let status: string;
  let limitsText: string;
  try {
    status = readFileSync('/proc/self/status', 'latin1');
    limitsText = readFileSync('/proc/self/limits', 'latin1');
  } catch {
    return undefined;
  }
  const umask = /^Umask:\s*([0-7]+)$/m.exec(status);
  if (umask === null) return undefined;
  // "Max open files            1024                 1048576              files"
  const limits = limitsText.split('\n').slice(1).filter((l) => l.startsWith('Max ')).map((l) => {
    const [cur, max] = l.slice(26).trim().split(/\s+/);
    return { cur: limitValue(cur), max: limitValue(max) };
  });
  return { umask: parseInt(umask[1], 8), limits, ignoredSignals: ignoredSignals() };
}
