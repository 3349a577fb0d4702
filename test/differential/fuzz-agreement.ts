// Compares two runs of fixtures/src/fuzz_syscalls.c, one result line a call ("i name ok",
// "i name = N", "i name EN"): which calls agree up to the first divergence in state, the
// first call that succeeded on one side and failed (or moved another count) on the other
// while it changes what later calls see (fds, files, memory, offsets, locks).

/** Calls whose success changes the state later calls run against. */
const MUTATING = new Set([
  'openat', 'close', 'dup', 'dup3', 'pipe2', 'eventfd2', 'epoll_create1', 'memfd_create', 'fcntl', 'flock',
  'read', 'readv', 'write', 'pwrite64', 'lseek', 'ftruncate', 'truncate', 'fallocate', 'mkdirat', 'unlinkat',
  'renameat2', 'linkat', 'symlinkat', 'fchmodat', 'utimensat', 'fchdir', 'mmap', 'mprotect', 'munmap', 'madvise',
  'epoll_ctl',
]);

export interface Agreement {
  /** Calls compared: those before the first divergence in state (all of them if none). */
  compared: number;
  agreed: number;
  /** The native and ushim lines of the first divergence in state. */
  divergence?: { native: string; ushim: string };
  /** Every disagreeing pair among the compared calls. */
  disagreements: { native: string; ushim: string }[];
}

function outcome(line: string): { name: string; result: string } {
  const [, name = '', ...rest] = line.split(' ');
  return { name, result: rest.join(' ') };
}

export function agreement(nativeOut: string, ushimOut: string): Agreement {
  const native = nativeOut.split('\n').filter((l) => l !== '');
  const ushim = ushimOut.split('\n').filter((l) => l !== '');
  const result: Agreement = { compared: 0, agreed: 0, disagreements: [] };
  for (let i = 0; i < Math.max(native.length, ushim.length); i++) {
    const n = native[i] ?? '';
    const u = ushim[i] ?? '';
    result.compared++;
    if (n === u) {
      result.agreed++;
      continue;
    }
    result.disagreements.push({ native: n, ushim: u });
    const a = outcome(n);
    const b = outcome(u);
    const succeeded = (r: string): boolean => !r.startsWith('E');
    const stateDiffers = a.name !== b.name || (MUTATING.has(a.name) && (succeeded(a.result) || succeeded(b.result)));
    if (stateDiffers) {
      result.divergence = { native: n, ushim: u };
      return result;
    }
  }
  return result;
}
