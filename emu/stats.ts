// --stats: counters printed when the guest exits.
import type { Kernel } from '../kernel-shim/kernel.js';
import { syscallName as upstreamName } from '../syscalls/numbers.js';
import { trampolineStats } from '../kernel-shim/trampfd/events.js';

export function printStats(k: Kernel, out: (line: string) => void, syscallName: (nr: number) => string = upstreamName): void {
  const mm = k.stats.mm;
  out('ushim stats:');
  out(`  pgfault ${mm.pgfault}  spf_attempt ${mm.spfAttempt}  spf_abort ${mm.spfAbort}`);
  out(`  frames in use ${k.frames.inUse} (${((k.frames.inUse * 4096) / 2 ** 20).toFixed(1)} MiB)`);
  const calls = [...k.stats.syscalls].map((n, nr): [string, number] => [syscallName(nr), n]).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  out(`  syscalls ${calls.reduce((n, [, c]) => n + c, 0)}: ${calls.map(([n, c]) => `${n} ${c}`).join(', ')}`);
  // Trampolines, W^X and the translated-code cache (kernel-shim/trampfd/, kernel-shim/mm/wx.ts).
  const tr = trampolineStats(k);
  const cpu = k.engine.counters;
  out(`  trampolines: trampfd_v1 ${tr.v1Invocations} (refused ${tr.v1Refused}, fds ${tr.v1Created}), ` +
    `trampfd_v2 ${tr.v2Invocations} (tables ${tr.v2Tables}, fds ${tr.v2Created})`);
  out(`  wx ${k.options.wx ?? 'off'}: refusals ${tr.wxRefusals}`);
  out(`  code cache: code frames rewritten by the kernel ${cpu.codeFramesRewritten}, TB removals ${cpu.tbRemovals}, ` +
    `full flushes ${cpu.tbFlushes}, TLB flushes ${cpu.tlbFlushes}`);
  // userfaultfd (kernel-shim/uffd/).
  const uf = k.uffd.stats;
  if (uf.contexts > 0 || uf.host > 0) out(`  userfaultfd: faults missing ${uf.missing} wp ${uf.wp} minor ${uf.minor} (from syscalls ${uf.kernel}), ` +
    `sigbus ${uf.sigbus}, host-served ${uf.host}; messages read ${uf.messages}, events read ${uf.events}; ` +
    `wakes ${uf.wakes}, parked ${uf.parkedMs.toFixed(1)} ms`);
  if (k.stats.unimplemented.size > 0) {
    out(`  unimplemented (-ENOSYS): ${[...k.stats.unimplemented].map(([n, c]) => `${n} x${c}`).join(', ')}`);
  }
}
