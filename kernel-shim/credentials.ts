// The credentials the guest runs with: the ushim process's own. Node's process.getgroups()
// adds the effective gid, which getgroups(2) does not report, so the supplementary groups
// come from the host's /proc/self/status.
import { readFileSync } from 'node:fs';

export function hostSupplementaryGroups(): number[] {
  try {
    const line = readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith('Groups:'));
    return line === undefined ? [] : line.slice(7).trim().split(/\s+/).filter((g) => g !== '').map(Number);
  } catch {
    return [];
  }
}
