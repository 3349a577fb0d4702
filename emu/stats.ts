// --stats: counters printed when the guest exits.
import type { Kernel } from '../kernel-shim/kernel.js';
import { syscallName } from '../syscalls/numbers.js';

export function printStats(k: Kernel, out: (line: string) => void): void {
  const mm = k.stats.mm;
  out('ushim stats:');
  out(`  pgfault ${mm.pgfault}  spf_attempt ${mm.spfAttempt}  spf_abort ${mm.spfAbort}`);
  out(`  frames in use ${k.frames.inUse} (${((k.frames.inUse * 4096) / 2 ** 20).toFixed(1)} MiB)`);
  const calls = [...k.stats.syscalls].map((n, nr): [string, number] => [syscallName(nr), n]).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  out(`  syscalls ${calls.reduce((n, [, c]) => n + c, 0)}: ${calls.map(([n, c]) => `${n} ${c}`).join(', ')}`);
  if (k.stats.unimplemented.size > 0) {
    out(`  unimplemented (-ENOSYS): ${[...k.stats.unimplemented].map(([n, c]) => `${n} x${c}`).join(', ')}`);
  }
}
