// Huge pages for the native side of the hugetlb fixtures: the host's pool must have `count`
// free, unreserved pages while the fixture runs. As root, vm.nr_hugepages is raised for the
// run and put back afterwards; a host that cannot (not root, no hugetlbfs, memory too
// fragmented) reports false, and the caller compares with a checked-in output instead.
import * as fs from 'node:fs';

const NR_HUGEPAGES = '/proc/sys/vm/nr_hugepages';

function meminfoCount(name: string): number {
  const m = new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(fs.readFileSync('/proc/meminfo', 'utf8'));
  return m === null ? 0 : Number(m[1]);
}

function unreservedFree(): number {
  return meminfoCount('HugePages_Free') - meminfoCount('HugePages_Rsvd');
}

/**
 * Runs fn with `count` free huge pages on the host: fn(true) when they are there (raised
 * for the run if needed, nr_hugepages restored after), fn(false) when the host cannot have them.
 */
export function withHostHugePages<T>(count: number, fn: (available: boolean) => T): T {
  let original: string | undefined;
  try {
    if (unreservedFree() < count) {
      const before = fs.readFileSync(NR_HUGEPAGES, 'utf8').trim();
      fs.writeFileSync(NR_HUGEPAGES, String(Number(before) + count - unreservedFree()));
      original = before;
    }
  } catch {
    // Not root, or no hugetlbfs: the check below says no.
  }
  try {
    return fn(unreservedFree() >= count);
  } finally {
    if (original !== undefined) fs.writeFileSync(NR_HUGEPAGES, original);
  }
}
