// Input files for the differential tests: written with exact modes and one fixed mtime, so
// that `ls -l`, `stat` and `tar tv` print the same natively and under ushim.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A fixed time for every file the tests create: 2021-03-04 05:06:07 UTC. */
export const MTIME = new Date(Date.UTC(2021, 2, 4, 5, 6, 7));

/** Writes dir/rel, making its directories, with exactly `mode` (not subject to the umask). */
export function writeInput(dir: string, rel: string, data: string | Buffer, mode = 0o644): void {
  const p = path.join(dir, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, data, { mode });
  fs.chmodSync(p, mode);
}

/** Gives every entry under dir the fixed time, directories last (creating entries touches them). */
export function stampTree(dir: string): void {
  const stamp = (rel: string) => {
    const p = path.join(dir, rel);
    const st = fs.lstatSync(p);
    if (st.isDirectory()) for (const n of fs.readdirSync(p)) stamp(path.join(rel, n));
    if (st.isSymbolicLink()) fs.lutimesSync(p, MTIME, MTIME);
    else fs.utimesSync(p, MTIME, MTIME);
  };
  for (const n of fs.readdirSync(dir)) stamp(n);
}
