// The README's code blocks, for the tests that run its examples as written: the README and
// those tests cannot drift.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './differential/harness.js';

/**
 * The fenced code blocks of one README section, in order. `heading` is written as in the
 * README ('## Programmable API', '### Drop-in for qemu-x86_64'); the section ends at the next
 * heading of its level or above.
 */
export function readmeBlocks(heading: string): { lang: string; code: string }[] {
  const text = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const start = text.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `README has no section '${heading}'`);
  const level = heading.indexOf(' ');
  const next = text.slice(start + 1).search(new RegExp(`\n#{1,${level}} `));
  const body = text.slice(start, next < 0 ? undefined : start + 1 + next);
  return [...body.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1], code: m[2] }));
}
